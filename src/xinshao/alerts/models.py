"""Early warning: signals from every channel, the rules that grade them, and the alerts they raise.

A Signal is one thing somebody (or the screening) noticed about a student. Rules (a RuleSet,
versioned data) give it a level; a levelled signal opens an Alert, or joins the student's
open alert and may raise its level. An alert has an owner, a deadline to acknowledge and an
escalation step; every change of an alert is an AlertEvent row.
"""
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from xinshao.core.crypto import EncryptedTextField


class Level(models.TextChoices):
    # The stored ids; the names people read come from the city's rules (e.g. 一级/二级/三级).
    RED = "red", _("红色")
    ORANGE = "orange", _("橙色")
    YELLOW = "yellow", _("黄色")


class Channel(models.TextChoices):
    """Independent channels: two of them agreeing about a student raise the level."""
    SCREENING = "screening", _("心理测评")
    CLASS = "class", _("班级渠道")
    HOME_SCHOOL = "home_school", _("家校渠道")
    TEACHER = "teacher", _("教师转介")
    HOTLINE = "hotline", _("心理热线")


class Source(models.TextChoices):
    SCREENING_RESULT = "screening_result", _("测评结果")
    SCREENING_WORSENING = "screening_worsening", _("测评分数上升")
    COMMITTEE_REPORT = "committee_report", _("心理委员报告")
    SELF_CHECKIN = "self_checkin", _("学生自评打卡")
    HOME_VISIT = "home_visit", _("家访记录")
    PARENT_MEETING = "parent_meeting", _("家长会谈记录")
    GUARDIAN_CONCERN = "guardian_concern", _("家长反映")
    TEACHER_REFERRAL = "teacher_referral", _("教师转介")
    HOTLINE_CALL = "hotline_call", _("热线来电")


CHANNEL_OF_SOURCE: dict[str, str] = {
    Source.SCREENING_RESULT: Channel.SCREENING,
    Source.SCREENING_WORSENING: Channel.SCREENING,
    Source.COMMITTEE_REPORT: Channel.CLASS,
    Source.SELF_CHECKIN: Channel.CLASS,
    Source.HOME_VISIT: Channel.HOME_SCHOOL,
    Source.PARENT_MEETING: Channel.HOME_SCHOOL,
    Source.GUARDIAN_CONCERN: Channel.HOME_SCHOOL,
    Source.TEACHER_REFERRAL: Channel.TEACHER,
    Source.HOTLINE_CALL: Channel.HOTLINE,
}


