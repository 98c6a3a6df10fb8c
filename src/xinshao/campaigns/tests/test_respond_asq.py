"""The ASQ as a child answers it: the self-administered wording, and question 5 asked only when
one of questions 1–4 is yes or was skipped (NIMH toolkit); the server scores by the same rule."""
import pytest
from django.urls import reverse

from xinshao.campaigns.models import Assignment, InstrumentResult
from xinshao.campaigns.tests.respond_support import payload, post_json
from xinshao.campaigns.tests.test_respond_browser import VISIBLE, _screenshot, _student_campaign
from xinshao.testing import build_city


@pytest.fixture
def chen_assignment(city, student_campaign):
    return Assignment.objects.get(campaign=student_campaign, student=city.chen)


def _open(client, assignment, language="zh-hans") -> str:
    client.post(reverse("respond:start"), {"code": assignment.code}, REMOTE_ADDR="10.9.9.9")
    client.cookies["django_language"] = language
    return client.get(reverse("respond:questionnaire")).content.decode()


@pytest.mark.parametrize(("language", "student", "interviewer"), [
    ("zh-hans", ["下面几个问题是关于你最近的想法和感受", "你现在有自杀的念头吗？"], ["家长不在场", "记录“是”“否”", "紧急程度题"]),
    ("en", ["These questions are about your thoughts and feelings lately", "Are you having thoughts of killing yourself right now?"],
     ["Ask the student alone", "Record yes, no", "Acuity question"]),
])
def test_the_student_reads_the_self_administered_wording(client, chen_assignment, language, student, interviewer):
    html = _open(client, chen_assignment, language)
    assert all(text in html for text in student)
    assert not any(text in html for text in interviewer)


def test_the_library_page_keeps_the_interviewer_wording_for_staff(city, client_as):
    html = client_as(city.liu_a).get(reverse("instruments:definition", args=["asq", "1.1.0"])).content.decode()
    assert "尽量在家长不在场时单独询问学生" in html and "下面几个问题是关于你最近的想法和感受" in html
    assert "只在第 1、2、3、4 题任一回答“是”或被跳过时才问" in html


def _stored_asq(client, assignment, answers) -> InstrumentResult:
    assert post_json(client, "respond:submit", payload(assignment, asq=answers)).status_code == 200
    return InstrumentResult.objects.get(submission__assignment=assignment, instrument_id="asq")


def test_four_noes_and_question_five_not_asked_is_a_negative_screen(client, chen_assignment):
    result = _stored_asq(client, chen_assignment, [0, 0, 0, 0, None])
    assert (result.band, result.has_critical_flag, result.instrument_version) == ("negative", False, "1.1.0")
    assert result.outcome["validity"]["not_asked"] == ["asq_5"]


def test_a_no_to_question_five_sent_when_it_was_not_asked_is_ignored(client, chen_assignment):
    # An older page asked everyone: its "no" changes nothing, and is recorded as ignored.
    result = _stored_asq(client, chen_assignment, [0, 0, 0, 0, 0])
    assert (result.band, result.has_critical_flag) == ("negative", False)
    assert result.outcome["validity"]["ignored_answers"] == ["asq_5"]


def test_a_yes_to_question_five_is_never_ignored(client, chen_assignment):
    result = _stored_asq(client, chen_assignment, [0, 0, 0, 0, 1])
    assert (result.band, result.has_critical_flag) == ("acute_positive", True)


def _asq_start(page) -> None:
    """From the first question to ASQ question 1 (question 22 of 26), answering everything 'no'."""
    page.get_by_role("button", name="开始答题").click()
    for _number in range(1, 22):
        page.locator(f"{VISIBLE} input[type=radio]").nth(0).check()
        page.locator(VISIBLE).get_by_role("button", name="下一题").click()
    assert page.locator(f"{VISIBLE} h2").inner_text() == "第 22 / 26 题"


def _choose(page, label: str) -> None:
    page.locator(VISIBLE).get_by_label(label, exact=True).check()
    page.locator(VISIBLE).get_by_role("button", name="下一题").click()


def _student_page(live_server, phone_page):
    city = build_city()
    assignment = Assignment.objects.get(campaign=_student_campaign(city), student=city.chen)
    phone_page.goto(f"{live_server.url}/take/?code={assignment.code}")
    phone_page.get_by_role("button", name="进入测评").click()
    phone_page.wait_for_url(f"{live_server.url}/take/answer/")
    return assignment


@pytest.mark.browser
def test_four_noes_on_a_phone_never_show_question_five(transactional_db, live_server, phone_page):
    assignment = _student_page(live_server, phone_page)
    page = phone_page
    _asq_start(page)
    assert "你现在有自杀的念头吗" not in page.locator("main").inner_text()
    for _number in range(22, 26):
        _choose(page, "否")
    assert page.get_by_role("heading", name="都答完了").is_visible()
    assert page.locator("[data-summary]").inner_text() == "你回答了 25 题，跳过了 0 题。"
    page.get_by_role("button", name="提交").click()
    page.wait_for_url(f"{live_server.url}/take/done/")
    submitted = InstrumentResult.objects.get(submission__assignment=assignment, instrument_id="asq")
    assert submitted.submission.answers["asq"] == [0, 0, 0, 0, None] and submitted.band == "negative"


@pytest.mark.browser
def test_a_yes_on_a_phone_asks_question_five_and_a_changed_mind_takes_it_back(transactional_db, live_server,
                                                                             phone_page):
    assignment = _student_page(live_server, phone_page)
    page = phone_page
    _asq_start(page)
    _screenshot(page, "asq-phone")
    _choose(page, "否")
    _choose(page, "是")  # question 23: yes
    _choose(page, "否")
    _choose(page, "否")
    assert page.locator(f"{VISIBLE} h2").inner_text() == "第 26 / 26 题"
    assert page.locator(f"{VISIBLE} legend").inner_text() == "你现在有自杀的念头吗？"
    _screenshot(page, "asq-question-5")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    _choose(page, "否")
    page.get_by_role("button", name="返回检查").click()
    for _number in range(3):  # back to question 23, which the student changes to no
        page.locator(VISIBLE).get_by_role("button", name="上一题").click()
    assert page.locator(f"{VISIBLE} h2").inner_text() == "第 23 / 26 题"
    _choose(page, "否")
    _choose(page, "否")
    _choose(page, "否")
    assert page.get_by_role("heading", name="都答完了").is_visible()  # question 5 is no longer asked
    page.get_by_role("button", name="提交").click()
    page.wait_for_url(f"{live_server.url}/take/done/")
    assert InstrumentResult.objects.get(submission__assignment=assignment,
                                        instrument_id="asq").submission.answers["asq"] == [0, 0, 0, 0, None]
