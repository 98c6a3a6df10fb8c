"""The individual plan (each save a version, shown side by side), the receiving school's handover
task when a student moves up a stage, and the record as a PDF."""
import datetime
import io

import pypdf
import pytest
from django.utils import timezone

from xinshao.accounts.models import RoleAssignment, User
from xinshao.accounts.roles import Role
from xinshao.audit.models import AuditEntry
from xinshao.norms.tests.conftest import GAD7_ITEMS, answer, gad7_campaign
from xinshao.notifications.models import Notification
from xinshao.org.models import Grade, School, SchoolClass
from xinshao.people.services import student_transfer
from xinshao.records.models import HandoverEvent, HandoverTask, IndividualPlan
from xinshao.records.selectors import students_with_active_plan

FIRST = {"goals": "两周内睡眠恢复规律", "supports": "每周一次个别辅导", "tasks": "班主任：每天课间留意情绪\n家长：记录睡眠时间",
         "review_on": "2027-01-10", "reason": ""}


def _save(client, student, **changes):
    return client.post(f"/records/students/{student.pk}/plan/", {**FIRST, **changes})


def test_every_save_is_a_new_version_and_each_can_be_compared(city, client_as):
    liu = client_as(city.liu_a)
    assert _save(liu, city.chen).status_code == 302
    refused = _save(liu, city.chen, goals="按时上学")            # a change needs its reason
    assert refused.status_code == 400 and "修改计划时请写明修改原因" in refused.content.decode()
    assert _save(liu, city.chen, goals="按时上学", tasks="班主任：每天课间留意情绪\n心理教师：每周面谈",
                 reason="睡眠已好转").status_code == 302
    plan = IndividualPlan.objects.get(student=city.chen)
    assert [(v.number, v.goals, v.reason) for v in plan.versions.all()] == [
        (1, "两周内睡眠恢复规律", ""), (2, "按时上学", "睡眠已好转")]
    assert list(plan.events.values_list("kind", flat=True)) == ["opened", "revised"]
    record = liu.get(f"/records/students/{city.chen.pk}/").content.decode()
    assert "按时上学" in record and "第 1 版" in record and "第 2 版" in record and "睡眠已好转" in record
    compared = liu.get(f"/records/plans/{plan.pk}/versions/2/").content.decode()
    assert "删去：两周内睡眠恢复规律" in compared and "新增：按时上学" in compared
    assert "新增：心理教师：每周面谈" in compared and "删去：家长：记录睡眠时间" in compared
    assert "两周内睡眠恢复规律" in liu.get(f"/records/plans/{plan.pk}/versions/1/").content.decode()
    assert liu.get(f"/records/plans/{plan.pk}/versions/3/").status_code == 404
    saved = AuditEntry.objects.filter(action="records.plan_saved", student_id=city.chen.pk)
    assert sorted(entry.detail["version"] for entry in saved) == [1, 2]
    assert AuditEntry.objects.filter(action="records.plan_version_viewed").count() == 2


def test_the_plan_form_starts_from_the_version_in_force_and_that_read_is_audited(city, client_as):
    liu = client_as(city.liu_a)
    url = f"/records/students/{city.chen.pk}/plan/"
    assert liu.get(url).status_code == 200
    assert not AuditEntry.objects.filter(action="records.plan_form_viewed").exists()  # a blank form shows nothing
    _save(liu, city.chen)
    assert liu.get(url).context["form"]["goals"].value() == FIRST["goals"]
    entry = AuditEntry.objects.get(action="records.plan_form_viewed")
    assert (entry.student_id, entry.actor_id, entry.detail) == (city.chen.pk, city.liu_a.pk, {"version": 1})


def test_a_task_line_without_who_is_refused_by_its_line(city, client_as):
    page = _save(client_as(city.liu_a), city.chen, tasks="班主任：每天留意\n多鼓励")
    assert page.status_code == 400 and "第 2 行“多鼓励”" in page.content.decode()
    assert not IndividualPlan.objects.exists()


def test_a_review_date_past_due_shows_as_overdue_and_closing_keeps_the_plan(city, client_as):
    liu = client_as(city.liu_a)
    _save(liu, city.chen, review_on=(timezone.localdate() - datetime.timedelta(days=1)).isoformat())
    assert "复评已逾期" in liu.get(f"/records/students/{city.chen.pk}/").content.decode()
    assert list(students_with_active_plan(city.school_a)) == [city.chen]
    plan = IndividualPlan.objects.get()
    assert liu.post(f"/records/plans/{plan.pk}/close/").status_code == 302
    plan.refresh_from_db()
    assert plan.state == "closed" and list(plan.events.values_list("kind", flat=True)) == ["opened", "closed"]
    assert not students_with_active_plan(city.school_a).exists()
    page = liu.get(f"/records/students/{city.chen.pk}/").content.decode()
    assert "没有执行中的计划" in page and "复评已逾期" not in page and "（已结束）" in page
    assert _save(liu, city.chen).status_code == 302          # a new plan, version 1 again
    assert IndividualPlan.objects.filter(student=city.chen).count() == 2


