"""A teacher's well-being result stays hers until she asks for help; then the city psych centre,
and only it, may read it, and every read is audited."""
import pytest
from django.urls import reverse

from xinshao.audit.models import AuditEntry
from xinshao.campaigns.models import Assignment, HelpRequest
from xinshao.campaigns.tests.respond_support import payload, post_json, teacher_campaign

EVERYONE = ["bai", "xin", "fen", "du", "re", "song_a", "song_b", "liu_a", "wang_b", "zhang_a1", "qian_b1",
            "lin_user", "chen_user", "chen_ma_user", "yi", "gao_a"]


@pytest.fixture
def gao_asked_for_help(city, client_as):
    assignment = Assignment.objects.get(campaign=teacher_campaign(city), teacher=city.gao_a)
    client = client_as(city.gao_a)
    post_json(client, "respond:submit", payload(assignment))
    client.post(reverse("respond:help_request", kwargs={"assignment_id": assignment.pk}),
                {"message": "最近睡不好，想找人聊聊", "contact": "13900001111"})
    return HelpRequest.objects.get(assignment=assignment)


@pytest.mark.parametrize("username", EVERYONE)
def test_only_the_psych_centre_reaches_a_teachers_help_request(city, client_as, gao_asked_for_help, username):
    client = client_as(getattr(city, username))
    listing = client.get(reverse("campaigns:help_requests"))
    detail = client.get(reverse("campaigns:help_request", args=[gao_asked_for_help.pk]))
    if username == "xin":
        assert listing.status_code == 200 and "高老师" in listing.content.decode()
        body = detail.content.decode()
        assert detail.status_code == 200 and "最近睡不好" in body and "13900001111" in body
    else:
        assert listing.status_code == 403
        assert detail.status_code == 404


def test_reading_a_help_request_is_audited(city, client_as, gao_asked_for_help):
    client_as(city.xin).get(reverse("campaigns:help_request", args=[gao_asked_for_help.pk]))
    entry = AuditEntry.objects.get(action="teacher_result.view")
    assert entry.actor_id == city.xin.pk and entry.detail == {"teacher": city.gao_a.pk}


def test_the_list_of_who_asked_for_help_is_audited(city, client_as, gao_asked_for_help):
    client_as(city.xin).get(reverse("campaigns:help_requests"))
    entry = AuditEntry.objects.get(action="teacher_help_requests.list")
    assert entry.actor_id == city.xin.pk and entry.detail == {"teachers": [city.gao_a.pk]}


def test_without_a_request_the_psych_centre_sees_no_teacher(city, client_as):
    assignment = Assignment.objects.get(campaign=teacher_campaign(city), teacher=city.gao_a)
    post_json(client_as(city.gao_a), "respond:submit", payload(assignment))
    body = client_as(city.xin).get(reverse("campaigns:help_requests")).content.decode()
    assert "高老师" not in body and "目前没有教师求助" in body
