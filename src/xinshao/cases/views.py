"""Case pages: the lists, opening a case (by hand or from an alert), the case page and its changes.

A case outside cases_visible_to answers 404, and a change by someone who may only see the case 403
(cases/pages.py); the lists and the opening forms answer 403 to a role that has none. The case
page gathers the sections of intervention, referrals and follow-ups from their own view modules.
"""
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from xinshao.access import scopes
from xinshao.access.routes import ALERT_HANDLERS, CASE_READERS, CASE_WORKERS, CLASS_TEACHER, EVERYONE, PSYCH_TEACHER, access_rule
from xinshao.alerts import selectors as alert_selectors
from xinshao.alerts.models import Level
from xinshao.alerts.templatetags.alerts import alert_reason
from xinshao.audit.services import audit_list_view, audit_record
from xinshao.cases import selectors, services
from xinshao.cases.followups import views as followup_views
from xinshao.cases.intervention import views as intervention_views
from xinshao.cases.referrals import views as referral_views
from xinshao.cases.forms import CaseChangeForm, CaseCloseForm, CaseFilterForm, CaseFromAlertForm, CaseOpenForm
from xinshao.cases.pages import case_for_page, case_to_change
from xinshao.cases.models import Case
from xinshao.core.pages import refused_onto
from xinshao.cases.referrals.selectors import overdue_referral_exists
from xinshao.people.models import Student

PAGE_SIZE = 50


def _require_case_pages(user) -> None:
    if not scopes.can_use_case_pages(user):
        raise PermissionDenied


@access_rule(sensitive=True, allow=ALERT_HANDLERS | CLASS_TEACHER, others=403)
@require_GET
def case_list(request):
    _require_case_pages(request.user)
    filters = CaseFilterForm(request.GET or None)
    chosen = filters.filters()
    cases = selectors.case_list(request.user, **chosen).annotate(
        referral_overdue=overdue_referral_exists(timezone.now()))
    counts = (scopes.cases_visible_to(request.user).exclude(state=Case.State.CLOSED).order_by()
              .values("state", "level").annotate(n=Count("id")))
    table = {(row["state"], row["level"]): row["n"] for row in counts}
    page = Paginator(cases, PAGE_SIZE).get_page(request.GET.get("page"))
    audit_list_view(actor=request.user, action="cases.list_viewed", students=[c.student_id for c in page.object_list],
                    request=request)
    return render(request, "cases/list.html", {
        "page": page, "filters": filters,
        "can_open": scopes.schools_with_case_rights(request.user).exists(),
        "can_watch_overdue": scopes.can_watch_overdue_follow_ups(request.user),
        "levels": Level.choices,
        "by_state": [(label, [table.get((state, level), 0) for level, _l in Level.choices])
                     for state, label in Case.State.choices if state != Case.State.CLOSED],
    })


def _require_case_rights(user) -> None:
    if not scopes.schools_with_case_rights(user).exists():
        raise PermissionDenied


@access_rule(allow=PSYCH_TEACHER, others=403)
@require_http_methods(["GET", "POST"])
def case_new(request):
    _require_case_rights(request.user)
    form = CaseOpenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        student = Student.objects.filter(school__in=scopes.schools_with_case_rights(request.user),
                                         student_number=form.cleaned_data["student_number"].strip()).first()
        if student is None:
            form.add_error("student_number", _("本校没有这个学号的学生。"))
        else:
            return _opened(request, form, lambda: services.case_open(
                student=student, level=form.cleaned_data["level"], reason=form.cleaned_data["reason"],
                actor=request.user, request=request))
    return render(request, "cases/new.html", {"form": form}, status=400 if request.method == "POST" else 200)


def _opened(request, form, open_case):
    case = refused_onto(form, open_case)
    if case is None:
        return render(request, "cases/new.html", {"form": form, "alert": getattr(form, "alert", None)}, status=400)
    messages.success(request, _("个案已建立。"))
    return redirect("cases:detail", case_id=case.pk)