@pytest.mark.parametrize("person,status", [
    ("zhang_a1", 403), ("song_a", 403), ("chen_user", 403), ("chen_ma_user", 403),
    ("wang_b", 404), ("bai", 404), ("xin", 404),
])
def test_only_the_schools_psych_teachers_read_or_write_the_plan(city, client_as, person, status):
    _save(client_as(city.liu_a), city.chen)
    plan = IndividualPlan.objects.get()
    other = client_as(getattr(city, person))
    assert other.get(f"/records/plans/{plan.pk}/versions/1/").status_code == status
    assert _save(other, city.chen, reason="x").status_code == status
    assert other.post(f"/records/plans/{plan.pk}/close/").status_code == status
    assert plan.versions.count() == 1 and IndividualPlan.objects.get().state == "active"


# --- handover on a move of school stage ------------------------------------------------------

def _school(city, code, kind, level):
    school = School.objects.create(code=code, name=f"{code}学校", kind=kind, district=city.district_a)
    school_class = SchoolClass.objects.create(school=school, grade=Grade.objects.create(school=school, level=level),
                                              name="1班")
    teacher = User.objects.create_user(username=f"psych_{code}", password="x", display_name=f"{code}心理")
    RoleAssignment.objects.create(user=teacher, role=Role.PSYCH_TEACHER, school=school)
    return school, school_class, teacher


def test_moving_up_a_stage_gives_the_receiving_psych_teacher_one_task(city, client_as):
    senior, senior_class, teacher = _school(city, "S001", "senior", "S1")
    student_transfer(student=city.chen, to_school=senior, to_class=senior_class, actor=city.song_a, reason="升学")
    task = HandoverTask.objects.get()
    assert (task.student, task.from_school, task.to_school, task.state) == (city.chen, city.school_a, senior, "pending")
    assert list(HandoverEvent.objects.values_list("kind", flat=True)) == ["created"]
    assert list(Notification.objects.filter(topic="records.handover").values_list("recipient", flat=True)) \
        == [teacher.pk]
    client = client_as(teacher)
    listing = client.get("/records/handovers/").content.decode()
    assert city.chen.name in listing and f"/records/students/{city.chen.pk}/" in listing
    assert AuditEntry.objects.get(action="records.handovers_listed").detail == {"students": [city.chen.pk]}
    assert client.get(f"/records/students/{city.chen.pk}/").status_code == 200   # the record is theirs now
    assert client_as(city.liu_a).get(f"/records/students/{city.chen.pk}/").status_code == 404
    assert client_as(city.liu_a).post(f"/records/handovers/{task.pk}/acknowledge/").status_code == 404
    client = client_as(teacher)   # one test client, signed in again
    assert client.post(f"/records/handovers/{task.pk}/acknowledge/").status_code == 302
    task.refresh_from_db()
    assert task.state == "acknowledged" and task.acknowledged_by == teacher
    assert list(HandoverEvent.objects.values_list("kind", flat=True)) == ["created", "acknowledged"]
    assert AuditEntry.objects.filter(action="records.handover_acknowledged", student_id=city.chen.pk).count() == 1
    client.post(f"/records/handovers/{task.pk}/acknowledge/")               # twice changes nothing
    assert HandoverEvent.objects.count() == 2


def test_a_move_within_a_stage_or_a_class_move_gives_no_task(city):
    student_transfer(student=city.chen, to_school=city.school_b, to_class=city.class_b1, actor=city.song_a)
    student_transfer(student=city.lin, to_school=city.school_a, to_class=city.class_a1, actor=city.song_a)
    assert not HandoverTask.objects.exists() and not Notification.objects.filter(topic="records.handover").exists()


def test_primary_to_junior_is_a_move_up(city):
    primary, primary_class, _teacher = _school(city, "P001", "primary", "P6")
    student_transfer(student=city.chen, to_school=primary, to_class=primary_class, actor=city.song_a)  # down: none
    assert not HandoverTask.objects.exists()
    student_transfer(student=city.chen, to_school=city.school_b, to_class=city.class_b1, actor=city.song_a)
    assert list(HandoverTask.objects.values_list("to_school", "from_level", "to_level")) == [
        (city.school_b.pk, "P6", "J1")]
    assert list(Notification.objects.filter(topic="records.handover").values_list("recipient", flat=True)) \
        == [city.wang_b.pk]


@pytest.mark.parametrize("person,status", [("zhang_a1", 403), ("song_a", 403), ("chen_user", 403), ("bai", 403)])
def test_the_handover_list_is_for_psych_teachers(city, client_as, person, status):
    assert client_as(getattr(city, person)).get("/records/handovers/").status_code == status


# --- the record on paper ---------------------------------------------------------------------

def test_the_pdf_carries_the_record_in_chinese_and_is_audited(city, client_as):
    answer(gad7_campaign(city, "秋季测评"), city.chen, [1, 1, 1, 1, 0, 0, 0] + [0] * (GAD7_ITEMS - 7))
    liu = client_as(city.liu_a)
    _save(liu, city.chen)
    response = liu.get(f"/records/students/{city.chen.pk}/pdf/")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert city.chen.name not in response["Content-Disposition"]
    text = "\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(response.content)).pages)
    for words in ("心理成长档案", city.chen.name, "两周内睡眠恢复规律", "班主任", "秋季测评"):
        assert words in text
    assert AuditEntry.objects.get(action="records.growth_record_printed").student_id == city.chen.pk
    assert client_as(city.zhang_a1).get(f"/records/students/{city.chen.pk}/pdf/").status_code == 403
    assert client_as(city.wang_b).get(f"/records/students/{city.chen.pk}/pdf/").status_code == 404
    assert AuditEntry.objects.filter(action="records.growth_record_printed").count() == 1
