"""Writes of inspections and rectification. Keyword-only; each state change writes a
GovernanceEvent row and an audit entry in the same transaction (`_event`), and each function
that depends on the date takes `now` so tests move the clock instead of waiting.

Who may call what is asked of `xinshao.access.scopes` here too, so a command or an API later
stays inside the same rules as the pages.
"""
import datetime
import secrets
from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from xinshao.access import scopes
from xinshao.accounts.roles import Role
from xinshao.audit.services import audit_record
from xinshao.core.checks import form_text, permitted
from xinshao.core.uploads import RECORDS, file_kept, stored_upload_problem
from xinshao.governance.models import (
    BELOW_MEETS,
    Checklist,
    ChecklistItem,
    Evidence,
    Finding,
    GovernanceEvent,
    InspectionPlan,
    InspectionRound,
    Rectification,
    Result,
    RoundItem,
    SchoolVisit,
)
from xinshao.notifications.services import notify
from xinshao.notifications.texts import Text

EVIDENCE_PER_ITEM = 20
# A deadline further ahead than this is almost always a typing slip.
LATEST_DEADLINE = datetime.timedelta(days=366)


def _event(*, kind: str, actor, now, request=None, round=None, visit=None, rectification=None, reason: str = "",
           **detail) -> GovernanceEvent:
    """The one way to record a change: an event row and an audit entry."""
    event = GovernanceEvent.objects.create(
        kind=kind, actor=actor if actor is not None and actor.is_authenticated else None, at=now,
        round=round, visit=visit, rectification=rectification, reason=reason[:1000], detail=detail)
    obj = rectification or visit or round
    audit_record(actor=actor, action=f"governance.{kind}", obj=obj, request=request,
                 detail={"event": event.pk, **{k: v for k, v in detail.items() if isinstance(v, (int, str))}})
    return event


# --- Checklists -----------------------------------------------------------------------------

@transaction.atomic
def checklist_create(*, name: str, description: str = "", actor, request=None) -> Checklist:
    permitted(scopes.can_manage_inspections(actor))
    name = form_text(name, field="name", limit=100)
    if Checklist.objects.filter(name=name).exists():
        raise ValidationError({"name": _("已有同名的督查清单。")})
    checklist = Checklist.objects.create(name=name, description=form_text(description, field="description",
                                                                        required=False, limit=300))
    audit_record(actor=actor, action="governance.checklist_create", obj=checklist, request=request)
    return checklist


@transaction.atomic
def checklist_item_save(*, checklist: Checklist, actor, category: str, text: str, evidence_required: bool,
                        item: ChecklistItem | None = None, request=None) -> ChecklistItem:
    """Add an item, or change one. Rounds already made keep their own copy."""
    permitted(scopes.can_manage_inspections(actor))
    category, text = form_text(category, field="category", limit=50), form_text(text, field="text", limit=300)
    if item is None:
        last = checklist.items.order_by("-position").values_list("position", flat=True).first() or 0
        item = ChecklistItem(checklist=checklist, position=last + 1)
    item.category, item.text, item.evidence_required = category, text, evidence_required
    item.full_clean()
    item.save()
    checklist.save(update_fields=["updated_at"])
    audit_record(actor=actor, action="governance.checklist_item_save", obj=item, request=request)
    return item


@transaction.atomic
def checklist_item_remove(*, item: ChecklistItem, actor, request=None) -> None:
    permitted(scopes.can_manage_inspections(actor))
    audit_record(actor=actor, action="governance.checklist_item_remove", obj=item, request=request,
                 detail={"text": item.text[:200]})
    item.delete()


# --- Plans and rounds -----------------------------------------------------------------------

@transaction.atomic
def plan_create(*, year: int, name: str, actor, request=None) -> InspectionPlan:
    permitted(scopes.can_manage_inspections(actor))
    if InspectionPlan.objects.filter(year=year).exists():
        raise ValidationError({"year": _("这一年度已有督查计划。")})
    plan = InspectionPlan.objects.create(year=year, name=form_text(name, field="name", limit=100), created_by=actor)
    audit_record(actor=actor, action="governance.plan_create", obj=plan, request=request)
    return plan


