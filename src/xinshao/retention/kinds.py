"""The data kinds retention knows: what each covers, the anchor its clock starts from, the actions
the bureau may choose, a default with its reason, and what delete or anonymise does to the rows.

Anonymising keeps a row and what the dashboards count from it (its school, class, grade, gender,
term, band, level, state and dates) and blanks every free text and identifying field; deleting
removes rows nothing counts. A kind's `due(cutoff)` answers the ids of rows whose anchor is before
`cutoff` and that are not yet handled; `apply(ids, action, run)` handles them and answers the rows
touched per table. docs/retention.md has the table of kinds and why each default.
"""
import datetime
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Exists, Max, OuterRef, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xinshao.accounts.models import RoleAssignment, User
from xinshao.alerts.models import Alert, AlertEvent, Signal
from xinshao.campaigns.models import Assignment, ConsentRecord, HelpRequest, Submission
from xinshao.cases import models as cases
from xinshao.counseling.models import Booking
from xinshao.hotline.models import Call, Visit
from xinshao.notifications.models import Notification
from xinshao.people.models import Enrolment, Guardian, GuardianLink, Student
from xinshao.records.models import PlanVersion
from xinshao.sentinel import models as sentinel

from .models import Action, CopyRequest, Handled

ANONYMISED = "已匿名"


@dataclass(frozen=True)
class DataKind:
    key: str
    label: object
    covers: object           # what rows, in words
    anchor: object           # when the clock starts, in words
    default_months: int
    default_action: str
    actions: tuple[str, ...]
    reason: object           # why the default
    due: Callable[[datetime.date], QuerySet | list[int]]
    apply: Callable[[list[int], str, object], Counter]
    per_student: bool = False  # each row is a whole student, handled in a transaction of its own
    min_months: int = 1


@dataclass(frozen=True)
class FixedKind:
    """A kind the bureau cannot change here, shown on the policy page with its rule and reason."""

    key: str
    label: object
    rule: object
    reason: object


def start_of(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=timezone.get_current_timezone())


def _unhandled(queryset: QuerySet, key: str) -> QuerySet:
    return queryset.exclude(pk__in=Handled.objects.filter(kind=key).values("object_id"))


def _mark(key: str, ids, run) -> None:
    done = set(Handled.objects.filter(kind=key, object_id__in=ids).values_list("object_id", flat=True))
    Handled.objects.bulk_create([Handled(kind=key, object_id=pk, run=run) for pk in ids if pk not in done])


def _blank(model, fields: tuple[str, ...], touched: Counter, **filters) -> None:
    """Empty the free-text `fields` of the rows `filters` select."""
    touched[model._meta.label] += model.objects.filter(**filters).update(**{field: "" for field in fields})


# --- Raw answers -------------------------------------------------------------------------------

def _assignments_due(cutoff: datetime.date) -> QuerySet:
    return _unhandled(Assignment.objects.filter(campaign__term__ends_on__lt=cutoff), "answers")


def anonymise_answers(ids, action, run) -> Counter:
    """The answers as given (item by item, and the paused draft) go; the scored results stay."""
    touched = Counter()
    touched[Assignment._meta.label] += Assignment.objects.filter(pk__in=ids).update(draft={})
    touched[Submission._meta.label] += Submission.objects.filter(assignment_id__in=ids).update(
        answers={}, item_seconds={})
    _mark("answers", ids, run)
    return touched


# --- Case notes --------------------------------------------------------------------------------

def _cases_due(cutoff: datetime.date) -> QuerySet:
    return _unhandled(cases.Case.objects.filter(state=cases.Case.State.CLOSED, closed_at__lt=start_of(cutoff)),
                      "case_notes")


CASE_TEXT = (
    (cases.CounsellingSession, ("private_notes",)),
    (cases.SafetyPlan, ("warning_signs", "coping_steps", "people_to_contact", "professional_help", "means_safety")),
    (cases.GuardianContact, ("what_was_said",)),
    (cases.Referral, ("reason", "diagnosis_summary", "recommendations", "return_to_school", "decline_reason",
                      "without_agreement_reason")),
    (cases.FollowUp, ("outcome", "waived_reason")),
    (cases.Handover, ("note",)),
    (cases.AgreedAction, ("description",)),
    (cases.CaseEvent, ("reason",)),
)


