import os
import socket

from celery import shared_task
from django.db.models import F
from django.utils import timezone

from xinshao.core.models import JobHeartbeat


@shared_task(name="xinshao.core.tasks.heartbeat")
def heartbeat() -> dict:
    """Record that periodic jobs are running, on which host and process."""
    worker = f"{socket.gethostname()}:{os.getpid()}"
    now = timezone.now()
    updated = JobHeartbeat.objects.filter(worker=worker).update(last_beat_at=now, beats=F("beats") + 1)
    if not updated:
        JobHeartbeat.objects.create(worker=worker, last_beat_at=now, beats=1)
    return {"worker": worker, "at": now.isoformat()}


@shared_task(name="xinshao.core.tasks.whoami")
def whoami() -> dict:
    """Which process ran this job: lets an operator (and a test) see a job went through a worker."""
    return {"host": socket.gethostname(), "pid": os.getpid()}
