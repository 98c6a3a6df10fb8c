from celery import shared_task

from xinshao.notifications.services import deliveries_attempt, deliveries_attempt_due


@shared_task(name="xinshao.notifications.tasks.deliver")
def deliver(delivery_ids: list[int]) -> int:
    """Send new urgent notifications right after the transaction that made them commits."""
    return deliveries_attempt(ids=delivery_ids)


@shared_task(name="xinshao.notifications.tasks.deliver_due")
def deliver_due() -> int:
    """Every 30 s: retry the deliveries whose pause is over, and any a queued task missed."""
    return deliveries_attempt_due()
