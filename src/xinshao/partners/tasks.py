from celery import shared_task

from xinshao.partners.services import agreements_end_expired


@shared_task(name="xinshao.partners.tasks.end_expired_agreements")
def end_expired_agreements() -> int:
    """Mark agreements past their end date as ended (a referral check never needs it: it reads the dates)."""
    return agreements_end_expired()