def anonymise_cases(ids, action, run) -> Counter:
    """A case keeps its level, states, dates, owner and school (the timeline's shape and every count);
    its notes, plans, referral texts and follow-up outcomes are emptied."""
    touched = Counter()
    _blank(cases.Case, ("opening_reason", "closure_review"), touched, pk__in=ids)
    for model, fields in CASE_TEXT:
        _blank(model, fields, touched, case_id__in=ids)
    _mark("case_notes", ids, run)
    return touched


# --- Hotline calls and walk-in visits ----------------------------------------------------------

def _calls_due(cutoff: datetime.date) -> QuerySet:
    return _unhandled(Call.objects.filter(started_at__lt=start_of(cutoff)), "hotline_calls")


def anonymise_calls(ids, action, run) -> Counter:
    """A call keeps its time, channel, type, caller type, topics, risk and school (the city dashboard
    counts calls by risk); the caller's description, the notes and the student link go."""
    touched = Counter()
    touched[Call._meta.label] += Call.objects.filter(pk__in=ids).update(
        caller_description="", notes="", callback_outcome="", student=None)
    _mark("hotline_calls", ids, run)
    return touched


def _visits_due(cutoff: datetime.date) -> QuerySet:
    return _unhandled(Visit.objects.filter(visited_at__lt=start_of(cutoff)), "hotline_visits")


def anonymise_visits(ids, action, run) -> Counter:
    touched = Counter()
    _blank(Visit, ("family_members", "unidentified_children", "presenting_concern", "notes"), touched, pk__in=ids)
    touched[Visit.students.through._meta.label] += Visit.students.through.objects.filter(visit_id__in=ids).delete()[0]
    _mark("hotline_visits", ids, run)
    return touched


# --- Counseling bookings -----------------------------------------------------------------------

def _bookings_due(cutoff: datetime.date) -> QuerySet:
    return _unhandled(Booking.objects.filter(slot__starts_at__lt=start_of(cutoff)), "counseling_notes")


def anonymise_bookings(ids, action, run) -> Counter:
    touched = Counter()
    _blank(Booking, ("reason", "cancel_reason", "notes"), touched, pk__in=ids)
    _mark("counseling_notes", ids, run)
    return touched


# --- Teachers' help requests, notifications, consent records -----------------------------------

def _help_requests_due(cutoff: datetime.date) -> QuerySet:
    return _unhandled(HelpRequest.objects.filter(requested_at__lt=start_of(cutoff)), "help_requests")


def handle_help_requests(ids, action, run) -> Counter:
    touched = Counter()
    if action == Action.DELETE:
        touched[HelpRequest._meta.label] += HelpRequest.objects.filter(pk__in=ids).delete()[0]
    else:
        _blank(HelpRequest, ("message", "contact"), touched, pk__in=ids)
        _mark("help_requests", ids, run)
    return touched


def _notifications_due(cutoff: datetime.date) -> QuerySet:
    return Notification.objects.filter(created_at__lt=start_of(cutoff))


def delete_notifications(ids, action, run) -> Counter:
    deleted, per_model = Notification.objects.filter(pk__in=ids).delete()
    return Counter(per_model)


def _consents_due(cutoff: datetime.date) -> QuerySet:
    return _unhandled(ConsentRecord.objects.filter(campaign__term__ends_on__lt=cutoff), "consents")


def handle_consents(ids, action, run) -> Counter:
    touched = Counter()
    if action == Action.DELETE:
        touched[ConsentRecord._meta.label] += ConsentRecord.objects.filter(pk__in=ids).delete()[0]
    else:
        touched[ConsentRecord._meta.label] += ConsentRecord.objects.filter(pk__in=ids).update(note="", guardian=None)
        _mark("consents", ids, run)
    return touched


# --- Students who left -------------------------------------------------------------------------

def students_left() -> QuerySet[Student]:
    """Students who left the city's schools (graduated, transferred out, left), not yet anonymised,
    each with `last_end` (their last enrolment's end) and `still_open` (an enrolment never closed)."""
    open_enrolment = Enrolment.objects.filter(student=OuterRef("pk"), ended_on__isnull=True)
    return (_unhandled(Student.objects.filter(status__in=Student.LEFT_STATES), "students_left")
            .annotate(last_end=Max("enrolments__ended_on"), still_open=Exists(open_enrolment)))


