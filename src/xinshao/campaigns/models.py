"""Screening campaigns (测评任务): who answers which instruments when, and what they answered.

A Campaign holds a battery of instruments and its targets; every respondent gets one
Assignment with a one-campaign access code; a finished questionnaire is one Submission
(stored once per idempotency key) with one InstrumentResult per instrument, scored by the
engine and stamped with the definition version used.
"""
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from xinshao.core.crypto import EncryptedTextField
from xinshao.org.grades import LEVEL_CHOICES


class Campaign(models.Model):
    class Audience(models.TextChoices):
        STUDENTS = "students", _("学生")
        TEACHERS = "teachers", _("教师")

    class Status(models.TextChoices):
        DRAFT = "draft", _("草稿")
        OPEN = "open", _("进行中")
        PAUSED = "paused", _("已暂停")
        CLOSED = "closed", _("已结束")

    class ConsentRule(models.TextChoices):
        NOT_REQUIRED = "not_required", _("无需监护人同意")
        OPT_IN = "opt_in", _("监护人同意后参加")
        OPT_OUT = "opt_out", _("监护人未拒绝即参加")

    class Feedback(models.TextChoices):
        THANKS = "thanks", _("只显示感谢")
        SUPPORTIVE = "supportive", _("显示简短、温和的反馈")

    name = models.CharField(_("名称"), max_length=100)
    instructions = models.TextField(_("给答题人的说明"), blank=True)
    audience = models.CharField(_("对象"), max_length=10, choices=Audience.choices)
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    consent_rule = models.CharField(_("知情同意"), max_length=15, choices=ConsentRule.choices)
    feedback = models.CharField(_("结束后显示"), max_length=15, choices=Feedback.choices, default=Feedback.THANKS)
    # Owner: the bureau (a region, city-wide) or one school (its own students or teachers).
    region = models.ForeignKey("org.Region", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    school = models.ForeignKey("org.School", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    term = models.ForeignKey("org.Term", on_delete=models.PROTECT, related_name="campaigns", verbose_name=_("学期"))
    opens_at = models.DateTimeField(_("开始时间"))
    closes_at = models.DateTimeField(_("结束时间"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-opens_at", "id"]
        verbose_name = _("测评任务")
        verbose_name_plural = _("测评任务")
        constraints = [
            models.CheckConstraint(condition=models.Q(closes_at__gt=models.F("opens_at")), name="campaign_closes_after_open"),
            models.CheckConstraint(
                condition=models.Q(region__isnull=False, school__isnull=True) | models.Q(region__isnull=True, school__isnull=False),
                name="campaign_owned_by_region_or_school",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class BatteryInstrument(models.Model):
    """One instrument of a campaign's battery, for respondents within an age range."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="battery")
    instrument_id = models.CharField(_("量表"), max_length=40)
    instrument_version = models.CharField(_("版本"), max_length=20)
    position = models.PositiveSmallIntegerField(_("顺序"))
    min_age = models.PositiveSmallIntegerField(_("最小年龄"), null=True, blank=True)
    max_age = models.PositiveSmallIntegerField(_("最大年龄"), null=True, blank=True)

    class Meta:
        ordering = ["campaign", "position"]
        constraints = [models.UniqueConstraint(fields=["campaign", "position"], name="battery_position_unique")]


class CampaignTarget(models.Model):
    """Who is asked: a whole school, one grade level of it, or one class."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="targets")
    school = models.ForeignKey("org.School", on_delete=models.PROTECT, related_name="+")
    level = models.CharField(_("年级"), max_length=2, choices=LEVEL_CHOICES, blank=True)
    school_class = models.ForeignKey("org.SchoolClass", null=True, blank=True, on_delete=models.PROTECT, related_name="+")


class CampaignEvent(models.Model):
    """Every change of a campaign's state, with who, when and why."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=30)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)
    reason = EncryptedTextField(blank=True)  # a person's words (pausing, closing): never in `detail`
    detail = models.JSONField(default=dict, blank=True)  # counts and times: nothing a person typed

    class Meta:
        ordering = ["at", "id"]


class ConsentRecord(models.Model):
    """A guardian's decision for one student in one campaign; the newest one counts. Records are
    never changed: together they are the consent's history (who, when, how, which decision).
    A refusal that ends the student's taking part is a withdrawal (docs/consent.md)."""

    class Decision(models.TextChoices):
        GRANTED = "granted", _("同意")
        REFUSED = "refused", _("拒绝")

    class Method(models.TextChoices):
        PAPER = "paper", _("纸质回执，学校登记")
        ONLINE = "online", _("监护人在线确认")

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="consents")
    student = models.ForeignKey("people.Student", on_delete=models.CASCADE, related_name="consents")
    decision = models.CharField(_("决定"), max_length=10, choices=Decision.choices)
    guardian = models.ForeignKey("people.Guardian", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)
    note = EncryptedTextField(_("说明"), max_length=200, blank=True)
    method = models.CharField(_("方式"), max_length=10, choices=Method.choices, default=Method.PAPER)
    # Set on a refusal that ended the student's taking part (granted before, or opt-out by default).
    withdraws = models.BooleanField(_("撤回同意"), default=False)

    class Meta:
        ordering = ["campaign", "student", "-recorded_at", "-id"]


class Assignment(models.Model):
    """One respondent in one campaign, reached through a one-campaign access code."""

    class Status(models.TextChoices):
        NOT_STARTED = "not_started", _("未开始")
        IN_PROGRESS = "in_progress", _("答题中")
        SUBMITTED = "submitted", _("已提交")

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="assignments")
    student = models.ForeignKey("people.Student", null=True, blank=True, on_delete=models.PROTECT, related_name="assignments")
    teacher = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="assignments")
    # The code is looked up by its keyed digest; the code itself is kept encrypted so sheets can be reprinted.
    code_digest = models.CharField(max_length=64, unique=True)
    code = EncryptedTextField()
    status = models.CharField(_("状态"), max_length=15, choices=Status.choices, default=Status.NOT_STARTED)
    # Answers given so far, so a respondent can pause and resume on another device.
    draft = models.JSONField(default=dict, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["campaign", "student"], name="assignment_one_per_student"),
            models.UniqueConstraint(fields=["campaign", "teacher"], name="assignment_one_per_teacher"),
            models.CheckConstraint(
                condition=models.Q(student__isnull=False, teacher__isnull=True) | models.Q(student__isnull=True, teacher__isnull=False),
                name="assignment_student_or_teacher",
            ),
        ]
        indexes = [models.Index(fields=["campaign", "status"])]


class Submission(models.Model):
    """A finished questionnaire as received: stored once per idempotency key."""

    assignment = models.OneToOneField(Assignment, on_delete=models.PROTECT, related_name="submission")
    idempotency_key = models.UUIDField(unique=True)
    answers = models.JSONField()          # {instrument_id: [value or null, ...]} in item order
    item_seconds = models.JSONField()     # {instrument_id: [seconds per item, ...]}
    received_at = models.DateTimeField()


class InstrumentResult(models.Model):
    """The engine's result for one instrument of one submission, with the definition version used."""

    submission = models.ForeignKey(Submission, on_delete=models.PROTECT, related_name="results")
    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="+")
    student = models.ForeignKey("people.Student", null=True, on_delete=models.PROTECT, related_name="results")
    teacher = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    instrument_id = models.CharField(max_length=40)
    instrument_version = models.CharField(max_length=20)
    total = models.FloatField(null=True)
    band = models.CharField(max_length=40, blank=True)
    valid = models.BooleanField()
    has_critical_flag = models.BooleanField(default=False, db_index=True)
    outcome = models.JSONField()  # the engine's whole result: subscales, flags, validity, errors
    # Written with the result, in its transaction, and cleared by early warning (alerts/screening.py)
    # in the transaction that makes the result's signals: set means "not yet turned into signals",
    # so no crash between the two can lose a result. Default set, so a result stored any other
    # way is still picked up; a teacher's result is stored unset (it raises no alert).
    signals_pending = models.BooleanField(default=True)

    class Meta:
        indexes = [
            models.Index(fields=["campaign", "instrument_id"]),
            # Only the few pending rows: the sweep's "next pending ones, in order" stays cheap.
            models.Index(fields=["id"], condition=models.Q(signals_pending=True), name="result_signals_pending"),
        ]


class HelpRequest(models.Model):
    """A teacher who took a well-being survey asks for help: only then does anyone (the bureau's
    psych centre) see that teacher's result."""

    assignment = models.OneToOneField(Assignment, on_delete=models.PROTECT, related_name="help_request")
    message = EncryptedTextField(_("想说的话"), blank=True)
    contact = EncryptedTextField(_("联系方式"), max_length=50, blank=True)
    requested_at = models.DateTimeField(auto_now_add=True)
