"""Periodic work of the counseling app."""
from celery import shared_task

from . import services


@shared_task
def send_reminders() -> int:
    """Booker and counselor hear once, COUNSELING_REMINDER_HOURS (default 24) before each booking."""
    return services.reminders_send()
