"""The city hotline (热线来电) and the walk-in centre (来访).

A Call is one call (or chat, or a caller at the desk) as the operator logged it. The student and
school are kept when known (found by an exact search, never from a roster); otherwise the call is
"unidentified" and the operator describes the caller in words. Free text about a caller or a
student is encrypted at rest. A follow-up call points at the first call of its thread. A Visit is a
family's visit to the centre; follow-up visits point at the first, which stands for the family.
Every change is a CallEvent or VisitEvent row: who, when, what.
"""
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from xinshao.core.crypto import EncryptedTextField


class Topic(models.Model):
    """The taxonomy calls and visits are counted by; the bureau admin and the psych centre edit it.
    A topic in use is retired (is_active off), never deleted, so old counts keep their words."""

    name = models.CharField(_("话题"), max_length=40, unique=True)
    position = models.PositiveSmallIntegerField(_("顺序"), default=100)
    is_active = models.BooleanField(_("在用"), default=True)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("来电话题")
        verbose_name_plural = _("来电话题")

    def __str__(self) -> str:
        return self.name


class Channel(models.TextChoices):
    PHONE = "phone", _("电话")
    CHAT = "chat", _("网络咨询")
    DESK = "desk", _("来访接待台")


class CallType(models.TextChoices):
    # As child helplines count their contacts.
    HELP = "help", _("求助")
    INFORMATION = "information", _("咨询信息")
    SILENT = "silent", _("无声来电")
    HANG_UP = "hang_up", _("挂断")
    ABUSIVE = "abusive", _("骚扰辱骂")
    PRANK = "prank", _("恶作剧")


class CallerType(models.TextChoices):
    STUDENT = "student", _("学生")
    GUARDIAN = "guardian", _("家长/监护人")
    TEACHER = "teacher", _("教师")
    OTHER = "other", _("其他")


class Urgency(models.TextChoices):
    ROUTINE = "routine", _("一般")
    SOON = "soon", _("尽快处理")
    NOW = "now", _("立即处理")


class Risk(models.TextChoices):
    # The keys the alert rules grade (alerts/engine.py, source hotline_call).
    NONE = "none", _("无")
    LOW = "low", _("低")
    MEDIUM = "medium", _("中")
    HIGH = "high", _("高")
    IMMINENT = "imminent", _("紧急")


class Action(models.TextChoices):
    ADVICE = "advice", _("提供建议")
    APPOINTMENT = "appointment", _("提供预约")
    REFERRAL = "referral", _("转介")
    EMERGENCY = "emergency", _("已呼叫紧急服务")
    SCHOOL = "school", _("转告学校心理教师")


class Call(models.Model):
    region = models.ForeignKey("org.Region", on_delete=models.PROTECT, related_name="+")
    operator = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                 verbose_name=_("接线员"))
    started_at = models.DateTimeField(_("来电时间"))
    duration_minutes = models.PositiveSmallIntegerField(_("通话时长（分钟）"))
    channel = models.CharField(_("渠道"), max_length=10, choices=Channel.choices)
    call_type = models.CharField(_("来电类型"), max_length=12, choices=CallType.choices)
    caller_type = models.CharField(_("来电人"), max_length=10, choices=CallerType.choices)
    urgency = models.CharField(_("紧急程度"), max_length=10, choices=Urgency.choices, default=Urgency.ROUTINE)
    student = models.ForeignKey("people.Student", null=True, blank=True, on_delete=models.PROTECT,
                                related_name="hotline_calls", verbose_name=_("学生"))
    school = models.ForeignKey("org.School", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("学校"))
    caller_description = EncryptedTextField(_("来电人描述"), blank=True)
    topics = models.ManyToManyField(Topic, blank=True, related_name="calls", verbose_name=_("话题"))
    risk = models.CharField(_("风险评估"), max_length=10, choices=Risk.choices, default=Risk.NONE)
    actions = models.JSONField(_("采取的措施"), default=list, blank=True)  # Action keys
    raise_alert = models.BooleanField(_("发起预警"), default=False)
    notes = EncryptedTextField(_("接线记录"), blank=True)
    follow_up_of = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="follow_ups", verbose_name=_("首次来电"))
    callback_due_at = models.DateTimeField(_("回电期限"), null=True, blank=True)
    callback_done_at = models.DateTimeField(_("回电时间"), null=True, blank=True)
    callback_done_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                         related_name="+")
    callback_outcome = EncryptedTextField(_("回电结果"), blank=True)
    callback_reminded_at = models.DateTimeField(null=True, blank=True)  # the overdue reminder, sent once
    signal = models.ForeignKey("alerts.Signal", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey("cases.Case", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-started_at", "-id"]
        verbose_name = _("热线来电")
        verbose_name_plural = _("热线来电")
        indexes = [models.Index(fields=["region", "started_at"]),
                   models.Index(fields=["callback_done_at", "callback_due_at"])]

    def __str__(self) -> str:
        return f"#{self.pk} {self.started_at:%Y-%m-%d %H:%M}"

    @property
    def callback_open(self) -> bool:
        return self.callback_due_at is not None and self.callback_done_at is None

    @property
    def thread_root(self) -> "Call":
        return self.follow_up_of or self

    def action_labels(self) -> list[str]:
        labels = dict(Action.choices)
        return [str(labels[key]) for key in self.actions if key in labels]


class CallEvent(models.Model):
    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=30)  # logged, edited, callback_done, signal_raised, case_linked
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()
    detail = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["at", "id"]


class VisitOutcome(models.TextChoices):
    CONTINUE = "continue", _("继续来访")
    REFERRED = "referred", _("转介")
    SCHOOL = "school", _("转回学校跟进")
    CLOSED = "closed", _("结束来访")


class Visit(models.Model):
    """A family's visit to the city centre. A first visit (follow_up_of empty) stands for the family:
    its thread is open until a visit ends it (outcome "closed" or "referred")."""

    region = models.ForeignKey("org.Region", on_delete=models.PROTECT, related_name="+")
    visited_at = models.DateTimeField(_("来访时间"))
    counselor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                  verbose_name=_("接待咨询师"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    family_members = EncryptedTextField(_("来访家庭成员"))  # one "relation name" a line
    students = models.ManyToManyField("people.Student", blank=True, related_name="hotline_visits",
                                      verbose_name=_("学生"))
    unidentified_children = EncryptedTextField(_("未识别的孩子"), blank=True)
    presenting_concern = EncryptedTextField(_("来访原因"))
    topics = models.ManyToManyField(Topic, blank=True, related_name="visits", verbose_name=_("话题"))
    outcome = models.CharField(_("结果"), max_length=10, choices=VisitOutcome.choices)
    notes = EncryptedTextField(_("咨询记录"), blank=True)
    next_visit_on = models.DateField(_("下次来访日期"), null=True, blank=True)
    follow_up_of = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="follow_ups", verbose_name=_("首次来访"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-visited_at", "-id"]
        verbose_name = _("来访")
        verbose_name_plural = _("来访")
        indexes = [models.Index(fields=["region", "visited_at"]), models.Index(fields=["counselor", "next_visit_on"])]

    def __str__(self) -> str:
        return f"#{self.pk} {self.visited_at:%Y-%m-%d}"

    @property
    def thread_root(self) -> "Visit":
        return self.follow_up_of or self

    def family_lines(self) -> list[str]:
        return [line.strip() for line in self.family_members.splitlines() if line.strip()]


class VisitEvent(models.Model):
    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=30)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()
    detail = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["at", "id"]
