"""Intervention writes: sessions, safety plan versions, guardian contacts, agreed actions.

Every allowed and forbidden writer, every kind of bad input, closed cases: a refusal says why
and leaves no row, no event and no audit entry behind.
"""
import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from xinshao.accounts.models import RoleAssignment, User
from xinshao.accounts.roles import Role
from xinshao.audit.models import AuditEntry
from xinshao.cases.intervention import services as intervention
from xinshao.cases.models import (
    AgreedAction,
    CaseEvent,
    CaseTeamMember,
    CounsellingSession,
    GuardianContact,
    SafetyPlan,
)
from xinshao.cases.services import case_close, case_open
from xinshao.people.models import Guardian, GuardianLink

pytestmark = pytest.mark.django_db
NOTES = "谈到最近和同学的矛盾，睡眠仍差；约定下周二再谈。"
PLAN = {"warning_signs": "晚上一个人在宿舍时反复想同一件事", "coping_steps": "听音乐、去操场走两圈",
        "people_to_contact": "妈妈 13800138000；班主任张老师", "professional_help": "学校心理老师；心理援助热线",
        "means_safety": ""}


def _case(city, level="red"):
    return case_open(student=city.chen, level=level, reason="课堂上情绪崩溃，需要评估", actor=city.liu_a)


def _an_hour_ago():
    return timezone.now() - datetime.timedelta(hours=1)


def _writes(city, case):
    """One call of each service with good input, by actor."""
    return {
        "session": lambda actor: intervention.session_record(
            case=case, actor=actor, held_at=_an_hour_ago(), kind="individual", minutes=45, private_notes=NOTES),
        "safety_plan": lambda actor: intervention.safety_plan_save(case=case, actor=actor, **PLAN),
        "guardian_contact": lambda actor: intervention.guardian_contact_record(
            case=case, actor=actor, guardian=city.chen_ma, contacted_at=_an_hour_ago(), method="phone",
            what_was_said="告知了学校的安排，妈妈同意周末多陪伴"),
        "action": lambda actor: intervention.action_agree(
            case=case, actor=actor, description="每周一次个别辅导", assignee=city.liu_a,
            due_on=timezone.localdate() + datetime.timedelta(days=7)),
    }


def _snapshot():
    return (CounsellingSession.objects.count(), SafetyPlan.objects.count(), GuardianContact.objects.count(),
            AgreedAction.objects.count(), AgreedAction.objects.filter(done_at__isnull=False).count(),
            CaseEvent.objects.count(), AuditEntry.objects.count())


def _psych_teacher_a(username="he_a") -> User:
    from xinshao.org.models import School

    user = User.objects.create_user(username=username, password="x", display_name="何心理A")
    RoleAssignment.objects.create(user=user, role=Role.PSYCH_TEACHER, school=School.objects.get(code="A001"))
    return user


# --- allowed writes -------------------------------------------------------------------------

@pytest.mark.parametrize("what,row_model,kind", [
    ("session", CounsellingSession, "session_recorded"),
    ("safety_plan", SafetyPlan, "safety_plan_saved"),
    ("guardian_contact", GuardianContact, "guardian_contacted"),
    ("action", AgreedAction, "action_agreed"),
])
def test_the_owner_writes_each_record_with_author_time_school_event_and_audit(city, what, row_model, kind):
    case = _case(city)
    now = timezone.now()
    row = _writes(city, case)[what](city.liu_a)
    row = row_model.objects.get(pk=row.pk)
    assert (row.case_id, row.written_by_id, row.written_at_school_id) == (case.pk, city.liu_a.pk, city.school_a.pk)
    assert abs(row.written_at - now) < datetime.timedelta(seconds=30)
    event = CaseEvent.objects.get(case=case, kind=kind)
    assert event.actor_id == city.liu_a.pk and event.written_at_school_id == city.school_a.pk
    entry = AuditEntry.objects.get(action=f"cases.{kind}")
    assert entry.student_id == city.chen.pk and entry.actor_label == "liu_a"


def test_the_clock_can_be_moved(city):
    case = _case(city)
    later = timezone.now() + datetime.timedelta(days=3)
    session = intervention.session_record(case=case, actor=city.liu_a, held_at=later - datetime.timedelta(hours=2),
                                          kind="crisis", minutes=90, private_notes=NOTES, now=later)
    assert session.written_at == later and CaseEvent.objects.get(kind="session_recorded").at == later


