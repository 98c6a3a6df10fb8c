"""Case management (个案): the closed loop after a warning — intervention, referral, follow-up, closure.

A Case belongs to one student (one open case at a time) and to the school that holds it now
(`school` changes when the student transfers; `Handover` records it). Everything written in a
case keeps the school it was written at (`written_at_school`), so after a transfer the old
school still sees what it wrote and nothing else. Every change is a CaseEvent: who, when, why.
Free text about the student is encrypted at rest.
"""
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from xinshao.alerts.models import Level
from xinshao.core.crypto import EncryptedTextField
from xinshao.notifications.texts import text_worded


class Case(models.Model):
    class State(models.TextChoices):
        ASSESSING = "assessing", _("评估中")
        INTERVENING = "intervening", _("干预中")
        REFERRED = "referred", _("已转介")
        FOLLOWING_UP = "following_up", _("回访中")
        CLOSED = "closed", _("已结案")

    student = models.ForeignKey("people.Student", on_delete=models.PROTECT, related_name="cases")
    school = models.ForeignKey("org.School", on_delete=models.PROTECT, related_name="+")
    level = models.CharField(_("风险等级"), max_length=10, choices=Level.choices)
    state = models.CharField(_("状态"), max_length=15, choices=State.choices, default=State.ASSESSING)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="owned_cases",
                              verbose_name=_("负责人"))
    opening_reason = EncryptedTextField(_("立案原因"), max_length=300)
    alerts = models.ManyToManyField("alerts.Alert", blank=True, related_name="cases")
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    opened_at = models.DateTimeField()
    closure_review = EncryptedTextField(_("结案评估"), blank=True)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="+")
    closed_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("个案")
        verbose_name_plural = _("个案")
        ordering = ["-opened_at"]
        constraints = [
            models.UniqueConstraint(fields=["student"], condition=~Q(state="closed"), name="case_one_open_per_student"),
        ]
        indexes = [models.Index(fields=["school", "state"]), models.Index(fields=["level", "state"])]

    def __str__(self) -> str:
        return f"{self.student_id} {self.get_state_display()}"

    @property
    def is_open(self) -> bool:
        return self.state != self.State.CLOSED


class CaseTeamMember(models.Model):
    """The people who work on a case with its owner: the student's class teacher, other psych staff.
    Membership lets one open the case. School leaders are no members: they read the school's red
    cases by level (scopes.cases_visible_to), so a yellow case stays with those who work on it."""

    class Part(models.TextChoices):
        PSYCH_TEACHER = "psych_teacher", _("心理教师")
        CLASS_TEACHER = "class_teacher", _("班主任")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="team")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="case_memberships")
    part = models.CharField(_("角色"), max_length=20, choices=Part.choices)
    added_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["case", "user"], name="case_team_member_unique")]


class CaseEvent(models.Model):
    """Every change of a case and of what is in it: who, when, what, why."""
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=40)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()
    reason = EncryptedTextField(max_length=500, blank=True)
    detail = models.JSONField(default=dict, blank=True)
    written_at_school = models.ForeignKey("org.School", on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["at", "id"]

    @property
    def reason_text(self) -> str:
        """The reason in the reader's language: one the system wrote is kept as a Text
        (services.case_event_record) and worded now; a person's reason, and rows from before, as written."""
        stored = self.detail.get("reason_text")
        return text_worded(stored) if stored else self.reason


class CaseRecord(models.Model):
    """What every piece written into a case has: its case, author, when, and the school it was written at."""
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="+")
    written_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    written_at = models.DateTimeField()
    written_at_school = models.ForeignKey("org.School", on_delete=models.PROTECT, related_name="+")

    class Meta:
        abstract = True


class CounsellingSession(CaseRecord):
    """One counselling session. Its notes are private: the owner, the team's psych staff and the
    bureau psych centre read them, and each read is audited."""

    class Kind(models.TextChoices):
        INDIVIDUAL = "individual", _("个别辅导")
        GROUP = "group", _("团体辅导")
        FAMILY = "family", _("家庭会谈")
        CRISIS = "crisis", _("危机干预")

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="sessions")
    held_at = models.DateTimeField(_("时间"))
    kind = models.CharField(_("形式"), max_length=15, choices=Kind.choices)
    minutes = models.PositiveSmallIntegerField(_("时长（分钟）"))
    private_notes = EncryptedTextField(_("辅导记录（保密）"))

    class Meta:
        ordering = ["held_at", "id"]


