"""Writes for referral (转介): the guardian's consent, sending a referral, and each answer.

The school side (the case's psych teachers: scopes.can_change_case) records consent, sends, and
marks a referral done once the agency's feedback is in. The agency side (clinicians of the
referral's agency: referrals_visible_to) accepts or declines, records the visit and sends
feedback. A referral moves only along REFERRAL_TRANSITIONS, and only its own side moves it.

The consent rule: no referral leaves the school without the guardian's recorded consent for
that same agency (not withdrawn), and the agency may send a diagnosis summary back only if that
consent says so. In an emergency a psych teacher may send without consent only with a written
reason (at least OVERRIDE_MIN_LENGTH characters): a ConsentOverride, reviewed later by the bureau
psych centre (cases/referrals/consents.py; docs/consent.md).
The agreement rule: a referral goes to an agency with a valid service agreement covering the
case's school (partners/), unless the referrer writes why it must go elsewhere (an emergency always
can); the reason is kept on the referral, in the event and the audit entry, and in the timeline.
Each change is recorded with case_event_record (a CaseEvent and an audit entry) and tells the
other side. Event details carry ids and states, never the written text; notifications never
name the student (they may leave the platform by SMS or e-mail).
"""
import datetime

from functools import partial

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from xinshao.access import scopes
from xinshao.accounts.roles import Role
from xinshao.alerts.models import Level
from xinshao.core.checks import written_text
from xinshao.cases.models import Case, ConsentOverride, Referral, ReferralConsent
from xinshao.cases.referrals.selectors import agencies_for_case
from xinshao.cases.services import TRANSITIONS, case_change_state, case_event_record, case_for_writing
from xinshao.notifications.services import notify
from xinshao.notifications.texts import Text
from xinshao.org.models import PartnerAgency
from xinshao.partners.selectors import agreement_covering
from xinshao.webhooks.models import Event as WebhookEvent
from xinshao.webhooks.services import referral_event_publish

R = Referral.State
# Which state a referral may move to from each state, and which side moves it there.
REFERRAL_TRANSITIONS: dict[str, set[str]] = {
    R.SENT: {R.ACCEPTED, R.DECLINED},
    R.ACCEPTED: {R.SEEN},
    R.SEEN: {R.FEEDBACK_RECEIVED},
    R.FEEDBACK_RECEIVED: {R.DONE},
    R.DECLINED: set(),
    R.DONE: set(),
}
AGENCY_SIDE = {R.ACCEPTED, R.DECLINED, R.SEEN, R.FEEDBACK_RECEIVED}
SCHOOL_SIDE = {R.DONE}

# How long the agency has to answer, by urgency.
RESPOND_WITHIN = {Level.RED: datetime.timedelta(days=1), Level.ORANGE: datetime.timedelta(days=3),
                  Level.YELLOW: datetime.timedelta(days=7)}
MIN_TEXT_LENGTH = 4
MAX_TEXT_LENGTH = 5000
NAME_MAX = 50
RELATION_MAX = 20
SHORT_TEXT_MAX = 300  # decline reason and return-to-school advice (plain columns of 300)
WITHOUT_AGREEMENT_MAX = 300
OVERRIDE_MIN_LENGTH = 20

# What each event kind of this module means, for the timeline and the case page.
EVENT_LABELS = {
    "referral_consent_recorded": gettext_lazy("记录了监护人的转介同意"),
    "referral_sent": gettext_lazy("发起了转介"),
    "referral_consent_overridden": gettext_lazy("未经监护人同意紧急转介（待教育局心理中心复核）"),
    "referral_accepted": gettext_lazy("机构接收了转介"),
    "referral_declined": gettext_lazy("机构未能接收转介"),
    "referral_seen": gettext_lazy("学生已到机构就诊"),
    "referral_feedback": gettext_lazy("机构发来了反馈"),
    "referral_done": gettext_lazy("转介已完成"),
}


# --- checks shared by every write -----------------------------------------------------------

_text = partial(written_text, minimum=MIN_TEXT_LENGTH, maximum=MAX_TEXT_LENGTH)


def _past_day(value, *, now, what, not_before: datetime.date | None = None) -> datetime.date:
    if not isinstance(value, datetime.date) or isinstance(value, datetime.datetime):
        raise ValidationError(_("请填写%(what)s。") % {"what": what})
    if value > timezone.localdate(now):
        raise ValidationError(_("%(what)s不能晚于今天。") % {"what": what})
    if not_before is not None and value < not_before:
        raise ValidationError(_("%(what)s不能早于转介发出的日期。") % {"what": what})
    return value


