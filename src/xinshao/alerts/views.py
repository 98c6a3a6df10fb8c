"""Alert inbox, alert detail and its actions, and the rule pages.

An alert outside alerts_visible_to answers 404; a page the user's role may not use answers 403.
"""
import json

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from xinshao.access import scopes
from xinshao.access.routes import (
    ALERT_HANDLERS,
    BUREAU_ADMIN,
    EVERYONE,
    PSYCH_CENTRE,
    PSYCH_TEACHER,
    SCHOOL_ADMIN,
    access_rule,
)
from xinshao.alerts import engine, selectors, services
from xinshao.alerts.forms import AlertActionForm, InboxFilterForm, RulesForm
from xinshao.audit.services import audit_list_view, audit_record
from xinshao.core.pages import form_page, refused_onto

INBOX_PAGE_SIZE = 50


def _inbox_context(request, *, refresh: bool) -> dict:
    if not scopes.can_use_alert_inbox(request.user):
        raise PermissionDenied
    filters = InboxFilterForm(request.GET or None)
    chosen = filters.filters()
    page = Paginator(selectors.alert_inbox(request.user, **chosen), INBOX_PAGE_SIZE).get_page(request.GET.get("page"))
    # Names and reasons on screen are a read of each student's alert, like opening it.
    audit_list_view(actor=request.user, action="alerts.inbox_viewed", students=[a.student_id for a in page.object_list],
                    request=request, refresh=refresh)
    return {"page": page, "filters": filters, "chosen": chosen, "now": timezone.now(),
            "query": request.GET.urlencode()}


@access_rule(sensitive=True, allow=ALERT_HANDLERS, others=403)
@require_GET
def inbox(request):
    return render(request, "alerts/inbox.html", _inbox_context(request, refresh=False))


@access_rule(allow=ALERT_HANDLERS, others=403)
@never_cache
@require_GET
def inbox_rows(request):
    """The inbox's rows alone: the page fetches them every few seconds, so new alerts appear without a reload."""
    return render(request, "alerts/inbox_rows.html", _inbox_context(request, refresh=True))


def _visible_alert(request, alert_id: int):
    if not scopes.can_use_alert_inbox(request.user):
        raise PermissionDenied
    alert = selectors.alert_detail(request.user, alert_id)
    if alert is None:
        raise Http404
    return alert


@access_rule(sensitive=True, allow=[(PSYCH_TEACHER | SCHOOL_ADMIN).of_school, PSYCH_CENTRE], forbidden=EVERYONE - ALERT_HANDLERS)
@require_GET
def alert_detail(request, alert_id: int):
    alert = _visible_alert(request, alert_id)
    signals = list(selectors.alert_signals(alert))
    # The page shows what people wrote about the student: each opening is recorded.
    audit_record(actor=request.user, action="alerts.alert_viewed", student=alert.student, obj=alert, request=request)
    return render(request, "alerts/detail.html", {
        "alert": alert, "signals": signals, "events": selectors.alert_events(alert), "now": timezone.now(),
        "owners": scopes.alert_owners_at(alert.school), "form": AlertActionForm(),
        "may_confirm": alert.close_requested_by_id and alert.close_requested_by_id != request.user.pk,
        "can_open_case": scopes.schools_with_case_rights(request.user).filter(pk=alert.school_id).exists(),
        "cases": scopes.cases_visible_to(request.user).filter(alerts=alert),
    })