def test_notes_are_encrypted_at_rest_and_never_copied_into_events_or_the_audit_trail(city):
    case = _case(city)
    session = _writes(city, case)["session"](city.liu_a)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT private_notes FROM {CounsellingSession._meta.db_table} WHERE id = %s", [session.pk])
        stored = cursor.fetchone()[0]
    assert NOTES not in stored and CounsellingSession.objects.get(pk=session.pk).private_notes == NOTES
    event = CaseEvent.objects.get(kind="session_recorded")
    assert event.detail == {"session": session.pk, "session_kind": "individual", "minutes": 45}
    assert all(NOTES not in str(entry.detail) for entry in AuditEntry.objects.all())


def test_a_new_safety_plan_is_a_new_version_and_the_newest_is_in_force(city):
    case = _case(city)
    first = intervention.safety_plan_save(case=case, actor=city.liu_a, **PLAN)
    second = intervention.safety_plan_save(case=case, actor=city.liu_a, **{**PLAN, "means_safety": "家中药品由妈妈保管"},
                                           now=timezone.now() + datetime.timedelta(minutes=1))
    assert intervention.safety_plan_current(case) == second and SafetyPlan.objects.get(pk=first.pk).means_safety == ""
    assert list(CaseEvent.objects.filter(kind="safety_plan_saved").values_list("detail__version", flat=True)) == [1, 2]


def test_saving_the_same_plan_again_is_refused(city):
    case = _case(city)
    intervention.safety_plan_save(case=case, actor=city.liu_a, **PLAN)
    before = _snapshot()
    with pytest.raises(ValidationError, match="相同"):
        intervention.safety_plan_save(case=case, actor=city.liu_a, **{k: f" {v} " for k, v in PLAN.items()})
    assert _snapshot() == before


def test_an_action_may_go_to_a_team_member_and_is_marked_done_once(city):
    case = _case(city)
    action = intervention.action_agree(case=case, actor=city.liu_a, description="每天放学前和学生打招呼",
                                       assignee=city.zhang_a1, due_on=timezone.localdate())
    done = intervention.action_done(action=action, actor=city.liu_a)
    assert done.done_by == city.liu_a and done.done_at is not None
    assert AuditEntry.objects.filter(action="cases.action_done", student_id=city.chen.pk).count() == 1
    before = _snapshot()
    with pytest.raises(ValidationError, match="已经标记为完成"):
        intervention.action_done(action=action, actor=city.liu_a)
    assert _snapshot() == before


def test_another_psych_teacher_of_the_school_may_write(city):
    colleague = _psych_teacher_a()
    case = _case(city)
    for what, write in _writes(city, case).items():
        assert write(colleague).written_by == colleague, what


# --- forbidden writes -----------------------------------------------------------------------

def test_nobody_but_the_schools_psych_teachers_writes(city):
    case = _case(city)
    action = _writes(city, case)["action"](city.liu_a)
    before = _snapshot()
    for username, user in city.everyone().items():
        if username == "liu_a":
            continue
        for write in _writes(city, case).values():
            with pytest.raises(ValidationError, match="只有本校的心理教师"):
                write(user)
        with pytest.raises(ValidationError, match="只有本校的心理教师"):
            intervention.action_done(action=action, actor=user)
    assert _snapshot() == before


def test_the_other_schools_psych_teacher_cannot_write_in_a_case_of_this_school(city):
    zhou_case = case_open(student=city.zhou, level="yellow", reason="同学反映情绪低落", actor=city.wang_b)
    before = _snapshot()
    for write in _writes(city, zhou_case).values():
        with pytest.raises(ValidationError):
            write(city.liu_a)
    assert _snapshot() == before


def test_nothing_is_written_in_a_closed_case(city):
    case = _case(city)
    action = _writes(city, case)["action"](city.liu_a)
    case_close(case=case, actor=city.liu_a, closure_review="学生情绪稳定，已回归正常学习生活，风险解除。")
    before = _snapshot()
    for write in _writes(city, case).values():
        with pytest.raises(ValidationError, match="已经结案"):
            write(city.liu_a)
    with pytest.raises(ValidationError, match="已经结案"):
        intervention.action_done(action=action, actor=city.liu_a)
    assert _snapshot() == before


# --- bad input ------------------------------------------------------------------------------

def _in_the_future():
    return timezone.now() + datetime.timedelta(hours=2)


BAD_SESSIONS = [
    {"held_at": None}, {"held_at": datetime.datetime(2026, 11, 2, 9, 0)}, {"held_at": "2026-11-02 09:00"},
    {"held_at": "future"}, {"kind": ""}, {"kind": "hypnosis"}, {"minutes": 0}, {"minutes": 481}, {"minutes": "45"},
    {"minutes": None}, {"minutes": True}, {"private_notes": ""}, {"private_notes": "  好 "}, {"private_notes": None},
    {"private_notes": "很" * 20001},
]


