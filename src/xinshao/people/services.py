"""Writes for students: enrolment, class moves and transfers, each keeping its history."""
import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from xinshao.audit.services import audit_record
from xinshao.org.models import School, SchoolClass
from xinshao.people.models import Enrolment, Student
from xinshao.records.services import record_handover_on_stage_move


def _today() -> datetime.date:
    return timezone.localdate()


def _open_enrolment(*, student: Student, on: datetime.date, reason: str) -> Enrolment:
    Enrolment.objects.filter(student=student, ended_on__isnull=True).update(ended_on=on)
    return Enrolment.objects.create(
        student=student, school=student.school, school_class=student.school_class, started_on=on, reason=reason
    )


@transaction.atomic
def student_move_class(*, student: Student, to_class: SchoolClass, actor, reason: str = "", request=None) -> Student:
    """Move a student to another class of the same school; the old class stays in the history."""
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
    """Change roster fields; a new class goes through student_move_class to keep history."""
    to_class = changes.pop("school_class", None)
    changed = {field: value for field, value in changes.items() if getattr(student, field) != value}
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