@transaction.atomic
def round_create(*, plan: InspectionPlan, name: str, starts_on, ends_on, checklist: Checklist, schools, inspectors,
                 actor, now=None, request=None) -> InspectionRound:
    """A round over `schools`, with the checklist's items copied into it, and one visit per school
    assigned to the inspectors in turn (ordered by school code, so the split is the same each time)."""
    permitted(scopes.can_manage_inspections(actor))
    now = now or timezone.now()
    if ends_on < starts_on:
        raise ValidationError({"ends_on": _("结束日期不能早于开始日期。")})
    items = list(checklist.items.all())
    if not items:
        raise ValidationError({"checklist": _("这份督查清单还没有条目。")})
    schools = list(schools.order_by("code"))
    if not schools:
        raise ValidationError({"schools": _("没有符合条件的学校。")})
    inspectors = sorted(inspectors, key=lambda user: user.pk)
    if not inspectors:
        raise ValidationError({"inspectors": _("请至少指派一名督查员。")})
    round_ = InspectionRound.objects.create(plan=plan, name=form_text(name, field="name", limit=100), starts_on=starts_on,
                                            ends_on=ends_on, checklist=checklist, checklist_name=checklist.name,
                                            created_by=actor)
    RoundItem.objects.bulk_create([
        RoundItem(round=round_, position=item.position, category=item.category, text=item.text,
                  evidence_required=item.evidence_required) for item in items])
    SchoolVisit.objects.bulk_create([
        SchoolVisit(round=round_, school=school, inspector=inspectors[index % len(inspectors)])
        for index, school in enumerate(schools)])
    _event(kind="round_create", actor=actor, now=now, request=request, round=round_, schools=len(schools),
           items=len(items))
    return round_


ROUND_MOVES = {
    InspectionRound.State.PLANNED: InspectionRound.State.IN_PROGRESS,
    InspectionRound.State.IN_PROGRESS: InspectionRound.State.CLOSED,
}


@transaction.atomic
def round_advance(*, round: InspectionRound, to: str, actor, now=None, request=None) -> InspectionRound:
    """planned → in progress → closed; a closed round stays closed."""
    permitted(scopes.can_manage_inspections(actor))
    now = now or timezone.now()
    round = InspectionRound.objects.select_for_update().get(pk=round.pk)
    if ROUND_MOVES.get(round.state) != to:
        raise ValidationError(_("这一轮督查现在不能改为这个状态。"))
    before, round.state = round.state, to
    round.save(update_fields=["state"])
    _event(kind="round_state", actor=actor, now=now, request=request, round=round, before=before, after=to)
    return round


# --- Findings -------------------------------------------------------------------------------

@transaction.atomic
def visit_record(*, visit: SchoolVisit, results: dict[int, tuple[str, str]], actor, completed_on=None, now=None,
                 request=None) -> SchoolVisit:
    """Record the result and note of each round item given (item id → (result, note)); with
    `completed_on`, the visit is completed on that date, which needs a result for every item."""
    permitted(scopes.can_manage_inspections(actor))
    now = now or timezone.now()
    visit = SchoolVisit.objects.select_for_update().select_related("round").get(pk=visit.pk)
    if visit.round.state != InspectionRound.State.IN_PROGRESS:
        raise ValidationError(_("只有进行中的督查轮次可以记录结果。"))
    items = {item.pk: item for item in visit.round.items.all()}
    if set(results) - set(items):
        raise ValidationError(_("有不属于这一轮督查的条目。"))
    existing = {finding.item_id: finding for finding in visit.findings.all()}
    changed = 0
    for item_id, (result, note) in results.items():
        if result not in Result.values:
            raise ValidationError(_("请为每个条目选择结果。"))
        note = form_text(note, field="note", required=False)
        finding = existing.get(item_id)
        if finding is None:
            Finding.objects.create(visit=visit, item=items[item_id], result=result, note=note, recorded_by=actor,
                                   recorded_at=now)
        elif (finding.result, finding.note) != (result, note):
            if finding.result != result and hasattr(finding, "rectification") and result not in BELOW_MEETS:
                raise ValidationError(_("“%(item)s”已有整改事项，结果不能改为达标或不适用。") % {"item": items[item_id].text})
            finding.result, finding.note, finding.recorded_by, finding.recorded_at = result, note, actor, now
            finding.save(update_fields=["result", "note", "recorded_by", "recorded_at"])
        else:
            continue
        changed += 1
    if changed:
        _event(kind="findings_record", actor=actor, now=now, request=request, round=visit.round, visit=visit,
               changed=changed)
    if completed_on is not None:
        if visit.findings.count() < len(items):
            raise ValidationError({"completed_on": _("每个条目都有结果后，才能完成这次督查。")})
        if completed_on > timezone.localdate(now):
            raise ValidationError({"completed_on": _("完成日期不能晚于今天。")})
        if visit.state != SchoolVisit.State.COMPLETED or visit.completed_on != completed_on:
            visit.state, visit.completed_on = SchoolVisit.State.COMPLETED, completed_on
            visit.save(update_fields=["state", "completed_on"])
            _event(kind="visit_complete", actor=actor, now=now, request=request, round=visit.round, visit=visit,
                   completed_on=completed_on.isoformat())
    return visit


