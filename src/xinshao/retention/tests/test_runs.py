"""A retention run on the seeded test city: exactly what the policy says goes, nothing else is
touched, and every dashboard figure is the same before and after."""
import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import timezone

from xinshao.accounts.models import RoleAssignment, User
from xinshao.audit.models import AuditEntry
from xinshao.campaigns.models import Assignment, ConsentRecord, Submission
from xinshao.cases.models import Case, CounsellingSession
from xinshao.celery import app as celery_app
from xinshao.dashboards.selectors import Filters, dashboard_tables
from xinshao.dashboards.tests.support import seed
from xinshao.hotline.models import Call
from xinshao.notifications.models import Notification
from xinshao.people.models import Enrolment, Guardian, GuardianLink, Student
from xinshao.retention.kinds import ANONYMISED, KINDS
from xinshao.retention.models import Handled, PolicyChange, RetentionRun
from xinshao.retention.services import policy_set, retention_run
from xinshao.testing import PASSWORD

YEAR = datetime.timedelta(days=365)
ANSWERS = {"phqa": [1, 1, 1, 1, 1, 0, 0, 0, 0]}


def figures(city, seeded):
    """Every figure the city's and school A's dashboards print, this term against last."""
    filters = Filters(term=city.term, compare=seeded.previous)
    city_figures = dashboard_tables(city.bai, filters)
    school_figures = dashboard_tables(city.liu_a, Filters(term=city.term, compare=seeded.previous, school=city.school_a))
    return [(t.title, list(t.columns), [list(r) for r in t.rows]) for t in [*city_figures, *school_figures]]


def _leave(student, *, on: datetime.date, status=Student.Status.LEFT):
    Student.objects.filter(pk=student.pk).update(status=status)
    Enrolment.objects.filter(student=student, ended_on__isnull=True).update(ended_on=on)


@pytest.fixture
def aged(city):
    """The dashboards' seeded city with some of it aged past its time, and a policy set."""
    seeded = seed(city)
    now = timezone.now()
    Submission.objects.update(answers=ANSWERS)
    Assignment.objects.update(draft=ANSWERS)
    # A student who left three years ago (with a guardian of her own and a login), one who graduated last month.
    leaver, recent = seeded.a1[3], seeded.a2[2]
    _leave(leaver, on=datetime.date(2023, 6, 30))
    _leave(recent, on=timezone.localdate() - datetime.timedelta(days=30), status=Student.Status.GRADUATED)
    mother = Guardian.objects.create(name="甲一妈妈", phone="13900000001")
    GuardianLink.objects.create(student=leaver, guardian=mother, relation="母亲")
    mother_user = User.objects.create_user(username="mother", password=PASSWORD, display_name="甲一妈妈")
    RoleAssignment.objects.create(user=mother_user, role="guardian", guardian=mother)
    leaver_user = User.objects.create_user(username="leaver", password=PASSWORD, display_name=leaver.name)
    RoleAssignment.objects.create(user=leaver_user, role="student", student=leaver)
    # The closed case closed four years ago; one call four years ago.
    closed = Case.objects.get(state=Case.State.CLOSED)
    Case.objects.filter(pk=closed.pk).update(closed_at=now - 4 * YEAR, closure_review="已稳定")
    CounsellingSession.objects.create(case=closed, held_at=now - 5 * YEAR, kind="individual", minutes=40,
                                      private_notes="很私密的记录", written_by=city.liu_a,
                                      written_at=now - 5 * YEAR, written_at_school=city.school_a)
    old_call = Call.objects.order_by("started_at").first()
    Call.objects.filter(pk=old_call.pk).update(started_at=now - 4 * YEAR, notes="来电详情")
    # Notifications: three two years old, one today.
    old = [Notification.objects.create(recipient=city.liu_a, subject=f"旧通知{n}") for n in range(3)]
    Notification.objects.filter(pk__in=[n.pk for n in old]).update(created_at=now - 2 * YEAR)
    Notification.objects.create(recipient=city.liu_a, subject="新通知")
    # Consents: two of last term, one of this term.
    old_campaign, this_campaign = (Assignment.objects.get(student=seeded.a1[0], campaign__term=seeded.previous).campaign,
                                   Assignment.objects.get(student=seeded.a1[0], campaign__term=city.term).campaign)
    for campaign, student in ((old_campaign, seeded.a1[0]), (old_campaign, seeded.a1[1]), (this_campaign, seeded.a1[2])):
        ConsentRecord.objects.create(campaign=campaign, student=student, decision="granted", recorded_by=city.liu_a)
    # The bureau keeps raw answers and consents three months after the term.
    policy_set(kind_key="answers", months=3, action="anonymise", reason="本市只需复核一个学期", actor=city.bai)
    policy_set(kind_key="consents", months=3, action="delete", reason="同意书另有纸质存档", actor=city.bai)
    seeded.leaver, seeded.recent, seeded.closed, seeded.old_call = leaver, recent, closed, old_call
    seeded.mother, seeded.mother_user, seeded.leaver_user = mother, mother_user, leaver_user
    return seeded


EXPECTED = {"answers": 2, "case_notes": 1, "hotline_calls": 1, "hotline_visits": 0, "counseling_notes": 0,
            "help_requests": 0, "notifications": 3, "consents": 2, "students_left": 1}


