"""Early-warning examples for the demo city, so the inboxes and attention lists have something real.

In each showcase school, in the class that has a committee member's login. In the first school:
a red alert from a committee member's report, already past its deadline (the running server
escalates it to the school leader within a minute, and to the bureau psych centre half an hour
later unless someone acknowledges it); an orange alert that two channels raised together; and a
yellow one from a self-check-in. In the second school: an orange alert from a class teacher's referral.
"""
import datetime

from xinshao.accounts.models import RoleAssignment
from xinshao.accounts.roles import Role
from xinshao.alerts.models import Source
from xinshao.alerts.services import alert_acknowledge, signal_receive
from xinshao.org.models import Region, School
from xinshao.people.models import Student


def _someone(role: str, **scope):
    assignment = RoleAssignment.objects.filter(role=role, is_active=True, **scope).select_related("user").first()
    return assignment.user if assignment else None


def _signal(student: Student, source: str, raised_by, facts: dict, note: str, at: datetime.datetime):
    return signal_receive(student=student, source=source, raised_by=raised_by, facts=facts, note=note, at=at)


def _students_of_committee_class(school: School, count: int) -> list[Student]:
    """Students in the class that has a committee member's login (so its class teacher's attention
    list and the member's report form fit together), without the students who can sign in."""
    committee = RoleAssignment.objects.filter(role=Role.PSYCH_COMMITTEE, student__school=school).select_related(
        "student").order_by("id").first()
    with_login = RoleAssignment.objects.filter(student__isnull=False).values("student_id")
    return list(Student.objects.filter(school_class_id=committee.student.school_class_id)
                .exclude(id__in=with_login).select_related("school_class").order_by("student_number")[:count])


def seed_warnings(city: Region, now: datetime.datetime) -> None:
    showcase = list(School.objects.filter(district__parent=city).order_by("code")[:2])
    first = _students_of_committee_class(showcase[0], 3)
    minutes = datetime.timedelta(minutes=1)

    reported = first[0]
    _signal(reported, Source.COMMITTEE_REPORT,
            _someone(Role.PSYCH_COMMITTEE, student__school_class=reported.school_class),
            {"concerns": ["self_harm_talk", "low_mood"]}, "课间听到他说“活着没意思”，最近总是一个人。",
            now - 40 * minutes)

    two_channels = first[1]
    _signal(two_channels, Source.GUARDIAN_CONCERN, None, {"concerns": ["sleep_energy", "family_change"]},
            "孩子最近睡得很晚，不愿意说话。", now - 3 * 24 * 60 * minutes)
    alert = _signal(two_channels, Source.SELF_CHECKIN, None, {"mood": 2, "stress": 5, "wants_talk": True}, "",
                    now - 2 * 24 * 60 * minutes).alert
    psych_teacher = _someone(Role.PSYCH_TEACHER, school=showcase[0])
    alert_acknowledge(alert=alert, actor=psych_teacher, now=now - 47 * 60 * minutes)

    _signal(first[2], Source.SELF_CHECKIN, None, {"mood": 1, "stress": 3, "wants_talk": False}, "",
            now - 60 * minutes)

    if len(showcase) > 1:
        referred = _students_of_committee_class(showcase[1], 1)[0]
        _signal(referred, Source.TEACHER_REFERRAL,
                _someone(Role.CLASS_TEACHER, school_class=referred.school_class),
                {"concerns": ["withdrawn", "grades_drop"], "urgent": False}, "期中后明显退缩，作业经常空白。",
                now - 90 * minutes)
