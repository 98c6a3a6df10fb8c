"""Roster sync through the import, campaigns and assignments lists, and case state changes through the API."""
import datetime

from django.utils import timezone

from xinshao.access.tests.matrix_objects import matrix_objects
from xinshao.audit.models import AuditEntry
from xinshao.campaigns.models import Campaign
from xinshao.campaigns.services import campaign_pause
from xinshao.cases.models import Case, CaseEvent
from xinshao.cases.services import case_open
from xinshao.people.identity import check_character
from xinshao.people.models import Student
from xinshao.rosters.models import ImportRun

FIRST17 = "33020320130304002"


def _row(**changes) -> dict:
    return {"student_number": "A2027001", "name": "马小同", "gender": "F", "birth_date": "2013-03-04", "grade": "J1",
            "class_name": "1班", "guardian_name": "马家长", "guardian_phone": "13800138000",
            "national_id": FIRST17 + check_character(FIRST17), **changes}


def _sync(client, school, *rows, dry_run=False):
    return client.post(f"/api/v1/schools/{school.pk}/roster", {"students": list(rows), "dry_run": dry_run},
                       content_type="application/json")


def test_a_roster_sync_creates_then_updates_by_student_number_through_the_import(city, api_client):
    client = api_client(city.song_a)
    assert _sync(client, city.school_a, _row(), dry_run=True).json()["outcome"] == "checked"
    assert not Student.objects.filter(student_number="A2027001").exists()

    first = _sync(client, city.school_a, _row()).json()
    assert (first["outcome"], first["created"], first["updated"]) == ("imported", 1, 0)
    student = Student.objects.get(school=city.school_a, student_number="A2027001")
    second = _sync(client, city.school_a, _row(name="马小桐")).json()
    assert (second["created"], second["updated"]) == (0, 1)
    student.refresh_from_db()
    assert student.name == "马小桐" and Student.objects.filter(student_number="A2027001").count() == 1
    assert ImportRun.objects.filter(school=city.school_a, actor=city.song_a, outcome="imported").count() == 2
    assert set(AuditEntry.objects.filter(student_id=student.pk).values_list("action", flat=True)) >= \
        {"student.import_create", "student.import_update"}


def test_one_bad_row_writes_nothing_and_every_problem_names_its_row_and_field(city, api_client):
    bad_id = FIRST17 + ("0" if check_character(FIRST17) != "0" else "1")
    response = _sync(api_client(city.song_a), city.school_a, _row(student_number="A2027002"),
                     _row(student_number="A2027003", national_id=bad_id, birth_date="2031-01-01"),
                     _row(student_number="A2027002", grade="S1"))
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "roster_rejected"
    assert {"body.students.1.national_id", "body.students.1.birth_date", "body.students.2.grade"} \
        <= set(error["fields"])
    assert "body.students.1.national_id" in error["message"] and bad_id not in error["message"]
    assert not Student.objects.filter(student_number__in=["A2027002", "A2027003"]).exists()
    assert ImportRun.objects.get(school=city.school_a).outcome == ImportRun.Outcome.REJECTED


def test_only_the_schools_admin_syncs_its_roster_with_a_write_token(city, api_client):
    assert _sync(api_client(city.liu_a), city.school_a, _row()).status_code == 403
    assert _sync(api_client(city.song_b), city.school_a, _row()).status_code == 404
    response = _sync(api_client(city.song_a, "read"), city.school_a, _row())
    assert response.status_code == 403 and response.json()["error"]["code"] == "insufficient_scope"
    assert not Student.objects.filter(student_number="A2027001").exists()


def test_campaigns_and_assignments_are_listed_as_the_campaign_pages_show_them(city, api_client):
    side_a = matrix_objects(city)
    campaign, assignment = side_a["campaign_id"]["A"].value, side_a["assignment_id"]["A"].value
    teacher = api_client(city.zhang_a1)
    campaigns = teacher.get("/api/v1/campaigns").json()
    assert campaign in {row["id"] for row in campaigns["items"]}
    assert side_a["campaign_id"]["B"].value not in {row["id"] for row in campaigns["items"]}
    rows = teacher.get(f"/api/v1/campaigns/{campaign}/assignments").json()["items"]
    assert [(row["id"], row["student_id"], row["status"]) for row in rows] == \
        [(assignment, city.chen.pk, "not_started")]
    assert AuditEntry.objects.filter(action="api.assignments_listed", actor_id=city.zhang_a1.pk).exists()
    assert api_client(city.bai).get(f"/api/v1/campaigns/{campaign}/assignments").json()["count"] == 0
    assert api_client(city.chen_user).get("/api/v1/campaigns").status_code == 403


def test_campaigns_take_updated_since_from_their_changes(city, api_client):
    campaign = matrix_objects(city)["campaign_id"]["A"].value
    client = api_client(city.liu_a)
    mark = (timezone.now() + datetime.timedelta(microseconds=1)).isoformat()
    assert client.get("/api/v1/campaigns", {"updated_since": mark}).json()["count"] == 0
    campaign_pause(campaign=Campaign.objects.get(pk=campaign), actor=city.liu_a, reason="停电，改天继续")
    changed = client.get("/api/v1/campaigns", {"updated_since": mark}).json()["items"]
    assert [(row["id"], row["status"]) for row in changed] == [(campaign, "paused")]


def _case(city) -> Case:
    return case_open(student=city.chen, level="yellow", reason="考试焦虑", actor=city.liu_a)


def test_a_case_changes_state_through_the_case_service_with_its_checks(city, api_client):
    case = _case(city)
    client = api_client(city.liu_a)

    def post(action, body):
        return client.post(f"/api/v1/cases/{case.pk}/{action}", body, content_type="application/json")

    moved = post("state", {"to_state": "intervening", "reason": "开始个别辅导"})
    assert moved.status_code == 200 and moved.json()["state"] == "intervening"
    refused = post("state", {"to_state": "following_up", "reason": "转入回访"})
    assert refused.status_code == 409 and refused.json()["error"]["code"] == "refused"
    assert "回访" in refused.json()["error"]["message"]
    assert post("state", {"to_state": "closed", "reason": "结束了"}).json()["error"]["code"] == "invalid_request"
    assert post("reopen", {"reason": "情况反复"}).status_code == 409
    assert post("close", {"closure_review": "情况稳定，风险已解除，转入常规关注。"}).json()["state"] == "closed"
    assert post("reopen", {"reason": "情况反复"}).json()["state"] == "assessing"
    assert list(CaseEvent.objects.filter(case=case).values_list("kind", flat=True))[-3:] == \
        ["state_changed", "closed", "reopened"]
    assert AuditEntry.objects.filter(action="cases.closed", actor_id=city.liu_a.pk).exists()


def test_a_case_reader_may_not_change_it_and_another_school_does_not_find_it(city, api_client):
    case = _case(city)
    body = {"to_state": "intervening", "reason": "开始个别辅导"}
    url = f"/api/v1/cases/{case.pk}/state"
    assert api_client(city.zhang_a1).post(url, body, content_type="application/json").status_code == 403
    assert api_client(city.wang_b).post(url, body, content_type="application/json").status_code == 404
    assert Case.objects.get(pk=case.pk).state == "assessing"
