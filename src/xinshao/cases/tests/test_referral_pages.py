"""Referral on the school side: every role on each page (own and other school), the forms, and
the case page's referral section (the section() contract)."""
import re

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from xinshao.audit.models import AuditEntry
from xinshao.cases.models import Case, Referral, ReferralConsent
from xinshao.cases.referrals.views import section
from xinshao.cases.tests.referral_support import (
    REASON,
    consent,
    open_case,
    referral_in,
    second_agency,
    sent,
)

pytestmark = pytest.mark.django_db
R = Referral.State
CASE_PAGE_ROLES = {"liu_a", "wang_b", "song_a", "song_b", "zhang_a1", "qian_b1", "xin"}


@pytest.fixture
def cases(city):
    """A red case about Chen (school A, Liu) and a yellow one about Zhou (school B, Wang)."""
    return {"chen": open_case(city), "zhou": open_case(city, student=city.zhou, actor=city.wang_b, level="yellow")}


# who may change each case; who may see it but not change it (403); the rest of the case-page roles get 404
ACCESS = {
    "chen": ({"liu_a"}, {"song_a", "zhang_a1", "xin"}),
    "zhou": ({"wang_b"}, {"qian_b1"}),
}


def _expected(username: str, which: str, success: int) -> int:
    changers, readers = ACCESS[which]
    if username in changers:
        return success
    if username in readers:
        return 403
    return 404


@pytest.mark.parametrize("which", ["chen", "zhou"])
@pytest.mark.parametrize("url_name", ["cases:consent_new", "cases:referral_new"])
def test_the_forms_open_only_for_the_cases_own_psych_teachers(city, client_as, cases, which, url_name):
    url = reverse(url_name, args=[cases[which].pk])
    for username, user in city.everyone().items():
        assert client_as(user).get(url).status_code == _expected(username, which, 200), username


@pytest.mark.parametrize("which", ["chen", "zhou"])
def test_marking_done_is_only_for_the_cases_own_psych_teachers(city, client_as, cases, which):
    referral = referral_in(city, R.FEEDBACK_RECEIVED, cases[which])
    url = reverse("cases:referral_done", args=[cases[which].pk, referral.pk])
    for username, user in city.everyone().items():
        if username in ACCESS[which][0]:
            continue
        assert client_as(user).post(url).status_code == _expected(username, which, 302), username
    referral.refresh_from_db()
    assert referral.state == R.FEEDBACK_RECEIVED
    owner = city.liu_a if which == "chen" else city.wang_b
    assert client_as(owner).post(url).status_code == 302
    referral.refresh_from_db()
    assert referral.state == R.DONE


def test_a_referral_of_another_case_is_404_even_for_its_own_psych_teacher(city, client_as, cases):
    referral = referral_in(city, R.FEEDBACK_RECEIVED, cases["zhou"])
    url = reverse("cases:referral_done", args=[cases["chen"].pk, referral.pk])
    assert client_as(city.liu_a).post(url).status_code == 404
    assert client_as(city.wang_b).post(url).status_code == 404


def test_marking_done_is_post_only(city, client_as, cases):
    referral = referral_in(city, R.FEEDBACK_RECEIVED, cases["chen"])
    url = reverse("cases:referral_done", args=[cases["chen"].pk, referral.pk])
    assert client_as(city.liu_a).get(url).status_code == 405


# --- the forms ------------------------------------------------------------------------------

def _consent_post(city, **change) -> dict:
    return {"agency": city.agency.pk, "guardian": "", "given_by": "陈爸爸", "relation": "父亲",
            "method": "signed_form", "given_on": timezone.localdate().isoformat(), **change}


def test_consent_is_recorded_through_the_page(city, client_as, cases):
    case = cases["chen"]
    response = client_as(city.liu_a).post(reverse("cases:consent_new", args=[case.pk]),
                                          _consent_post(city, guardian=city.chen_ma.pk, given_by="", relation="",
                                                        shares_diagnosis="on"))
    assert response.status_code == 302 and response["Location"] == reverse("cases:detail", args=[case.pk])
    given = ReferralConsent.objects.get()
    assert (given.guardian, given.given_by, given.relation, given.shares_diagnosis) == (city.chen_ma, "陈妈妈", "母亲",
                                                                                        True)


@pytest.mark.parametrize("change,message", [
    ({"given_by": "", "relation": ""}, "请选择名册中的监护人，或填写同意人"),
    ({"given_on": "2099-01-01"}, "不能晚于今天"),
    ({"given_on": "昨天"}, "请按 年-月-日 填写日期"),
    ({"method": "email"}, "选择一个有效的选项"),
])
def test_a_consent_form_with_a_mistake_answers_400_and_stores_nothing(city, client_as, cases, change, message):
    response = client_as(city.liu_a).post(reverse("cases:consent_new", args=[cases["chen"].pk]),
                                          _consent_post(city, **change))
    assert response.status_code == 400 and message in response.content.decode()
    assert not ReferralConsent.objects.exists()


def test_the_referral_form_asks_for_consent_first(city, client_as, cases):
    page = client_as(city.liu_a).get(reverse("cases:referral_new", args=[cases["chen"].pk])).content.decode()
    assert "没有监护人同意（或同意已撤回）时不能转介" in page and "（无监护人同意）" in page


