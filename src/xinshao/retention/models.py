"""Retention (数据保存期限): how long each kind of data is kept, the history of that policy, the runs
that delete or anonymise what is past its time, and guardians' requests for a copy of their child's data.

The kinds themselves (what each covers, its anchor, what delete or anonymise does) are code, in
kinds.py; the bureau sets only each kind's period and action (docs/retention.md).
"""
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from xinshao.core.models import EventRow


class Action(models.TextChoices):
    DELETE = "delete", _("删除")
    ANONYMISE = "anonymise", _("匿名化")


class RetentionPolicy(models.Model):
    """The period and action in force for one data kind (one deployment serves one bureau)."""

    kind = models.CharField(_("数据类别"), max_length=30, unique=True)
    months = models.PositiveSmallIntegerField(_("保存期限（月）"))
    action = models.CharField(_("到期处理"), max_length=10, choices=Action.choices)
    updated_at = models.DateTimeField()
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["kind"]


class PolicyChange(EventRow):
    """One change of a kind's policy: who, when, from what to what, and why."""

    data_kind = models.CharField(max_length=30)
    reason = models.CharField(_("修改原因"), max_length=300)


class RetentionRun(models.Model):
    """One run for one data kind: the policy in force, what was found past its time and what was done."""

    class State(models.TextChoices):
        RUNNING = "running", _("进行中")
        DONE = "done", _("已完成")
        FAILED = "failed", _("失败")

    kind = models.CharField(_("数据类别"), max_length=30)
    months = models.PositiveSmallIntegerField(_("保存期限（月）"))
    action = models.CharField(_("到期处理"), max_length=10, choices=Action.choices)
    cutoff = models.DateField(_("截止日期"))  # anchors before this day were past their time
    dry_run = models.BooleanField(_("仅预览"), default=False)
    found = models.PositiveIntegerField(_("到期条数"), default=0)
    done = models.PositiveIntegerField(_("已处理条数"), default=0)
    detail = models.JSONField(default=dict, blank=True)  # rows touched per table
    state = models.CharField(_("状态"), max_length=10, choices=State.choices, default=State.RUNNING)
    message = models.TextField(blank=True)
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    started_at = models.DateTimeField(_("开始"))
    finished_at = models.DateTimeField(_("结束"), null=True, blank=True)

    class Meta:
        ordering = ["-started_at", "-id"]


class Handled(models.Model):
    """A row already anonymised for a kind: a later run leaves it alone and does not count it again."""

    kind = models.CharField(max_length=30)
    object_id = models.BigIntegerField()
    run = models.ForeignKey(RetentionRun, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["kind", "object_id"], name="retention_handled_once")]


class CopyRequest(models.Model):
    """A guardian's request for a copy of their child's data (PIPL art. 45), asked in the portal or
    on paper (recorded by staff); fulfilled by an export job owned by whoever asked in the system."""

    class Channel(models.TextChoices):
        PORTAL = "portal", _("监护人在线申请")
        PAPER = "paper", _("书面申请（教职工登记）")

    student = models.ForeignKey("people.Student", on_delete=models.CASCADE, related_name="+")
    guardian = models.ForeignKey("people.Guardian", null=True, on_delete=models.SET_NULL, related_name="+")
    channel = models.CharField(_("申请方式"), max_length=10, choices=Channel.choices)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField()
    note = models.CharField(_("说明"), max_length=300, blank=True)
    job = models.ForeignKey("exports.ExportJob", null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-requested_at", "-id"]