# --- Rectification --------------------------------------------------------------------------

def _school_people(school):
    return [*scopes.users_in_role(Role.SCHOOL_ADMIN, school=school),
            *scopes.users_in_role(Role.PSYCH_TEACHER, school=school)]


def _item_link(rectification) -> str:
    return reverse("governance:rectification_detail", args=[rectification.pk])


@transaction.atomic
def rectification_open(*, finding: Finding, requirement: str, deadline, actor, now=None,
                       request=None) -> Rectification:
    permitted(scopes.can_manage_inspections(actor))
    now = now or timezone.now()
    finding = Finding.objects.select_for_update().select_related("visit__school", "visit__round").get(pk=finding.pk)
    if finding.result not in BELOW_MEETS:
        raise ValidationError(_("只有“部分达标”或“未达标”的结果可以提出整改。"))
    if Rectification.objects.filter(finding=finding).exists():
        raise ValidationError(_("这一条结果已有整改事项。"))
    today = timezone.localdate(now)
    if deadline < today:
        raise ValidationError({"deadline": _("整改期限不能早于今天。")})
    if deadline > today + LATEST_DEADLINE:
        raise ValidationError({"deadline": _("整改期限请定在一年以内。")})
    rectification = Rectification.objects.create(
        finding=finding, school=finding.visit.school, requirement=form_text(requirement, field="requirement"),
        deadline=deadline, opened_by=actor, opened_at=now)
    _event(kind="rectification_open", actor=actor, now=now, request=request, round=finding.visit.round,
           visit=finding.visit, rectification=rectification, deadline=deadline.isoformat())
    notify(_school_people(rectification.school), subject=Text(gettext_noop("有新的整改事项")),
           body=Text(gettext_noop("督查提出了一项整改事项（%(school)s），整改期限 %(deadline)s。请登录心哨查看并上传整改材料。"),
                     {"school": rectification.school.name, "deadline": deadline.strftime("%Y-%m-%d")}),
           link=_item_link(rectification), urgent=False, topic="governance.rectification", now=now)
    return rectification


def _for_school(rectification: Rectification, actor, *, states) -> Rectification:
    if not scopes.can_answer_rectification(actor, rectification):
        raise ValidationError(_("您没有权限进行这项操作。"))
    rectification = Rectification.objects.select_for_update().get(pk=rectification.pk)
    if rectification.state not in states:
        raise ValidationError(_("这项整改现在不能修改。"))
    return rectification


_SCHOOL_EDITABLE = (Rectification.State.OPEN, Rectification.State.RETURNED)


@transaction.atomic
def evidence_add(*, rectification: Rectification, name: str, content: bytes, actor, now=None,
                 request=None) -> Evidence:
    """Keep an uploaded file (checked again here: kind, size, first bytes) as evidence."""
    now = now or timezone.now()
    rectification = _for_school(rectification, actor, states=_SCHOOL_EDITABLE)
    problem = stored_upload_problem(name=name, content=content, kinds=RECORDS)
    if problem:
        raise ValidationError({"file": problem})
    if rectification.evidence.count() >= EVIDENCE_PER_ITEM:
        raise ValidationError({"file": _("每项整改最多上传 %(n)d 个文件。") % {"n": EVIDENCE_PER_ITEM}})
    extension = PurePath(name).suffix.lower()
    evidence = Evidence(rectification=rectification, token=secrets.token_hex(16), extension=extension,
                        file_name=PurePath(name).name[:255], size=len(content), uploaded_by=actor, uploaded_at=now)

    def save() -> None:
        evidence.save()
        _event(kind="evidence_add", actor=actor, now=now, request=request, rectification=rectification,
               evidence=evidence.pk, size=evidence.size)
    file_kept(evidence.file, stored_name="evidence", content=content, save=save)
    return evidence


