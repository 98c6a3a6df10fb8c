"""Writes for the guardian's referral consent beyond recording it on paper (services.py): asking
the guardian online and their answer, withdrawal, and the bureau psych centre's review of an
emergency referral sent without consent (docs/consent.md).

Each change is a CaseEvent with an audit entry (case_event_record); details carry ids, never text.
"""
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from xinshao.access import scopes
from xinshao.accounts.roles import Role
from xinshao.cases.models import Case, ConsentOverride, Referral, ReferralConsent, ReferralConsentRequest
from xinshao.cases.referrals.selectors import agencies_for_case
from xinshao.cases.referrals.services import SHORT_TEXT_MAX, agency_clinicians
from xinshao.cases.services import case_event_record, case_for_writing
from xinshao.core.checks import written_text
from xinshao.notifications.services import notify
from xinshao.notifications.texts import Text
from xinshao.org.models import PartnerAgency

EVENT_LABELS = {
    "referral_consent_asked": gettext_lazy("请监护人在线确认转介同意"),
    "referral_consent_answered": gettext_lazy("监护人在线答复了转介同意请求"),
    "referral_consent_withdrawn": gettext_lazy("监护人撤回了转介同意"),
    "referral_override_reviewed": gettext_lazy("教育局心理中心复核了未经同意的紧急转介"),
}


def _guardian_users(case: Case):
    return scopes.users_in_role(Role.GUARDIAN, guardian__students=case.student)


def _tell_owner(case: Case, subject: str) -> None:
    notify([case.owner], subject=Text(subject), body=Text(gettext_noop("请登录心哨查看个案中的转介同意。")),
           link=reverse("cases:detail", args=[case.pk]), urgent=False, topic="referral")


# --- asking online --------------------------------------------------------------------------

@transaction.atomic
def consent_request_send(*, case: Case, actor, agency: PartnerAgency, shares_diagnosis: bool = False, now=None,
                         request=None) -> ReferralConsentRequest:
    """Ask the student's guardians, on their own page, to consent to a referral to one agency."""
    now = now or timezone.now()
    case = case_for_writing(case, actor)
    if agency is None or not agencies_for_case(case).filter(pk=agency.pk).exists():
        raise ValidationError(_("请从本市的合作机构中选择拟转介的机构。"))
    if not _guardian_users(case).exists():
        raise ValidationError(_("这名学生的监护人还没有心哨账号，无法在线确认：请用纸质同意书，再记录转介同意。"))
    if case.consent_requests.filter(agency=agency, answered_at__isnull=True).exists():
        raise ValidationError(_("已经请监护人确认转介到%(agency)s，正在等待答复。") % {"agency": agency.name})
    asked = ReferralConsentRequest.objects.create(
        case=case, agency=agency, shares_diagnosis=bool(shares_diagnosis), written_by=actor, written_at=now,
        written_at_school_id=case.school_id)
    case_event_record(case=case, kind="referral_consent_asked", actor=actor, now=now, request=request,
                      consent_request=asked.pk, agency=agency.pk, shares_diagnosis=int(asked.shares_diagnosis))
    notify(_guardian_users(case), subject=Text(gettext_noop("学校请您确认一项转介")),
           body=Text(gettext_noop("学校的心理老师建议转介到专业机构，请登录心哨查看并答复。")),
           link=reverse("consent:student", args=[case.student_id]), urgent=False, topic="referral")
    return asked


@transaction.atomic
def consent_request_answer(*, consent_request: ReferralConsentRequest, actor, answer: str, now=None,
                           request=None) -> ReferralConsentRequest:
    """The guardian's answer online; "given" records a ReferralConsent with method "online"."""
    now = now or timezone.now()
    if not scopes.referral_consent_requests_for_guardian(actor).filter(pk=consent_request.pk).exists():
        raise ValidationError(_("只有学生的监护人可以答复。"))
    asked = ReferralConsentRequest.objects.select_for_update().select_related("case__student", "agency").get(
        pk=consent_request.pk)
    if asked.answered_at is not None:
        raise ValidationError(_("这项请求已经答复过了。如需撤回同意，请在下面的转介同意中撤回。"))
    if answer not in ReferralConsentRequest.Answer.values:
        raise ValidationError(_("请选择同意或不同意。"))
    case = asked.case
    if answer == ReferralConsentRequest.Answer.GIVEN:
        guardian = scopes.guardians_of(actor).filter(students=case.student).first()
        link = case.student.guardian_links.filter(guardian=guardian).first()
        asked.consent = ReferralConsent.objects.create(
            case=case, guardian=guardian, given_by=guardian.name, relation=(link.relation if link else "") or _("监护人"),
            method=ReferralConsent.Method.ONLINE, given_on=timezone.localdate(now), agency=asked.agency,
            shares_diagnosis=asked.shares_diagnosis, written_by=actor, written_at=now,
            written_at_school_id=case.school_id)
        case_event_record(case=case, kind="referral_consent_recorded", actor=actor, now=now, request=request,
                          consent=asked.consent.pk, agency=asked.agency_id, method=ReferralConsent.Method.ONLINE,
                          shares_diagnosis=int(asked.shares_diagnosis))
    asked.answer, asked.answered_by, asked.answered_at = answer, actor, now
    asked.save(update_fields=["answer", "answered_by", "answered_at", "consent"])
    case_event_record(case=case, kind="referral_consent_answered", actor=actor, now=now, request=request,
                      consent_request=asked.pk, answer=answer)
    _tell_owner(case, gettext_noop("监护人答复了转介同意请求"))
    return asked


