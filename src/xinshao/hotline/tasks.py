from celery import shared_task

from xinshao.hotline.services import callbacks_remind_overdue


@shared_task(name="xinshao.hotline.tasks.remind_overdue_callbacks")
def remind_overdue_callbacks() -> int:
    """Tell an operator once about each call-back of theirs that is overdue."""
    return callbacks_remind_overdue()
