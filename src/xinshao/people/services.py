"""Writes for students: enrolment, class moves and transfers, leaving school, each keeping its history."""
import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from xinshao.alerts.models import Alert
from xinshao.audit.services import audit_record
from xinshao.campaigns.services import assignments_withdraw
from xinshao.cases.models import Case
from xinshao.cases.services import case_event_record
from xinshao.notifications.services import notify
from xinshao.notifications.texts import Text
from xinshao.org.models import School, SchoolClass
from xinshao.people.models import Enrolment, Student
from xinshao.records.services import record_handover_on_stage_move

LEAVE_REASON_MAX = Enrolment._meta.get_field("reason").max_length


def _today() -> datetime.date:
    return timezone.localdate()


def _still_at_school(student: Student) -> None:
    if student.status in Student.LEFT_STATES:
        raise ValidationError(_("这名学生的状态是“%(status)s”，已不在校：不能再调班、转学或办理离校。")
                              % {"status": student.get_status_display()})


def _open_enrolment(*, student: Student, on: datetime.date, reason: str) -> Enrolment:
    Enrolment.objects.filter(student=student, ended_on__isnull=True).update(ended_on=on)
    return Enrolment.objects.create(
        student=student, school=student.school, school_class=student.school_class, started_on=on, reason=reason
    )


@transaction.atomic
def student_move_class(*, student: Student, to_class: SchoolClass, actor, reason: str = "", request=None) -> Student:
    """Move a student to another class of the same school; the old class stays in the history."""
    _still_at_school(student)
    if to_class.school_id != student.school_id:
        raise ValidationError(_("只能调到本校的班级；转学请使用转学功能。"))
    if to_class.pk == student.school_class_id:
        return student
    from_class = student.school_class
    student.school_class = to_class
    student.save(update_fields=["school_class", "updated_at"])
    _open_enrolment(student=student, on=_today(), reason=reason or _("调班"))
    audit_record(actor=actor, action="student.move_class", student=student, obj=student, request=request,
                 detail={"from_class": from_class.pk, "to_class": to_class.pk})
    return student


@transaction.atomic
def student_transfer(*, student: Student, to_school: School, to_class: SchoolClass, actor, reason: str = "",
                     request=None) -> Student:
    """Move a student to another school. The same student row keeps its results, signals and
    cases; the enrolment history records where they were before."""
    _still_at_school(student)
    if to_class.school_id != to_school.pk:
        raise ValidationError(_("目标班级不属于目标学校。"))
    if to_school.pk == student.school_id:
        return student_move_class(student=student, to_class=to_class, actor=actor, reason=reason, request=request)
    if Student.objects.filter(school=to_school, student_number=student.student_number).exists():
        raise ValidationError(_("目标学校已有相同学号的学生，请先为该生分配新学号。"))
    from_school, from_level = student.school, student.school_class.grade.level
    student.school, student.school_class = to_school, to_class
    student.save(update_fields=["school", "school_class", "updated_at"])
    _open_enrolment(student=student, on=_today(), reason=reason or _("转学"))
    audit_record(actor=actor, action="student.transfer", student=student, obj=student, request=request,
                 detail={"from_school": from_school.pk, "to_school": to_school.pk})
    record_handover_on_stage_move(student=student, from_school=from_school, from_level=from_level)
    return student


@transaction.atomic
def student_update(*, student: Student, actor, request=None, **changes) -> Student:
    """Change roster fields; a new class goes through student_move_class to keep history. Leaving
    school (or coming back from it) is not a roster change: it goes through student_leave."""
    to_class = changes.pop("school_class", None)
    changed = {field: value for field, value in changes.items() if getattr(student, field) != value}
    if "status" in changed and (student.status in Student.LEFT_STATES or changed["status"] in Student.LEFT_STATES):
        raise ValidationError({"status": _("离校（毕业、转出本市、离校）请在学生页面点“办理离校”。")})
    for field, value in changed.items():
        setattr(student, field, value)
    if changed:
        student.full_clean()
        student.save(update_fields=[*changed, "updated_at"])
        audit_record(actor=actor, action="student.update", student=student, obj=student, request=request,
                     detail={"fields": sorted(changed)})
    if to_class is not None and to_class.pk != student.school_class_id:
        student_move_class(student=student, to_class=to_class, actor=actor, request=request)
    return student


