"""The agreement check on referral (issue 11 item 4): a referral goes only to an agency with a valid
service agreement covering the case's school, unless the referrer writes why; the reason is kept,
audited and in the timeline. Through the service and through the page."""
import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from xinshao.audit.models import AuditEntry
from xinshao.cases.models import CaseEvent, Referral
from xinshao.cases.referrals import services as referrals
from xinshao.cases.tests.referral_support import REASON, consent, open_case
from xinshao.cases.timeline.selectors import case_timeline
from xinshao.partners import services
from xinshao.partners.tests.support import agreement_in_force

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)
EMERGENCY = "学生当晚有自伤行为，离学校最近的只有这家医院，先送医再补协议。"


def _send(case, city, **extra):
    return referrals.referral_send(case=case, actor=city.liu_a, agency=city.agency, urgency="red", reason=REASON,
                                   **extra)


@pytest.fixture
def case(city):
    case = open_case(city)
    consent(city, case)
    return case


def _nothing_sent(case):
    assert not Referral.objects.filter(case=case).exists()
    assert not CaseEvent.objects.filter(case=case, kind="referral_sent").exists()


def test_a_valid_agreement_covering_the_school_lets_the_referral_go(city, case):
    agreement = agreement_in_force(agency=city.agency, schools=[city.school_a], actor=city.bai)
    referral = _send(case, city)
    assert referral.without_agreement_reason == ""
    event = CaseEvent.objects.get(case=case, kind="referral_sent")
    assert event.detail["agreement"] == agreement.pk and "without_agreement" not in event.detail


def _expired(city):
    today = timezone.localdate()
    return agreement_in_force(agency=city.agency, schools=[city.school_a], actor=city.bai,
                              starts_on=today - 400 * DAY, ends_on=today - DAY, now=timezone.now() - 30 * DAY)


def _terminated(city):
    agreement = agreement_in_force(agency=city.agency, schools=[city.school_a], actor=city.bai)
    return services.agreement_terminate(agreement=agreement, actor=city.bai, reason="机构停止提供儿童青少年门诊")


def _other_school(city):
    return agreement_in_force(agency=city.agency, schools=[city.school_b], actor=city.bai)


def _draft(city):
    today = timezone.localdate()
    return services.agreement_create(actor=city.bai, agency=city.agency, schools=[city.school_a], title="草稿",
                                     scope=["assessment"], starts_on=today, ends_on=today + 300 * DAY)


def _not_yet_started(city):
    today = timezone.localdate()
    return agreement_in_force(agency=city.agency, schools=[city.school_a], actor=city.bai, starts_on=today + 5 * DAY)


@pytest.mark.parametrize("make", [None, _expired, _terminated, _other_school, _draft, _not_yet_started],
                         ids=["no agreement", "expired", "terminated", "other school's", "draft", "not yet started"])
def test_without_a_valid_agreement_the_referral_is_refused_next_to_the_reason_field(city, case, make):
    if make:
        make(city)
    with pytest.raises(ValidationError) as refused:
        _send(case, city)
    assert "没有有效的服务协议" in refused.value.message_dict["without_agreement_reason"][0]
    _nothing_sent(case)


def test_an_expired_agreement_still_marked_active_is_not_valid(city, case):
    # The nightly job has not run yet: the dates decide, not the state alone.
    agreement = _expired(city)
    assert agreement.state == "active"
    with pytest.raises(ValidationError):
        _send(case, city)


def test_with_a_reason_the_referral_goes_and_the_reason_is_kept_audited_and_in_the_timeline(city, case):
    referral = _send(case, city, without_agreement_reason=f"  {EMERGENCY}  ")
    assert referral.state == Referral.State.SENT and referral.without_agreement_reason == EMERGENCY
    event = CaseEvent.objects.get(case=case, kind="referral_sent")
    assert event.detail["without_agreement"] == 1 and "agreement" not in event.detail
    entry = AuditEntry.objects.get(action="cases.referral_sent")
    assert entry.detail["without_agreement"] == 1 and entry.detail["referral"] == referral.pk
    lines = [line for entry in case_timeline(case, with_notes=False).entries if entry.kind == "referral"
             for line in entry.lines]
    assert ("无有效服务协议仍转介的原因", EMERGENCY) in lines


def test_a_reason_too_short_is_refused(city, case):
    with pytest.raises(ValidationError) as refused:
        _send(case, city, without_agreement_reason="急")
    assert "至少" in refused.value.message_dict["without_agreement_reason"][0]
    _nothing_sent(case)


def test_with_a_valid_agreement_a_reason_given_is_not_kept(city, case):
    agreement_in_force(agency=city.agency, schools=[city.school_a], actor=city.bai)
    assert _send(case, city, without_agreement_reason=EMERGENCY).without_agreement_reason == ""


# --- the page -------------------------------------------------------------------------------

def test_the_form_says_which_agencies_have_an_agreement(city, client_as, case):
    agreement = agreement_in_force(agency=city.agency, schools=[city.school_a], actor=city.bai)
    page = client_as(city.liu_a).get(reverse("cases:referral_new", args=[case.pk])).content.decode()
    assert f"服务协议有效至 {agreement.ends_on:%Y-%m-%d}" in page
    assert f"[{city.agency.pk}]" in page  # the agencies that need no reason, for the page's script


def test_the_form_marks_an_agency_without_an_agreement(city, client_as, case):
    page = client_as(city.liu_a).get(reverse("cases:referral_new", args=[case.pk])).content.decode()
    assert "与本校无有效服务协议" in page and "无有效服务协议仍转介的原因" in page


def test_the_page_refuses_without_a_reason_and_stores_nothing(city, client_as, case):
    response = client_as(city.liu_a).post(reverse("cases:referral_new", args=[case.pk]),
                                          {"agency": city.agency.pk, "urgency": "red", "reason": REASON})
    assert response.status_code == 400
    assert "没有有效的服务协议" in response.context["form"].errors["without_agreement_reason"][0]
    _nothing_sent(case)


def test_the_page_sends_with_a_reason_and_the_case_shows_it(city, client_as, case):
    client = client_as(city.liu_a)
    response = client.post(reverse("cases:referral_new", args=[case.pk]), {
        "agency": city.agency.pk, "urgency": "red", "reason": REASON, "without_agreement_reason": EMERGENCY})
    assert response.status_code == 302
    assert Referral.objects.get(case=case).without_agreement_reason == EMERGENCY
    assert EMERGENCY in client.get(reverse("cases:detail", args=[case.pk])).content.decode()


def test_the_page_sends_to_an_agency_with_an_agreement_without_asking(city, client_as, case):
    agreement_in_force(agency=city.agency, schools=[city.school_a], actor=city.bai)
    response = client_as(city.liu_a).post(reverse("cases:referral_new", args=[case.pk]),
                                          {"agency": city.agency.pk, "urgency": "red", "reason": REASON})
    assert response.status_code == 302 and Referral.objects.filter(case=case).count() == 1
