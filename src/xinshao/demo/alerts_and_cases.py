"""Early-warning examples for the demo city, so the inboxes and attention lists have something real.

In each showcase school, in the class that has a committee member's login. In the first school:
a red alert from a committee member's report, already past its deadline (the running server
escalates it to the school leader within a minute, and to the bureau psych centre half an hour
later unless someone acknowledges it); an orange alert that two channels raised together; and a
yellow one from a self-check-in; the orange one is already a case with a session, a safety plan and
a referral waiting in the mental health centre's portal. In the second school: an orange alert from a class teacher's referral.
"""
import datetime

from xinshao.accounts.models import RoleAssignment
from xinshao.accounts.roles import Role
from xinshao.alerts.models import Source
from xinshao.alerts.services import alert_acknowledge, signal_receive
from xinshao.cases.followups.services import followup_plan
from xinshao.cases.intervention.services import safety_plan_save, session_record
from xinshao.cases.referrals.services import consent_record, referral_send
from xinshao.cases.services import case_open
from xinshao.org.models import PartnerAgency, Region, School
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


def _case_with_referral(alert, psych_teacher, at: datetime.datetime) -> None:
    """The two-channel alert became a case: one session, a safety plan, the guardian's consent and a
    referral to the city mental health centre (waiting in the portal of mhc.doctor1), a follow-up."""
    case = case_open(student=alert.student, level=alert.level, reason="家长反映与学生自评都提示情绪低落、睡眠差",
                     actor=psych_teacher, alert=alert, now=at)
    session_record(case=case, actor=psych_teacher, held_at=at, kind="individual", minutes=45, now=at,
                   private_notes="学生谈到父母近期分居，晚上难以入睡，上课注意力下降；否认自伤想法。")
    safety_plan_save(case=case, actor=psych_teacher, warning_signs="连续两晚睡不着、不想说话",
                     coping_steps="4-7-8 呼吸，听音乐，写日记", people_to_contact="妈妈、班主任",
                     professional_help="学校心理老师；心理援助热线 12356", now=at)
    guardian = alert.student.guardians.order_by("id").first()
    agency = PartnerAgency.objects.get(kind=PartnerAgency.Kind.MENTAL_HEALTH_CENTRE)
    consent_record(case=case, actor=psych_teacher, agency=agency, guardian=guardian, given_by=guardian.name,
                   relation="监护人", method="signed_form", given_on=at.date(), shares_diagnosis=True, now=at)
    referral_send(case=case, actor=psych_teacher, agency=agency, urgency=case.level, now=at,
                  reason="情绪低落伴睡眠问题已持续一个月，家庭变故，请评估是否需要治疗。")
    followup_plan(case=case, actor=psych_teacher, due_on=(at + datetime.timedelta(days=14)).date(), now=at)


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
    _case_with_referral(alert, psych_teacher, now - 46 * 60 * minutes)

    _signal(first[2], Source.SELF_CHECKIN, None, {"mood": 1, "stress": 3, "wants_talk": False}, "",
            now - 60 * minutes)

    if len(showcase) > 1:
        referred = _students_of_committee_class(showcase[1], 1)[0]
        _signal(referred, Source.TEACHER_REFERRAL,
                _someone(Role.CLASS_TEACHER, school_class=referred.school_class),
                {"concerns": ["withdrawn", "grades_drop"], "urgent": False}, "期中后明显退缩，作业经常空白。",
                now - 90 * minutes)
