"""Follow-ups (回访): planning, done, waived — who may, and what is refused; reminders with the
clock moved; the overdue lists of the school and the bureau; every role on each follow-up page."""
import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from xinshao.audit.models import AuditEntry
from xinshao.cases.followups.services import (
    followup_done,
    followup_plan,
    followup_waive,
    followups_remind_due,
)
from xinshao.cases.models import Case, CaseEvent, FollowUp
from xinshao.cases.services import case_close, case_open
from xinshao.notifications.models import Notification

pytestmark = pytest.mark.django_db

# 09:00 in Shanghai on a Monday; every test moves the clock from here instead of waiting.
T0 = datetime.datetime(2026, 11, 2, 1, 0, tzinfo=datetime.UTC)
DAY = datetime.timedelta(days=1)
TODAY = datetime.date(2026, 11, 2)
CASE_PAGE_ROLES = {"liu_a", "wang_b", "song_a", "song_b", "zhang_a1", "qian_b1", "xin"}


@pytest.fixture
def case(city):
    return case_open(student=city.chen, level="red", reason="自伤言语，需要评估", actor=city.liu_a, now=T0)


@pytest.fixture
def zhou_case(city):
    return case_open(student=city.zhou, level="yellow", reason="情绪低落两周", actor=city.wang_b, now=T0)


def _plan(case, days=3, now=T0, actor=None):
    return followup_plan(case=case, due_on=TODAY + datetime.timedelta(days=days), actor=actor or case.owner, now=now)


# --- the changes -----------------------------------------------------------------------------

def test_planning_stores_the_follow_up_with_its_school_an_event_and_an_audit_entry(city, case):
    follow_up = _plan(case)
    assert (follow_up.state, follow_up.due_on, follow_up.written_at_school) == ("planned", TODAY + 3 * DAY,
                                                                                 city.school_a)
    event = case.events.get(kind="followup_planned")
    assert event.detail == {"follow_up": follow_up.pk, "due_on": "2026-11-05"} and event.actor == city.liu_a
    assert AuditEntry.objects.filter(action="cases.followup_planned", student_id=city.chen.pk).exists()


def test_a_follow_up_may_be_planned_for_today(case):
    assert _plan(case, days=0).due_on == TODAY


@pytest.mark.parametrize("due_on,message", [
    (TODAY - DAY, "回访日期不能早于今天"),
    (TODAY + 400 * DAY, "回访日期不能晚于一年以后"),
    (None, "请选择回访日期"),
])
def test_a_date_in_the_past_or_far_ahead_is_refused_and_nothing_is_stored(case, due_on, message):
    with pytest.raises(ValidationError, match=message):
        followup_plan(case=case, due_on=due_on, actor=case.owner, now=T0)
    assert not FollowUp.objects.exists() and not case.events.filter(kind="followup_planned").exists()


def test_done_needs_an_outcome_and_then_keeps_it_encrypted_out_of_the_event(city, case):
    follow_up = _plan(case)
    with pytest.raises(ValidationError, match="请写明回访结果"):
        followup_done(follow_up=follow_up, outcome="  好 ", actor=city.liu_a, now=T0 + DAY)
    assert FollowUp.objects.get().state == "planned"
    done = followup_done(follow_up=follow_up, outcome="情绪平稳，已回到课堂，继续观察两周。", actor=city.liu_a,
                         now=T0 + DAY)
    assert (done.state, done.completed_by, done.completed_at) == ("done", city.liu_a, T0 + DAY)
    event = case.events.get(kind="followup_done")
    assert event.detail == {"follow_up": follow_up.pk} and "情绪平稳" not in event.reason


def test_waiving_needs_a_reason_which_stays_with_it(city, case):
    follow_up = _plan(case)
    with pytest.raises(ValidationError, match="请写明免除原因"):
        followup_waive(follow_up=follow_up, reason="", actor=city.liu_a, now=T0)
    waived = followup_waive(follow_up=follow_up, reason="学生已由精神卫生中心每周随访", actor=city.liu_a, now=T0)
    assert (waived.state, waived.waived_reason) == ("waived", "学生已由精神卫生中心每周随访")
    assert case.events.get(kind="followup_waived").reason == "学生已由精神卫生中心每周随访"


