"""Follow-up (回访) pages: the section on the case page, planning one, recording it done or waived,
and the list of overdue follow-ups.

A case outside cases_visible_to answers 404; a page the role may not use answers 403. A form with
a mistake answers 400 with the form again and stores nothing.
"""
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from xinshao.access import scopes
from xinshao.audit.services import audit_record
from xinshao.cases import followup_selectors as selectors
from xinshao.cases import followups
from xinshao.cases.followup_forms import (
    FollowUpDoneForm,
    FollowUpPlanForm,
    FollowUpWaiveForm,
)
from xinshao.cases.pages import case_for_page
from xinshao.cases.models import Case, FollowUp
from xinshao.cases.timeline import may_read_timeline

PAGE_SIZE = 50


def _may_change(user, case: Case) -> bool:
    return scopes.cases_manageable_by(user).filter(pk=case.pk).exists()


def _may_read_outcomes(user, case: Case) -> bool:
    """Outcomes are the psych staff's notes; class teachers and leaders on the team see dates and states."""
    return _may_change(user, case) or scopes.can_read_session_notes(user, case)


def section(request, case: Case) -> dict:
    """Context for cases/followups/_section.html, under one key so it cannot clash with the page's."""
    user = request.user
    with_outcomes = _may_read_outcomes(user, case)
    rows = selectors.case_follow_ups(case, with_outcomes=with_outcomes)
    written = [f.pk for f in rows if f.state != FollowUp.State.PLANNED]
    if with_outcomes and written:
        audit_record(actor=user, action="cases.follow_ups_read", student=case.student, obj=case, request=request,
                     detail={"follow_ups": written})
    return {"followups": {
        "rows": rows, "today": timezone.localdate(), "may_read_outcomes": with_outcomes,
        "may_change": case.is_open and _may_change(user, case), "may_read_timeline": may_read_timeline(user, case),
    }}


# --- finding the case and the follow-up ----------------------------------------------------


def _changeable_case(request, case_id: int) -> Case:
    case = case_for_page(request, case_id)
    if not _may_change(request.user, case):
        raise PermissionDenied
    return case


def _form_page(request, case: Case, form, *, title: str, intro: str, button: str, follow_up=None):
    return render(request, "cases/followups/form.html", {
        "case": case, "form": form, "title": title, "intro": intro, "button": button, "follow_up": follow_up,
    }, status=400 if form.errors else 200)


def _saved(request, case: Case, form, change, done: str):
    """Run a service; a refusal becomes a form error (nothing was kept), success goes back to the case."""
    try:
        change()
    except ValidationError as error:
        form.add_error(None, error.messages)
        return None
    messages.success(request, done)
    return redirect(reverse("cases:detail", args=[case.pk]) + "#follow-ups")


# --- the changes ---------------------------------------------------------------------------

@require_http_methods(["GET", "POST"])
def followup_new(request, case_id: int):
    case = _changeable_case(request, case_id)
    form = FollowUpPlanForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        response = _saved(request, case, form, lambda: followups.followup_plan(
            case=case, due_on=form.cleaned_data["due_on"], actor=request.user, request=request), _("回访已安排。"))
        if response:
            return response
    return _form_page(request, case, form, title=_("安排回访"), button=_("安排回访"),
                      intro=_("到期当天会提醒个案负责人；超过日期未完成的回访会列入学校和教育局的逾期名单。"))


@require_http_methods(["GET", "POST"])
def followup_done(request, case_id: int, followup_id: int):
    case = _changeable_case(request, case_id)
    follow_up = get_object_or_404(case.follow_ups.defer("outcome"), pk=followup_id)
    form = FollowUpDoneForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        response = _saved(request, case, form, lambda: followups.followup_done(
            follow_up=follow_up, outcome=form.cleaned_data["outcome"], actor=request.user, request=request),
            _("回访结果已记录。"))
        if response:
            return response
    return _form_page(request, case, form, title=_("记录回访结果"), button=_("保存回访结果"), follow_up=follow_up,
                      intro=_("回访结果加密保存，只有个案的心理教师和教育局心理中心能看到。"))


@require_http_methods(["GET", "POST"])
def followup_waive(request, case_id: int, followup_id: int):
    case = _changeable_case(request, case_id)
    follow_up = get_object_or_404(case.follow_ups.defer("outcome"), pk=followup_id)
    form = FollowUpWaiveForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        response = _saved(request, case, form, lambda: followups.followup_waive(
            follow_up=follow_up, reason=form.cleaned_data["reason"], actor=request.user, request=request),
            _("这次回访已免除。"))
        if response:
            return response
    return _form_page(request, case, form, title=_("免除回访"), button=_("免除这次回访"), follow_up=follow_up,
                      intro=_("例如学生已由转介机构持续跟进，或监护人明确拒绝。原因会留在个案记录中。"))


# --- overdue -------------------------------------------------------------------------------

@require_GET
def overdue(request):
    if not selectors.can_watch_overdue(request.user):
        raise PermissionDenied
    today = timezone.localdate()
    page = Paginator(selectors.follow_ups_overdue(request.user, today), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "cases/followups/overdue.html", {
        "page": page, "rows": selectors.overdue_rows(request.user, page, today), "today": today,
    })