# --- withdrawal -----------------------------------------------------------------------------

@transaction.atomic
def consent_withdraw(*, consent: ReferralConsent, actor, now=None, request=None) -> ReferralConsent:
    """Withdraw a referral consent: online by the guardian, or recorded by the case's psych teacher.
    From now on it covers no new referral and the agency may send no diagnosis back; the agency is
    told, and keeps only what it already received (docs/consent.md)."""
    now = now or timezone.now()
    if actor is None or not scopes.referral_consents_withdrawable_by(actor).filter(pk=consent.pk).exists():
        raise ValidationError(_("只有学生的监护人或本校的心理教师可以撤回这项同意。"))
    consent = ReferralConsent.objects.select_for_update(of=("self",)).select_related("case__student", "agency").get(
        pk=consent.pk)
    if consent.is_withdrawn:
        raise ValidationError(_("这项同意已经撤回了。"))
    by_guardian = scopes.can_withdraw_as_guardian(actor, consent)
    how = ReferralConsent.Withdrawal.ONLINE if by_guardian else ReferralConsent.Withdrawal.RECORDED
    consent.withdrawn_at, consent.withdrawn_by, consent.withdrawn_how = now, actor, how
    consent.save(update_fields=["withdrawn_at", "withdrawn_by", "withdrawn_how"])
    case = consent.case
    open_referrals = list(consent.referrals.filter(state__in=Referral.OPEN_STATES))
    case_event_record(case=case, kind="referral_consent_withdrawn", actor=actor, now=now, request=request,
                      consent=consent.pk, agency=consent.agency_id, how=how, open_referrals=len(open_referrals))
    for referral in open_referrals:
        notify(agency_clinicians(referral.agency), subject=Text(gettext_noop("监护人撤回了转介同意")),
               body=Text(gettext_noop("一项转介的监护人同意已撤回：学校不再提供新的信息，请不要再反馈诊断。请登录心哨查看。")),
               link=reverse("agency:detail", args=[referral.pk]), urgent=False, topic="referral")
    if by_guardian:
        _tell_owner(case, gettext_noop("监护人撤回了转介同意"))
    return consent


# --- review of emergency overrides ----------------------------------------------------------

@transaction.atomic
def override_review(*, override: ConsentOverride, actor, outcome: str, note: str = "", now=None,
                    request=None) -> ConsentOverride:
    """The bureau psych centre's review of an emergency referral sent without consent."""
    now = now or timezone.now()
    if not scopes.consent_overrides_visible_to(actor).filter(pk=override.pk).exists():
        raise ValidationError(_("只有教育局心理中心可以复核。"))
    override = ConsentOverride.objects.select_for_update(of=("self",)).select_related("referral__case").get(
        pk=override.pk)
    if override.reviewed_at is not None:
        raise ValidationError(_("这项紧急转介已经复核过了。"))
    if outcome not in ConsentOverride.Outcome.values:
        raise ValidationError({"outcome": _("请选择复核结论。")})
    note = written_text(note, what=_("复核意见"), minimum=0, maximum=SHORT_TEXT_MAX, required=False)
    if outcome == ConsentOverride.Outcome.NOT_JUSTIFIED and not note:
        raise ValidationError({"note": _("结论为理由不足时，请写明复核意见。")})
    override.reviewed_by, override.reviewed_at, override.outcome, override.review_note = actor, now, outcome, note
    override.save(update_fields=["reviewed_by", "reviewed_at", "outcome", "review_note"])
    case_event_record(case=override.referral.case, kind="referral_override_reviewed", actor=actor, now=now,
                      request=request, referral=override.referral_id, override=override.pk, outcome=outcome)
    return override
