"""Guardian consent per student per purpose (docs/consent.md): who may give, record and withdraw
it, what a withdrawal does, emergency referrals without consent and their review, and the
per-student overview. Every change leaves a history row and an audit entry."""
import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from xinshao.audit.models import AuditEntry
from xinshao.campaigns.models import Assignment, ConsentRecord
from xinshao.campaigns.services import consent_record
from xinshao.campaigns.submissions import assignment_refusal
from xinshao.cases.models import CaseEvent, ConsentOverride, Referral, ReferralConsent, ReferralConsentRequest
from xinshao.cases.referrals import consents, services as referrals
from xinshao.cases.tests.referral_support import REASON, consent, open_case

FAMILY = reverse("campaigns:family")
URGENT = "学生刚才说今晚要结束生命，监护人电话一直打不通，必须立即送医。"


def _assignment(campaign, student) -> Assignment:
    return Assignment.objects.get(campaign=campaign, student=student)


# --- screening ------------------------------------------------------------------------------

def test_a_guardian_gives_and_withdraws_online_and_the_child_is_not_screened_from_then_on(city, client_as, opt_in):
    assignment = _assignment(opt_in, city.chen)
    assert assignment_refusal(assignment) == "not_taking_part"
    client = client_as(city.chen_ma_user)
    client.post(FAMILY, {"campaign": opt_in.pk, "student": city.chen.pk, "decision": "granted"})
    assert assignment_refusal(assignment) is None
    Assignment.objects.filter(pk=assignment.pk).update(status=Assignment.Status.IN_PROGRESS, draft={"phqa": [1, 2]})

    page = client.post(FAMILY, {"campaign": opt_in.pk, "student": city.chen.pk, "decision": "refused"},
                       follow=True).content.decode()

    assignment.refresh_from_db()
    assert assignment_refusal(assignment) == "not_taking_part"
    assert (assignment.status, assignment.draft) == (Assignment.Status.NOT_STARTED, {})
    assert "未获监护人同意，不参加本次测评。" in page and "撤回同意" in page
    history = list(ConsentRecord.objects.filter(campaign=opt_in, student=city.chen)
                   .order_by("id").values_list("decision", "method", "withdraws", "recorded_by__username"))
    assert history == [("granted", "online", False, "chen_ma"), ("refused", "online", True, "chen_ma")]
    entries = AuditEntry.objects.filter(action="campaign.consent", student_id=city.chen.pk).order_by("id")
    assert [(e.detail["withdraws"], e.detail["drafts_discarded"]) for e in entries] == [(0, 0), (1, 1)]


def test_staff_record_a_paper_withdrawal_and_submitted_answers_are_kept(city, opt_in):
    consent_record(campaign=opt_in, student=city.chen, decision="granted", recorded_by=city.liu_a)
    Assignment.objects.filter(campaign=opt_in, student=city.chen).update(status=Assignment.Status.SUBMITTED)
    record = consent_record(campaign=opt_in, student=city.chen, decision="refused", recorded_by=city.liu_a)
    assert (record.method, record.withdraws) == ("paper", True)
    assert _assignment(opt_in, city.chen).status == Assignment.Status.SUBMITTED


def test_a_guardian_decides_for_their_own_child_only(city, client_as, opt_in):
    response = client_as(city.chen_ma_user).post(
        FAMILY, {"campaign": opt_in.pk, "student": city.zhou.pk, "decision": "granted"})
    assert response.status_code == 404 and not ConsentRecord.objects.exists()


def test_staff_of_another_school_cannot_record(city, client_as, opt_in):
    url = reverse("campaigns:consent", args=[opt_in.pk]) + f"?school_class={city.class_a1.pk}"
    assert client_as(city.wang_b).post(url, {f"student_{city.chen.pk}": "granted"}).status_code == 404
    assert not ConsentRecord.objects.exists()


# --- referral -------------------------------------------------------------------------------

def test_a_referral_without_consent_is_refused_unless_overridden_with_a_reason(city):
    case = open_case(city)
    with pytest.raises(ValidationError, match="请先取得监护人的同意"):
        referrals.referral_send(case=case, actor=city.liu_a, agency=city.agency, urgency="red", reason=REASON)
    with pytest.raises(ValidationError, match="至少 20"):
        referrals.referral_send(case=case, actor=city.liu_a, agency=city.agency, urgency="red", reason=REASON,
                                override_reason="情况紧急")
    assert not Referral.objects.exists()

    referral = referrals.referral_send(case=case, actor=city.liu_a, agency=city.agency, urgency="red",
                                       reason=REASON, override_reason=URGENT)

    assert referral.consent is None and referral.consent_override.reason == URGENT
    assert CaseEvent.objects.filter(case=case, kind="referral_consent_overridden").exists()
    assert AuditEntry.objects.filter(action="cases.referral_consent_overridden", student_id=city.chen.pk).exists()


