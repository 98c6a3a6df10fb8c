"""A student's transfer to another school, with their open case (交接).

The student moves through people.services.student_transfer. An open case moves with them: it
belongs to the new school from then on, its owner becomes the receiving school's psych teacher,
the old school's people leave its team and the new class teacher joins, and a
Handover row keeps the note for the receiving psych teacher. Everything written before keeps its
`written_at_school`, so the old school still reads what it wrote (timeline/) and nothing after.

Alerts are left where they were raised: an alert belongs to the school that received the signal,
and a new signal at the new school raises its own alert there.
"""
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from xinshao.access import scopes
from xinshao.alerts.models import Level
from xinshao.alerts.selectors import city_of
from xinshao.cases.models import Case, CaseTeamMember, Handover
from xinshao.cases.services import case_default_team, case_event_record
from xinshao.notifications.services import notify
from xinshao.notifications.texts import Text
from xinshao.org.models import School, SchoolClass
from xinshao.people.models import Student
from xinshao.people.services import student_transfer

MIN_NOTE_LENGTH = 10
NOTE_MAX = 5000
REASON_MAX = 200


@dataclass(frozen=True)
class Transfer:
    student: Student
    case: Case | None = None  # the open case that moved with the student
    handover: Handover | None = None


def _check_destination(student: Student, to_school: School, to_class: SchoolClass, actor) -> None:
    if not scopes.students_changeable_by(actor).filter(pk=student.pk).exists():
        raise ValidationError(_("只有学生所在学校的学校管理员可以办理转学。"))
    if to_school.pk == student.school_id:
        raise ValidationError(_("学生已在这所学校；调班请在学生信息中修改班级。"))
    if city_of(to_school).pk != city_of(student.school).pk:
        raise ValidationError(_("只能转到本市的学校。"))
    if to_class.school_id != to_school.pk:
        raise ValidationError(_("请选择目标学校的班级。"))


def _handover_note(note: str) -> str:
    note = (note or "").strip()
    if len(note) < MIN_NOTE_LENGTH:
        raise ValidationError(_("这名学生有未结案的个案：请写交接说明（至少 %(n)s 个字），"
                                "告诉接收学校的心理教师目前的情况和需要注意的事。") % {"n": MIN_NOTE_LENGTH})
    if len(note) > NOTE_MAX:
        raise ValidationError(_("交接说明不能超过 %(n)s 个字。") % {"n": NOTE_MAX})
    return note


def _receiving_owner(to_school: School):
    owner = scopes.alert_owners_at(to_school).first()
    if owner is None:
        raise ValidationError(_("%(school)s还没有心理教师账号，个案无法交接。请先请该校开通心理教师账号，再办理转学。")
                              % {"school": to_school.name})
    return owner


@transaction.atomic
def student_transfer_with_case(*, student: Student, to_school: School, to_class: SchoolClass, actor, reason: str,
                               handover_note: str = "", now=None, request=None) -> Transfer:
    """Transfer the student; an open case moves to the new school with a handover. Every check
    comes before the first write, and it is one transaction: refused, nothing has changed."""
    now = now or timezone.now()
    student = Student.objects.select_for_update(of=("self",)).select_related("school__district").get(pk=student.pk)
    _check_destination(student, to_school, to_class, actor)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("请写明转学原因。"))
    if len(reason) > REASON_MAX:
        raise ValidationError(_("转学原因不能超过 %(n)s 个字。") % {"n": REASON_MAX})
    case = (Case.objects.select_for_update(of=("self",)).select_related("school", "owner")
            .filter(student=student).exclude(state=Case.State.CLOSED).first())
    if case is not None:
        note, owner = _handover_note(handover_note), _receiving_owner(to_school)
    student = student_transfer(student=student, to_school=to_school, to_class=to_class, actor=actor, reason=reason,
                               request=request)
    if case is None:
        return Transfer(student)
    handover = _case_move(case, student, owner, note, actor, reason, now, request)
    return Transfer(student, case, handover)


def _case_move(case: Case, student: Student, owner, note: str, actor, reason: str, now, request) -> Handover:
    handover = Handover.objects.create(case=case, from_school=case.school, to_school=student.school,
                                       from_owner=case.owner, to_owner=owner, note=note, handed_over_by=actor,
                                       handed_over_at=now)
    # Recorded before the move: the old school wrote the handover, so the event is theirs.
    case_event_record(case=case, kind="handed_over", actor=actor, reason=reason, now=now, request=request,
                      handover=handover.pk, from_school=case.school_id, to_school=student.school_id,
                      from_owner=case.owner_id, to_owner=owner.pk)
    case.student, case.school, case.owner = student, student.school, owner
    case.save(update_fields=["school", "owner", "updated_at"])
    # The team is school staff: the old school's people leave, the new class teacher joins.
    CaseTeamMember.objects.filter(case=case).delete()
    case_default_team(case, now)
    _tell_new_owner(case)
    return handover


def _tell_new_owner(case: Case) -> None:
    # No student's name: the subject and body may leave the platform by SMS or e-mail.
    notify([case.owner], subject=Text(gettext_noop("转入学生的个案交给您负责")),
           body=Text(gettext_noop("一名学生转入%(school)s，其个案已交给您负责。请登录心哨查看交接说明，并尽快与学生取得联系。"),
                     {"school": case.school.name}), link=reverse("cases:detail", args=[case.pk]),
           urgent=case.level == Level.RED, topic="case.handover")
