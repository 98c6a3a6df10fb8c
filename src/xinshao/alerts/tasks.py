from celery import shared_task

from xinshao.alerts.screening import screening_sweep
from xinshao.alerts.services import alerts_escalate_overdue


@shared_task(name="xinshao.alerts.tasks.escalate_overdue")
def escalate_overdue() -> int:
    """Move unacknowledged alerts past their deadline up the chain (school leader, then bureau)."""
    return alerts_escalate_overdue()


@shared_task(name="xinshao.alerts.tasks.sweep_screening_results")
def sweep_screening_results() -> int:
    """Turn new screening results into signals (bands, rises since last term); critical flags
    already raised theirs at submit time, and this also catches any the hook missed."""
    return screening_sweep()
