"""Activities entering campus (进校园活动审批, DESIGN.md part 8; campaign "还校园一张安静的书桌").

An outside body (org.OutsideBody) files an application for an activity at some schools on some
dates; the bureau approves it (it gets an approval number) or rejects it with a reason. Approved
applications make the register any school's staff search before letting an activity in. A school
records each time it refused a body that came with no approval, or outside what was approved.
Every state change is an ActivityEvent row (services.py).
"""
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from xinshao.core.models import EventRow, UploadedFile


class Application(models.Model):
    class Kind(models.TextChoices):
        LECTURE = "lecture", _("讲座")
        PERFORMANCE = "performance", _("演出")
        COMPETITION = "competition", _("竞赛")
        SURVEY = "survey", _("调查问卷")
        PROMOTION = "promotion", _("宣传推广")
        OTHER = "other", _("其他")

    class State(models.TextChoices):
        DRAFT = "draft", _("草稿")
        SUBMITTED = "submitted", _("待审批")
        APPROVED = "approved", _("已批准")
        REJECTED = "rejected", _("未批准")
        WITHDRAWN = "withdrawn", _("已撤回")

    body = models.ForeignKey("org.OutsideBody", on_delete=models.PROTECT, related_name="applications",
                             verbose_name=_("申报单位"))
    contact_person = models.CharField(_("联系人"), max_length=50)
    contact_phone = models.CharField(_("联系电话"), max_length=20)
    title = models.CharField(_("活动名称"), max_length=100)
    kind = models.CharField(_("活动类型"), max_length=20, choices=Kind.choices)
    purpose = models.CharField(_("活动目的和内容"), max_length=2000)
    schools = models.ManyToManyField("org.School", related_name="+", verbose_name=_("进入的学校"))
    starts_on = models.DateField(_("开始日期"))
    ends_on = models.DateField(_("结束日期"))
    participants = models.PositiveIntegerField(_("预计参与学生人数"))
    teacher_hours = models.DecimalField(_("需要教师配合的时间（小时）"), max_digits=5, decimal_places=1)
    state = models.CharField(_("状态"), max_length=20, choices=State.choices, default=State.DRAFT)
    approval_number = models.CharField(_("备案编号"), max_length=20, unique=True, null=True, blank=True)
    decision_reason = models.CharField(_("审批意见"), max_length=1000, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()
    submitted_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("进校园活动申报")
        verbose_name_plural = _("进校园活动申报")
        indexes = [models.Index(fields=["state", "starts_on"])]
        constraints = [models.CheckConstraint(condition=models.Q(ends_on__gte=models.F("starts_on")),
                                              name="activity_ends_after_start")]

    def __str__(self) -> str:
        return f"{self.body} · {self.title}"


def material_path(material, filename: str) -> str:
    # A name of our own: the uploader's file name is kept in the row, never used as a path.
    return f"activities/materials/{material.application.body_id}/{material.token}.pdf"


class Material(UploadedFile):
    """A PDF an applicant attached (the programme, the speaker's credentials, the questionnaire)."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="materials")
    file = models.FileField(upload_to=material_path, max_length=200)

    class Meta(UploadedFile.Meta):
        verbose_name = _("申报材料")
        verbose_name_plural = _("申报材料")


class Refusal(models.Model):
    """A school turned away a body that came to run an activity without approval (or outside it)."""

    class Ground(models.TextChoices):
        NO_APPROVAL = "no_approval", _("未经审批")
        OUTSIDE_SCOPE = "outside_scope", _("超出审批范围")

    school = models.ForeignKey("org.School", on_delete=models.PROTECT, related_name="+", verbose_name=_("学校"))
    body_name = models.CharField(_("来访单位"), max_length=100)
    activity = models.CharField(_("活动内容"), max_length=200)
    happened_on = models.DateField(_("日期"))
    ground = models.CharField(_("拒绝原因"), max_length=20, choices=Ground.choices)
    application = models.ForeignKey(Application, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                                    verbose_name=_("相关备案"))
    note = models.CharField(_("说明"), max_length=1000, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["-happened_on", "-id"]
        verbose_name = _("拒绝进校记录")
        verbose_name_plural = _("拒绝进校记录")
        indexes = [models.Index(fields=["school", "happened_on"])]

    def __str__(self) -> str:
        return f"{self.school} · {self.body_name}"


class ActivityEvent(EventRow):
    """Every state change of an application, and every refusal recorded: who, when, what, why."""

    application = models.ForeignKey(Application, null=True, on_delete=models.CASCADE, related_name="events")
    refusal = models.ForeignKey(Refusal, null=True, on_delete=models.CASCADE, related_name="events")
    reason = models.CharField(max_length=1000, blank=True)
