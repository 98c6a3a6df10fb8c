"""A student's transfer with their open case: the case, its owner and team move, the handover note
reaches the new owner; the old school then sees only what it wrote, the new school the whole story.
Every refusal changes nothing; every role on the transfer page and the old school's pages."""
import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from xinshao.audit.models import AuditEntry
from xinshao.cases.intervention import services as intervention
from xinshao.cases.followups.services import followups_remind_due
from xinshao.cases.handover.services import student_transfer_with_case
from xinshao.cases.models import Case, CaseEvent, CounsellingSession, FollowUp, Handover
from xinshao.cases.services import case_close, case_open
from xinshao.cases.tests.story_support import DAY, NOTES, start, story_case
from xinshao.cases.timeline.selectors import case_timeline
from xinshao.notifications.models import Notification
from xinshao.org.models import Grade, Region, School, SchoolClass
from xinshao.people.models import Enrolment, Student

pytestmark = pytest.mark.django_db

NOTE = "已做两次个别辅导，制定了安全计划；已转介市精神卫生中心，请继续跟进回访。"
B_NOTES = "转学后第一次见面，适应新班级有些困难。"
CASE_PAGE_ROLES = {"liu_a", "wang_b", "song_a", "song_b", "zhang_a1", "qian_b1", "xin"}


@pytest.fixture
def t0():
    return start()


@pytest.fixture
def case(city, t0):
    return story_case(city, t0)


def _school(city, name, code, district=None) -> tuple[School, SchoolClass]:
    school = School.objects.create(code=code, name=name, kind="junior", district=district or city.district_a)
    grade = Grade.objects.create(school=school, level="J1")
    return school, SchoolClass.objects.create(school=school, grade=grade, name="3班")


def _transfer(city, **overrides):
    kwargs = {"student": city.chen, "to_school": city.school_b, "to_class": city.class_b1, "actor": city.song_a,
              "reason": "随父母工作调动", "handover_note": NOTE}
    return student_transfer_with_case(**{**kwargs, **overrides})


def _unchanged(city, case):
    student, moved = Student.objects.get(pk=city.chen.pk), Case.objects.get(pk=case.pk)
    assert (student.school, student.school_class) == (city.school_a, city.class_a1)
    assert (moved.school, moved.owner) == (city.school_a, city.liu_a)
    assert not Handover.objects.exists() and not CaseEvent.objects.filter(kind="handed_over").exists()
    assert Enrolment.objects.filter(student=city.chen).count() == 1


# --- the service -----------------------------------------------------------------------------

def test_the_open_case_moves_with_the_student_to_the_receiving_psych_teacher(city, case):
    result = _transfer(city)
    moved = Case.objects.get(pk=case.pk)
    assert (moved.school, moved.owner, moved.state, moved.level) == (city.school_b, city.wang_b, "referred", "red")
    assert result.case.pk == case.pk and result.handover.note == NOTE
    handover = Handover.objects.get()
    assert (handover.from_school, handover.to_school, handover.from_owner, handover.to_owner,
            handover.handed_over_by) == (city.school_a, city.school_b, city.liu_a, city.wang_b, city.song_a)
    assert {(m.user.username, m.part) for m in moved.team.all()} == {("qian_b1", "class_teacher")}
    event = moved.events.get(kind="handed_over")
    assert event.written_at_school == city.school_a and event.reason == "随父母工作调动"
    assert event.detail["to_owner"] == city.wang_b.pk and event.detail["handover"] == handover.pk
    student = Student.objects.get(pk=city.chen.pk)
    assert (student.school, student.school_class) == (city.school_b, city.class_b1)
    assert AuditEntry.objects.filter(action="cases.handed_over", student_id=city.chen.pk).exists()


def test_the_history_keeps_the_school_it_was_written_at(city, case):
    _transfer(city)
    assert set(CounsellingSession.objects.values_list("written_at_school", flat=True)) == {city.school_a.pk}
    assert set(FollowUp.objects.values_list("written_at_school", flat=True)) == {city.school_a.pk}
    assert set(case.events.exclude(kind="handed_over").values_list("written_at_school", flat=True)) == {
        city.school_a.pk}


