from celery import shared_task

from xinshao.accounts.services import unusual_access_report


@shared_task(name="xinshao.accounts.tasks.report_unusual_access")
def report_unusual_access() -> int:
    """Tell the bureau about yesterday's unusual access (accounts/services.py)."""
    return unusual_access_report()
