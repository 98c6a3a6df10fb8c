"""The individual plan (一生一策) of a student at risk, kept as versions, and the receiving school's
handover task when a student moves up a school stage."""
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from xinshao.core.crypto import EncryptedTextField
from xinshao.core.models import EventRow


class IndividualPlan(models.Model):
    """One plan for a student; what it says is its latest PlanVersion. At most one is active."""

    class State(models.TextChoices):
        ACTIVE = "active", _("执行中")
        CLOSED = "closed", _("已结束")

    student = models.ForeignKey("people.Student", on_delete=models.CASCADE, related_name="individual_plans")
    state = models.CharField(_("状态"), max_length=10, choices=State.choices, default=State.ACTIVE)
    created_at = models.DateTimeField()
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("一生一策")
        verbose_name_plural = _("一生一策")
        constraints = [models.UniqueConstraint(fields=["student"], condition=models.Q(state="active"),
                                               name="one_active_plan_per_student")]


class PlanVersion(models.Model):
    """What the plan said after one save: never changed afterwards."""

    plan = models.ForeignKey(IndividualPlan, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("版本"))
    goals = EncryptedTextField(_("目标"))
    supports = EncryptedTextField(_("支持措施"))
    # [{"who": "班主任", "task": "每周与学生谈一次"}, ...]: who does what
    tasks = models.JSONField(_("分工"), default=list)
    review_on = models.DateField(_("复评日期"))
    reason = EncryptedTextField(_("修改原因"), max_length=300, blank=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    written_at = models.DateTimeField()
    school = models.ForeignKey("org.School", on_delete=models.PROTECT, related_name="+")  # where it was written

    class Meta:
        ordering = ["plan", "number"]
        constraints = [models.UniqueConstraint(fields=["plan", "number"], name="plan_version_once")]


class PlanEvent(EventRow):
    """Opened, revised, closed."""

    plan = models.ForeignKey(IndividualPlan, on_delete=models.CASCADE, related_name="events")


class HandoverTask(models.Model):
    """The receiving school's psych teachers are to read the record of a student who moved up a stage."""

    class State(models.TextChoices):
        PENDING = "pending", _("待接收")
        ACKNOWLEDGED = "acknowledged", _("已接收")

    student = models.ForeignKey("people.Student", on_delete=models.CASCADE, related_name="record_handovers")
    from_school = models.ForeignKey("org.School", on_delete=models.PROTECT, related_name="+")
    to_school = models.ForeignKey("org.School", on_delete=models.PROTECT, related_name="record_handovers")
    from_level = models.CharField(max_length=2)
    to_level = models.CharField(max_length=2)
    state = models.CharField(_("状态"), max_length=15, choices=State.choices, default=State.PENDING)
    created_at = models.DateTimeField()
    acknowledged_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                        related_name="+")
    acknowledged_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("交接任务")
        verbose_name_plural = _("交接任务")


class HandoverEvent(EventRow):
    """Created, acknowledged."""

    task = models.ForeignKey(HandoverTask, on_delete=models.CASCADE, related_name="events")
