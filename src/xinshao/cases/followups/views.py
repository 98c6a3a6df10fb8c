"""Follow-up (回访) pages: the section on the case page, planning one, recording it done or waived,
and the list of overdue follow-ups.

A case outside cases_visible_to answers 404; a change by someone who may see the case but not
change it answers 403 (cases/pages.py). A form with a mistake answers 400 with the form again and
stores nothing.
"""
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from xinshao.access import scopes
from xinshao.access.routes import ALERT_HANDLERS, CASE_READERS, CASE_WORKERS, access_rule
from xinshao.audit.services import audit_list_view, audit_record
from xinshao.cases.followups import selectors
from xinshao.cases.followups import services as followups
from xinshao.cases.followups.forms import (
    FollowUpDoneForm,
    FollowUpPlanForm,
    FollowUpWaiveForm,
)
from xinshao.cases.pages import case_to_change, form_page
from xinshao.cases.models import Case, FollowUp

PAGE_SIZE = 50


def section(request, case: Case) -> dict:
    """Context for cases/followups/_section.html, under one key so it cannot clash with the page's."""
    user = request.user
    # Outcomes are the psych staff's notes; class teachers on the team see dates and states.
    with_outcomes = scopes.can_read_case_clinical(user, case)
    rows = selectors.case_follow_ups(case, with_outcomes=with_outcomes)
    written = [f.pk for f in rows if f.state != FollowUp.State.PLANNED]
    if with_outcomes and written:
        audit_record(actor=user, action="cases.follow_ups_read", student=case.student, obj=case, request=request,
                     detail={"follow_ups": written})
    return {"followups": {
        "rows": rows, "today": timezone.localdate(), "may_read_outcomes": with_outcomes,
        "may_change": case.is_open and scopes.can_change_case(user, case), "may_read_timeline": with_outcomes,
    }}


# --- the form pages ------------------------------------------------------------------------

def _form_page(request, case: Case, form, *, title: str, intro: str, button: str, save, done: str,
               follow_up=None):
    return form_page(request, "cases/form.html", form, save=save, done=done,
                     back=reverse("cases:detail", args=[case.pk]) + "#follow-ups", context={
                         "case": case, "title": title, "intro": intro, "button": button, "follow_up": follow_up,
                         "section": "follow-ups", "stylesheet": "cases/followups.css", "page_class": "case-page"})


# --- the changes ---------------------------------------------------------------------------

@access_rule(allow=CASE_WORKERS, forbidden=CASE_READERS)
@require_http_methods(["GET", "POST"])
def followup_new(request, case_id: int):
    case = case_to_change(request, case_id)
    return _form_page(
        request, case, FollowUpPlanForm(request.POST or None), title=_("安排回访"), button=_("安排回访"),
        done=_("回访已安排。"), intro=_("到期当天会提醒个案负责人；超过日期未完成的回访会列入学校和教育局的逾期名单。"),
        save=lambda data: followups.followup_plan(case=case, due_on=data["due_on"], actor=request.user,
                                                  request=request))


@access_rule(allow=CASE_WORKERS, forbidden=CASE_READERS)
@require_http_methods(["GET", "POST"])
def followup_done(request, case_id: int, followup_id: int):
    case = case_to_change(request, case_id)
    follow_up = get_object_or_404(case.follow_ups.defer("outcome"), pk=followup_id)
    return _form_page(
        request, case, FollowUpDoneForm(request.POST or None), title=_("记录回访结果"), button=_("保存回访结果"),
        follow_up=follow_up, done=_("回访结果已记录。"),
        intro=_("回访结果加密保存，只有个案的心理教师和教育局心理中心能看到。"),
        save=lambda data: followups.followup_done(follow_up=follow_up, outcome=data["outcome"], actor=request.user,
                                                  request=request))


@access_rule(allow=CASE_WORKERS, forbidden=CASE_READERS)
@require_http_methods(["GET", "POST"])
def followup_waive(request, case_id: int, followup_id: int):
    case = case_to_change(request, case_id)
    follow_up = get_object_or_404(case.follow_ups.defer("outcome"), pk=followup_id)
    return _form_page(
        request, case, FollowUpWaiveForm(request.POST or None), title=_("免除回访"), button=_("免除这次回访"),
        follow_up=follow_up, done=_("这次回访已免除。"),
        intro=_("例如学生已由转介机构持续跟进，或监护人明确拒绝。原因会留在个案记录中。"),
        save=lambda data: followups.followup_waive(follow_up=follow_up, reason=data["reason"], actor=request.user,
                                                   request=request))


# --- overdue -------------------------------------------------------------------------------

@access_rule(allow=ALERT_HANDLERS, others=403)
@require_GET
def overdue(request):
    if not scopes.can_watch_overdue_follow_ups(request.user):
        raise PermissionDenied
    today = timezone.localdate()
    page = Paginator(selectors.follow_ups_overdue(request.user, today), PAGE_SIZE).get_page(request.GET.get("page"))
    rows = selectors.overdue_rows(request.user, page, today)
    # Only the rows named on the page show whose follow-up is late.
    audit_list_view(actor=request.user, action="cases.follow_ups_overdue_viewed",
                    students=[row.follow_up.case.student_id for row in rows if row.named], request=request)
    return render(request, "cases/followups/overdue.html", {
        "page": page, "rows": rows, "today": today,
    })