class SafetyPlan(CaseRecord):
    """The student's safety plan; a new version is a new row, the newest is the plan in force."""
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="safety_plans")
    warning_signs = EncryptedTextField(_("预警信号（自己能察觉的迹象）"))
    coping_steps = EncryptedTextField(_("自我调节方法"))
    people_to_contact = EncryptedTextField(_("可以联系的人"))
    professional_help = EncryptedTextField(_("专业求助方式"))
    means_safety = EncryptedTextField(_("环境安全措施"), blank=True)

    class Meta:
        ordering = ["written_at", "id"]


class GuardianContact(CaseRecord):
    """A contact with the student's guardian and what was said."""

    class Method(models.TextChoices):
        PHONE = "phone", _("电话")
        MEETING = "meeting", _("面谈")
        HOME_VISIT = "home_visit", _("家访")
        MESSAGE = "message", _("消息")

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="guardian_contacts")
    guardian = models.ForeignKey("people.Guardian", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    contacted_at = models.DateTimeField(_("时间"))
    method = models.CharField(_("方式"), max_length=15, choices=Method.choices)
    what_was_said = EncryptedTextField(_("沟通内容"))

    class Meta:
        ordering = ["contacted_at", "id"]


class AgreedAction(CaseRecord):
    """An action agreed in the case, with who does it and by when."""
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="actions")
    description = EncryptedTextField(_("措施"), max_length=300)
    assignee = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                 verbose_name=_("负责人"))
    due_on = models.DateField(_("完成期限"))
    done_at = models.DateTimeField(null=True, blank=True)
    done_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                related_name="+")

    class Meta:
        ordering = ["due_on", "id"]