@pytest.mark.parametrize("first,then", [("done", "done"), ("done", "waive"), ("waive", "done"), ("waive", "waive")])
def test_a_follow_up_done_or_waived_cannot_change_again(city, case, first, then):
    follow_up = _plan(case)
    change = {"done": lambda f: followup_done(follow_up=f, outcome="情绪平稳，继续观察", actor=city.liu_a, now=T0),
              "waive": lambda f: followup_waive(follow_up=f, reason="家长明确拒绝回访", actor=city.liu_a, now=T0)}
    change[first](follow_up)
    with pytest.raises(ValidationError, match="不能再修改"):
        change[then](follow_up)
    assert case.events.filter(kind__startswith="followup_").count() == 2


def test_only_the_schools_psych_teachers_change_follow_ups(city, case):
    follow_up = _plan(case)
    for username, user in city.everyone().items():
        if username == "liu_a":
            continue
        for change in (lambda u: _plan(case, actor=u),
                       lambda u: followup_done(follow_up=follow_up, outcome="情绪平稳，继续观察", actor=u, now=T0),
                       lambda u: followup_waive(follow_up=follow_up, reason="家长明确拒绝回访", actor=u, now=T0)):
            with pytest.raises(ValidationError, match="只有本校的心理教师"):
                change(user)
    assert FollowUp.objects.get().state == "planned" and FollowUp.objects.count() == 1


def test_a_closed_case_takes_no_new_follow_up(city, case):
    case_close(case=case, actor=city.liu_a, closure_review="学生情绪稳定，风险已解除，转为常规关注。", now=T0)
    with pytest.raises(ValidationError, match="已经结案"):
        _plan(case)
    assert not FollowUp.objects.exists()


# --- reminders -------------------------------------------------------------------------------

def _reminders(user):
    return list(Notification.objects.filter(recipient=user, topic="case.follow_up").order_by("id"))


def test_the_owner_is_reminded_once_on_the_day_and_never_again(city, case):
    follow_up = _plan(case, days=2)
    assert followups_remind_due(now=T0 + DAY) == 0
    assert followups_remind_due(now=T0 + 2 * DAY) == 1
    assert followups_remind_due(now=T0 + 2 * DAY + datetime.timedelta(hours=1)) == 0
    assert followups_remind_due(now=T0 + 9 * DAY) == 0
    [reminder] = _reminders(city.liu_a)
    assert reminder.subject == "今天有一次回访" and reminder.urgent  # a red case
    assert reminder.link == f"/cases/{case.pk}/" and "2026-11-04" in reminder.body
    assert "陈小雨" not in reminder.subject + reminder.body
    assert FollowUp.objects.get(pk=follow_up.pk).reminded_at == T0 + 2 * DAY


def test_a_follow_up_found_overdue_is_reminded_as_overdue_and_in_app_only_for_a_yellow_case(city, zhou_case):
    _plan(zhou_case, days=1)
    assert followups_remind_due(now=T0 + 4 * DAY) == 1
    [reminder] = _reminders(city.wang_b)
    assert reminder.subject == "回访已逾期" and not reminder.urgent
    assert not reminder.deliveries.exists()


def test_done_waived_and_closed_cases_follow_ups_are_not_reminded(city, case, zhou_case):
    done, waived = _plan(case, days=0), _plan(case, days=0)
    followup_done(follow_up=done, outcome="情绪平稳，继续观察", actor=city.liu_a, now=T0)
    followup_waive(follow_up=waived, reason="家长明确拒绝回访", actor=city.liu_a, now=T0)
    case_close(case=case, actor=city.liu_a, closure_review="学生情绪稳定，风险已解除，转为常规关注。", now=T0)
    assert followups_remind_due(now=T0 + DAY) == 0 and not Notification.objects.filter(topic="case.follow_up")


def test_each_due_follow_up_gets_its_own_reminder(city, case, zhou_case):
    _plan(case, days=0), _plan(case, days=1), _plan(zhou_case, days=1)
    assert followups_remind_due(now=T0 + DAY) == 3
    assert len(_reminders(city.liu_a)) == 2 and len(_reminders(city.wang_b)) == 1