def _referral_for_agency(referral: Referral, actor) -> Referral:
    """The referral, locked, once the actor is a clinician of the agency it was sent to."""
    if actor is None or not scopes.referrals_visible_to(actor).filter(pk=referral.pk).exists():
        raise ValidationError(_("只有接收这项转介的机构可以处理它。"))
    return Referral.objects.select_for_update().get(pk=referral.pk)


def _referral_for_school(referral: Referral, actor) -> Referral:
    """The referral, locked, once the actor may change its case."""
    case_for_writing(referral.case, actor)
    return Referral.objects.select_for_update().get(pk=referral.pk)


def _require_move(referral: Referral, to_state: str) -> None:
    if to_state not in REFERRAL_TRANSITIONS.get(referral.state, set()):
        raise ValidationError(_("这项转介目前是“%(from)s”，不能改为“%(to)s”。") % {
            "from": referral.get_state_display(), "to": dict(R.choices).get(to_state, to_state)})


def _written(case: Case, actor, now) -> dict:
    return {"case": case, "written_by": actor, "written_at": now, "written_at_school_id": case.school_id}


# --- who is told ----------------------------------------------------------------------------

def agency_clinicians(agency: PartnerAgency):
    return scopes.users_in_role(Role.CLINICIAN, agency=agency)


def level_word(level: str) -> Text:
    """A level's name as a Text: the model's label in the source language is its message id."""
    with translation.override(settings.LANGUAGE_CODE):
        return Text(str(Level(level).label))


def _tell_agency(referral: Referral, subject: Text, body: Text) -> None:
    notify(agency_clinicians(referral.agency), subject=subject, body=body,
           link=reverse("agency:detail", args=[referral.pk]), urgent=referral.urgency != Level.YELLOW,
           topic="referral")


def _tell_school(referral: Referral, subject: str, *, urgent: bool = False) -> None:
    """The case owner hears of every answer; the link opens the case, where the referral is shown.
    `subject` is a message id (gettext_noop): the owner reads it in their own language."""
    case = referral.case
    body = Text(gettext_noop("%(agency)s 对本校的一项转介有了新进展。请登录心哨查看。"), {"agency": referral.agency.name})
    notify([case.owner], subject=Text(subject), body=body, link=reverse("cases:detail", args=[case.pk]), urgent=urgent,
           topic="referral")


# --- consent --------------------------------------------------------------------------------

@transaction.atomic
def consent_record(*, case: Case, actor, agency: PartnerAgency, given_by: str, relation: str, method: str,
                   given_on, shares_diagnosis: bool = False, guardian=None, now=None,
                   request=None) -> ReferralConsent:
    """Record the guardian's consent to refer the student to one agency (and, if given, to let
    that agency send a diagnosis summary back to the school)."""
    now = now or timezone.now()
    case = case_for_writing(case, actor)
    if agency is None or not agencies_for_case(case).filter(pk=agency.pk).exists():
        raise ValidationError(_("请从本市的合作机构中选择同意转介的机构。"))
    if guardian is not None:
        link = case.student.guardian_links.filter(guardian=guardian).first()
        if link is None:
            raise ValidationError(_("请从这名学生的监护人中选择。"))
        # The roster already knows the guardian: what is left blank is taken from it.
        given_by = given_by or guardian.name
        relation = relation or link.relation
    given_by = _text(given_by, what=_("同意人"), minimum=1, maximum=NAME_MAX)
    relation = _text(relation, what=_("与学生的关系"), minimum=1, maximum=RELATION_MAX)
    if method not in ReferralConsent.Method.values:
        raise ValidationError(_("请选择同意的方式。"))
    given_on = _past_day(given_on, now=now, what=_("同意日期"))
    consent = ReferralConsent.objects.create(
        guardian=guardian, given_by=given_by, relation=relation, method=method, given_on=given_on, agency=agency,
        shares_diagnosis=bool(shares_diagnosis), **_written(case, actor, now))
    case_event_record(case=case, kind="referral_consent_recorded", actor=actor, now=now, request=request,
                      consent=consent.pk, agency=agency.pk, method=method, shares_diagnosis=int(consent.shares_diagnosis))
    return consent


def consent_for(case: Case, agency: PartnerAgency) -> ReferralConsent | None:
    """The newest consent on this case that covers this agency and is not withdrawn."""
    return case.referral_consents.filter(agency=agency, withdrawn_at__isnull=True).order_by("-given_on", "-id").first()


# --- the school sends -----------------------------------------------------------------------

