"""A teacher answers a well-being survey from their own tasks, sees their own result with help
options, and may ask the bureau's psych centre for help."""
import pytest
from django.urls import reverse

from xinshao.audit.models import AuditEntry
from xinshao.alerts.models import Signal
from xinshao.campaigns.models import Assignment, HelpRequest, InstrumentResult
from xinshao.campaigns.tests.respond_support import payload, post_json, teacher_campaign

PSS10_HIGH = [4, 4, 4, 0, 0, 4, 0, 0, 4, 4]  # reverse items 4, 5, 7, 8 answered 0: total 40, high stress


@pytest.fixture
def gao_assignment(city):
    return Assignment.objects.get(campaign=teacher_campaign(city), teacher=city.gao_a)


def test_a_teacher_finds_the_survey_in_their_own_tasks_and_answers_it(client_as, city, gao_assignment):
    client = client_as(city.gao_a)
    tasks = client.get(reverse("respond:my_tasks")).content.decode()
    assert "2026教师心理健康自评" in tasks
    client.get(reverse("respond:begin", kwargs={"assignment_id": gao_assignment.pk}))
    page = client.get(reverse("respond:questionnaire")).content.decode()
    assert "第 1 / 39 题" in page and "只有你自己能看到" in page
    assert post_json(client, "respond:submit", payload(gao_assignment, pss10=PSS10_HIGH)).status_code == 200
    done = client.get(reverse("respond:done"))
    assert done["Location"] == reverse("respond:my_result", kwargs={"assignment_id": gao_assignment.pk})
    result = client.get(done["Location"]).content.decode()
    assert "高压力" in result                                  # PSS-10, in plain words
    assert not any(jargon in result for jargon in ("反向计分", "范围", "≥", "%", "（0–100）"))
    assert "个人倦怠" in result                               # CBI, by its subscales
    assert "不是诊断" in result and "12356" in result and "向市心理中心求助" in result
    assert AuditEntry.objects.get(action="campaign.submit").actor_id == city.gao_a.pk


def test_a_teachers_self_harm_answer_is_flagged_and_met_with_help(client_as, city, gao_assignment,
                                                                  django_capture_on_commit_callbacks):
    client = client_as(city.gao_a)
    phq9 = [0, 0, 0, 0, 0, 0, 0, 0, 2, 0]
    with django_capture_on_commit_callbacks(execute=True) as after_commit:
        assert post_json(client, "respond:submit", payload(gao_assignment, phq9=phq9)).status_code == 200
    flagged = InstrumentResult.objects.get(submission__assignment=gao_assignment, has_critical_flag=True)
    # The teacher's own result stays theirs: no student alert, nothing pending for early warning.
    assert flagged.instrument_id == "phq9" and not flagged.signals_pending
    assert after_commit == [] and not Signal.objects.exists()
    page = client.get(reverse("respond:my_result", kwargs={"assignment_id": gao_assignment.pk})).content.decode()
    assert "伤害自己的念头" in page and 'role="alert"' in page


def test_a_teacher_asks_for_help_once(client_as, city, gao_assignment):
    client = client_as(city.gao_a)
    post_json(client, "respond:submit", payload(gao_assignment))
    url = reverse("respond:help_request", kwargs={"assignment_id": gao_assignment.pk})
    response = client.post(url, {"message": "最近睡不好，想找人聊聊", "contact": "13900000000"})
    assert response.status_code == 302
    client.post(url, {"message": "again", "contact": ""})
    request = HelpRequest.objects.get(assignment=gao_assignment)
    assert (request.message, request.contact) == ("最近睡不好，想找人聊聊", "13900000000")
    assert AuditEntry.objects.filter(action="campaign.help_request").count() == 1
    page = client.get(reverse("respond:my_result", kwargs={"assignment_id": gao_assignment.pk})).content.decode()
    assert "市心理中心已收到你的求助" in page and "向市心理中心求助" not in page


def test_a_help_request_message_is_kept_encrypted(client_as, city, gao_assignment):
    from django.db import connection

    client = client_as(city.gao_a)
    post_json(client, "respond:submit", payload(gao_assignment))
    client.post(reverse("respond:help_request", kwargs={"assignment_id": gao_assignment.pk}),
                {"message": "不想让别人知道", "contact": ""})
    with connection.cursor() as cursor:
        cursor.execute("SELECT message FROM campaigns_helprequest")
        stored = cursor.fetchone()[0]
    assert "不想让别人知道" not in stored


def test_there_is_no_result_before_the_survey_is_submitted(client_as, city, gao_assignment):
    url = reverse("respond:my_result", kwargs={"assignment_id": gao_assignment.pk})
    assert client_as(city.gao_a).get(url).status_code == 404


def test_a_survey_opened_while_signed_in_closes_when_the_teacher_signs_out(client_as, city, gao_assignment):
    client = client_as(city.gao_a)
    client.get(reverse("respond:begin", kwargs={"assignment_id": gao_assignment.pk}))
    session_key = client.session.session_key
    client.logout()
    client.cookies["sessionid"] = session_key  # even if the old session were presented again
    assert client.get(reverse("respond:questionnaire"))["Location"] == reverse("respond:start")


@pytest.mark.parametrize(("language", "plain", "jargon"), [
    ("zh-hans", ["未见提示", "没有提示需要特别留意的情况", "12356"], ["≥ 52%", "原始分", "（0–25）"]),
    ("en", ["No indication", "Nothing in this part needs particular attention", "12356"], ["52 %", "Raw score", "(0–25)"]),
])
def test_a_teachers_own_result_speaks_plainly(client_as, city, language, plain, jargon):
    assignment = Assignment.objects.get(campaign=teacher_campaign(city, "who5"), teacher=city.gao_a)
    client = client_as(city.gao_a)
    client.cookies["django_language"] = language
    assert post_json(client, "respond:submit", payload(assignment, who5=[5, 5, 5, 5, 5])).status_code == 200
    result = client.get(reverse("respond:my_result", kwargs={"assignment_id": assignment.pk})).content.decode()
    assert all(words in result for words in plain) and not any(words in result for words in jargon)