def test_the_reminder_is_a_periodic_celery_job(city):
    from xinshao.celery import app as celery_app

    case = case_open(student=city.chen, level="orange", reason="自伤言语，需要评估", actor=city.liu_a)
    followup_plan(case=case, due_on=timezone.localdate(), actor=city.liu_a)
    entry = celery_app.conf.beat_schedule["cases-remind-follow-ups"]
    assert entry["task"] == "xinshao.cases.tasks.remind_follow_ups" and entry["schedule"] <= 15 * 60
    celery_app.loader.import_default_modules()
    assert celery_app.tasks["xinshao.cases.tasks.remind_follow_ups"].apply().get() == 1
    assert celery_app.tasks["xinshao.cases.tasks.remind_follow_ups"].apply().get() == 0


# --- pages -----------------------------------------------------------------------------------

def _expected(username, allowed, visible):
    if username in allowed:
        return 200
    if username in visible:
        return 403
    return 404  # out of sight, whatever the role: as for a case that does not exist


@pytest.mark.parametrize("route", ["followup_new", "followup_done", "followup_waive"])
def test_every_role_on_each_follow_up_page(city, client_as, case, route):
    follow_up = _plan(case)
    args = [case.pk] if route == "followup_new" else [case.pk, follow_up.pk]
    url = reverse(f"cases:{route}", args=args)
    # Red case at school A: the team (class teacher, school leader) and the bureau see it but do not change it.
    visible = {"zhang_a1", "song_a", "xin"}
    for username, user in city.everyone().items():
        assert client_as(user).get(url).status_code == _expected(username, {"liu_a"}, visible), username


def test_every_role_posting_each_follow_up_form_only_the_psych_teacher_stores(city, client_as, case):
    follow_up = _plan(case)
    forms = [("followup_new", [case.pk], {"due_on": "2026-12-01"}),
             ("followup_done", [case.pk, follow_up.pk], {"outcome": "情绪平稳，继续观察"}),
             ("followup_waive", [case.pk, follow_up.pk], {"reason": "家长明确拒绝回访"})]
    for username, user in city.everyone().items():
        if username == "liu_a":
            continue
        for route, args, data in forms:
            assert client_as(user).post(reverse(f"cases:{route}", args=args), data).status_code in (403, 404)
    assert FollowUp.objects.count() == 1 and FollowUp.objects.get().state == "planned"


def test_the_psych_teacher_plans_and_records_a_follow_up_from_the_case_page(city, client_as):
    case = case_open(student=city.chen, level="red", reason="自伤言语，需要评估", actor=city.liu_a)
    client = client_as(city.liu_a)
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert reverse("cases:followup_new", args=[case.pk]) in page and "还没有安排回访" in page
    response = client.post(reverse("cases:followup_new", args=[case.pk]), {"due_on": "2099-01-01"})
    assert response.status_code == 400 and "回访日期不能晚于一年以后" in response.content.decode()
    due = timezone.localdate() + 7 * DAY
    response = client.post(reverse("cases:followup_new", args=[case.pk]), {"due_on": due.isoformat()})
    assert response.status_code == 302 and response["Location"].endswith(f"/cases/{case.pk}/#follow-ups")
    follow_up = FollowUp.objects.get()
    response = client.post(reverse("cases:followup_done", args=[case.pk, follow_up.pk]), {"outcome": ""})
    assert response.status_code == 400 and "请写下回访结果" in response.content.decode()
    client.post(reverse("cases:followup_done", args=[case.pk, follow_up.pk]), {"outcome": "已回到课堂，情绪平稳"})
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "已回到课堂，情绪平稳" in page
    assert AuditEntry.objects.filter(action="cases.follow_ups_read", actor_label="liu_a").exists()


@pytest.mark.parametrize("bad", [{"due_on": "明天"}, {"due_on": ""}, {"due_on": "2020-01-01"}])
def test_a_bad_date_on_the_page_says_why_and_stores_nothing(city, client_as, case, bad):
    response = client_as(city.liu_a).post(reverse("cases:followup_new", args=[case.pk]), bad)
    assert response.status_code == 400 and "form-problem" in response.content.decode()
    assert not FollowUp.objects.exists()


def test_a_follow_up_of_another_case_is_not_found(city, client_as, case):
    other = case_open(student=city.lin, level="yellow", reason="同学反映情绪低落", actor=city.liu_a, now=T0)
    follow_up = _plan(other)
    response = client_as(city.liu_a).get(reverse("cases:followup_done", args=[case.pk, follow_up.pk]))
    assert response.status_code == 404