@transaction.atomic
def referral_send(*, case: Case, actor, agency: PartnerAgency, urgency: str, reason: str,
                  without_agreement_reason: str = "", override_reason: str = "", now=None,
                  request=None) -> Referral:
    """Send a referral to an agency the guardian consented to and that has a valid service agreement
    covering the case's school, or, without one, with `without_agreement_reason`; the case becomes
    "referred" when its state allows it, and the agency's clinicians are told."""
    now = now or timezone.now()
    case = case_for_writing(case, actor)
    if agency is None or not agencies_for_case(case).filter(pk=agency.pk).exists():
        raise ValidationError(_("请从本市的合作机构中选择转介机构。"))
    consent = consent_for(case, agency)
    if consent is None:
        override_reason = _override(override_reason, agency)
    if urgency not in RESPOND_WITHIN:
        raise ValidationError(_("请选择紧急程度。"))
    reason = _text(reason, what=_("转介原因"))
    agreement = agreement_covering(school=case.school, agency=agency, today=timezone.localdate(now))
    if agreement is None:
        without_agreement_reason = _without_agreement(without_agreement_reason, agency)
    else:
        without_agreement_reason = ""
    if case.referrals.filter(agency=agency, state__in=Referral.OPEN_STATES).exists():
        raise ValidationError(_("这个个案已有一项转介到%(agency)s的转介正在进行，请在原转介中继续。")
                              % {"agency": agency.name})
    referral = Referral.objects.create(agency=agency, consent=consent, urgency=urgency, reason=reason,
                                       without_agreement_reason=without_agreement_reason,
                                       respond_by=now + RESPOND_WITHIN[urgency], **_written(case, actor, now))
    referral_event_publish(referral=referral, event=WebhookEvent.REFERRAL_SENT, now=now)
    case_event_record(case=case, kind="referral_sent", actor=actor, now=now, request=request,
                      referral=referral.pk, agency=agency.pk, urgency=urgency,
                      **({"consent": consent.pk} if consent else {"without_consent": 1}),
                      **({"agreement": agreement.pk} if agreement else {"without_agreement": 1}))
    if consent is None:
        override = ConsentOverride.objects.create(referral=referral, reason=override_reason)
        case_event_record(case=case, kind="referral_consent_overridden", actor=actor, now=now, request=request,
                          referral=referral.pk, agency=agency.pk, override=override.pk)
    if Case.State.REFERRED in TRANSITIONS.get(case.state, set()):
        case_change_state(case=case, to_state=Case.State.REFERRED, actor=actor, now=now, request=request,
                          system_reason=Text(gettext_noop("已转介至%(agency)s"), {"agency": agency.name}))
    due = timezone.localtime(referral.respond_by).strftime("%m-%d %H:%M")
    _tell_agency(referral, Text(gettext_noop("新的转介（%(urgency)s）"), {"urgency": level_word(referral.urgency)}),
                 Text(gettext_noop("%(school)s 向贵机构转介了一名学生，请在 %(due)s 前回复是否接收。请登录心哨查看。"),
                      {"school": case.school.name, "due": due}))
    return referral


def no_agreement_refusal(agency: PartnerAgency) -> str:
    return _("%(agency)s与本校没有有效的服务协议。请选择有协议的机构；如确需转介到这里（例如情况紧急），"
             "请写明原因。") % {"agency": agency.name}


def no_consent_refusal(agency: PartnerAgency) -> str:
    return _("还没有监护人同意转介到%(agency)s的记录（或同意已撤回）：请先取得监护人的同意。只有情况紧急、"
             "等不及监护人同意时，才可以写明原因（至少 %(n)d 字）直接转介；原因会被记录，并由教育局心理中心事后复核。") % {
        "agency": agency.name, "n": OVERRIDE_MIN_LENGTH}


def _override(reason, agency: PartnerAgency) -> str:
    """The referrer's written reason for an emergency referral without consent, or the refusal."""
    reason = reason.strip() if isinstance(reason, str) else ""
    if not reason:
        raise ValidationError({"override_reason": no_consent_refusal(agency)})
    try:
        return _text(reason, what=_("未经同意紧急转介的原因"), minimum=OVERRIDE_MIN_LENGTH)
    except ValidationError as error:
        raise ValidationError({"override_reason": error.messages}) from None


def _without_agreement(reason, agency: PartnerAgency) -> str:
    """The referrer's reason for sending to an agency with no valid agreement for the school, or the refusal."""
    reason = reason.strip() if isinstance(reason, str) else ""
    if not reason:
        raise ValidationError({"without_agreement_reason": no_agreement_refusal(agency)})
    try:
        return _text(reason, what=_("无协议仍转介的原因"), maximum=WITHOUT_AGREEMENT_MAX)
    except ValidationError as error:
        raise ValidationError({"without_agreement_reason": error.messages}) from None


