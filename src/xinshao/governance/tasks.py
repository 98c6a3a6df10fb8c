from celery import shared_task

from xinshao.governance.services import rectifications_notify_overdue


@shared_task(name="xinshao.governance.tasks.notify_overdue_rectifications")
def notify_overdue_rectifications() -> int:
    """Tell each school once about each of its rectification items past the deadline."""
    return rectifications_notify_overdue()
