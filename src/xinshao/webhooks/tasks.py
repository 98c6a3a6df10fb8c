from celery import shared_task

from xinshao.webhooks.sending import deliveries_attempt, deliveries_attempt_due


@shared_task(name="xinshao.webhooks.tasks.deliver")
def deliver(delivery_ids: list[int]) -> int:
    """Send new deliveries right after the transaction that wrote them commits (and a test-send at once)."""
    return deliveries_attempt(ids=delivery_ids)


@shared_task(name="xinshao.webhooks.tasks.deliver_due")
def deliver_due() -> int:
    """Every 15 s: send what is due (the embedded mode's events, retries past their pause, what a queued task missed)."""
    return deliveries_attempt_due()
