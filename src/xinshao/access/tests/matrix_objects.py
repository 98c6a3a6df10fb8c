"""The objects the access matrix asks about, keyed by the URL keyword that names them.

Side "A" objects belong to school A and are about Chen (class A1); side "B" objects belong to
school B and are about Zhou (class B1). Each keyword gives the value to put in the URL and the
people the object is "own" to (the student and guardian it is about, the recipient, the author,
the clinicians of the agency it was referred to). An app adds its own in `<app>/tests/matrix.py`.
"""
import datetime
import importlib
import importlib.util
from dataclasses import dataclass, field

from django.apps import apps
from django.utils import timezone

from xinshao.accounts.models import RoleAssignment, User
from xinshao.accounts.roles import Role
from xinshao.alerts.models import Source
from xinshao.alerts.services import signal_receive
from xinshao.campaigns.models import Assignment, Campaign, HelpRequest
from xinshao.campaigns.services import BatteryChoice, TargetChoice, campaign_create, campaign_open
from xinshao.cases.followups import services as followups
from xinshao.cases.handover.services import student_transfer_with_case
from xinshao.cases.intervention import services as intervention
from xinshao.cases.models import ReferralConsent
from xinshao.cases.referrals import services as referrals
from xinshao.cases.services import case_open
from xinshao.instruments.engine import builtin_library
from xinshao.notifications.models import Notification
from xinshao.org.models import PartnerAgency
from xinshao.partners.tests.support import agreement_in_force
from xinshao.rosters.models import ImportRun
from xinshao.sentinel.models import ConcernLevel, HomeSchoolRecord
from xinshao.testing import PASSWORD, City, enrolled_student

SIDES = ("A", "B")


@dataclass(frozen=True)
class Thing:
    value: object
    owners: frozenset[str] = field(default_factory=frozenset)


def _user(username: str, role: str, **scope) -> User:
    user = User.objects.create_user(username=username, password=PASSWORD, display_name=username)
    RoleAssignment.objects.create(user=user, role=role, **scope)
    return user


def _campaign(city: City, *, created_by, audience: str, consent_rule: str, targets: list[TargetChoice],
              battery: tuple[str, ...], **owner) -> Campaign:
    now = timezone.now()
    campaign = campaign_create(
        created_by=created_by, name="矩阵测评", audience=audience, term=city.term,
        opens_at=now - datetime.timedelta(hours=1), closes_at=now + datetime.timedelta(days=7),
        consent_rule=consent_rule, battery=[BatteryChoice(i) for i in battery],
        targets=targets, **owner,
    )
    return campaign_open(campaign=campaign, actor=created_by)


