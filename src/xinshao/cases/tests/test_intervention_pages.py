"""Intervention pages: every role on each, own and other school; who reads session notes and that
each reading is audited; forms that refuse bad input and store nothing; the case page's section.

Expected answers are written out from DESIGN.md and the issue, not computed from scopes.
"""
import datetime

import pytest
from django.contrib.messages.storage.fallback import FallbackStorage
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from xinshao.accounts.models import RoleAssignment, User
from xinshao.accounts.roles import Role
from xinshao.audit.models import AuditEntry
from xinshao.cases.intervention import services as intervention
from xinshao.cases.intervention.views import section
from xinshao.cases.models import (
    AgreedAction,
    CaseEvent,
    CaseTeamMember,
    CounsellingSession,
    GuardianContact,
    SafetyPlan,
)
from xinshao.cases.services import case_close, case_open

pytestmark = pytest.mark.django_db
NOTES = "谈到最近和同学的矛盾，睡眠仍差；约定下周二再谈。"
PLAN = {"warning_signs": "晚上一个人在宿舍时反复想同一件事", "coping_steps": "听音乐、去操场走两圈",
        "people_to_contact": "妈妈；班主任张老师", "professional_help": "学校心理老师；心理援助热线", "means_safety": ""}
SAID = "告知了学校的安排，妈妈同意周末多陪伴"

# Chen's red case at school A: its psych teacher (owner), its team (class teacher, school leader),
# the bureau psych centre. Everyone else gets 404, as for a case that does not exist.
CASE_PAGE_ROLES = {"liu_a", "wang_b", "song_a", "song_b", "xin", "zhang_a1", "qian_b1"}
SEES_RED_CASE = {"liu_a", "zhang_a1", "song_a", "xin"}
WRITERS = {"liu_a"}
NOTE_READERS = {"liu_a", "xin"}


def _expected(username, allowed, *, ok=200):
    if username in allowed:
        return ok
    if username in SEES_RED_CASE:
        return 403
    return 404  # out of sight, whatever the role: as for a case that does not exist


@pytest.fixture
def chen_case(city):
    """Chen's red case with one of everything written by Liu, the owner."""
    case = case_open(student=city.chen, level="red", reason="课堂上情绪崩溃，需要评估", actor=city.liu_a)
    an_hour_ago = timezone.now() - datetime.timedelta(hours=1)
    intervention.session_record(case=case, actor=city.liu_a, held_at=an_hour_ago, kind="individual", minutes=45,
                                private_notes=NOTES)
    intervention.safety_plan_save(case=case, actor=city.liu_a, **PLAN)
    intervention.guardian_contact_record(case=case, actor=city.liu_a, guardian=city.chen_ma,
                                         contacted_at=an_hour_ago, method="phone", what_was_said=SAID)
    intervention.action_agree(case=case, actor=city.liu_a, description="每周一次个别辅导", assignee=city.liu_a,
                              due_on=timezone.localdate() + datetime.timedelta(days=7))
    return case


def _snapshot():
    return (CounsellingSession.objects.count(), SafetyPlan.objects.count(), GuardianContact.objects.count(),
            AgreedAction.objects.count(), AgreedAction.objects.filter(done_at__isnull=False).count(),
            CaseEvent.objects.count())


def _notes_reads(**filters) -> int:
    return AuditEntry.objects.filter(action="cases.session_notes_read", **filters).count()


def _good_posts(city) -> dict:
    an_hour_ago = timezone.localtime() - datetime.timedelta(hours=1)
    return {
        "cases:session_new": {"held_at": an_hour_ago.strftime("%Y-%m-%dT%H:%M"), "kind": "group", "minutes": "40",
                              "private_notes": "团体辅导：人际沟通练习"},
        "cases:safety_plan_new": {**PLAN, "means_safety": "家中药品由妈妈保管"},
        "cases:guardian_contact_new": {"guardian": str(city.chen_ma.pk), "method": "meeting",
                                       "contacted_at": an_hour_ago.strftime("%Y-%m-%dT%H:%M"),
                                       "what_was_said": "面谈：商量了作息安排"},
        "cases:action_new": {"description": "班主任每天放学前和学生打个招呼", "assignee": str(city.zhang_a1.pk),
                             "due_on": timezone.localdate().isoformat()},
    }


# --- every role on each page ----------------------------------------------------------------

@pytest.mark.parametrize("url_name", ["cases:session_new", "cases:safety_plan_new", "cases:guardian_contact_new",
                                      "cases:action_new"])
def test_only_the_schools_psych_teacher_opens_the_forms(city, client_as, chen_case, url_name):
    url = reverse(url_name, args=[chen_case.pk])
    for username, user in city.everyone().items():
        assert client_as(user).get(url).status_code == _expected(username, WRITERS), username