@transaction.atomic
def rectification_submit(*, rectification: Rectification, note: str, actor, now=None,
                         request=None) -> Rectification:
    """The school says the change is made and sends it for sign-off."""
    now = now or timezone.now()
    rectification = _for_school(rectification, actor, states=_SCHOOL_EDITABLE)
    note = form_text(note, field="note", limit=2000)
    finding = Finding.objects.select_related("item", "visit").get(pk=rectification.finding_id)
    if finding.item.evidence_required and not rectification.evidence.exists():
        raise ValidationError(_("这一条要求提供佐证材料：请先上传文件，再提交审核。"))
    before = rectification.state
    rectification.state, rectification.school_note, rectification.submitted_at = \
        Rectification.State.SUBMITTED, note, now
    rectification.save(update_fields=["state", "school_note", "submitted_at"])
    _event(kind="rectification_submit", actor=actor, now=now, request=request, rectification=rectification,
           before=before)
    notify([finding.visit.inspector], subject=Text(gettext_noop("有整改事项待审核")),
           body=Text(gettext_noop("%(school)s 提交了一项整改，请登录心哨审核。"), {"school": rectification.school.name}),
           link=_item_link(rectification), urgent=False, topic="governance.rectification", now=now)
    return rectification


@transaction.atomic
def rectification_review(*, rectification: Rectification, accept: bool, reason: str = "", actor, now=None,
                         request=None) -> Rectification:
    """The inspector signs a submitted item off, or returns it to the school with a reason."""
    permitted(scopes.can_sign_off_rectifications(actor))
    now = now or timezone.now()
    rectification = Rectification.objects.select_for_update().get(pk=rectification.pk)
    if rectification.state != Rectification.State.SUBMITTED:
        raise ValidationError(_("只有待审核的整改可以通过或退回。"))
    if accept:
        rectification.state, rectification.signed_off_at = Rectification.State.SIGNED_OFF, now
        rectification.save(update_fields=["state", "signed_off_at"])
        _event(kind="rectification_sign_off", actor=actor, now=now, request=request, rectification=rectification)
        subject, body = Text(gettext_noop("整改已通过")), Text(gettext_noop("%(school)s 的一项整改已审核通过。"),
                                                              {"school": rectification.school.name})
    else:
        reason = form_text(reason, field="reason")
        rectification.state, rectification.return_reason = Rectification.State.RETURNED, reason
        rectification.save(update_fields=["state", "return_reason"])
        _event(kind="rectification_return", actor=actor, now=now, request=request, rectification=rectification,
               reason=reason)
        subject, body = Text(gettext_noop("整改被退回")), Text(
            gettext_noop("%(school)s 的一项整改被退回，请登录心哨查看原因并重新提交。"), {"school": rectification.school.name})
    notify(_school_people(rectification.school), subject=subject, body=body, link=_item_link(rectification),
           urgent=False, topic="governance.rectification", now=now)
    return rectification


def rectifications_overdue(now=None):
    today = timezone.localdate(now or timezone.now())
    return Rectification.objects.exclude(state=Rectification.State.SIGNED_OFF).filter(deadline__lt=today)


def rectifications_notify_overdue(now=None) -> int:
    """Tell each overdue item's school once (its admin and psych teachers); return how many items."""
    now = now or timezone.now()
    sent = 0
    for pk in rectifications_overdue(now).filter(overdue_notified_at__isnull=True).order_by("deadline", "id") \
            .values_list("pk", flat=True):
        sent += _notify_overdue(pk, now)
    return sent


@transaction.atomic
def _notify_overdue(pk: int, now) -> int:
    # Re-read under lock: another run of the job may have sent it, or the item been signed off, meanwhile.
    rectification = rectifications_overdue(now).filter(overdue_notified_at__isnull=True, pk=pk) \
        .select_for_update(of=("self",)).select_related("school").first()
    if rectification is None:
        return 0
    rectification.overdue_notified_at = now
    rectification.save(update_fields=["overdue_notified_at"])
    _event(kind="rectification_overdue", actor=None, now=now, rectification=rectification,
           deadline=rectification.deadline.isoformat())
    notify(_school_people(rectification.school), subject=Text(gettext_noop("整改已逾期")),
           body=Text(gettext_noop("%(school)s 的一项整改已超过期限 %(deadline)s，请尽快完成并提交审核。"),
                     {"school": rectification.school.name, "deadline": rectification.deadline.strftime("%Y-%m-%d")}),
           link=_item_link(rectification), urgent=False, topic="governance.overdue", now=now)
    return 1
