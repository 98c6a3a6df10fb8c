from django.db import models


class JobHeartbeat(models.Model):
    """When a background worker last ran the heartbeat job: proof that periodic jobs run."""

    worker = models.CharField(max_length=100, unique=True)
    last_beat_at = models.DateTimeField()
    beats = models.BigIntegerField(default=0)
