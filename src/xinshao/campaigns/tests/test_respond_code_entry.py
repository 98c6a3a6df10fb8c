"""A student starts with a one-campaign code: throttled guessing, calm refusals, one bound assignment,
and answers that wait on the server for the student's next device."""
import json

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from xinshao.campaigns.codes import code_display
from xinshao.campaigns.models import Assignment, ConsentRecord
from xinshao.campaigns.respond_views import SESSION_KEY
from xinshao.campaigns.services import campaign_close, consent_record
from xinshao.campaigns.tests.respond_support import (
    draft_payload,
    payload,
    post_json,
    teacher_campaign,
)
from xinshao.campaigns.throttle import FAILURE_LIMIT

WRONG_CODE = "ABCDE-FGHJK"
# ASQ question 5 (position 4) is asked when any of questions 1–4 is yes (1) or was skipped
ASQ_QUESTION_5 = {"4": {"items": [0, 1, 2, 3], "values": [1], "missing": True}}


@pytest.fixture(autouse=True)
def fresh_throttle():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def chen_assignment(city, student_campaign):
    return Assignment.objects.get(campaign=student_campaign, student=city.chen)


def _enter(client, code, address="10.1.1.1"):
    return client.post(reverse("respond:start"), {"code": code}, REMOTE_ADDR=address)


def _config(response) -> dict:
    html = response.content.decode()
    start = html.index('id="respond-config"')
    return json.loads(html[html.index(">", start) + 1:html.index("</script>", start)])


def test_the_qr_link_fills_in_the_code(client, chen_assignment):
    response = client.get(reverse("respond:start") + f"?code={chen_assignment.code}")
    assert response.status_code == 200
    assert f'value="{chen_assignment.code}"' in response.content.decode()


def test_a_valid_code_binds_this_browser_to_that_one_questionnaire(client, chen_assignment):
    response = _enter(client, code_display(chen_assignment.code).lower())
    assert response.status_code == 302 and response["Location"] == reverse("respond:questionnaire")
    assert client.session[SESSION_KEY] == chen_assignment.pk
    page = client.get(reverse("respond:questionnaire"))
    html = page.content.decode()
    assert page.status_code == 200
    assert "第 1 / 26 题" in html and "第 26 / 26 题" in html
    assert "有不如死掉或以某种方式伤害自己的念头" in html  # PHQ-A item 9, in zh-Hans by default
    assert "过去两周内" in html  # each part's timeframe
    assert "<noscript>" in html and "JavaScript" in html
    assert _config(page)["instruments"] == [{"id": "phqa", "items": 13}, {"id": "gad7", "items": 8},
                                           {"id": "asq", "items": 5, "shownIf": ASQ_QUESTION_5}]


def test_the_questionnaire_is_in_english_when_the_language_is_english(client, chen_assignment):
    _enter(client, chen_assignment.code)
    client.cookies["django_language"] = "en"
    html = client.get(reverse("respond:questionnaire")).content.decode()
    assert "Thoughts of being better off dead or of hurting yourself in some way" in html
    assert "Over the last 2 weeks" in html


def test_a_wrong_code_is_refused_calmly_and_counted(client, chen_assignment):
    response = _enter(client, WRONG_CODE)
    html = response.content.decode()
    assert response.status_code == 400
    assert "这个测评码不正确" in html
    assert chen_assignment.student.name not in html and SESSION_KEY not in client.session
    assert cache.get("xinshao:respond:code-failures:10.1.1.1") == 1


def test_a_code_that_is_not_even_code_shaped_is_explained_and_not_counted(client, chen_assignment):
    response = _enter(client, "123")
    assert response.status_code == 400 and "10 位字母和数字" in response.content.decode()
    assert cache.get("xinshao:respond:code-failures:10.1.1.1") is None


def test_too_many_wrong_codes_from_one_address_wait_ten_minutes(client, chen_assignment):
    for _ in range(FAILURE_LIMIT):
        assert _enter(client, WRONG_CODE).status_code == 400
    blocked = _enter(client, chen_assignment.code)
    assert blocked.status_code == 429 and "请稍后再试" in blocked.content.decode()
    assert client.get(reverse("respond:start"), REMOTE_ADDR="10.1.1.1").status_code == 429
    # Another classroom is not affected.
    assert _enter(Client(), chen_assignment.code, address="10.1.1.2").status_code == 302


def test_a_valid_code_does_not_reset_the_failure_count(client, chen_assignment):
    for _ in range(FAILURE_LIMIT - 1):
        _enter(client, WRONG_CODE)
    assert _enter(client, chen_assignment.code).status_code == 302
    assert _enter(Client(), WRONG_CODE).status_code == 400
    assert _enter(Client(), chen_assignment.code).status_code == 429