def left_on(student: Student) -> datetime.date:
    """The anchor of a student's clock: the end of their last enrolment, or, when the roster marked
    them left without closing it, the day their record last changed (a later change restarts it)."""
    if student.still_open or student.last_end is None:
        return timezone.localdate(student.updated_at)
    return student.last_end


def _students_due(cutoff: datetime.date) -> list[int]:
    return [student.pk for student in students_left().order_by("pk") if left_on(student) < cutoff]


SENTINEL_TEXT = (
    (sentinel.CommitteeReport, ("note",)),
    (sentinel.SelfCheckIn, ("note",)),
    (sentinel.HomeSchoolRecord, ("summary",)),
    (sentinel.TeacherReferral, ("note",)),
    (sentinel.GuardianConcern, ("note",)),
    (Signal, ("note",)),
)


def anonymise_student(ids, action, run) -> Counter:
    """One student (ids holds one id; the caller's transaction holds them whole): their identity goes
    (name, number, identity number, day of birth, guardians' names and phones, their logins), with the
    free text of everything about them. What the dashboards count stays on the same row: school,
    class, grade, gender, status, and every result, alert and case with its level and dates."""
    (student_id,) = ids
    touched = Counter()
    student = Student.objects.select_for_update().get(pk=student_id)
    touched += anonymise_answers(list(Assignment.objects.filter(student=student).values_list("pk", flat=True)),
                                 action, run)
    touched += anonymise_cases(list(cases.Case.objects.filter(student=student).values_list("pk", flat=True)),
                               action, run)
    touched += anonymise_calls(list(Call.objects.filter(student=student).values_list("pk", flat=True)), action, run)
    touched += anonymise_bookings(list(Booking.objects.filter(student=student).values_list("pk", flat=True)),
                                  action, run)
    for model, fields in SENTINEL_TEXT:
        _blank(model, fields, touched, student=student)
    _blank(PlanVersion, ("goals", "supports", "reason"), touched, plan__student=student)
    _blank(Alert, ("close_reason",), touched, student=student)
    _blank(AlertEvent, ("reason",), touched, alert__student=student)
    touched[PlanVersion._meta.label + ".tasks"] += PlanVersion.objects.filter(plan__student=student).update(tasks=[])
    touched[ConsentRecord._meta.label] += ConsentRecord.objects.filter(student=student).update(note="", guardian=None)
    _blank(CopyRequest, ("note",), touched, student=student)
    _blank(Enrolment, ("reason",), touched, student=student)  # a leaving's reason is about the child
    touched[Visit.students.through._meta.label] += Visit.students.through.objects.filter(student=student).delete()[0]
    _forget_guardians(student, touched)
    _forget_logins(student, touched)
    student.name, student.student_number, student.national_id = ANONYMISED, f"ANON-{student.pk}", ""
    student.birth_date = student.birth_date.replace(month=1, day=1)
    student.save(update_fields=["name", "student_number", "national_id", "birth_date", "updated_at"])
    touched[Student._meta.label] += 1
    _mark("students_left", ids, run)
    return touched


def _forget_guardians(student: Student, touched: Counter) -> None:
    """The links go; a guardian with no other child on record loses name, phone and login."""
    guardian_ids = list(GuardianLink.objects.filter(student=student).values_list("guardian_id", flat=True))
    touched[GuardianLink._meta.label] += GuardianLink.objects.filter(student=student).delete()[0]
    alone = list(Guardian.objects.filter(pk__in=guardian_ids).exclude(student_links__isnull=False)
                 .values_list("pk", flat=True))
    _disable(RoleAssignment.objects.filter(guardian_id__in=alone), touched)
    touched[Guardian._meta.label] += Guardian.objects.filter(pk__in=alone).update(name=ANONYMISED, phone="")


def _forget_logins(student: Student, touched: Counter) -> None:
    _disable(RoleAssignment.objects.filter(student=student), touched)


def _disable(roles: QuerySet, touched: Counter) -> None:
    """End these role assignments; a login left with no other role loses its name and can no longer sign in."""
    user_ids = set(roles.values_list("user_id", flat=True))
    touched[RoleAssignment._meta.label] += roles.update(is_active=False)
    for user in User.objects.filter(pk__in=user_ids).exclude(role_assignments__is_active=True):
        user.username, user.display_name, user.first_name, user.last_name = f"anon-{user.pk}", ANONYMISED, "", ""
        user.email, user.phone, user.is_active = "", "", False
        user.set_unusable_password()
        user.save()
        touched[User._meta.label] += 1


