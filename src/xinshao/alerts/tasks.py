from celery import shared_task

from xinshao.alerts.screening import critical_relay, results_signals, screening_sweep
from xinshao.alerts.services import alerts_escalate_overdue


@shared_task(name="xinshao.alerts.tasks.escalate_overdue")
def escalate_overdue() -> int:
    """Move unacknowledged alerts past their deadline up the chain (school leader, then bureau)."""
    return alerts_escalate_overdue()


@shared_task(name="xinshao.alerts.tasks.signals_for_results")
def signals_for_results(result_ids: list[int]) -> int:
    """A submission's critical results, right after it committed, without a broker (run by name from
    campaigns/submissions.py): their red alert within the request, not at the next sweep."""
    return results_signals(result_ids)


@shared_task(name="xinshao.alerts.tasks.relay_critical_results")
def relay_critical_results() -> int:
    """With a broker: every pending critical result's red alert, within seconds of its commit."""
    return critical_relay()


@shared_task(name="xinshao.alerts.tasks.sweep_screening_results")
def sweep_screening_results() -> int:
    """Every pending screening result becomes signals (bands, rises since last term), and any
    critical one whose immediate run failed or never came."""
    return screening_sweep()
