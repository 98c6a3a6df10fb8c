from celery import shared_task

from xinshao.cases.followups.services import followups_remind_due


@shared_task(name="xinshao.cases.tasks.remind_follow_ups")
def remind_follow_ups() -> int:
    """Remind case owners of follow-ups due today or overdue, once per follow-up."""
    return followups_remind_due()