@pytest.mark.parametrize("url_name", ["cases:session_new", "cases:safety_plan_new", "cases:guardian_contact_new",
                                      "cases:action_new"])
def test_only_the_schools_psych_teacher_saves_the_forms(city, client_as, chen_case, url_name):
    url, data = reverse(url_name, args=[chen_case.pk]), _good_posts(city)[url_name]
    for username, user in city.everyone().items():
        if username in WRITERS:
            continue
        before = _snapshot()
        assert client_as(user).post(url, data).status_code == _expected(username, WRITERS), username
        assert _snapshot() == before, username
    before = _snapshot()
    response = client_as(city.liu_a).post(url, data)
    assert response.status_code == 302 and response["Location"] == f"/cases/{chen_case.pk}/#intervention"
    assert CaseEvent.objects.count() == before[-1] + 1


def test_only_the_schools_psych_teacher_marks_an_action_done(city, client_as, chen_case):
    action = chen_case.actions.get()
    url = reverse("cases:action_done", args=[chen_case.pk, action.pk])
    for username, user in city.everyone().items():
        if username in WRITERS:
            continue
        assert client_as(user).post(url).status_code == _expected(username, WRITERS), username
        assert AgreedAction.objects.get(pk=action.pk).done_at is None, username
    assert client_as(city.liu_a).get(url).status_code == 405
    assert client_as(city.liu_a).post(url).status_code == 302
    assert AgreedAction.objects.get(pk=action.pk).done_by == city.liu_a
    client_as(city.liu_a).post(url)  # twice: refused with a message, still done once
    assert CaseEvent.objects.filter(kind="action_done").count() == 1


def test_the_safety_plan_and_its_history_open_for_everyone_who_sees_the_case(city, client_as, chen_case):
    url = reverse("cases:safety_plan", args=[chen_case.pk])
    for username, user in city.everyone().items():
        before = AuditEntry.objects.filter(action="cases.safety_plan_read").count()
        response = client_as(user).get(url)
        assert response.status_code == _expected(username, SEES_RED_CASE), username
        read = AuditEntry.objects.filter(action="cases.safety_plan_read").count() - before
        assert read == (1 if username in SEES_RED_CASE else 0), username
        assert (PLAN["coping_steps"] in response.content.decode()) == (username in SEES_RED_CASE), username


def test_the_safety_plan_page_shows_the_newest_version_first_and_the_earlier_ones(city, client_as, chen_case):
    intervention.safety_plan_save(case=chen_case, actor=city.liu_a, **{**PLAN, "coping_steps": "深呼吸，给妈妈打电话"},
                                  now=timezone.now() + datetime.timedelta(minutes=1))
    response = client_as(city.zhang_a1).get(reverse("cases:safety_plan", args=[chen_case.pk]))
    page = response.content.decode()
    assert response.context["current"].coping_steps == "深呼吸，给妈妈打电话" and len(response.context["earlier"]) == 1
    assert page.index("深呼吸，给妈妈打电话") < page.index("听音乐、去操场走两圈") and "当前版本（第 2 版）" in page
    assert "修改安全计划" not in page, "a class teacher reads the plan but does not change it"


# --- session notes --------------------------------------------------------------------------

def test_session_notes_open_only_for_their_readers_and_each_reading_is_audited(city, client_as, chen_case):
    session = chen_case.sessions.get()
    url = reverse("cases:session_detail", args=[chen_case.pk, session.pk])
    for username, user in city.everyone().items():
        for attempt in (1, 2):
            response = client_as(user).get(url)
            assert response.status_code == _expected(username, NOTE_READERS), username
            assert (NOTES in response.content.decode()) == (username in NOTE_READERS), username
            assert _notes_reads(actor_label=user.username, student_id=city.chen.pk, object_id=str(session.pk)) == (
                attempt if username in NOTE_READERS else 0), username
    assert "no-store" in client_as(city.liu_a).get(url)["Cache-Control"]


def test_a_psych_teacher_reads_notes_as_owner_or_team_member_only(city, client_as, chen_case):
    colleague = User.objects.create_user(username="he_a", password="x", display_name="何心理A")
    RoleAssignment.objects.create(user=colleague, role=Role.PSYCH_TEACHER, school=city.school_a)
    url = reverse("cases:session_detail", args=[chen_case.pk, chen_case.sessions.get().pk])
    assert client_as(colleague).get(url).status_code == 403 and _notes_reads() == 0
    CaseTeamMember.objects.create(case=chen_case, user=colleague, part=CaseTeamMember.Part.PSYCH_TEACHER,
                                  added_at=timezone.now())
    assert client_as(colleague).get(url).status_code == 200 and _notes_reads(actor_label="he_a") == 1


