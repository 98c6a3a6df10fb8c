"""Writes of activities entering campus. Keyword-only; each state change writes an ActivityEvent
row and an audit entry in the same transaction (`_event`); functions that depend on the date take
`now`, so tests and the demo set the clock.

Who may call what is asked of `xinshao.access.scopes` here too, so a command or an API later stays
inside the same rules as the pages.
"""
import datetime
import secrets
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from xinshao.access import scopes
from xinshao.accounts.roles import Role
from xinshao.activities.models import ActivityEvent, Application, Material, Refusal
from xinshao.audit.services import audit_record
# The same upload limit, permission refusal and text check as inspections' writes.
from xinshao.core.checks import form_text, permitted
from xinshao.core.uploads import PDF, file_kept, stored_upload_problem
from xinshao.notifications.services import notify
from xinshao.notifications.texts import Text

# 明州 (the city) · 进校 (entering campus): MZ-JX-2026-0012.
APPROVAL_PREFIX = "MZ-JX"
MATERIALS_PER_APPLICATION = 10
# An activity longer than a term, or applied for more than a year ahead, is almost always a slip.
LONGEST_ACTIVITY = datetime.timedelta(days=183)
FURTHEST_AHEAD = datetime.timedelta(days=366)
_EDITABLE = (Application.State.DRAFT,)
_WITHDRAWABLE = (Application.State.DRAFT, Application.State.SUBMITTED, Application.State.APPROVED)


def _event(*, kind: str, actor, now, request=None, application=None, refusal=None, reason: str = "",
           **detail) -> ActivityEvent:
    """The one way to record a change: an event row and an audit entry."""
    event = ActivityEvent.objects.create(
        kind=kind, actor=actor if actor is not None and actor.is_authenticated else None, at=now,
        application=application, refusal=refusal, reason=reason[:1000], detail=detail)
    audit_record(actor=actor, action=f"activities.{kind}", obj=application or refusal, request=request,
                 detail={"event": event.pk, **{k: v for k, v in detail.items() if isinstance(v, (int, str))}})
    return event


def _locked(application: Application, actor, *, states) -> Application:
    permitted(scopes.can_change_application(actor, application))
    application = Application.objects.select_for_update().get(pk=application.pk)
    if application.state not in states:
        raise ValidationError(_("这份申报现在不能修改。"))
    return application


def _link(application: Application) -> str:
    return reverse("activities:application_detail", args=[application.pk])


# --- Applications ---------------------------------------------------------------------------

@transaction.atomic
def application_save(*, actor, title: str, kind: str, purpose: str, schools, starts_on, ends_on, participants: int,
                     teacher_hours: Decimal, contact_person: str, contact_phone: str,
                     application: Application | None = None, now=None, request=None) -> Application:
    """File a new draft for the actor's body, or change a draft. `schools` are School objects."""
    now = now or timezone.now()
    if application is None:
        bodies = scopes.outside_bodies_of(actor)
        permitted(len(bodies) == 1)
        application = Application(body_id=next(iter(bodies)), created_by=actor, created_at=now)
    else:
        application = _locked(application, actor, states=_EDITABLE)
    schools = list(schools)
    if not schools:
        raise ValidationError({"schools": _("请至少选择一所学校。")})
    if ends_on < starts_on:
        raise ValidationError({"ends_on": _("结束日期不能早于开始日期。")})
    if ends_on - starts_on > LONGEST_ACTIVITY:
        raise ValidationError({"ends_on": _("一次申报的活动时间请不要超过半年。")})
    application.title = form_text(title, field="title", limit=100)
    application.kind = kind
    application.purpose = form_text(purpose, field="purpose", limit=2000)
    application.starts_on, application.ends_on = starts_on, ends_on
    application.participants, application.teacher_hours = participants, teacher_hours
    application.contact_person = form_text(contact_person, field="contact_person", limit=50)
    application.contact_phone = form_text(contact_phone, field="contact_phone", limit=20)
    created = application.pk is None
    application.full_clean(exclude=["schools"])
    application.save()
    application.schools.set(schools)
    _event(kind="application_create" if created else "application_edit", actor=actor, now=now, request=request,
           application=application, schools=len(schools))
    return application


@transaction.atomic
def material_add(*, application: Application, name: str, content: bytes, actor, now=None,
                 request=None) -> Material:
    """Keep an uploaded PDF (checked again here: name, size, first bytes) with a draft."""
    now = now or timezone.now()
    application = _locked(application, actor, states=_EDITABLE)
    problem = stored_upload_problem(name=name, content=content, kinds=PDF)
    if problem:
        raise ValidationError({"file": problem})
    if application.materials.count() >= MATERIALS_PER_APPLICATION:
        raise ValidationError({"file": _("每份申报最多上传 %(n)d 个文件。") % {"n": MATERIALS_PER_APPLICATION}})
    material = Material(application=application, token=secrets.token_hex(16), file_name=name.rsplit("/", 1)[-1][:255],
                        size=len(content), uploaded_by=actor, uploaded_at=now)

    def save() -> None:
        material.save()
        _event(kind="material_add", actor=actor, now=now, request=request, application=application,
               material=material.pk, size=material.size)
    file_kept(material.file, stored_name="material", content=content, save=save)
    return material


