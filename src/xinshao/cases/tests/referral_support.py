"""Helpers for referral tests: a second agency with its own clinician, a case, consent, and a
referral brought to any state through the services (never by writing the state directly)."""
import datetime

from django.utils import timezone

from xinshao.accounts.models import RoleAssignment, User
from xinshao.accounts.roles import Role
from xinshao.cases.referrals import services as referrals
from xinshao.cases.models import Case, Referral, ReferralConsent
from xinshao.cases.services import case_open
from xinshao.org.models import PartnerAgency
from xinshao.partners.tests.support import agreement_in_force
from xinshao.testing import PASSWORD

R = Referral.State
REASON = "持续两周情绪低落，有自伤念头，需要专科评估。"


def second_agency(city) -> tuple[PartnerAgency, User]:
    """明州市第一人民医院 and 马医生, its clinician: the agency that must see nothing of the first.
    It has a service agreement with both schools, as the first agency has (conftest.py)."""
    agency = PartnerAgency.objects.create(name="明州市第一人民医院", kind="hospital", region=city.region)
    agreement_in_force(agency=agency, schools=[city.school_a, city.school_b], actor=city.bai)
    ma = User.objects.create_user(username="ma", password=PASSWORD, display_name="马医生")
    RoleAssignment.objects.create(user=ma, role=Role.CLINICIAN, agency=agency)
    return agency, ma


def open_case(city, *, student=None, actor=None, level="red") -> Case:
    return case_open(student=student or city.chen, level=level, reason="课堂上情绪崩溃，需要评估",
                     actor=actor or city.liu_a)


def consent(city, case: Case, *, agency=None, shares=False, actor=None) -> ReferralConsent:
    return referrals.consent_record(case=case, actor=actor or case.owner, agency=agency or city.agency,
                                    given_by="陈妈妈", relation="母亲", method=ReferralConsent.Method.SIGNED_FORM,
                                    given_on=timezone.localdate(), shares_diagnosis=shares)


def sent(city, case: Case | None = None, *, agency=None, shares=False, urgency="red", now=None) -> Referral:
    case = case or open_case(city)
    agency = agency or city.agency
    consent(city, case, agency=agency, shares=shares)
    return referrals.referral_send(case=case, actor=case.owner, agency=agency, urgency=urgency, reason=REASON,
                                   now=now)


def clinician_of(referral: Referral) -> User:
    return User.objects.filter(role_assignments__role=Role.CLINICIAN,
                               role_assignments__agency=referral.agency).order_by("id").first()


def referral_in(city, state: str, case: Case | None = None, *, agency=None, shares=False) -> Referral:
    """A referral brought to `state` the way people would: send, then each answer in turn."""
    referral = sent(city, case, agency=agency, shares=shares)
    clinician = clinician_of(referral)
    if state == R.SENT:
        return referral
    if state == R.DECLINED:
        return referrals.referral_decline(referral=referral, actor=clinician, reason="本机构儿童青少年门诊暂停接诊")
    referral = referrals.referral_accept(referral=referral, actor=clinician)
    if state == R.ACCEPTED:
        return referral
    referral = referrals.referral_seen(referral=referral, actor=clinician, seen_on=timezone.localdate())
    if state == R.SEEN:
        return referral
    referral = referrals.referral_feedback(referral=referral, actor=clinician, recommendations="建议学校减轻课业压力，每周随访",
                                           return_to_school="可以正常返校",
                                           diagnosis_summary="中度抑郁发作" if shares else "")
    if state == R.FEEDBACK_RECEIVED:
        return referral
    return referrals.referral_done(referral=referral, actor=referral.case.owner)


def day(offset: int = 0) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=offset)