def test_the_bureau_does_not_read_notes_of_a_case_it_cannot_see(city, client_as):
    case = case_open(student=city.chen, level="yellow", reason="同学反映情绪低落", actor=city.liu_a)
    session = intervention.session_record(case=case, actor=city.liu_a, held_at=timezone.now(), kind="individual",
                                          minutes=30, private_notes=NOTES)
    url = reverse("cases:session_detail", args=[case.pk, session.pk])
    assert client_as(city.xin).get(url).status_code == 404 and _notes_reads() == 0


def test_a_session_or_action_of_another_case_is_not_found(city, client_as, chen_case):
    zhou_case = case_open(student=city.zhou, level="red", reason="热线来电，评估为高风险", actor=city.wang_b)
    session = intervention.session_record(case=zhou_case, actor=city.wang_b, held_at=timezone.now(), kind="crisis",
                                          minutes=60, private_notes="周的记录")
    action = intervention.action_agree(case=zhou_case, actor=city.wang_b, description="每天放学后联系家长",
                                       assignee=city.wang_b, due_on=timezone.localdate())
    client = client_as(city.liu_a)
    assert client.get(reverse("cases:session_detail", args=[chen_case.pk, session.pk])).status_code == 404
    assert client.post(reverse("cases:action_done", args=[chen_case.pk, action.pk])).status_code == 404
    assert _notes_reads() == 0 and AgreedAction.objects.get(pk=action.pk).done_at is None


# --- forms: bad input and closed cases ------------------------------------------------------

BAD_POSTS = [
    ("cases:session_new", {"held_at": ""}), ("cases:session_new", {"held_at": "昨天"}),
    ("cases:session_new", {"held_at": "2999-01-01T09:00"}), ("cases:session_new", {"kind": "hypnosis"}),
    ("cases:session_new", {"minutes": "0"}), ("cases:session_new", {"minutes": "很久"}),
    ("cases:session_new", {"private_notes": " "}), ("cases:session_new", {"private_notes": "好"}),
    ("cases:safety_plan_new", {"warning_signs": ""}), ("cases:safety_plan_new", {"professional_help": "无"}),
    ("cases:safety_plan_new", {"means_safety": ""}),  # the same as the plan in force
    ("cases:guardian_contact_new", {"guardian": "999999"}), ("cases:guardian_contact_new", {"guardian": "x"}),
    ("cases:guardian_contact_new", {"method": ""}), ("cases:guardian_contact_new", {"what_was_said": ""}),
    ("cases:guardian_contact_new", {"contacted_at": "2999-01-01T09:00"}),
    ("cases:action_new", {"assignee": "999999"}), ("cases:action_new", {"description": ""}),
    ("cases:action_new", {"due_on": "2020-01-01"}), ("cases:action_new", {"due_on": "下周"}),
    ("cases:action_new", {"description": "长" * 301}),
]


@pytest.mark.parametrize("url_name,bad", BAD_POSTS)
def test_a_form_with_a_mistake_says_so_and_stores_nothing(city, client_as, chen_case, url_name, bad):
    data = {**_good_posts(city)[url_name], **bad}
    if url_name == "cases:safety_plan_new" and bad == {"means_safety": ""}:
        data = dict(PLAN)
    before, audit_before = _snapshot(), AuditEntry.objects.exclude(action__endswith="_read").count()
    response = client_as(city.liu_a).post(reverse(url_name, args=[chen_case.pk]), data)
    assert response.status_code == 400 and "还没有保存" in response.content.decode()
    assert _snapshot() == before and AuditEntry.objects.exclude(action__endswith="_read").count() == audit_before


def test_a_guardian_of_another_student_is_not_offered_or_accepted(city, client_as, chen_case):
    from xinshao.people.models import Guardian, GuardianLink

    zhou_dad = Guardian.objects.create(name="周爸爸", phone="13900139000")
    GuardianLink.objects.create(student=city.zhou, guardian=zhou_dad, relation="父亲")
    url = reverse("cases:guardian_contact_new", args=[chen_case.pk])
    page = client_as(city.liu_a).get(url).content.decode()
    assert "陈妈妈（母亲）" in page and "周爸爸" not in page
    data = {**_good_posts(city)["cases:guardian_contact_new"], "guardian": str(zhou_dad.pk)}
    assert client_as(city.liu_a).post(url, data).status_code == 400 and GuardianContact.objects.count() == 1