def _side(city: City, side: str, *, teacher_campaign: Campaign, teacher: User, agency: PartnerAgency,
          clinician: str) -> dict[str, Thing]:
    """One school's objects: a school campaign, an alert and the case opened from it, with a
    session, an agreed action, a referral and a follow-up; a help request, a notification, a
    home visit record and a roster import."""
    a = side == "A"
    school, school_class, student = (city.school_a, city.class_a1, city.chen) if a else \
        (city.school_b, city.class_b1, city.zhou)
    psych, class_teacher = (city.liu_a, city.zhang_a1) if a else (city.wang_b, city.qian_b1)
    student_owners = frozenset({"chen_user", "chen_ma_user"} if a else set())
    now = timezone.now()

    campaign = _campaign(city, created_by=psych, audience=Campaign.Audience.STUDENTS, school=school,
                         consent_rule=Campaign.ConsentRule.OPT_OUT,
                         targets=[TargetChoice(school=school, level="J1")], battery=("phqa", "gad7"))
    assignment = Assignment.objects.get(campaign=campaign, student=student)
    teacher_assignment = Assignment.objects.get(campaign=teacher_campaign, teacher=teacher)
    Assignment.objects.filter(pk=teacher_assignment.pk).update(status=Assignment.Status.SUBMITTED, submitted_at=now)
    help_request = HelpRequest.objects.create(assignment=teacher_assignment, message="最近压力很大", contact="电话")

    alert = signal_receive(student=student, source=Source.TEACHER_REFERRAL, raised_by=class_teacher,
                           facts={"concerns": ["self_harm_talk"]}, note="说过不想活了").alert
    case = case_open(student=student, level="red", reason="教师转介：自伤言语", actor=psych, alert=alert)
    session = intervention.session_record(case=case, actor=psych, held_at=now - datetime.timedelta(hours=1),
                                          kind="individual", minutes=40, private_notes="谈到家里争吵")
    action = intervention.action_agree(case=case, actor=psych, description="课间多关注", assignee=class_teacher,
                                       due_on=timezone.localdate() + datetime.timedelta(days=7))
    referrals.consent_record(case=case, actor=psych, agency=agency, given_by="家长", relation="母亲",
                             method=ReferralConsent.Method.SIGNED_FORM, given_on=timezone.localdate())
    referral = referrals.referral_send(case=case, actor=psych, agency=agency, urgency="red", reason="需要专科评估")
    followup = followups.followup_plan(case=case, due_on=timezone.localdate() + datetime.timedelta(days=7),
                                       actor=psych)

    # A case that left this school with its student: what the school wrote stays its psych teachers' to read.
    mover = enrolled_student(school, school_class, f"{school.code}-M", "转学生", "M", (2013, 1, 1))
    left_case = case_open(student=mover, level="yellow", reason="考试焦虑", actor=psych)
    to_school, to_class = (city.school_b, city.class_b1) if a else (city.school_a, city.class_a1)
    student_transfer_with_case(student=mover, to_school=to_school, to_class=to_class,
                               actor=city.song_a if a else city.song_b, reason="随父母搬家",
                               handover_note="每周谈话一次，情况稳定，考试前后请多留意情绪变化。")

    notification = Notification.objects.create(recipient=psych, subject="新的红色预警", link=f"/alerts/{alert.pk}/")
    record = HomeSchoolRecord.objects.create(
        student=student, school=school, author=class_teacher, kind=HomeSchoolRecord.Kind.HOME_VISIT,
        happened_on=timezone.localdate(), participants="家长", summary="孩子最近睡得少", concern=ConcernLevel.SOME)
    run = ImportRun.objects.create(school=school, actor=psych, actor_label=psych.display_name,
                                   source=ImportRun.Source.WEB, file_name="名册.xlsx", file_size=1,
                                   file_sha256="0" * 64, outcome=ImportRun.Outcome.CHECKED)
    return {
        "school_id": Thing(school.pk),
        "code": Thing(school.code),
        "class_id": Thing(school_class.pk),
        "student_id": Thing(student.pk, student_owners),
        "campaign_id": Thing(campaign.pk),
        "assignment_id": Thing(assignment.pk, frozenset({"chen_user"} if a else set())),
        "teacher_assignment_id": Thing(teacher_assignment.pk, frozenset({teacher.username})),
        "help_request_id": Thing(help_request.pk, frozenset({teacher.username})),
        "alert_id": Thing(alert.pk, student_owners),
        "case_id": Thing(case.pk, student_owners),
        "left_case_id": Thing(left_case.pk),
        "session_id": Thing(session.pk),
        "action_id": Thing(action.pk, frozenset({class_teacher.username})),
        "referral_id": Thing(referral.pk, frozenset({clinician})),
        "followup_id": Thing(followup.pk),
        "notification_id": Thing(notification.pk, frozenset({psych.username})),
        "record_id": Thing(record.pk, frozenset({class_teacher.username})),
        "run_id": Thing(run.pk),
    }


def _app_extensions():
    """Each app's own matrix objects: a module `<app>/tests/matrix.py` with
    `matrix_side(city, side, objects) -> {keyword: Thing}` (`objects`: that side's so far)."""
    for config in apps.get_app_configs():
        if config.name.startswith("xinshao.") and importlib.util.find_spec(f"{config.name}.tests") is not None \
                and importlib.util.find_spec(f"{config.name}.tests.matrix") is not None:
            yield importlib.import_module(f"{config.name}.tests.matrix")


def matrix_objects(city: City) -> dict[str, dict[str | None, Thing]]:
    """{keyword: {"A": thing, "B": thing}}; keywords that name no school's object have one thing, under None."""
    # School B's teacher and a second agency with its clinician: people outside the matrix, so
    # school B's help request and referral have someone to belong to.
    gao_b = _user("gao_b", Role.TEACHER, school=city.school_b)
    hospital = PartnerAgency.objects.create(name="明州市第一人民医院", kind="hospital", region=city.region)
    _user("ma", Role.CLINICIAN, agency=hospital)
    teacher_campaign = _campaign(
        city, created_by=city.bai, audience=Campaign.Audience.TEACHERS, region=city.region,
        consent_rule=Campaign.ConsentRule.NOT_REQUIRED,
        targets=[TargetChoice(school=city.school_a), TargetChoice(school=city.school_b)], battery=("pss10",))
    # Referrals go to agencies with a valid service agreement for the school (partners/).
    agreement_in_force(agency=city.agency, schools=[city.school_a], actor=city.bai)
    agreement_in_force(agency=hospital, schools=[city.school_b], actor=city.bai)
    by_side = {
        "A": _side(city, "A", teacher_campaign=teacher_campaign, teacher=city.gao_a, agency=city.agency,
                   clinician="yi"),
        "B": _side(city, "B", teacher_campaign=teacher_campaign, teacher=gao_b, agency=hospital, clinician="ma"),
    }
    for extension in _app_extensions():
        for side in SIDES:
            by_side[side].update(extension.matrix_side(city, side, by_side[side]))
    table = {keyword: {side: by_side[side][keyword] for side in SIDES} for keyword in by_side["A"]}
    phq9 = builtin_library().get("phq9")
    table["instrument_id"] = {None: Thing(phq9.id)}
    table["version"] = {None: Thing(phq9.version)}
    return table