@pytest.mark.parametrize("situation,status,words", [
    ("closed", 409, "这项测评已经结束"),
    ("consent_refused", 403, "未获监护人同意，不参加本次测评"),
])
def test_a_campaign_the_student_cannot_answer_gets_a_calm_refusal(client, city, chen_assignment, situation, status,
                                                                  words):
    if situation == "closed":
        campaign_close(campaign=chen_assignment.campaign, actor=city.bai)
    else:
        consent_record(campaign=chen_assignment.campaign, student=city.chen, decision=ConsentRecord.Decision.REFUSED,
                       recorded_by=city.liu_a)
    response = _enter(client, chen_assignment.code)
    html = response.content.decode()
    assert response.status_code == status and words in html
    assert city.chen.name not in html and SESSION_KEY not in client.session


def test_a_consent_refused_after_starting_closes_the_questionnaire(client, city, chen_assignment):
    _enter(client, chen_assignment.code)
    consent_record(campaign=chen_assignment.campaign, student=city.chen, decision=ConsentRecord.Decision.REFUSED,
                   recorded_by=city.liu_a)
    assert client.get(reverse("respond:questionnaire")).status_code == 403


def test_a_submitted_code_leads_to_the_thank_you_page(client, chen_assignment):
    post_json(client, "respond:submit", payload(chen_assignment))
    _enter(client, chen_assignment.code)
    response = client.get(reverse("respond:questionnaire"))
    assert response.status_code == 302 and response["Location"] == reverse("respond:done")
    done = client.get(reverse("respond:done")).content.decode()
    assert "已提交，谢谢你" in done and "12356" in done and "信任的老师" in done


def test_a_teachers_code_does_not_open_a_survey_without_signing_in(client, city):
    campaign = teacher_campaign(city)
    code = Assignment.objects.get(campaign=campaign, teacher=city.gao_a).code
    assert _enter(client, code).status_code == 400


def test_someone_signed_in_cannot_open_another_persons_questionnaire(client_as, city, chen_assignment):
    response = client_as(city.zhang_a1).post(reverse("respond:start"), {"code": chen_assignment.code})
    assert response.status_code == 403 and "另一个账号" in response.content.decode()


def test_signing_in_on_a_browser_a_student_used_does_not_show_that_students_questionnaire(client, city,
                                                                                        chen_assignment):
    _enter(client, chen_assignment.code)
    post_json(client, "respond:draft", draft_payload(chen_assignment, position=3, updated=1))
    client.force_login(city.zhang_a1, backend="django.contrib.auth.backends.ModelBackend")
    response = client.get(reverse("respond:questionnaire"))
    assert response.status_code == 302 and response["Location"] == reverse("respond:start")


def test_the_questionnaire_without_a_code_sends_the_visitor_to_code_entry(client, chen_assignment):
    for name in ("respond:questionnaire", "respond:done"):
        response = client.get(reverse(name))
        assert response.status_code == 302 and response["Location"] == reverse("respond:start")


def test_answers_saved_on_one_device_are_waiting_on_the_next(client, chen_assignment):
    _enter(client, chen_assignment.code)
    gad7 = [1, 2, None, None, None, None, None, None]
    saved = post_json(client, "respond:draft", draft_payload(chen_assignment, position=16, updated=1764300000000,
                                                             gad7=gad7))
    assert saved.status_code == 200 and saved.json()["state"] == "draft_saved"
    chen_assignment.refresh_from_db()
    assert chen_assignment.status == Assignment.Status.IN_PROGRESS and chen_assignment.started_at

    second_device = Client()
    _enter(second_device, chen_assignment.code, address="10.9.9.9")
    draft = _config(second_device.get(reverse("respond:questionnaire")))["draft"]
    assert draft["answers"]["gad7"] == gad7 and draft["position"] == 16 and draft["updated"] == 1764300000000


def test_a_late_draft_never_overwrites_a_submission(client, chen_assignment):
    post_json(client, "respond:submit", payload(chen_assignment))
    late = post_json(client, "respond:draft", draft_payload(chen_assignment, position=2, updated=5))
    assert (late.status_code, late.json()["error"]) == (409, "already_submitted")
    chen_assignment.refresh_from_db()
    assert chen_assignment.draft == {} and chen_assignment.status == Assignment.Status.SUBMITTED


def test_a_tampered_draft_is_refused_and_not_kept(client, chen_assignment):
    body = draft_payload(chen_assignment, position=1, updated=1)
    body["answers"]["asq"][0] = 7
    assert post_json(client, "respond:draft", body).status_code == 400
    chen_assignment.refresh_from_db()
    assert chen_assignment.draft == {} and chen_assignment.status == Assignment.Status.NOT_STARTED


def test_pausing_makes_the_browser_forget_the_questionnaire(client, chen_assignment):
    _enter(client, chen_assignment.code)
    response = client.post(reverse("respond:leave"))
    assert response.status_code == 302 and response["Location"] == reverse("respond:start")
    assert SESSION_KEY not in client.session
    assert "已暂停" in client.get(reverse("respond:start")).content.decode()


def test_students_with_a_login_find_their_tasks_without_a_code(client_as, city, chen_assignment):
    client = client_as(city.chen_user)
    html = client.get(reverse("respond:my_tasks")).content.decode()
    assert chen_assignment.campaign.name in html
    response = client.get(reverse("respond:begin", kwargs={"assignment_id": chen_assignment.pk}))
    assert response.status_code == 302 and client.get(reverse("respond:questionnaire")).status_code == 200