def _act(form: AlertActionForm, alert, request):
    action, user = form.cleaned_data["action"], request.user
    if action == "acknowledge":
        return services.alert_acknowledge(alert=alert, actor=user, request=request), _("已确认，请尽快跟进。")
    if action == "reassign":
        owner = scopes.alert_owners_at(alert.school).filter(pk=form.cleaned_data["owner"] or 0).first()
        if owner is None:
            raise ValidationError(_("请选择本校的一位心理教师。"))
        return services.alert_reassign(alert=alert, actor=user, owner=owner, request=request), _("负责人已更换。")
    if action == "close":
        alert = services.alert_close(alert=alert, actor=user, reason=form.cleaned_data["reason"], request=request)
        if alert.is_open:
            return alert, _("已申请关闭。红色预警需要另一位同事确认后才会关闭。")
        return alert, _("预警已关闭。")
    if action == "confirm_close":
        return services.alert_close_confirm(alert=alert, actor=user, request=request), _("已确认关闭。")
    return (services.alert_close_decline(alert=alert, actor=user, reason=form.cleaned_data["reason"], request=request),
            _("已退回关闭申请，预警保持打开。"))


@access_rule(allow=[(PSYCH_TEACHER | SCHOOL_ADMIN).of_school, PSYCH_CENTRE], forbidden=EVERYONE - ALERT_HANDLERS, post_only=True)
@require_POST
def alert_act(request, alert_id: int):
    alert = _visible_alert(request, alert_id)
    form = AlertActionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("无法识别的操作。"))
        return redirect("alerts:detail", alert_id=alert.pk)
    try:
        _alert, done = _act(form, alert, request)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, done)
    return redirect("alerts:detail", alert_id=alert.pk)


def _rules_page(request, *, current, shown: dict, city_rules: dict | None, editable: bool, history, save,
                extra: dict):
    form = RulesForm(request.POST or None, rules=shown, city_rules=city_rules, disabled=not editable)
    if request.method == "POST" and form.is_valid():
        saved = refused_onto(form, lambda: save(rules=form.cleaned_data["rules"], note=form.cleaned_data["note"],
                                                actor=request.user))
        if saved:
            messages.success(request, _("规则已保存为第 %(version)s 版，此后产生的预警按新规则处理。")
                             % {"version": saved.version})
            return redirect(request.path)
    context = {"form": form, "current": current, "history": history, "editable": editable, **extra}
    return form_page(request, "alerts/rules.html", context)


@access_rule(allow=BUREAU_ADMIN | SCHOOL_ADMIN | PSYCH_TEACHER, others=403)
@require_http_methods(["GET", "POST"])
def city_rules(request):
    user = request.user
    editable_schools = scopes.schools_with_rule_rights(user)
    region = scopes.regions_with_rule_rights(user).first()
    if region is None:
        if not editable_schools.exists():
            raise PermissionDenied
        if request.method == "POST":
            raise PermissionDenied
        region = selectors.city_of(editable_schools.select_related("district").first())
    current = services.city_rule_set(region)
    can_edit = scopes.can_edit_city_rules(user)
    return _rules_page(
        request, current=current, shown=current.rules, city_rules=None, editable=can_edit,
        history=selectors.rule_set_history(region=region),
        save=lambda **kw: services.city_rules_save(region=region, **kw),
        extra={"region": region, "schools": editable_schools,
               # The stored data, for the bureau admin who wants to see exactly what the engine reads.
               "rules_json": json.dumps(current.rules, ensure_ascii=False, indent=2) if can_edit else None},
    )


@access_rule(allow=(SCHOOL_ADMIN | PSYCH_TEACHER).of_school)
@require_http_methods(["GET", "POST"])
def school_rules(request, school_id: int):
    school = get_object_or_404(scopes.schools_with_rule_rights(request.user).select_related("district"), pk=school_id)
    city_set = services.city_rule_set(selectors.city_of(school))
    current = selectors.rule_set_latest(school=school)
    # A school with its own set works under the stricter of both: that is what the form starts from.
    return _rules_page(
        request, current=current or city_set, shown=engine.strictest(city_set.rules, current and current.rules),
        city_rules=city_set.rules, editable=True, history=selectors.rule_set_history(school=school),
        save=lambda **kw: services.school_rules_save(school=school, **kw),
        extra={"school": school, "city_set": city_set, "has_own": current is not None},
    )