def _bureau_admins(application: Application):
    return scopes.users_in_role(Role.BUREAU_ADMIN, region=application.body.region)


def _applicants(application: Application):
    return scopes.users_in_role(Role.ACTIVITY_APPLICANT, outside_body_id=application.body_id)


@transaction.atomic
def application_submit(*, application: Application, actor, now=None, request=None) -> Application:
    """Send a draft to the bureau: its dates must still be ahead, and it needs its materials."""
    now = now or timezone.now()
    application = _locked(application, actor, states=_EDITABLE)
    today = timezone.localdate(now)
    if application.starts_on < today:
        raise ValidationError(_("活动开始日期已经过了，请先修改日期再提交。"))
    if application.starts_on > today + FURTHEST_AHEAD:
        raise ValidationError(_("请在活动前一年以内申报。"))
    if not application.materials.exists():
        raise ValidationError(_("请至少上传一份活动材料（PDF），例如活动方案或讲稿，再提交审批。"))
    application.state, application.submitted_at = Application.State.SUBMITTED, now
    application.save(update_fields=["state", "submitted_at"])
    _event(kind="application_submit", actor=actor, now=now, request=request, application=application)
    notify(_bureau_admins(application), subject=Text(gettext_noop("有新的进校园活动申报")),
           body=Text(gettext_noop("%(body)s 申报了进校园活动“%(title)s”，请登录心哨审批。"),
                     {"body": application.body.name, "title": application.title}),
           link=_link(application), urgent=False, topic="activities.application", now=now)
    return application


@transaction.atomic
def application_withdraw(*, application: Application, actor, now=None, request=None) -> Application:
    """The body takes an application back, approved or not: it leaves the register."""
    now = now or timezone.now()
    application = _locked(application, actor, states=_WITHDRAWABLE)
    before, application.state = application.state, Application.State.WITHDRAWN
    application.save(update_fields=["state"])
    _event(kind="application_withdraw", actor=actor, now=now, request=request, application=application,
           before=before)
    return application


def _next_approval_number(year: int) -> str:
    start = f"{APPROVAL_PREFIX}-{year}-"
    last = Application.objects.filter(approval_number__startswith=start).aggregate(last=Max("approval_number"))["last"]
    return f"{start}{int(last.removeprefix(start)) + 1 if last else 1:04d}"


@transaction.atomic
def application_review(*, application: Application, approve: bool, reason: str = "", actor, now=None,
                       request=None) -> Application:
    """The bureau admin approves a submitted application (it gets its approval number) or rejects it
    with a reason; the body's applicants are told either way."""
    permitted(scopes.can_review_activity_applications(actor))
    now = now or timezone.now()
    application = Application.objects.select_for_update().select_related("body").get(pk=application.pk)
    if application.state != Application.State.SUBMITTED:
        raise ValidationError(_("只有待审批的申报可以批准或不予批准。"))
    if approve:
        reason = form_text(reason, field="reason", required=False)
        application.state = Application.State.APPROVED
        application.approval_number = _next_approval_number(timezone.localdate(now).year)
        subject = Text(gettext_noop("进校园活动申报已批准"))
        body = Text(gettext_noop("“%(title)s”已批准，备案编号 %(number)s。进校时请向学校出示备案编号。"),
                    {"title": application.title, "number": application.approval_number})
    else:
        reason = form_text(reason, field="reason")
        application.state = Application.State.REJECTED
        subject = Text(gettext_noop("进校园活动申报未获批准"))
        body = Text(gettext_noop("“%(title)s”未获批准，请登录心哨查看审批意见。"), {"title": application.title})
    application.decision_reason, application.decided_by, application.decided_at = reason, actor, now
    application.save(update_fields=["state", "approval_number", "decision_reason", "decided_by", "decided_at"])
    _event(kind="application_approve" if approve else "application_reject", actor=actor, now=now, request=request,
           application=application, reason=reason, number=application.approval_number or "")
    notify(_applicants(application), subject=subject, body=body, link=_link(application), urgent=False,
           topic="activities.decision", now=now)
    return application


# --- Refusals -------------------------------------------------------------------------------

@transaction.atomic
def refusal_record(*, school, body_name: str, activity: str, happened_on, ground: str, note: str = "",
                   application: Application | None = None, actor, now=None, request=None) -> Refusal:
    """A school turned a body away; `application` is the approval it went beyond, if any."""
    now = now or timezone.now()
    permitted(school.pk in scopes.activity_school_ids(actor))
    if happened_on > timezone.localdate(now):
        raise ValidationError({"happened_on": _("日期不能晚于今天。")})
    if ground == Refusal.Ground.OUTSIDE_SCOPE and application is None:
        raise ValidationError({"approval_number": _("超出审批范围时，请填写对方出示的备案编号。")})
    refusal = Refusal(school=school, body_name=form_text(body_name, field="body_name", limit=100),
                      activity=form_text(activity, field="activity", limit=200), happened_on=happened_on, ground=ground,
                      application=application, note=form_text(note, field="note", required=False),
                      recorded_by=actor, recorded_at=now)
    refusal.full_clean()
    refusal.save()
    _event(kind="refusal_record", actor=actor, now=now, request=request, refusal=refusal, ground=ground)
    return refusal
