"""An emergency referral without the guardian's consent in the demo city (consent/, docs/consent.md):
in the first showcase school, a class teacher referred a student who spoke of a plan to end their
life; the psych teacher could not reach the guardians and referred the student to the nearest
hospital's psychiatric emergency at once, writing why (the hospital has no agreement with the
school: a second reason). The override waits in the bureau psych centre's review list
(/consent/overrides/), the referral in the hospital's portal. Runs before the growth records, so
the student's red alert gets a plan too; the second school's one red alert stays the screening's."""
import datetime

from xinshao.accounts.models import RoleAssignment
from xinshao.accounts.roles import Role
from xinshao.alerts.models import Source
from xinshao.alerts.services import alert_acknowledge, signal_receive
from xinshao.cases.models import ConsentOverride
from xinshao.cases.referrals.services import referral_send
from xinshao.cases.services import case_open
from xinshao.org.models import PartnerAgency, Region, School
from xinshao.people.models import Student

HOSPITAL = "明州市第一人民医院"  # demo/staff.py: its clinicians have logins
MINUTE = datetime.timedelta(minutes=1)
OVERRIDE_REASON = ("学生午休时向班主任说出具体的轻生计划，并承认已经准备了药物。母亲电话三次无人接听，父亲在外地出差也未接通，"
                   "情况紧急，心理教师与班主任先行护送学生到市第一人民医院心理急诊，同时继续联系监护人。")


def _user(role: str, **scope):
    assignment = (RoleAssignment.objects.filter(role=role, is_active=True, **scope).select_related("user")
                  .order_by("user__username").first())
    return assignment.user if assignment else None


def seed_consent_override(city: Region, now: datetime.datetime) -> ConsentOverride | None:
    school = School.objects.filter(district__parent=city).order_by("code").first()
    hospital = PartnerAgency.objects.filter(region=city, name=HOSPITAL).first()
    psych_teacher = _user(Role.PSYCH_TEACHER, school=school)
    with_login = RoleAssignment.objects.filter(student__isnull=False).values("student_id")
    student = (Student.objects.filter(school=school, alerts__isnull=True).exclude(id__in=with_login)
               .select_related("school_class").order_by("-student_number").first())
    if hospital is None or psych_teacher is None or student is None:
        return None
    signal = signal_receive(
        student=student, source=Source.TEACHER_REFERRAL, raised_by=_user(Role.CLASS_TEACHER, school_class=student.school_class),
        facts={"concerns": ["self_harm_talk"], "urgent": True}, note="午休时主动说出了轻生的具体计划。", at=now - 300 * MINUTE)
    alert_acknowledge(alert=signal.alert, actor=psych_teacher, now=now - 295 * MINUTE)
    case = case_open(student=student, level=signal.alert.level, reason="班主任紧急转介：表达具体轻生计划并有准备行为",
                     actor=psych_teacher, alert=signal.alert, now=now - 290 * MINUTE)
    referral = referral_send(case=case, actor=psych_teacher, agency=hospital, urgency="red", now=now - 280 * MINUTE,
                             reason="表达具体轻生计划并已准备药物，需要心理急诊评估。", override_reason=OVERRIDE_REASON,
                             without_agreement_reason="情况紧急，第一人民医院离学校最近，设有心理急诊。")
    return referral.consent_override