def test_a_run_removes_exactly_what_the_policy_says_and_keeps_every_dashboard_figure(city, aged):
    before = figures(city, aged)
    students, notifications, consents = Student.objects.count(), Notification.objects.count(), ConsentRecord.objects.count()

    runs = retention_run()

    assert {run.kind: (run.found, run.done) for run in runs} == {k: (n, n) for k, n in EXPECTED.items()}
    assert all(run.state == RetentionRun.State.DONE and run.started_by is None for run in runs)
    assert figures(city, aged) == before
    # Deleted: the three old notifications and last term's two consents, nothing else.
    assert Notification.objects.count() == notifications - 3
    assert not Notification.objects.filter(subject__startswith="旧通知").exists()
    assert ConsentRecord.objects.count() == consents - 2
    assert ConsentRecord.objects.filter(campaign__term=city.term).count() == 1
    # Raw answers: last term's two, and the leaver's of this term; every other answer is as given.
    assert Submission.objects.filter(answers={}).count() == 3
    assert Submission.objects.exclude(answers={}).count() == Submission.objects.count() - 3
    assert Submission.objects.filter(answers={}, assignment__campaign__term=city.term).get().assignment.student_id \
        == aged.leaver.pk
    # The case keeps its shape, loses its words.
    closed = Case.objects.get(pk=aged.closed.pk)
    assert (closed.state, closed.level, closed.closure_review, closed.opening_reason) == ("closed", "yellow", "", "")
    assert CounsellingSession.objects.get(case=closed).private_notes == ""
    assert (Call.objects.get(pk=aged.old_call.pk).notes, Call.objects.get(pk=aged.old_call.pk).risk) == ("", "low")
    # The leaver is a row with no identity: same school, class and gender, no guardian, no login.
    leaver = Student.objects.get(pk=aged.leaver.pk)
    assert (leaver.name, leaver.student_number, leaver.birth_date.month, leaver.birth_date.day) == (
        ANONYMISED, f"ANON-{leaver.pk}", 1, 1)
    assert (leaver.school_id, leaver.school_class_id, leaver.gender) == (city.school_a.pk, city.class_a1.pk, "F")
    assert not GuardianLink.objects.filter(student=leaver).exists()
    assert Guardian.objects.get(pk=aged.mother.pk).name == ANONYMISED
    for user in (aged.mother_user, aged.leaver_user):
        user.refresh_from_db()
        assert not user.is_active and user.display_name == ANONYMISED and not user.has_usable_password()
    # Nobody else: the recent graduate, Zhou, Chen and their guardian are as they were.
    assert Student.objects.count() == students
    assert Student.objects.get(pk=aged.recent.pk).name == aged.recent.name
    assert Student.objects.get(pk=city.zhou.pk).name == city.zhou.name
    assert Guardian.objects.get(pk=city.chen_ma.pk).name == city.chen_ma.name
    assert AuditEntry.objects.filter(action="retention.student_anonymised", student_id=leaver.pk).count() == 1
    assert AuditEntry.objects.filter(action="retention.run").count() == len(KINDS)


def test_a_second_run_finds_nothing_more(city, aged):
    retention_run()
    again = retention_run()
    assert {run.kind: run.found for run in again} == {kind: 0 for kind in KINDS}


def test_a_dry_run_counts_and_changes_nothing(city, aged):
    before = (Notification.objects.count(), Submission.objects.filter(answers={}).count(), Handled.objects.count())
    runs = retention_run(dry_run=True, actor=city.bai)
    assert {run.kind: (run.found, run.done) for run in runs} == {k: (n, 0) for k, n in EXPECTED.items()}
    assert all(run.dry_run and run.started_by == city.bai for run in runs)
    assert (Notification.objects.count(), Submission.objects.filter(answers={}).count(), Handled.objects.count()) == before
    assert Student.objects.get(pk=aged.leaver.pk).name == aged.leaver.name


def test_a_longer_policy_keeps_what_a_shorter_one_would_remove(city, aged):
    policy_set(kind_key="notifications", months=36, action="delete", reason="督查要求保留三年", actor=city.bai)
    [run] = retention_run(kinds=["notifications"])
    assert (run.found, run.months) == (0, 36)
    assert Notification.objects.filter(subject__startswith="旧通知").count() == 3


def test_the_policy_refuses_what_a_kind_cannot_do_and_records_each_change(city):
    for months, action, reason, field in ((0, "anonymise", "理由充分", "months"), (12, "delete", "理由充分", "action"),
                                          (12, "anonymise", "", "reason")):
        with pytest.raises(ValidationError) as refused:
            policy_set(kind_key="answers", months=months, action=action, reason=reason, actor=city.bai)
        assert field in refused.value.message_dict
    assert not PolicyChange.objects.exists()
    policy_set(kind_key="answers", months=6, action="anonymise", reason="本市只需复核一个学期", actor=city.bai)
    [change] = PolicyChange.objects.all()
    assert (change.actor, change.data_kind, change.reason) == (city.bai, "answers", "本市只需复核一个学期")
    assert change.detail == {"before": {"months": 12, "action": "anonymise", "default": True},
                             "after": {"months": 6, "action": "anonymise"}}


def test_the_command_and_the_nightly_job(city, aged):
    out = io.StringIO()
    call_command("retention_run", "--dry-run", stdout=out)
    assert "notifications: 3 past" in out.getvalue() and "3 due" in out.getvalue()
    assert Notification.objects.filter(subject__startswith="旧通知").count() == 3
    entry = celery_app.conf.beat_schedule["retention-run-nightly"]
    assert entry["task"] == "xinshao.retention.tasks.run_retention"
    assert celery_app.tasks[entry["task"]].apply().get() == EXPECTED