def test_a_referral_is_sent_through_the_page(city, client_as, cases):
    case = cases["chen"]
    consent(city, case)
    url = reverse("cases:referral_new", args=[case.pk])
    page = client_as(city.liu_a).get(url).content.decode()
    assert "明州市精神卫生中心" in page and "红色 1 天" in page
    response = client_as(city.liu_a).post(url, {"agency": city.agency.pk, "urgency": "orange", "reason": REASON})
    assert response.status_code == 302
    referral = Referral.objects.get()
    assert (referral.agency, referral.urgency, referral.reason) == (city.agency, "orange", REASON)
    case.refresh_from_db()
    assert case.state == Case.State.REFERRED


def test_an_agency_without_consent_cannot_be_chosen_and_nothing_is_stored(city, client_as, cases):
    hospital, _ma = second_agency(city)
    case = cases["chen"]
    consent(city, case)
    url = reverse("cases:referral_new", args=[case.pk])
    page = client_as(city.liu_a).get(url).content.decode()
    assert re.search(r"明州市第一人民医院（服务协议有效至 [\d-]+）（无监护人同意）", page)
    response = client_as(city.liu_a).post(url, {"agency": hospital.pk, "urgency": "red", "reason": REASON})
    assert response.status_code == 400 and "请先取得监护人的同意" in response.content.decode()
    assert not Referral.objects.exists()


def test_a_refusal_by_the_service_shows_its_reason_and_stores_nothing(city, client_as, cases):
    referral = sent(city, cases["chen"])
    response = client_as(city.liu_a).post(reverse("cases:referral_new", args=[cases["chen"].pk]),
                                          {"agency": city.agency.pk, "urgency": "red", "reason": REASON})
    assert response.status_code == 400 and "正在进行" in response.content.decode()
    assert list(Referral.objects.all()) == [referral]


def test_marking_done_too_early_says_why(city, client_as, cases):
    referral = referral_in(city, R.ACCEPTED, cases["chen"])
    response = client_as(city.liu_a).post(reverse("cases:referral_done", args=[cases["chen"].pk, referral.pk]),
                                          follow=True)
    assert "不能改为" in response.content.decode()
    referral.refresh_from_db()
    assert referral.state == R.ACCEPTED


# --- the case page's section ----------------------------------------------------------------

def _section_html(user, case) -> tuple[dict, str]:
    request = RequestFactory().get(reverse("cases:detail", args=[case.pk]))
    request.user = user
    context = section(request, case)
    return context, render_to_string("cases/referrals/_section.html", context, request=request)


def test_the_section_shows_referrals_feedback_consents_and_actions_to_the_owner(city, cases):
    case = cases["chen"]
    referral = referral_in(city, R.FEEDBACK_RECEIVED, case, shares=True)
    context, html = _section_html(city.liu_a, case)
    assert set(context) == {"referral_section"}
    data = context["referral_section"]
    assert data["referrals"] == [referral] and data["may_manage"] and data["may_read_clinical"]
    for text in ("明州市精神卫生中心", "已反馈", REASON, "中度抑郁发作", "建议学校减轻课业压力", "可以正常返校",
                 "陈妈妈", "书面签字", "已阅反馈，完成转介", reverse("cases:consent_new", args=[case.pk])):
        assert text in html, text
    assert AuditEntry.objects.filter(action="cases.referrals_viewed", student_id=city.chen.pk,
                                     actor_label="liu_a").count() == 1


def test_the_team_sees_the_progress_and_advice_but_not_the_reason_or_diagnosis(city, cases):
    case = cases["chen"]
    referral_in(city, R.FEEDBACK_RECEIVED, case, shares=True)
    for reader in (city.zhang_a1, city.song_a):
        _context, html = _section_html(reader, case)
        assert "建议学校减轻课业压力" in html and "已反馈" in html
        assert REASON not in html and "中度抑郁发作" not in html and "已阅反馈，完成转介" not in html
        assert reverse("cases:consent_new", args=[case.pk]) not in html


def test_the_section_flags_an_overdue_referral(city, cases):
    referral = sent(city, cases["chen"])
    Referral.objects.filter(pk=referral.pk).update(respond_by=timezone.now() - timezone.timedelta(hours=1))
    _context, html = _section_html(city.liu_a, cases["chen"])
    assert "已过回复期限，机构尚未答复" in html


def test_an_empty_section_invites_consent_first_and_writes_no_audit_entry(city, cases):
    context, html = _section_html(city.liu_a, cases["chen"])
    assert "还没有转介" in html and "转介前需要监护人同意" in html and "只有情况紧急时" in html
    assert not AuditEntry.objects.filter(action="cases.referrals_viewed").exists()


def test_the_case_page_carries_the_referral_section(city, client_as, cases):
    referral = referral_in(city, R.FEEDBACK_RECEIVED, cases["chen"])
    page = client_as(city.liu_a).get(reverse("cases:detail", args=[cases["chen"].pk])).content.decode()
    assert 'id="referrals"' in page and "建议学校减轻课业压力" in page
    assert reverse("cases:referral_done", args=[cases["chen"].pk, referral.pk]) in page