class ReferralConsent(CaseRecord):
    """The guardian's consent to refer the student and share the case with an agency."""

    class Method(models.TextChoices):
        SIGNED_FORM = "signed_form", _("书面签字")
        IN_PERSON = "in_person", _("当面口头同意（有记录）")
        PHONE_RECORDED = "phone_recorded", _("电话同意（有录音）")
        ONLINE = "online", _("监护人在线同意")

    class Withdrawal(models.TextChoices):
        ONLINE = "online", _("监护人在线撤回")
        RECORDED = "recorded", _("监护人告知学校撤回，学校登记")

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="referral_consents")
    guardian = models.ForeignKey("people.Guardian", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    given_by = models.CharField(_("同意人"), max_length=50)
    relation = models.CharField(_("与学生关系"), max_length=20)
    method = models.CharField(_("方式"), max_length=20, choices=Method.choices)
    given_on = models.DateField(_("日期"))
    agency = models.ForeignKey("org.PartnerAgency", on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("同意转介的机构"))
    shares_diagnosis = models.BooleanField(_("同意机构把诊断摘要反馈给学校"), default=False)
    # A withdrawn consent covers no new referral and no further sharing (docs/consent.md).
    withdrawn_at = models.DateTimeField(_("撤回时间"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+")
    withdrawn_how = models.CharField(_("撤回方式"), max_length=10, choices=Withdrawal.choices, blank=True)

    @property
    def is_withdrawn(self) -> bool:
        return self.withdrawn_at is not None


class ReferralConsentRequest(CaseRecord):
    """The school asks the guardian online to consent to a referral to one agency; the guardian
    answers on their own page, and a consent given there is a ReferralConsent with method "online"."""

    class Answer(models.TextChoices):
        GIVEN = "given", _("同意")
        DECLINED = "declined", _("不同意")

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="consent_requests")
    agency = models.ForeignKey("org.PartnerAgency", on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("拟转介的机构"))
    shares_diagnosis = models.BooleanField(_("请监护人同时同意机构把诊断摘要反馈给学校"), default=False)
    answer = models.CharField(_("答复"), max_length=10, choices=Answer.choices, blank=True)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    answered_at = models.DateTimeField(null=True, blank=True)
    consent = models.OneToOneField(ReferralConsent, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="request")

    class Meta:
        ordering = ["-written_at", "-id"]


class Referral(CaseRecord):
    class State(models.TextChoices):
        SENT = "sent", _("已发送")
        ACCEPTED = "accepted", _("已接收")
        DECLINED = "declined", _("已拒绝")
        SEEN = "seen", _("已就诊")
        FEEDBACK_RECEIVED = "feedback_received", _("已反馈")
        DONE = "done", _("已完成")

    OPEN_STATES = (State.SENT, State.ACCEPTED, State.SEEN, State.FEEDBACK_RECEIVED)

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="referrals")
    agency = models.ForeignKey("org.PartnerAgency", on_delete=models.PROTECT, related_name="referrals",
                               verbose_name=_("转介机构"))
    # None only for an emergency sent without consent: then its ConsentOverride says why.
    consent = models.ForeignKey(ReferralConsent, null=True, blank=True, on_delete=models.PROTECT,
                                related_name="referrals")
    state = models.CharField(_("状态"), max_length=20, choices=State.choices, default=State.SENT)
    urgency = models.CharField(_("紧急程度"), max_length=10, choices=Level.choices)
    reason = EncryptedTextField(_("转介原因与需要机构知道的情况"))
    # Why it went to an agency with no valid service agreement for the school (partners/); empty when it had one.
    without_agreement_reason = EncryptedTextField(_("无有效服务协议仍转介的原因"), max_length=300, blank=True)
    respond_by = models.DateTimeField(_("回复期限"))
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    answered_at = models.DateTimeField(null=True, blank=True)
    decline_reason = EncryptedTextField(_("拒绝原因"), max_length=300, blank=True)
    seen_on = models.DateField(_("就诊日期"), null=True, blank=True)
    diagnosis_summary = EncryptedTextField(_("诊断摘要"), blank=True)
    recommendations = EncryptedTextField(_("建议"), blank=True)
    return_to_school = EncryptedTextField(_("返校建议"), max_length=300, blank=True)
    feedback_at = models.DateTimeField(null=True, blank=True)
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["written_at", "id"]
        indexes = [models.Index(fields=["agency", "state"])]

    @property
    def is_open(self) -> bool:
        return self.state in self.OPEN_STATES

    @property
    def may_share_diagnosis(self) -> bool:
        """The agency may send a diagnosis summary back: the guardian's consent says so and stands."""
        return self.consent is not None and self.consent.shares_diagnosis and not self.consent.is_withdrawn


class ConsentOverride(models.Model):
    """An emergency referral sent without the guardian's consent: the referrer's written reason,
    and the bureau psych centre's later review of it (reviewer, date, outcome)."""

    class Outcome(models.TextChoices):
        JUSTIFIED = "justified", _("理由充分")
        NOT_JUSTIFIED = "not_justified", _("理由不足，需要改进")

    referral = models.OneToOneField(Referral, on_delete=models.PROTECT, related_name="consent_override")
    reason = EncryptedTextField(_("未经监护人同意紧急转介的原因"))
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    reviewed_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(_("复核结论"), max_length=15, choices=Outcome.choices, blank=True)
    review_note = EncryptedTextField(_("复核意见"), max_length=300, blank=True)

    class Meta:
        indexes = [models.Index(fields=["reviewed_at"])]


class FollowUp(CaseRecord):
    """A planned follow-up (回访); done with an outcome, or waived with a reason."""

    class State(models.TextChoices):
        PLANNED = "planned", _("待回访")
        DONE = "done", _("已回访")
        WAIVED = "waived", _("已免除")

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="follow_ups")
    due_on = models.DateField(_("回访日期"))
    state = models.CharField(_("状态"), max_length=10, choices=State.choices, default=State.PLANNED)
    outcome = EncryptedTextField(_("回访结果"), blank=True)
    waived_reason = EncryptedTextField(_("免除原因"), max_length=300, blank=True)
    completed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+")
    completed_at = models.DateTimeField(null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)  # the owner was reminded (once per follow-up)

    class Meta:
        ordering = ["due_on", "id"]
        indexes = [models.Index(fields=["state", "due_on"])]


class Handover(models.Model):
    """A case passing to a student's new school, with the note for the receiving psych teacher."""
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="handovers")
    from_school = models.ForeignKey("org.School", on_delete=models.PROTECT, related_name="+")
    to_school = models.ForeignKey("org.School", on_delete=models.PROTECT, related_name="+")
    from_owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    to_owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    note = EncryptedTextField(_("交接说明"))
    handed_over_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    handed_over_at = models.DateTimeField()