@dataclass(frozen=True)
class Leaving:
    student: Student
    enrolment: Enrolment       # the enrolment that ended on the day they left
    open_cases: list[Case]     # their cases still open: each owner has been told
    withdrawn: int             # screening assignments withdrawn


@transaction.atomic
def student_leave(*, student: Student, on: datetime.date, status: str, reason: str, actor,
                  request=None) -> Leaving:
    """The student leaves the city's schools on `on`: graduated, transferred out of the city, or left.
    Their open enrolment ends that day with the reason and their status changes, so retention's
    clock for students who left (retention/kinds.py) starts on `on`. Their screening assignments
    not yet submitted in running campaigns are withdrawn; an open case stays with its owner, who is
    told and finds the leaving on the case's timeline; open alerts stay with theirs. One transaction,
    every check first: refused, nothing has changed."""
    student = Student.objects.select_for_update().get(pk=student.pk)
    _still_at_school(student)
    problems = {}
    if status not in Student.LEFT_STATES:
        problems["status"] = _("请选择离校方式：已毕业、已转出或离校。")
    reason = (reason or "").strip()
    if not reason:
        problems["reason"] = _("请写明离校原因。")
    elif len(reason) > LEAVE_REASON_MAX:
        problems["reason"] = _("离校原因不能超过 %(n)s 个字。") % {"n": LEAVE_REASON_MAX}
    enrolment = Enrolment.objects.select_for_update().filter(student=student, ended_on__isnull=True).first()
    if enrolment is None:
        raise ValidationError(_("这名学生没有在读记录，无法办理离校；请先核对学籍。"))
    if on > _today():
        problems["on"] = _("离校日期不能晚于今天。")
    elif on < enrolment.started_on:
        problems["on"] = _("离校日期不能早于本段在读记录的开始日期（%(start)s）。") % {
            "start": enrolment.started_on.isoformat()}
    if problems:
        raise ValidationError(problems)
    enrolment.ended_on, enrolment.reason = on, reason
    enrolment.save(update_fields=["ended_on", "reason"])
    student.status = status
    student.save(update_fields=["status", "updated_at"])
    withdrawn = assignments_withdraw(student=student)
    open_cases = list(Case.objects.filter(student=student).exclude(state=Case.State.CLOSED)
                      .select_related("owner", "school", "student").order_by("pk"))
    for case in open_cases:
        case_event_record(case=case, kind="student_left", actor=actor, reason=reason, request=request,
                          on=on.isoformat(), status=status)
        notify([case.owner], subject=Text(gettext_noop("您负责的个案：学生已离校")),
               body=Text(gettext_noop("您负责的一个个案的学生已于 %(on)s 离校。请登录心哨查看个案，决定结案、"
                                      "转介还是继续回访。"), {"on": on.isoformat()}),
               link=reverse("cases:detail", args=[case.pk]), urgent=False, topic="case.student_left")
    open_alerts = list(Alert.objects.filter(student=student, state__in=Alert.OPEN_STATES)
                       .order_by("pk").values_list("pk", flat=True))
    audit_record(actor=actor, action="student.leave", student=student, obj=student, request=request,
                 detail={"status": status, "on": on.isoformat(), "enrolment": enrolment.pk,
                         "open_cases": [case.pk for case in open_cases], "open_alerts": open_alerts,
                         "assignments_withdrawn": withdrawn})
    return Leaving(student, enrolment, open_cases, withdrawn)