@access_rule(sensitive=True, allow=PSYCH_TEACHER.of_school, forbidden=EVERYONE - PSYCH_TEACHER)
@require_http_methods(["GET", "POST"])
def case_from_alert(request, alert_id: int):
    _require_case_rights(request.user)
    alert = alert_selectors.alert_detail(request.user, alert_id)
    if alert is None or not scopes.schools_with_case_rights(request.user).filter(pk=alert.school_id).exists():
        raise Http404
    if request.method == "GET":
        # The form starts from the alert's level and reason: reading them is recorded like the alert page.
        audit_record(actor=request.user, action="cases.open_from_alert_viewed", student=alert.student, obj=alert,
                     request=request)
    initial = {"level": alert.level, "reason": alert_reason(alert)[:300]}
    form = CaseFromAlertForm(request.POST or None, initial=initial)
    form.alert = alert
    if request.method == "POST" and form.is_valid():
        return _opened(request, form, lambda: services.case_open(
            student=alert.student, level=form.cleaned_data["level"], reason=form.cleaned_data["reason"],
            actor=request.user, alert=alert, request=request))
    return render(request, "cases/new.html", {"form": form, "alert": alert})


@access_rule(sensitive=True, allow=[CASE_WORKERS, *CASE_READERS])
@require_GET
def case_detail(request, case_id: int):
    return _detail_page(request, case_for_page(request, case_id))


def _detail_page(request, case: Case, *, close_form: CaseCloseForm | None = None, status: int = 200):
    audit_record(actor=request.user, action="cases.case_viewed", student=case.student, obj=case, request=request)
    can_manage = scopes.can_change_case(request.user, case)
    context = {
        "case": case, "can_manage": can_manage, "events": selectors.case_events(case),
        "team": case.team.select_related("user"), "alerts": case.alerts.order_by("created_at"),
        "next_states": [(s, dict(Case.State.choices)[s]) for s in sorted(services.TRANSITIONS.get(case.state, ()))],
        "closure_problems": services.closure_problems(case) if case.is_open else [],
        "owners": scopes.alert_owners_at(case.school), "levels": Level.choices,
        "can_read_notes": scopes.can_read_case_notes(request.user, case),
        # The reasons that opened and changed the case carry scores ("PHQ-A 22 分"): psych staff only.
        "can_read_clinical": scopes.can_read_case_clinical(request.user, case),
        "close_form": close_form or CaseCloseForm(),
    }
    for section in (intervention_views.section, referral_views.section, followup_views.section):
        context.update(section(request, case))
    return render(request, "cases/detail.html", context, status=status)


def _change(form: CaseChangeForm, case: Case, request) -> str:
    data, user = form.cleaned_data, request.user
    action = data["action"]
    if action == "state":
        services.case_change_state(case=case, to_state=data["to_state"], actor=user, reason=data["reason"],
                                   request=request)
        return _("状态已更新。")
    if action == "reopen":
        services.case_reopen(case=case, actor=user, reason=data["reason"], request=request)
        return _("个案已重新开案。")
    if action == "level":
        services.case_level_change(case=case, level=data["level"], actor=user, reason=data["reason"],
                                   request=request)
        return _("风险等级已更新。")
    owner = scopes.alert_owners_at(case.school).filter(pk=data["owner"] or 0).first()
    if owner is None:
        raise ValidationError(_("请选择本校的一位心理教师。"))
    services.case_reassign(case=case, owner=owner, actor=user, reason=data["reason"], request=request)
    return _("负责人已更换。")


@access_rule(allow=CASE_WORKERS, forbidden=CASE_READERS, post_only=True)
@require_POST
def case_change(request, case_id: int):
    case = case_to_change(request, case_id)
    if request.POST.get("action") == "close":
        return _close(request, case)
    form = CaseChangeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("无法识别的操作。"))
    else:
        try:
            messages.success(request, _change(form, case, request))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
    return redirect("cases:detail", case_id=case.pk)


def _close(request, case: Case):
    """A mistake shows the case page again (400) with the app's own message next to the review."""
    form = CaseCloseForm(request.POST)
    if form.is_valid() and refused_onto(form, lambda: services.case_close(
            case=case, actor=request.user, closure_review=form.cleaned_data["closure_review"], request=request)):
        messages.success(request, _("个案已结案。"))
        return redirect("cases:detail", case_id=case.pk)
    return _detail_page(request, case, close_form=form, status=400)
