"""Intervention pages of a case (mounted in the "cases" namespace at /cases/) and the case page's
intervention section.

A case outside cases_visible_to answers 404 (cases/pages.py); a write by someone who may see the
case but not change it answers 403, and so does a session's notes page for a reader without
scopes.can_read_case_notes. Private session notes are never
on the case page: they open on the session's own page, for can_read_case_notes users only,
and every opening writes an audit entry. A form with a mistake answers 400 and stores nothing.
"""
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from xinshao.access import scopes
from xinshao.access.routes import CASE_NOTE_READERS, CASE_READERS, CASE_READERS_WITHOUT_NOTES, CASE_WORKERS, access_rule
from xinshao.audit.services import audit_record
from xinshao.cases.intervention import services as intervention
from xinshao.cases.intervention.forms import (
    ActionForm,
    GuardianContactForm,
    SafetyPlanForm,
    SessionForm,
)
from xinshao.cases.pages import case_for_page, case_to_change, form_page
from xinshao.cases.models import Case
from xinshao.core.pages import refused_flash

# --- the case page's section ----------------------------------------------------------------

def _may_write(user, case: Case) -> bool:
    return case.is_open and scopes.can_change_case(user, case)


def section(request, case: Case) -> dict:
    """Context for cases/intervention/_section.html, under one key so it cannot clash with the page's.

    The section shows the safety plan and guardian contacts in full (the team needs them), so it
    records that read; session notes are not loaded at all.
    """
    user = request.user
    plan = intervention.safety_plan_current(case)
    contacts = list(case.guardian_contacts.select_related("guardian", "written_by").order_by("-contacted_at", "-id"))
    if plan is not None or contacts:
        audit_record(actor=user, action="cases.intervention_read", student=case.student, obj=case, request=request,
                     detail={"safety_plan": plan.pk if plan else None, "guardian_contacts": [c.pk for c in contacts]})
    return {"intervention": {
        "sessions": list(case.sessions.defer("private_notes").select_related("written_by").order_by("-held_at", "-id")),
        "may_read_notes": scopes.can_read_case_notes(user, case),
        "may_write": _may_write(user, case),
        "safety_plan": plan,
        "safety_plan_versions": case.safety_plans.count(),
        "guardian_contacts": contacts,
        "actions": list(case.actions.select_related("assignee", "done_by").order_by("done_at", "due_on", "id")),
        "today": timezone.localdate(),
    }}


# --- the form pages ------------------------------------------------------------------------

def _section_url(case: Case) -> str:
    return reverse("cases:detail", args=[case.pk]) + "#intervention"


def _case_page(case: Case):
    return redirect(_section_url(case))


def _closed(request, case: Case):
    messages.error(request, _("这个个案已经结案，不能再添加记录；如需继续，请先重新开案。"))
    return _case_page(case)


def _form_page(request, case: Case, form, *, title: str, intro: str, button: str, save, done: str,
               blocked: str = ""):
    """The shared form page (pages.form_page) for this section. `blocked` says why the form cannot be
    used yet (shown instead of it)."""
    if not case.is_open:
        return _closed(request, case)
    context = {"case": case, "title": title, "intro": intro, "button": button, "blocked": blocked,
               "section": "intervention", "stylesheet": "cases/intervention.css", "page_class": "intervention-page"}
    if blocked:
        return render(request, "cases/form.html", context, status=400 if request.method == "POST" else 200)
    return form_page(request, "cases/form.html", form, save=save, done=done, context=context,
                     back=_section_url(case))


# --- writing --------------------------------------------------------------------------------

@access_rule(allow=CASE_WORKERS, forbidden=CASE_READERS)
@require_http_methods(["GET", "POST"])
def session_new(request, case_id: int):
    case = case_to_change(request, case_id)
    form = SessionForm(request.POST or None)
    return _form_page(
        request, case, form, title=_("记录一次辅导"), button=_("保存辅导记录"), done=_("辅导记录已保存。"),
        intro=_("辅导记录加密保存。团队其他成员只能看到辅导的时间、形式、时长和辅导老师，看不到记录内容。"),
        save=lambda data: intervention.session_record(case=case, actor=request.user, request=request, **data))