class RuleSet(models.Model):
    """One version of the warning rules of a city (the defaults) or of a school (stricter only).

    Versions are never changed: a new version is a new row, and each alert keeps the row
    that raised it, so the reason for an old alert can always be read back.
    """
    region = models.ForeignKey("org.Region", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    school = models.ForeignKey("org.School", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    version = models.PositiveIntegerField(_("版本"))
    rules = models.JSONField()
    note = models.CharField(_("修改说明"), max_length=200, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("预警规则")
        verbose_name_plural = _("预警规则")
        constraints = [
            models.CheckConstraint(condition=Q(region__isnull=False, school__isnull=True)
                                   | Q(region__isnull=True, school__isnull=False), name="ruleset_city_or_school"),
            models.UniqueConstraint(fields=["region", "version"], name="ruleset_region_version_unique"),
            models.UniqueConstraint(fields=["school", "version"], name="ruleset_school_version_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.school or self.region} v{self.version}"


class Alert(models.Model):
    class State(models.TextChoices):
        NEW = "new", _("待确认")
        ACKNOWLEDGED = "acknowledged", _("已确认")
        CASE_OPENED = "case_opened", _("已转个案")
        CLOSED = "closed", _("已关闭")

    class Step(models.IntegerChoices):
        """Who must act now: the warning chain school → bureau."""
        OWNER = 0, _("负责人")
        SCHOOL_LEADER = 1, _("学校领导")
        BUREAU = 2, _("教育局心理中心")

    OPEN_STATES = (State.NEW, State.ACKNOWLEDGED)

    student = models.ForeignKey("people.Student", on_delete=models.PROTECT, related_name="alerts")
    school = models.ForeignKey("org.School", on_delete=models.PROTECT, related_name="+")
    level = models.CharField(_("级别"), max_length=10, choices=Level.choices)
    state = models.CharField(_("状态"), max_length=15, choices=State.choices, default=State.NEW)
    # Channels whose agreement raised the level (two-channel rule); empty when none did.
    corroborated_channels = models.JSONField(default=list, blank=True)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                              related_name="owned_alerts", verbose_name=_("负责人"))
    escalation_step = models.PositiveSmallIntegerField(choices=Step.choices, default=Step.OWNER)
    ack_due_at = models.DateTimeField(_("确认期限"))
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                        related_name="+")
    close_reason = EncryptedTextField(_("关闭原因"), blank=True)
    close_requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                           on_delete=models.PROTECT, related_name="+")
    close_requested_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="+")
    closed_at = models.DateTimeField(null=True, blank=True)
    rule_set = models.ForeignKey(RuleSet, on_delete=models.PROTECT, related_name="alerts")
    rules_used = models.CharField(_("规则版本"), max_length=120)  # e.g. "明州市 v3 + 东湖中学 v2"
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("预警")
        verbose_name_plural = _("预警")
        ordering = ["-created_at"]
        constraints = [
            # New signals about a student join the open alert instead of opening a second one.
            models.UniqueConstraint(fields=["student"], condition=Q(state__in=["new", "acknowledged"]),
                                    name="alert_one_open_per_student"),
        ]
        indexes = [models.Index(fields=["state", "ack_due_at"]), models.Index(fields=["school", "state"])]

    def __str__(self) -> str:
        return f"{self.get_level_display()} {self.student_id} {self.get_state_display()}"

    @property
    def is_open(self) -> bool:
        return self.state in self.OPEN_STATES


class Signal(models.Model):
    """One observation about a student from one channel, with who raised it and when."""
    student = models.ForeignKey("people.Student", on_delete=models.PROTECT, related_name="signals")
    school = models.ForeignKey("org.School", on_delete=models.PROTECT, related_name="+")
    channel = models.CharField(_("渠道"), max_length=15, choices=Channel.choices)
    source = models.CharField(_("来源"), max_length=25, choices=Source.choices)
    raised_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="+")
    raised_at = models.DateTimeField(_("时间"))
    facts = models.JSONField(default=dict)  # what the rules read: band, total, concerns, risk...
    level = models.CharField(max_length=10, choices=Level.choices, blank=True)  # blank: below every rule
    reason = models.CharField(_("原因"), max_length=300)
    note = EncryptedTextField(_("补充说明"), blank=True)  # free text from the person who raised it
    alert = models.ForeignKey(Alert, null=True, blank=True, on_delete=models.PROTECT, related_name="signals")
    rule_set = models.ForeignKey(RuleSet, on_delete=models.PROTECT, related_name="+")
    rules_used = models.CharField(_("规则版本"), max_length=120)
    # Where it came from, so the same screening result or record never counts twice.
    origin = models.CharField(max_length=60, blank=True)

    class Meta:
        verbose_name = _("预警信号")
        verbose_name_plural = _("预警信号")
        ordering = ["raised_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["source", "origin"], condition=~Q(origin=""), name="signal_origin_unique"),
        ]
        indexes = [models.Index(fields=["student", "raised_at"])]


class AlertEvent(models.Model):
    """Every change of an alert: who, when, what, and why."""

    class Kind(models.TextChoices):
        RAISED = "raised", _("产生预警")
        SIGNAL_ADDED = "signal_added", _("新信号")
        LEVEL_RAISED = "level_raised", _("级别上调")
        ACKNOWLEDGED = "acknowledged", _("确认")
        REASSIGNED = "reassigned", _("更换负责人")
        ESCALATED = "escalated", _("超时上报")
        CLOSE_REQUESTED = "close_requested", _("申请关闭")
        CLOSE_DECLINED = "close_declined", _("关闭未获同意")
        CLOSED = "closed", _("关闭")
        CASE_OPENED = "case_opened", _("转为个案")

    alert = models.ForeignKey(Alert, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()
    reason = EncryptedTextField(blank=True)  # a person's words (closing, declining): never in `detail`
    detail = models.JSONField(default=dict, blank=True)  # ids, levels, steps: nothing a person typed

    class Meta:
        ordering = ["at", "id"]
