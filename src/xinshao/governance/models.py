"""Governance (DESIGN.md part 8): inspections (督查) and rectification (整改).

A checklist is edited freely; a round copies its items when it is made, so a finished round
always shows what was inspected then. A round visits schools (each visit has an inspector), a
visit records one finding per item, and a finding below "meets" may open a rectification item
the school answers with evidence and the inspector signs off. Every state change is a
GovernanceEvent row (and an audit entry, services.py). Later parts of issue 11 (workforce,
agreements, activities) join this app with their own models.
"""
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from xinshao.core.models import EventRow, UploadedFile


class Checklist(models.Model):
    """A configurable inspection checklist; rounds copy its items."""

    name = models.CharField(_("名称"), max_length=100, unique=True)
    description = models.CharField(_("说明"), max_length=300, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("督查清单")
        verbose_name_plural = _("督查清单")

    def __str__(self) -> str:
        return self.name


class ItemFields(models.Model):
    """What a checklist item says; a round's copy says the same."""

    position = models.PositiveSmallIntegerField(_("序号"), default=0)
    category = models.CharField(_("类别"), max_length=50)
    text = models.CharField(_("督查内容"), max_length=300)
    evidence_required = models.BooleanField(_("须提供佐证材料"), default=False)

    class Meta:
        abstract = True
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return f"{self.category} · {self.text}"


class ChecklistItem(ItemFields):
    checklist = models.ForeignKey(Checklist, on_delete=models.CASCADE, related_name="items")

    class Meta(ItemFields.Meta):
        verbose_name = _("督查条目")
        verbose_name_plural = _("督查条目")


class InspectionPlan(models.Model):
    """The year's inspection plan, e.g. four rounds over every school of the city."""

    year = models.PositiveSmallIntegerField(_("年度"), unique=True)
    name = models.CharField(_("名称"), max_length=100)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-year"]
        verbose_name = _("督查计划")
        verbose_name_plural = _("督查计划")

    def __str__(self) -> str:
        return self.name


class InspectionRound(models.Model):
    class State(models.TextChoices):
        PLANNED = "planned", _("计划中")
        IN_PROGRESS = "in_progress", _("进行中")
        CLOSED = "closed", _("已结束")

    plan = models.ForeignKey(InspectionPlan, on_delete=models.PROTECT, related_name="rounds")
    name = models.CharField(_("轮次名称"), max_length=100)
    starts_on = models.DateField(_("开始日期"))
    ends_on = models.DateField(_("结束日期"))
    state = models.CharField(_("状态"), max_length=20, choices=State.choices, default=State.PLANNED)
    checklist = models.ForeignKey(Checklist, null=True, on_delete=models.SET_NULL, related_name="+")
    checklist_name = models.CharField(_("督查清单"), max_length=100)  # as it was named when copied
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-starts_on", "-id"]
        verbose_name = _("督查轮次")
        verbose_name_plural = _("督查轮次")
        constraints = [models.CheckConstraint(condition=models.Q(ends_on__gte=models.F("starts_on")),
                                              name="inspection_round_ends_after_start")]

    def __str__(self) -> str:
        return self.name


class RoundItem(ItemFields):
    """A round's own copy of a checklist item: editing the checklist later never changes it."""

    round = models.ForeignKey(InspectionRound, on_delete=models.CASCADE, related_name="items")

    class Meta(ItemFields.Meta):
        verbose_name = _("轮次督查条目")
        verbose_name_plural = _("轮次督查条目")


class SchoolVisit(models.Model):
    class State(models.TextChoices):
        PLANNED = "planned", _("待督查")
        COMPLETED = "completed", _("已完成")

    round = models.ForeignKey(InspectionRound, on_delete=models.CASCADE, related_name="visits")
    school = models.ForeignKey("org.School", on_delete=models.PROTECT, related_name="+")
    inspector = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                  verbose_name=_("督查员"))
    state = models.CharField(_("状态"), max_length=20, choices=State.choices, default=State.PLANNED)
    completed_on = models.DateField(_("完成日期"), null=True, blank=True)

    class Meta:
        ordering = ["school__code"]
        verbose_name = _("学校督查")
        verbose_name_plural = _("学校督查")
        constraints = [models.UniqueConstraint(fields=["round", "school"], name="visit_once_per_round")]

    def __str__(self) -> str:
        return f"{self.round} · {self.school}"