def test_overrides_land_in_the_psych_centres_review_list_and_are_reviewed_once(city, client_as):
    case = open_case(city)
    referrals.referral_send(case=case, actor=city.liu_a, agency=city.agency, urgency="red", reason=REASON,
                            override_reason=URGENT)
    override = ConsentOverride.objects.get()
    page = client_as(city.xin).get(reverse("consent:overrides")).content.decode()
    assert URGENT in page and "保存复核" in page
    assert client_as(city.liu_a).get(reverse("consent:overrides")).status_code == 403

    client_as(city.xin).post(reverse("consent:override_review", args=[override.pk]), {"outcome": "justified"})

    override.refresh_from_db()
    assert (override.outcome, override.reviewed_by) == ("justified", city.xin) and override.reviewed_at
    assert AuditEntry.objects.filter(action="cases.referral_override_reviewed").count() == 1
    with pytest.raises(ValidationError, match="已经复核过"):
        consents.override_review(override=override, actor=city.xin, outcome="justified")


def test_a_guardian_consents_online_and_withdraws_which_stops_further_referrals(city, client_as):
    case = open_case(city)
    client_as(city.liu_a).post(reverse("consent:referral_ask", args=[case.pk]), {"agency": city.agency.pk})
    asked = ReferralConsentRequest.objects.get()
    guardian = client_as(city.chen_ma_user)
    guardian.post(reverse("consent:referral_answer", args=[asked.pk]), {"answer": "given"})
    given = ReferralConsent.objects.get()
    assert (given.method, given.guardian) == ("online", city.chen_ma)
    referral = referrals.referral_send(case=case, actor=city.liu_a, agency=city.agency, urgency="red", reason=REASON)

    guardian.post(reverse("consent:referral_withdraw", args=[given.pk]), {})  # no confirmation: nothing changes
    assert not ReferralConsent.objects.get().is_withdrawn
    guardian.post(reverse("consent:referral_withdraw", args=[given.pk]), {"confirm": "on"})

    given.refresh_from_db()
    assert given.withdrawn_how == "online" and given.withdrawn_by == city.chen_ma_user
    assert not Referral.objects.get(pk=referral.pk).may_share_diagnosis
    kinds = list(CaseEvent.objects.filter(case=case).values_list("kind", flat=True))
    assert {"referral_consent_asked", "referral_consent_answered", "referral_consent_withdrawn"} <= set(kinds)
    assert AuditEntry.objects.filter(action="cases.referral_consent_withdrawn", student_id=city.chen.pk).exists()
    Referral.objects.filter(pk=referral.pk).update(state=Referral.State.DONE)
    with pytest.raises(ValidationError, match="请先取得监护人的同意"):
        referrals.referral_send(case=case, actor=city.liu_a, agency=city.agency, urgency="red", reason=REASON)


def test_only_the_guardian_or_the_schools_psych_teacher_may_withdraw(city, client_as):
    given = consent(city, open_case(city))
    for user in (city.wang_b, city.zhang_a1, city.xin):
        assert client_as(user).post(reverse("consent:referral_withdraw", args=[given.pk]),
                                    {"confirm": "on"}).status_code == 404
    client_as(city.liu_a).post(reverse("consent:referral_withdraw", args=[given.pk]), {"confirm": "on"})
    given.refresh_from_db()
    assert given.withdrawn_how == "recorded"


# --- the overview ---------------------------------------------------------------------------

def test_the_overview_shows_every_purpose_to_staff_and_guardian_and_no_one_else(city, client_as, opt_in):
    consent_record(campaign=opt_in, student=city.chen, decision="granted", recorded_by=city.liu_a)
    consent(city, open_case(city))
    url = reverse("consent:student", args=[city.chen.pk])
    for user in (city.liu_a, city.chen_ma_user):
        page = client_as(user).get(url).content.decode()
        assert opt_in.name in page and "同意转介到明州市精神卫生中心" in page and "参加本次测评。" in page
    assert AuditEntry.objects.filter(action="consent.overview_view", student_id=city.chen.pk).count() == 2
    assert client_as(city.wang_b).get(url).status_code == 404
    assert client_as(city.chen_user).get(url).status_code == 403