@access_rule(sensitive=True, allow=CASE_WORKERS, forbidden=CASE_READERS)
@require_http_methods(["GET", "POST"])
def safety_plan_new(request, case_id: int):
    case = case_to_change(request, case_id)
    current = intervention.safety_plan_current(case)
    if request.method == "GET" and current is not None:
        # The form is filled with the plan in force: reading it is recorded like any other read.
        audit_record(actor=request.user, action="cases.safety_plan_read", student=case.student, obj=current,
                     request=request, detail={"versions": [current.pk]})
    form = SafetyPlanForm(request.POST or None, initial=SafetyPlanForm.initial_from(current))
    return _form_page(
        request, case, form, title=_("修改安全计划") if current else _("制定安全计划"), button=_("保存为新版本"),
        done=_("安全计划已保存为新版本。"),
        intro=_("和学生一起商量，用学生自己的话写。保存后是一个新版本，以前的版本会保留在历史中。"),
        save=lambda data: intervention.safety_plan_save(case=case, actor=request.user, request=request, **data))


@access_rule(allow=CASE_WORKERS, forbidden=CASE_READERS)
@require_http_methods(["GET", "POST"])
def guardian_contact_new(request, case_id: int):
    case = case_to_change(request, case_id)
    form = GuardianContactForm(request.POST or None, case=case)
    blocked = "" if form.fields["guardian"].queryset.exists() else _(
        "学生档案中还没有监护人信息。请先请学校管理员补充监护人，再来记录沟通。")
    return _form_page(
        request, case, form, title=_("记录与监护人的沟通"), button=_("保存沟通记录"), done=_("沟通记录已保存。"),
        intro=_("记录和哪位监护人、用什么方式、说了什么。"), blocked=blocked,
        save=lambda data: intervention.guardian_contact_record(case=case, actor=request.user, request=request,
                                                               **data))


@access_rule(allow=CASE_WORKERS, forbidden=CASE_READERS)
@require_http_methods(["GET", "POST"])
def action_new(request, case_id: int):
    case = case_to_change(request, case_id)
    form = ActionForm(request.POST or None, case=case)
    return _form_page(
        request, case, form, title=_("商定一项措施"), button=_("保存措施"), done=_("措施已保存。"),
        intro=_("写清楚做什么、谁负责、什么时候之前完成。负责人可以是个案负责人或团队成员。"),
        save=lambda data: intervention.action_agree(case=case, actor=request.user, request=request, **data))


@access_rule(allow=CASE_WORKERS, forbidden=CASE_READERS, post_only=True)
@require_POST
def action_done(request, case_id: int, action_id: int):
    case = case_to_change(request, case_id)
    action = get_object_or_404(case.actions, pk=action_id)
    if not case.is_open:
        return _closed(request, case)
    refused_flash(request, lambda: intervention.action_done(action=action, actor=request.user, request=request),
                  _("已标记为完成。"))
    return _case_page(case)


# --- reading --------------------------------------------------------------------------------

@access_rule(sensitive=True, allow=CASE_NOTE_READERS, forbidden=CASE_READERS_WITHOUT_NOTES)
@never_cache
@require_GET
def session_detail(request, case_id: int, session_id: int):
    # The right comes before the session is looked up: a made-up session id answers as a real one.
    case = case_for_page(request, case_id, may=scopes.can_read_case_notes)
    session = get_object_or_404(case.sessions.select_related("written_by", "written_at_school"), pk=session_id)
    audit_record(actor=request.user, action="cases.session_notes_read", student=case.student, obj=session,
                 request=request)
    return render(request, "cases/intervention/session.html", {"case": case, "session": session})


@access_rule(sensitive=True, allow=[CASE_WORKERS, *CASE_READERS])
@never_cache
@require_GET
def safety_plan(request, case_id: int):
    """The plan in force and every earlier version, newest first."""
    case = case_for_page(request, case_id)
    versions = list(case.safety_plans.select_related("written_by").order_by("-written_at", "-id"))
    if versions:
        audit_record(actor=request.user, action="cases.safety_plan_read", student=case.student, obj=versions[0],
                     request=request, detail={"versions": [plan.pk for plan in versions]})
    return render(request, "cases/intervention/safety_plan.html", {
        "case": case, "current": versions[0] if versions else None, "earlier": versions[1:],
        "count": len(versions), "may_write": _may_write(request.user, case),
    })
