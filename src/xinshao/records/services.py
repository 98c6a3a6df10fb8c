"""Writes for the growth record: the individual plan (each save a new version) and the receiving
school's handover task when a student moves up a school stage."""
import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from xinshao.access import scopes
from xinshao.accounts.roles import Role
from xinshao.audit.services import audit_record
from xinshao.notifications.services import notify
from xinshao.notifications.texts import Text
from xinshao.org.grades import JUNIOR, PRIMARY
from xinshao.org.models import School
from xinshao.people.models import Student
from xinshao.records.models import HandoverEvent, HandoverTask, IndividualPlan, PlanEvent, PlanVersion

COLONS = ("：", ":")


def plan_tasks_parsed(text: str) -> list[dict]:
    """"负责人：任务" per line into [{"who", "task"}]; a line without both parts is refused by number."""
    tasks = []
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if not line:
            continue
        cut = min((line.find(colon) for colon in COLONS if colon in line), default=-1)
        who, task = (line[:cut].strip(), line[cut + 1:].strip()) if cut >= 0 else ("", "")
        if not who or not task:
            raise ValidationError({"tasks": _("第 %(n)d 行“%(line)s”：请写成“负责人：任务”。") % {"n": number, "line": line}})
        tasks.append({"who": who, "task": task})
    return tasks


@transaction.atomic
def plan_save(*, student: Student, actor, goals: str, supports: str, tasks: list[dict], review_on: datetime.date,
              reason: str = "", request=None, now=None) -> PlanVersion:
    """A new version of the student's active plan, or the first version of a new plan."""
    now = now or timezone.now()
    goals, supports, reason = goals.strip(), supports.strip(), reason.strip()
    problems = {name: _("请填写。") for name, value in (("goals", goals), ("supports", supports)) if not value}
    if not tasks:
        problems["tasks"] = _("请至少写一条分工：“负责人：任务”。")
    plan = (IndividualPlan.objects.select_for_update().filter(student=student, state=IndividualPlan.State.ACTIVE)
            .first())
    if plan is not None and not reason:
        problems["reason"] = _("修改计划时请写明修改原因。")
    if problems:
        raise ValidationError(problems)
    opened = plan is None
    if opened:
        plan = IndividualPlan.objects.create(student=student, created_at=now)
    number = (plan.versions.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    version = PlanVersion.objects.create(plan=plan, number=number, goals=goals, supports=supports, tasks=tasks,
                                         review_on=review_on, reason=reason, author=actor, written_at=now,
                                         school_id=student.school_id)
    PlanEvent.objects.create(plan=plan, kind="opened" if opened else "revised", actor=actor, at=now,
                             detail={"version": number})
    audit_record(actor=actor, action="records.plan_saved", student=student, obj=plan, request=request,
                 detail={"version": number})
    return version


@transaction.atomic
def plan_close(*, plan: IndividualPlan, actor, request=None, now=None) -> IndividualPlan:
    now = now or timezone.now()
    if plan.state != IndividualPlan.State.ACTIVE:
        raise ValidationError(_("这份计划已经结束。"))
    plan.state, plan.closed_at = IndividualPlan.State.CLOSED, now
    plan.save(update_fields=["state", "closed_at"])
    PlanEvent.objects.create(plan=plan, kind="closed", actor=actor, at=now)
    audit_record(actor=actor, action="records.plan_closed", student=plan.student, obj=plan, request=request)
    return plan


def _stage(level: str) -> int:
    """1 primary, 2 junior, 3 senior or vocational: the order of school stages."""
    return 1 if level in PRIMARY else 2 if level in JUNIOR else 3


def record_handover_on_stage_move(*, student: Student, from_school: School, from_level: str,
                                  now=None) -> HandoverTask | None:
    """Called by people.services.student_transfer after a student changed school: when they moved
    up a stage (primary → junior, junior → senior), the receiving school's psych teachers get a task
    to read the record. A move within a stage needs none: the record follows the student anyway."""
    to_level = student.school_class.grade.level
    if student.school_id == from_school.pk or _stage(to_level) <= _stage(from_level):
        return None
    now = now or timezone.now()
    task = HandoverTask.objects.create(student=student, from_school=from_school, to_school=student.school,
                                       from_level=from_level, to_level=to_level, created_at=now)
    HandoverEvent.objects.create(task=task, kind="created", at=now,
                                 detail={"from_school": from_school.pk, "to_school": student.school_id})
    notify(scopes.users_in_role(Role.PSYCH_TEACHER, school_id=student.school_id),
           subject=Text(gettext_noop("升学学生的心理成长档案交接")),
           body=Text(gettext_noop("一名学生升学转入%(school)s。请登录心哨查看其心理成长档案，并在“交接任务”中确认接收。"),
                     {"school": student.school.name}),
           link=reverse("records:handovers"), urgent=False, topic="records.handover", now=now)
    return task


@transaction.atomic
def handover_acknowledge(*, task: HandoverTask, actor, request=None, now=None) -> HandoverTask:
    now = now or timezone.now()
    task = HandoverTask.objects.select_for_update().get(pk=task.pk)
    if task.state != HandoverTask.State.PENDING:
        raise ValidationError(_("这项交接任务已经确认过了。"))
    task.state, task.acknowledged_by, task.acknowledged_at = HandoverTask.State.ACKNOWLEDGED, actor, now
    task.save(update_fields=["state", "acknowledged_by", "acknowledged_at"])
    HandoverEvent.objects.create(task=task, kind="acknowledged", actor=actor, at=now)
    audit_record(actor=actor, action="records.handover_acknowledged", student=task.student, obj=task,
                 request=request)
    return task