_ANONYMISE = (Action.ANONYMISE,)
_EITHER = (Action.DELETE, Action.ANONYMISE)

KINDS: dict[str, DataKind] = {kind.key: kind for kind in (
    DataKind("answers", _("原始作答"), _("测评中逐题的作答、答题用时和未提交的草稿（计分结果保留）"),
             _("测评所在学期结束后"), 12, Action.ANONYMISE, _ANONYMISE,
             _("结果计算、复核和学期间对比只需一年；逐题作答不再需要，计分结果足以支撑看板和成长档案。"),
             _assignments_due, anonymise_answers),
    DataKind("case_notes", _("个案记录"), _("已结案个案的辅导记录、安全计划、家长沟通、转介与回访的文字内容（个案的级别、状态和日期保留）"),
             _("个案结案后"), 36, Action.ANONYMISE, _ANONYMISE,
             _("结案后三年覆盖一个学段：重新立案、转学交接和回访都可能需要；此后文字内容不再必要。"),
             _cases_due, anonymise_cases),
    DataKind("hotline_calls", _("热线来电记录"), _("来电人描述、接线记录、回电结果和所关联的学生（时间、类型、话题和风险评估保留）"),
             _("来电后"), 36, Action.ANONYMISE, _ANONYMISE,
             _("同一家庭可能多年后再次来电；三年后只保留统计所需的字段。"), _calls_due, anonymise_calls),
    DataKind("hotline_visits", _("来访记录"), _("来访家庭成员、来访原因、咨询记录和所关联的学生（时间、话题和结果保留）"),
             _("来访后"), 36, Action.ANONYMISE, _ANONYMISE,
             _("与热线来电相同。"), _visits_due, anonymise_visits),
    DataKind("counseling_notes", _("辅导预约记录"), _("预约时写的想聊的事、取消原因和辅导记录（预约时间和状态保留）"),
             _("预约的时段之后"), 24, Action.ANONYMISE, _ANONYMISE,
             _("预约本身是短期事务；两年足以处理投诉和回访。"), _bookings_due, anonymise_bookings),
    DataKind("help_requests", _("教师求助"), _("教师在身心健康测评后发出的求助及其联系方式"),
             _("求助发出后"), 24, Action.DELETE, _EITHER,
             _("求助由心理中心在几周内处理完毕；两年后没有保留的必要。"), _help_requests_due, handle_help_requests),
    DataKind("notifications", _("站内通知"), _("站内通知及其短信、邮件发送记录"),
             _("通知发出后"), 12, Action.DELETE, (Action.DELETE,),
             _("通知只是提醒，原始事项另有记录；一年足以查证是否通知到。"), _notifications_due, delete_notifications),
    DataKind("consents", _("测评知情同意记录"), _("监护人对每次测评的同意或拒绝"),
             _("测评所在学期结束后"), 36, Action.DELETE, _EITHER,
             _("同意是处理测评数据的依据，应至少与原始作答和个案记录保存同样久。"), _consents_due, handle_consents),
    DataKind("students_left", _("离校学生身份信息"),
             _("已毕业、转出本市或离校的学生：姓名、学号、身份证号、出生月日、监护人姓名电话、登录账号，以及其所有记录中的文字内容"),
             _("学生离校（最后一段在读记录结束）后"), 24, Action.ANONYMISE, _ANONYMISE,
             _("离校后两年内可能回流、复学或需要向新学校交接；此后不再需要识别到个人。结果、预警和个案保留为匿名记录，各学期的统计不变。"),
             _students_due, anonymise_student, per_student=True),
)}

FIXED = (
    FixedKind("audit", _("审计记录"), _("长期保存，不修改、不删除"),
              _("审计链是防篡改的：删除或修改任何一条都会使链校验失败（xinshao audit-verify）。审计记录只保存编号、动作和时间，"
                "不含笔记内容；学生被匿名化后，审计中的学生编号指向已匿名的记录。")),
    FixedKind("export_files", _("导出文件"), _("生成后保存 1 天"),
              _("导出文件由定时任务 exports-expire 每小时清理（docs/exports.md）。")),
)


def kind_named(key: str) -> DataKind | None:
    return KINDS.get(key)
