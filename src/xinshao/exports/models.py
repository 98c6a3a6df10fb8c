"""An export job: one user's request for a list or dashboard as Excel or PDF, made in the
background; its file is kept under XINSHAO_DATA_DIR/exports until it expires."""
import datetime

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from xinshao.core.models import EventRow

# How long a finished file stays downloadable before the periodic clean-up removes it.
KEEP_FOR = datetime.timedelta(days=1)


class ExportJob(models.Model):
    class Format(models.TextChoices):
        XLSX = "xlsx", _("Excel")
        PDF = "pdf", _("PDF")

    class State(models.TextChoices):
        QUEUED = "queued", _("排队中")
        RUNNING = "running", _("正在生成")
        DONE = "done", _("已完成")
        FAILED = "failed", _("失败")
        EXPIRED = "expired", _("已过期")

    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="export_jobs")
    kind = models.CharField(_("内容"), max_length=60)
    title = models.CharField(_("标题"), max_length=200)
    parameters = models.JSONField(default=dict, blank=True)
    format = models.CharField(_("格式"), max_length=4, choices=Format.choices)
    state = models.CharField(_("状态"), max_length=10, choices=State.choices, default=State.QUEUED)
    rows_done = models.PositiveIntegerField(default=0)
    rows_total = models.PositiveIntegerField(null=True, blank=True)
    message = models.TextField(blank=True)  # why it failed, in words for the person who asked
    file_name = models.CharField(max_length=255, blank=True)  # the stored file, under DATA_DIR/exports
    file_size = models.PositiveBigIntegerField(default=0)
    # The students named in the file: the download's audit entry lists them.
    student_ids = models.JSONField(default=list, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField()
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["requested_by", "-created_at"], name="export_job_owner_recent"),
                   models.Index(fields=["state", "finished_at"], name="export_job_state_finished")]

    def __str__(self) -> str:
        return self.title

    @property
    def percent(self) -> int | None:
        if self.state == self.State.DONE:
            return 100
        if not self.rows_total:
            return None
        return min(99, self.rows_done * 100 // self.rows_total)

    @property
    def download_name(self) -> str:
        return f"{self.title}-{self.created_at:%Y%m%d-%H%M}.{self.format}"


class ExportJobEvent(EventRow):
    """One row per state change of a job (queued, running, done, failed, expired)."""

    job = models.ForeignKey(ExportJob, on_delete=models.CASCADE, related_name="events")