def test_class_teachers_and_leaders_on_the_team_see_dates_not_outcomes(city, client_as, case):
    follow_up = _plan(case, days=0, now=T0)
    followup_done(follow_up=follow_up, outcome="已回到课堂，情绪平稳", actor=city.liu_a, now=T0)
    for user in (city.zhang_a1, city.song_a):
        page = client_as(user).get(reverse("cases:detail", args=[case.pk])).content.decode()
        assert "已回访" in page and "已回到课堂" not in page
        assert reverse("cases:followup_new", args=[case.pk]) not in page
    assert "已回到课堂" in client_as(city.xin).get(reverse("cases:detail", args=[case.pk])).content.decode()


# --- overdue ---------------------------------------------------------------------------------

@pytest.fixture
def overdue(city, case, zhou_case):
    """One overdue follow-up at each school, a done one and one due today (neither overdue)."""
    past = timezone.now() - 10 * DAY
    late_a = followup_plan(case=case, due_on=timezone.localdate(past) + 2 * DAY, actor=city.liu_a, now=past)
    late_b = followup_plan(case=zhou_case, due_on=timezone.localdate(past) + 3 * DAY, actor=city.wang_b, now=past)
    done = followup_plan(case=case, due_on=timezone.localdate(past) + 1 * DAY, actor=city.liu_a, now=past)
    followup_done(follow_up=done, outcome="情绪平稳，继续观察", actor=city.liu_a)
    followup_plan(case=zhou_case, due_on=timezone.localdate(), actor=city.wang_b)
    return {"a": late_a, "b": late_b}


@pytest.mark.parametrize("username,expected", [
    ("liu_a", {"a": True}), ("song_a", {"a": True}),
    # The school admin watches every overdue follow-up of the school, named only for red cases.
    ("wang_b", {"b": True}), ("song_b", {"b": False}),
    # The bureau psych centre watches every school of the city; it may open only the red case.
    ("xin", {"a": True, "b": False}),
])
def test_the_overdue_list_of_each_level(city, client_as, overdue, username, expected):
    response = client_as(getattr(city, username)).get(reverse("cases:overdue_follow_ups"))
    assert response.status_code == 200
    got = {key: row.named for key, f in overdue.items() for row in response.context["rows"] if row.follow_up == f}
    assert got == expected and len(response.context["rows"]) == len(expected)
    page = response.content.decode()
    assert ("周子涵" in page) == expected.get("b", False) and ("陈小雨" in page) == expected.get("a", False)


def test_the_overdue_list_is_for_the_school_and_the_bureau_only(city, client_as, overdue):
    watchers = {"liu_a", "song_a", "wang_b", "song_b", "xin"}
    for username, user in city.everyone().items():
        expected = 200 if username in watchers else 403
        assert client_as(user).get(reverse("cases:overdue_follow_ups")).status_code == expected, username


def test_an_overdue_follow_up_of_a_closed_case_leaves_the_list(city, client_as, overdue):
    followup_waive(follow_up=overdue["a"], reason="学生已由医院每周随访", actor=city.liu_a)
    case_close(case=Case.objects.get(student=city.chen), actor=city.liu_a,
               closure_review="学生情绪稳定，风险已解除，转为常规关注。")
    rows = client_as(city.xin).get(reverse("cases:overdue_follow_ups")).context["rows"]
    assert [row.follow_up for row in rows] == [overdue["b"]]
    assert CaseEvent.objects.filter(kind="followup_waived").count() == 1


def test_anonymous_visitors_are_sent_to_sign_in_on_every_page_of_this_part(city, client, case):
    follow_up = _plan(case)
    urls = [reverse("cases:followup_new", args=[case.pk]),
            reverse("cases:followup_done", args=[case.pk, follow_up.pk]),
            reverse("cases:followup_waive", args=[case.pk, follow_up.pk]), reverse("cases:overdue_follow_ups"),
            reverse("cases:timeline", args=[case.pk]), reverse("cases:timeline_pdf", args=[case.pk]),
            reverse("cases:written_by_school"), reverse("cases:written_by_school_case", args=[case.pk]),
            reverse("cases:transfer", args=[city.chen.pk])]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], url