def test_the_new_owner_is_told_without_the_students_name(city, case):
    _transfer(city)
    [told] = Notification.objects.filter(recipient=city.wang_b, topic="case.handover")
    assert told.urgent and told.link == f"/cases/{case.pk}/" and "西山中学" in told.body
    assert "陈小雨" not in told.subject + told.body


def test_the_next_follow_up_reminder_goes_to_the_new_owner(city, case):
    _transfer(city)
    follow_up = FollowUp.objects.get(case=case)
    later = timezone.now() + (follow_up.due_on - timezone.localdate()).days * DAY
    assert followups_remind_due(now=later) == 1
    assert Notification.objects.filter(recipient=city.wang_b, topic="case.follow_up").count() == 1
    assert not Notification.objects.filter(recipient=city.liu_a, topic="case.follow_up").exists()
    # The reminder went to school B's owner: it is part of B's story, not of what A wrote.
    reminded = "已提醒负责人"
    assert not [e for e in case_timeline(case, with_notes=False, school_id=city.school_a.pk).entries
                if e.title.startswith(reminded)]
    assert [e.school for e in case_timeline(case, with_notes=False).entries if e.title.startswith(reminded)] == [
        "西山中学"]


def test_a_student_without_an_open_case_moves_without_a_handover(city):
    closed = case_open(student=city.chen, level="yellow", reason="考前焦虑，需要评估", actor=city.liu_a)
    case_close(case=closed, actor=city.liu_a, closure_review="考试结束后情绪恢复，风险解除。")
    result = _transfer(city, handover_note="")
    assert result.case is None and result.handover is None and not Handover.objects.exists()
    assert Student.objects.get(pk=city.chen.pk).school == city.school_b
    # A closed case stays where it was worked on.
    assert Case.objects.get(pk=closed.pk).school == city.school_a


@pytest.mark.parametrize("note", ["", "   ", "请跟进"])
def test_an_open_case_needs_a_handover_note_and_nothing_changes_without_one(city, case, note):
    with pytest.raises(ValidationError, match="请写交接说明"):
        _transfer(city, handover_note=note)
    _unchanged(city, case)


def test_a_receiving_school_without_a_psych_teacher_is_refused_by_name(city, case):
    school, school_class = _school(city, "东湖二中", "A002")
    with pytest.raises(ValidationError, match="东湖二中还没有心理教师账号"):
        _transfer(city, to_school=school, to_class=school_class)
    _unchanged(city, case)


def test_bad_destinations_and_wrong_people_are_refused_and_nothing_changes(city, case):
    other_city = Region.objects.create(code="HZ", name="海州市", kind=Region.Kind.CITY)
    far, far_class = _school(city, "海州中学", "H001", Region.objects.create(code="HZ-1", name="海州区",
                                                                           kind=Region.Kind.DISTRICT,
                                                                           parent=other_city))
    refusals = [
        ({"to_school": far, "to_class": far_class}, "只能转到本市的学校"),
        ({"to_class": city.class_a1}, "请选择目标学校的班级"),
        ({"to_school": city.school_a, "to_class": city.class_a2}, "学生已在这所学校"),
        ({"reason": " "}, "请写明转学原因"),
        ({"actor": city.liu_a}, "只有学生所在学校的学校管理员"),
        ({"actor": city.song_b}, "只有学生所在学校的学校管理员"),
        ({"actor": city.bai}, "只有学生所在学校的学校管理员"),
    ]
    for overrides, message in refusals:
        with pytest.raises(ValidationError, match=message):
            _transfer(city, **overrides)
        _unchanged(city, case)


# --- after the transfer: the old school, the new school --------------------------------------