def test_a_student_without_guardians_on_record_gets_a_clear_message(city, client_as):
    case = case_open(student=city.lin, level="yellow", reason="同学反映情绪低落", actor=city.liu_a)
    url = reverse("cases:guardian_contact_new", args=[case.pk])
    response = client_as(city.liu_a).get(url)
    assert response.status_code == 200 and "还没有监护人信息" in response.content.decode()
    assert "<form method=\"post\" novalidate>" not in response.content.decode()
    data = {**_good_posts(city)["cases:guardian_contact_new"], "guardian": ""}
    assert client_as(city.liu_a).post(url, data).status_code == 400 and not GuardianContact.objects.exists()


def test_the_safety_plan_form_starts_from_the_plan_in_force(city, client_as, chen_case):
    response = client_as(city.liu_a).get(reverse("cases:safety_plan_new", args=[chen_case.pk]))
    assert response.context["form"]["coping_steps"].value() == PLAN["coping_steps"]
    assert AuditEntry.objects.filter(action="cases.safety_plan_read", actor_label="liu_a").count() == 1


def test_a_closed_case_takes_no_new_records(city, client_as, chen_case):
    case_close(case=chen_case, actor=city.liu_a, closure_review="学生情绪稳定，已回归正常学习生活，风险解除。")
    client, posts = client_as(city.liu_a), _good_posts(city)
    before = _snapshot()
    for url_name, data in posts.items():
        url = reverse(url_name, args=[chen_case.pk])
        for response in (client.get(url), client.post(url, data)):
            assert response.status_code == 302 and response["Location"] == f"/cases/{chen_case.pk}/#intervention"
    assert client.post(reverse("cases:action_done", args=[chen_case.pk, chen_case.actions.get().pk])).status_code == 302
    assert _snapshot() == before


# --- the case page's section ----------------------------------------------------------------

def _section_html(user, case) -> tuple[dict, str]:
    request = RequestFactory().get(f"/cases/{case.pk}/")
    request.user = user
    request.session = {}
    request._messages = FallbackStorage(request)
    context = section(request, case)
    return context, render_to_string("cases/intervention/_section.html", {"case": case, **context}, request=request)


def test_the_section_shows_that_sessions_happened_but_never_their_notes(city, chen_case):
    session = chen_case.sessions.get()
    link = reverse("cases:session_detail", args=[chen_case.pk, session.pk])
    for username in SEES_RED_CASE:
        context, html = _section_html(getattr(city, username), chen_case)
        assert NOTES not in html and "个别辅导" in html and "刘心理A" in html and ">45<" in html, username
        assert (link in html) == (username in NOTE_READERS), username
        assert PLAN["coping_steps"] in html and SAID in html and "每周一次个别辅导" in html, username
        assert ("记录一次辅导" in html) == (username in WRITERS), username
        assert set(context) == {"intervention"}
    assert _notes_reads() == 0


def test_opening_the_section_records_which_plan_and_contacts_were_shown(city, chen_case):
    _section_html(city.zhang_a1, chen_case)
    entry = AuditEntry.objects.get(action="cases.intervention_read")
    assert entry.student_id == city.chen.pk and entry.actor_label == "zhang_a1"
    assert entry.detail == {"safety_plan": chen_case.safety_plans.get().pk,
                            "guardian_contacts": [chen_case.guardian_contacts.get().pk]}


def test_an_empty_section_reads_nothing_and_invites_a_plan(city):
    case = case_open(student=city.chen, level="red", reason="课堂上情绪崩溃，需要评估", actor=city.liu_a)
    _context, html = _section_html(city.liu_a, case)
    assert "还没有安全计划" in html and "制定安全计划" in html
    assert not AuditEntry.objects.filter(action="cases.intervention_read").exists()


def test_a_closed_case_section_offers_no_forms(city, chen_case):
    case_close(case=chen_case, actor=city.liu_a, closure_review="学生情绪稳定，已回归正常学习生活，风险解除。")
    chen_case.refresh_from_db()
    context, html = _section_html(city.liu_a, chen_case)
    assert not context["intervention"]["may_write"] and "记录一次辅导" not in html and "标记完成" not in html
    assert "只能查看" in html


def test_an_overdue_action_says_so_in_words(city, chen_case):
    AgreedAction.objects.update(due_on=timezone.localdate() - datetime.timedelta(days=1))
    _context, html = _section_html(city.liu_a, chen_case)
    assert "已过期限" in html and "标记完成" in html


def test_the_case_page_carries_the_section_without_notes(city, client_as, chen_case):
    for user in (city.liu_a, city.zhang_a1, city.song_a, city.xin):
        page = client_as(user).get(reverse("cases:detail", args=[chen_case.pk])).content.decode()
        assert 'id="intervention"' in page and PLAN["coping_steps"] in page and NOTES not in page, user.username
    assert _notes_reads() == 0
