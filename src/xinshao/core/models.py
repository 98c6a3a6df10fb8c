from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class JobHeartbeat(models.Model):
    """When a background worker last ran the heartbeat job: proof that periodic jobs run."""

    worker = models.CharField(max_length=100, unique=True)
    last_beat_at = models.DateTimeField()
    beats = models.BigIntegerField(default=0)


class EventRow(models.Model):
    """The shape of every domain's event row (STYLE.md: an event for every state change): what
    happened, who did it, when, and its details; each domain adds the objects it is about."""

    kind = models.CharField(max_length=40)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()
    detail = models.JSONField(default=dict, blank=True)

    class Meta:
        abstract = True
        ordering = ["at", "id"]


class UploadedFile(models.Model):
    """The shape of a file someone uploaded (evidence, an application's materials): kept under
    XINSHAO_DATA_DIR/media, served only through its owner's scope by an unguessable token. Each
    domain adds its `file` field (with its own folder) and what the file belongs to."""

    token = models.CharField(max_length=32, unique=True)
    file_name = models.CharField(_("文件名"), max_length=255)
    size = models.PositiveIntegerField(_("大小"))
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField()

    class Meta:
        abstract = True
        ordering = ["uploaded_at", "id"]