@pytest.fixture
def moved(city, case, t0):
    """Chen transferred to school B; B's psych teacher then records a session there."""
    _transfer(city)
    intervention.session_record(case=case, actor=city.wang_b, held_at=timezone.now(), kind="individual",
                                minutes=40, private_notes=B_NOTES)
    return Case.objects.get(pk=case.pk)


def test_the_old_school_no_longer_opens_the_case(city, client_as, moved):
    for user in (city.liu_a, city.song_a, city.zhang_a1):
        assert client_as(user).get(reverse("cases:detail", args=[moved.pk])).status_code == 404
        assert client_as(user).get(reverse("cases:timeline", args=[moved.pk])).status_code in (403, 404)


def test_the_old_psych_teacher_reads_only_what_school_a_wrote_with_its_notes_audited(city, client_as, moved):
    response = client_as(city.liu_a).get(reverse("cases:written_by_school_case", args=[moved.pk]))
    page = response.content.decode()
    assert response.status_code == 200
    assert NOTES in page and "妈妈同意带孩子去医院评估" in page and "转学交接：东湖中学 → 西山中学" in page
    assert NOTE in page
    assert B_NOTES not in page and "辅导：个别辅导，40 分钟" not in page
    schools = {entry.school for entry in response.context["timeline"].entries}
    assert schools == {"东湖中学"}
    assert AuditEntry.objects.filter(action="cases.written_viewed", actor_label="liu_a").count() == 1
    [read] = AuditEntry.objects.filter(action="cases.session_notes_read", actor_label="liu_a")
    assert read.object_id == str(CounsellingSession.objects.get(written_at_school=city.school_a).pk)


def test_the_old_school_admin_reads_what_school_a_wrote_without_session_notes(city, client_as, moved):
    page = client_as(city.song_a).get(reverse("cases:written_by_school_case", args=[moved.pk])).content.decode()
    assert "辅导：个别辅导，50 分钟" in page and NOTES not in page and B_NOTES not in page
    assert not AuditEntry.objects.filter(action="cases.session_notes_read", actor_label="song_a").exists()


def test_the_old_school_lists_the_cases_that_left_it(city, client_as, moved):
    for user in (city.liu_a, city.song_a):
        response = client_as(user).get(reverse("cases:written_by_school"))
        assert [case for case, _handover in response.context["rows"]] == [moved]
        assert "西山中学" in response.content.decode()
    for user in (city.wang_b, city.song_b):
        assert list(client_as(user).get(reverse("cases:written_by_school")).context["rows"]) == []


def test_what_the_agency_adds_after_the_transfer_is_the_new_schools(city, client_as, moved):
    from xinshao.cases.referrals import services as referrals

    referral = moved.referrals.get()
    referrals.referral_seen(referral=referral, actor=city.yi, seen_on=timezone.localdate())
    assert moved.events.get(kind="referral_seen").written_at_school == city.school_b
    page = client_as(city.liu_a).get(reverse("cases:written_by_school_case", args=[moved.pk])).content.decode()
    assert "学生已到机构就诊" not in page
    assert "学生已到机构就诊" in client_as(city.wang_b).get(reverse("cases:timeline", args=[moved.pk])).content.decode()


def test_the_new_school_sees_the_whole_story_naming_where_each_part_was_written(city, client_as, moved):
    response = client_as(city.wang_b).get(reverse("cases:timeline", args=[moved.pk]))
    page = response.content.decode()
    assert response.status_code == 200 and response.context["timeline"].moved
    for words in (NOTES, B_NOTES, NOTE, "他在班上说不想活了", "妈妈同意带孩子去医院评估", "东湖中学", "西山中学"):
        assert words in page, words
    assert page.index(NOTES) < page.index(NOTE) < page.index(B_NOTES)
    assert client_as(city.wang_b).get(reverse("cases:detail", args=[moved.pk])).status_code == 200
    assert client_as(city.xin).get(reverse("cases:timeline", args=[moved.pk])).status_code == 200


# --- every role on each page -----------------------------------------------------------------