class Result(models.TextChoices):
    MEETS = "meets", _("达标")
    PARTLY = "partly", _("部分达标")
    NOT_MET = "not_met", _("未达标")
    NOT_APPLICABLE = "na", _("不适用")


BELOW_MEETS = (Result.PARTLY, Result.NOT_MET)


class Finding(models.Model):
    visit = models.ForeignKey(SchoolVisit, on_delete=models.CASCADE, related_name="findings")
    item = models.ForeignKey(RoundItem, on_delete=models.PROTECT, related_name="findings")
    result = models.CharField(_("结果"), max_length=10, choices=Result.choices)
    note = models.CharField(_("说明"), max_length=1000, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["item__position", "item_id"]
        verbose_name = _("督查结果")
        verbose_name_plural = _("督查结果")
        constraints = [models.UniqueConstraint(fields=["visit", "item"], name="finding_once_per_item")]


class Rectification(models.Model):
    """What a school must change after a finding, by a deadline, until the inspector signs it off."""

    class State(models.TextChoices):
        OPEN = "open", _("待整改")
        SUBMITTED = "submitted", _("待审核")
        RETURNED = "returned", _("已退回")
        SIGNED_OFF = "signed_off", _("已通过")

    finding = models.OneToOneField(Finding, on_delete=models.PROTECT, related_name="rectification")
    school = models.ForeignKey("org.School", on_delete=models.PROTECT, related_name="+")  # the visit's, kept for scoping
    requirement = models.CharField(_("整改要求"), max_length=1000)
    deadline = models.DateField(_("整改期限"))
    state = models.CharField(_("状态"), max_length=20, choices=State.choices, default=State.OPEN)
    school_note = models.CharField(_("整改说明"), max_length=2000, blank=True)
    return_reason = models.CharField(_("退回原因"), max_length=1000, blank=True)
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    opened_at = models.DateTimeField()
    submitted_at = models.DateTimeField(null=True, blank=True)
    signed_off_at = models.DateTimeField(null=True, blank=True)
    overdue_notified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["deadline", "id"]
        verbose_name = _("整改事项")
        verbose_name_plural = _("整改事项")
        indexes = [models.Index(fields=["school", "state"]), models.Index(fields=["state", "deadline"])]

    def __str__(self) -> str:
        return f"{self.school} · {self.requirement[:30]}"

    def is_overdue(self, today) -> bool:
        return self.state != self.State.SIGNED_OFF and self.deadline < today


def evidence_path(evidence, filename: str) -> str:
    # A name of our own: the uploader's file name is kept in the row, never used as a path.
    return f"governance/evidence/{evidence.rectification.school_id}/{evidence.token}{evidence.extension}"


class Evidence(UploadedFile):
    """A file a school uploaded for a rectification item, kept under XINSHAO_DATA_DIR/media and
    served only through the item's scope."""

    rectification = models.ForeignKey(Rectification, on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField(upload_to=evidence_path, max_length=200)
    extension = models.CharField(max_length=8)

    class Meta(UploadedFile.Meta):
        verbose_name = _("佐证材料")
        verbose_name_plural = _("佐证材料")


class GovernanceEvent(EventRow):
    """Every state change of a round, a visit or a rectification item: who, when, what, why."""

    round = models.ForeignKey(InspectionRound, null=True, on_delete=models.CASCADE, related_name="events")
    visit = models.ForeignKey(SchoolVisit, null=True, on_delete=models.CASCADE, related_name="events")
    rectification = models.ForeignKey(Rectification, null=True, on_delete=models.CASCADE, related_name="events")
    reason = models.CharField(max_length=1000, blank=True)