@transaction.atomic
def referral_done(*, referral: Referral, actor, now=None, request=None) -> Referral:
    """The school has read the agency's feedback and takes it from here."""
    now = now or timezone.now()
    referral = _referral_for_school(referral, actor)
    _require_move(referral, R.DONE)
    referral.state, referral.done_at = R.DONE, now
    referral.save(update_fields=["state", "done_at"])
    case_event_record(case=referral.case, kind="referral_done", actor=actor, now=now, request=request,
                      referral=referral.pk)
    _tell_agency(referral, Text(gettext_noop("转介已完成")),
                 Text(gettext_noop("%(school)s 已确认收到反馈，这项转介已完成。谢谢！"), {"school": referral.case.school.name}))
    return referral


# --- the agency answers ---------------------------------------------------------------------

def _answered(referral: Referral, actor, now, kind: str, request, **detail) -> None:
    case_event_record(case=referral.case, kind=kind, actor=actor, now=now, request=request,
                      referral=referral.pk, agency=referral.agency_id, **detail)


@transaction.atomic
def referral_accept(*, referral: Referral, actor, now=None, request=None) -> Referral:
    now = now or timezone.now()
    referral = _referral_for_agency(referral, actor)
    _require_move(referral, R.ACCEPTED)
    referral.state, referral.answered_by, referral.answered_at = R.ACCEPTED, actor, now
    referral.save(update_fields=["state", "answered_by", "answered_at"])
    _answered(referral, actor, now, "referral_accepted", request)
    referral_event_publish(referral=referral, event=WebhookEvent.REFERRAL_ACCEPTED, now=now)
    _tell_school(referral, gettext_noop("转介已被机构接收"))
    return referral


@transaction.atomic
def referral_decline(*, referral: Referral, actor, reason: str, now=None, request=None) -> Referral:
    """Decline with a reason; the school must find another way at once, so an urgent referral's
    owner hears of it urgently."""
    now = now or timezone.now()
    referral = _referral_for_agency(referral, actor)
    _require_move(referral, R.DECLINED)
    reason = _text(reason, what=_("不能接收的原因"), maximum=SHORT_TEXT_MAX)
    referral.state, referral.answered_by, referral.answered_at = R.DECLINED, actor, now
    referral.decline_reason = reason
    referral.save(update_fields=["state", "answered_by", "answered_at", "decline_reason"])
    _answered(referral, actor, now, "referral_declined", request)
    referral_event_publish(referral=referral, event=WebhookEvent.REFERRAL_DECLINED, now=now)
    _tell_school(referral, gettext_noop("转介未被机构接收，请另行安排"), urgent=referral.urgency != Level.YELLOW)
    return referral


@transaction.atomic
def referral_seen(*, referral: Referral, actor, seen_on, now=None, request=None) -> Referral:
    now = now or timezone.now()
    referral = _referral_for_agency(referral, actor)
    _require_move(referral, R.SEEN)
    referral.seen_on = _past_day(seen_on, now=now, what=_("就诊日期"),
                                 not_before=timezone.localdate(referral.written_at))
    referral.state = R.SEEN
    referral.save(update_fields=["state", "seen_on"])
    _answered(referral, actor, now, "referral_seen", request, seen_on=referral.seen_on.isoformat())
    _tell_school(referral, gettext_noop("学生已到转介机构就诊"))
    return referral


@transaction.atomic
def referral_feedback(*, referral: Referral, actor, recommendations: str, diagnosis_summary: str = "",
                      return_to_school: str = "", now=None, request=None) -> Referral:
    """The agency's feedback. A diagnosis summary is refused unless the guardian's consent lets
    the agency share it with the school."""
    now = now or timezone.now()
    referral = _referral_for_agency(referral, actor)
    _require_move(referral, R.FEEDBACK_RECEIVED)
    summary = _text(diagnosis_summary, what=_("诊断摘要"), required=False)
    if summary and not referral.may_share_diagnosis:
        raise ValidationError(_("监护人没有同意把诊断摘要反馈给学校：请不要填写诊断摘要，只写给学校的建议。"))
    referral.diagnosis_summary = summary
    referral.recommendations = _text(recommendations, what=_("给学校的建议"))
    referral.return_to_school = _text(return_to_school, what=_("返校建议"), maximum=SHORT_TEXT_MAX, required=False)
    referral.state, referral.feedback_at = R.FEEDBACK_RECEIVED, now
    referral.save(update_fields=["state", "diagnosis_summary", "recommendations", "return_to_school",
                                 "feedback_at"])
    _answered(referral, actor, now, "referral_feedback", request, with_diagnosis=int(bool(summary)))
    referral_event_publish(referral=referral, event=WebhookEvent.REFERRAL_FEEDBACK, now=now)
    _tell_school(referral, gettext_noop("转介机构发来了反馈"))
    return referral
