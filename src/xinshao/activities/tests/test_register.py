"""The register (进校园活动备案查询): a school's staff look an activity up and get a clear answer."""
import pytest
from django.urls import reverse
from django.utils import timezone

from xinshao.access import scopes
from xinshao.activities import services
from xinshao.activities.selectors import Verdict, register_lookup
from xinshao.activities.tests.conftest import DAY, approved, draft, submitted


def _lookup(user, query, on=None):
    return register_lookup(query, school_ids=scopes.activity_school_ids(user), on=on or timezone.localdate() + 7 * DAY)


def test_an_activity_approved_for_the_school_on_the_date_is_approved(city):
    application = approved(city.ying, [city.school_a], by=city.bai, title="防溺水安全讲座")
    lookup = _lookup(city.liu_a, "防溺水")
    assert lookup.verdict == Verdict.APPROVED
    assert [match.application for match in lookup.matches] == [application]
    # A class teacher and a teacher of the school get the same answer, by number or by body name too.
    assert _lookup(city.zhang_a1, application.approval_number).verdict == Verdict.APPROVED
    assert _lookup(city.gao_a, "启航研学").verdict == Verdict.APPROVED


def test_an_activity_approved_for_another_school_is_not_for_yours(city):
    approved(city.ying, [city.school_b], by=city.bai, title="防溺水安全讲座")
    assert _lookup(city.liu_a, "防溺水").verdict == Verdict.OTHER_SCHOOL
    assert _lookup(city.wang_b, "防溺水").verdict == Verdict.APPROVED


def test_an_activity_outside_its_approved_dates_is_not_approved_that_day(city):
    approved(city.ying, [city.school_a], by=city.bai, title="防溺水安全讲座", days=2)
    today = timezone.localdate()
    assert _lookup(city.liu_a, "防溺水", on=today + 9 * DAY).verdict == Verdict.APPROVED
    assert _lookup(city.liu_a, "防溺水", on=today + 10 * DAY).verdict == Verdict.OTHER_DATES


def test_submitted_rejected_and_withdrawn_activities_are_not_approved(city, xing):
    submitted(city.ying, [city.school_a], title="研学旅行推介会")
    rejected = submitted(xing, [city.school_a], title="研学夏令营宣讲")
    services.application_review(application=rejected, approve=False, reason="商业推广，不予进校", actor=city.bai)
    withdrawn = approved(city.ying, [city.school_a], by=city.bai, title="研学基地开放日")
    services.application_withdraw(application=withdrawn, actor=city.ying)
    lookup = _lookup(city.liu_a, "研学")
    assert lookup.verdict == Verdict.NOT_APPROVED
    assert {match.verdict for match in lookup.matches} == {Verdict.NOT_APPROVED}
    assert len(lookup.matches) == 3


def test_an_unknown_activity_or_a_draft_is_not_found(city):
    draft(city.ying, [city.school_a], title="尚未提交的讲座")
    assert _lookup(city.liu_a, "魔术表演").verdict == Verdict.NOT_FOUND
    assert _lookup(city.liu_a, "尚未提交").verdict == Verdict.NOT_FOUND


def test_one_approved_match_answers_yes_even_beside_a_rejected_one(city, xing):
    approved(city.ying, [city.school_a], by=city.bai, title="航天科普讲座")
    rejected = submitted(xing, [city.school_a], title="航天模型售卖")
    services.application_review(application=rejected, approve=False, reason="销售商品", actor=city.bai)
    lookup = _lookup(city.liu_a, "航天")
    assert lookup.verdict == Verdict.APPROVED
    assert [match.verdict for match in lookup.matches] == [Verdict.APPROVED, Verdict.NOT_APPROVED]


@pytest.mark.parametrize("query,words", [
    ("防溺水", "已批准，可以进校"), ("不存在的活动", "没有找到"),
])
def test_the_register_page_gives_a_school_user_a_clear_answer(client_as, city, query, words):
    approved(city.ying, [city.school_a], by=city.bai, title="防溺水安全讲座")
    on = (timezone.localdate() + 7 * DAY).isoformat()
    page = client_as(city.zhang_a1).get(reverse("activities:register"), {"q": query, "on": on})
    assert page.status_code == 200
    assert words in page.content.decode()


def test_the_register_page_tells_another_school_it_is_not_theirs(client_as, city):
    approved(city.ying, [city.school_a], by=city.bai, title="防溺水安全讲座")
    on = (timezone.localdate() + 7 * DAY).isoformat()
    page = client_as(city.qian_b1).get(reverse("activities:register"), {"q": "防溺水", "on": on}).content.decode()
    assert "未批准到本校" in page and "记录一次拒绝进校" in page
