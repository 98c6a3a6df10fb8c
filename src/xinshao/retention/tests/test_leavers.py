"""A student who left through 办理离校 (people.services.student_leave) is anonymised by the retention
run exactly when the policy's period, counted from the day they left, has passed: the day the
student's page announces, not a day before."""
import datetime
import io

from dateutil.relativedelta import relativedelta
from django.core.management import call_command
from django.utils import timezone

from xinshao.people.models import Enrolment, Student
from xinshao.people.selectors import student_clock
from xinshao.people.services import student_leave
from xinshao.retention.kinds import ANONYMISED
from xinshao.retention.services import policy_set, retention_run

DAY = datetime.timedelta(days=1)


def test_the_run_anonymises_a_leaver_on_the_day_their_page_announces_and_not_before(city):
    left = datetime.date(2026, 11, 20)
    student_leave(student=city.chen, on=left, status=Student.Status.TRANSFERRED_OUT, reason="随父母迁居外省",
                  actor=city.song_a)
    announced = student_clock(Student.objects.get(pk=city.chen.pk)).anonymised_on
    assert announced == left + relativedelta(months=24) + DAY   # the default: 24 months after leaving

    [early] = retention_run(kinds=["students_left"], today=announced - DAY)
    assert early.found == 0 and Student.objects.get(pk=city.chen.pk).name == city.chen.name
    [due] = retention_run(kinds=["students_left"], today=announced)
    assert (due.found, due.done) == (1, 1)
    chen = Student.objects.get(pk=city.chen.pk)
    assert chen.name == ANONYMISED and Enrolment.objects.get(student=chen).reason == ""
    assert student_clock(chen) is None   # handled: no clock left to show


def test_the_command_follows_the_bureaus_period_from_the_leaving_day(city):
    policy_set(kind_key="students_left", months=1, action="anonymise", reason="离校一个月后即匿名", actor=city.bai)
    cutoff = timezone.localdate() - relativedelta(months=1)
    student_leave(student=city.chen, on=cutoff - DAY, status=Student.Status.LEFT, reason="退学", actor=city.song_a)
    student_leave(student=city.lin, on=cutoff, status=Student.Status.GRADUATED, reason="毕业", actor=city.song_a)
    out = io.StringIO()
    call_command("retention_run", "--kind", "students_left", stdout=out)
    assert f"students_left: 1 past {cutoff.isoformat()} (1 months, anonymise), 1 done" in out.getvalue()
    assert Student.objects.get(pk=city.chen.pk).name == ANONYMISED
    assert Student.objects.get(pk=city.lin.pk).name == city.lin.name   # left a day later: tomorrow