@pytest.mark.parametrize("bad", BAD_SESSIONS)
def test_a_bad_session_is_refused_and_changes_nothing(city, bad):
    case = _case(city)
    data = {"held_at": _an_hour_ago(), "kind": "individual", "minutes": 45, "private_notes": NOTES, **bad}
    if data["held_at"] == "future":
        data["held_at"] = _in_the_future()
    before = _snapshot()
    with pytest.raises(ValidationError):
        intervention.session_record(case=case, actor=city.liu_a, **data)
    assert _snapshot() == before


@pytest.mark.parametrize("field", ["warning_signs", "coping_steps", "people_to_contact", "professional_help"])
@pytest.mark.parametrize("value", ["", "   ", "好", None, "长" * 5001])
def test_a_safety_plan_missing_a_part_is_refused(city, field, value):
    case = _case(city)
    before = _snapshot()
    with pytest.raises(ValidationError):
        intervention.safety_plan_save(case=case, actor=city.liu_a, **{**PLAN, field: value})
    assert _snapshot() == before


def test_a_too_long_means_safety_is_refused(city):
    case = _case(city)
    before = _snapshot()
    with pytest.raises(ValidationError):
        intervention.safety_plan_save(case=case, actor=city.liu_a, **{**PLAN, "means_safety": "长" * 5001})
    assert _snapshot() == before


def _zhous_guardian(city) -> Guardian:
    guardian = Guardian.objects.create(name="周爸爸", phone="13900139000")
    GuardianLink.objects.create(student=city.zhou, guardian=guardian, relation="父亲")
    return guardian


@pytest.mark.parametrize("bad", ["other_guardian", "no_guardian", "future", "naive", "method", "said_empty",
                                 "said_short"])
def test_a_bad_guardian_contact_is_refused_and_changes_nothing(city, bad):
    case = _case(city)
    data = {"guardian": city.chen_ma, "contacted_at": _an_hour_ago(), "method": "phone",
            "what_was_said": "告知了学校的安排"}
    data.update({
        "other_guardian": {"guardian": _zhous_guardian(city)}, "no_guardian": {"guardian": None},
        "future": {"contacted_at": _in_the_future()}, "naive": {"contacted_at": datetime.datetime(2026, 11, 2, 9)},
        "method": {"method": "carrier_pigeon"}, "said_empty": {"what_was_said": ""},
        "said_short": {"what_was_said": "嗯"},
    }[bad])
    before = _snapshot()
    with pytest.raises(ValidationError):
        intervention.guardian_contact_record(case=case, actor=city.liu_a, **data)
    assert _snapshot() == before


@pytest.mark.parametrize("bad", ["outsider", "other_school", "nobody", "inactive", "yesterday", "not_a_date",
                                 "a_datetime", "empty", "too_long"])
def test_a_bad_action_is_refused_and_changes_nothing(city, bad):
    case = _case(city)
    gone = User.objects.create_user(username="gone", password="x", is_active=False)
    CaseTeamMember.objects.create(case=case, user=gone, part="psych_teacher", added_at=timezone.now())
    data = {"description": "每周一次个别辅导", "assignee": city.liu_a, "due_on": timezone.localdate()}
    data.update({
        "outsider": {"assignee": city.gao_a}, "other_school": {"assignee": city.wang_b}, "nobody": {"assignee": None},
        "inactive": {"assignee": gone}, "yesterday": {"due_on": timezone.localdate() - datetime.timedelta(days=1)},
        "not_a_date": {"due_on": "2030-01-01"}, "a_datetime": {"due_on": timezone.now()},
        "empty": {"description": " "}, "too_long": {"description": "长" * 301},
    }[bad])
    before = _snapshot()
    with pytest.raises(ValidationError):
        intervention.action_agree(case=case, actor=city.liu_a, **data)
    assert _snapshot() == before


def test_the_assignees_are_the_owner_and_the_active_team(city):
    case = _case(city)
    assert set(intervention.action_assignees(case)) == {city.liu_a, city.zhang_a1}


def test_a_plan_line_or_an_action_may_be_a_short_phrase(city):
    case = _case(city)
    plan = intervention.safety_plan_save(case=case, actor=city.liu_a, warning_signs="失眠", coping_steps="听音乐",
                                         people_to_contact="妈妈", professional_help="热线")
    action = intervention.action_agree(case=case, actor=city.liu_a, description="家访", assignee=city.zhang_a1,
                                       due_on=timezone.localdate())
    assert plan.coping_steps == "听音乐" and action.description == "家访"