def _expected(username, allowed, visible=frozenset()):
    if username in allowed:
        return 200
    if username in visible:
        return 403
    return 404 if username in CASE_PAGE_ROLES else 403


@pytest.mark.parametrize("student,allowed", [("chen", {"song_a"}), ("zhou", {"song_b"})])
def test_every_role_on_the_transfer_page(city, client_as, case, student, allowed):
    url = reverse("cases:transfer", args=[getattr(city, student).pk])
    for username, user in city.everyone().items():
        if username in allowed:
            expected = 200
        else:  # the other school's admin does not find the student; nobody else uses the page
            expected = 404 if username in {"song_a", "song_b"} else 403
        assert client_as(user).get(url).status_code == expected, username


def test_every_role_on_the_old_schools_pages(city, client_as, moved):
    keepers = {"liu_a", "song_a", "wang_b", "song_b"}
    for username, user in city.everyone().items():
        client = client_as(user)
        assert client.get(reverse("cases:written_by_school")).status_code == (200 if username in keepers else 403)
        # A case page out of sight answers 404, whatever the role (as for a case that does not exist).
        expected = 200 if username in {"liu_a", "song_a"} else 404
        url = reverse("cases:written_by_school_case", args=[moved.pk])
        assert client.get(url).status_code == expected, username


def test_every_role_posting_a_transfer_only_the_schools_admin_moves_the_student(city, client_as, case):
    data = {"to_school": city.school_b.pk, "to_class": city.class_b1.pk, "reason": "随父母工作调动",
            "handover_note": NOTE}
    for username, user in city.everyone().items():
        if username != "song_a":
            assert client_as(user).post(reverse("cases:transfer", args=[city.chen.pk]), data).status_code in (403, 404)
    _unchanged(city, case)
    response = client_as(city.song_a).post(reverse("cases:transfer", args=[city.chen.pk]), data)
    assert response.status_code == 302 and response["Location"] == reverse("cases:written_by_school")
    assert Case.objects.get(pk=case.pk).owner == city.wang_b


# --- the transfer page -----------------------------------------------------------------------

def test_the_page_picks_the_school_first_then_its_classes_and_names_the_receiver(city, client_as, case):
    client = client_as(city.song_a)
    page = client.get(reverse("cases:transfer", args=[city.chen.pk])).content.decode()
    assert "西山中学" in page and "未结案的个案" in page and 'name="to_class"' not in page
    response = client.get(reverse("cases:transfer", args=[city.chen.pk]), {"to_school": city.school_b.pk})
    assert list(response.context["form"].fields["to_class"].queryset) == [city.class_b1]
    assert "个案将交给西山中学的 王心理B" in response.content.decode()


@pytest.mark.parametrize("data,message", [
    ({"handover_note": ""}, "请写交接说明"),
    ({"to_class": "class-a1"}, "请选择转入学校的班级"),
    ({"reason": ""}, "请写明转学原因"),
    ({"to_school": "999999"}, "请从列表中选择本市的学校"),
])
def test_a_bad_transfer_form_says_why_and_changes_nothing(city, client_as, case, data, message):
    form = {"to_school": city.school_b.pk, "to_class": city.class_b1.pk, "reason": "随父母工作调动",
            "handover_note": NOTE, **data}
    if form["to_class"] == "class-a1":
        form["to_class"] = city.class_a1.pk
    response = client_as(city.song_a).post(reverse("cases:transfer", args=[city.chen.pk]), form)
    assert response.status_code == 400 and message in response.content.decode()
    _unchanged(city, case)


def test_a_student_without_an_open_case_transfers_from_the_page_without_a_note(city, client_as):
    response = client_as(city.song_a).post(reverse("cases:transfer", args=[city.lin.pk]), {
        "to_school": city.school_b.pk, "to_class": city.class_b1.pk, "reason": "随父母工作调动"})
    assert response.status_code == 302 and response["Location"] == reverse("people:student_list")
    assert Student.objects.get(pk=city.lin.pk).school == city.school_b and not Handover.objects.exists()
