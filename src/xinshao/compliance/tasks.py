from celery import shared_task

from xinshao.compliance.services import incidents_notify_overdue


@shared_task(name="xinshao.compliance.tasks.notify_overdue_incidents")
def notify_overdue_incidents() -> int:
    """Tell the bureau admins about incidents past their reporting deadline (compliance/services.py)."""
    return incidents_notify_overdue()
