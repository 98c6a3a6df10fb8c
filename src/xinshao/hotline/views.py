"""Pages of the city hotline and walk-in centre (mounted at /hotline/).

Calls are read by the city's operators and psych centre only (scopes.calls_visible_to); a call
outside them answers 404. A page the role cannot use answers 403. A form with a mistake answers
400 with the form again and stores nothing.
"""
from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from xinshao.access import scopes
from xinshao.access.routes import BUREAU_ADMIN, HOTLINE, PSYCH_CENTRE, access_rule
from xinshao.audit.services import audit_list_view, audit_record
from xinshao.core.pages import form_page, refused_onto, require
from xinshao.hotline import selectors, services
from xinshao.hotline.forms import CallbackForm, CallForm, TopicForm, VisitForm
from xinshao.hotline.models import Topic

PAGE_SIZE = 50
CALL_READERS = (HOTLINE, PSYCH_CENTRE)


def _search(request):
    def search(**terms):
        return services.student_search(user=request.user, request=request, **terms)
    return search


# --- calls -----------------------------------------------------------------------------------

@access_rule(allow=CALL_READERS, others=403)
@require_GET
def call_list(request):
    require(scopes.can_read_calls(request.user))
    calls, mine = selectors.call_log(request.user, request.GET)
    page = Paginator(calls, PAGE_SIZE).get_page(request.GET.get("page"))
    audit_list_view(actor=request.user, action="hotline.call_list.view",
                    students=[c.student_id for c in page.object_list if c.student_id], request=request)
    return render(request, "hotline/call_list.html", {
        "page": page, "mine": mine, "query_string": "mine=1" if mine else "",
        "can_log": scopes.can_log_calls(request.user), "open_callbacks": selectors.callbacks_open(
            scopes.calls_visible_to(request.user)).count()})


def _call_form_page(request, follow_up_of=None):
    require(scopes.can_log_calls(request.user))
    form = CallForm(request.POST or None, user=request.user, search=_search(request))
    if request.method == "POST" and form.is_valid():
        call = refused_onto(form, lambda: services.call_log(
            operator=request.user, topics=form.cleaned_data["topics"], student=form.student,
            school=form.cleaned_data.get("school"), follow_up_of=follow_up_of, request=request,
            **form.call_fields()))
        if call is not None:
            messages.success(request, _("来电已记录。"))
            return redirect("hotline:call_detail", call_id=call.pk)
    return form_page(request, "hotline/call_form.html", {"form": form, "follow_up_of": follow_up_of})


@access_rule(allow=HOTLINE, others=403)
@require_http_methods(["GET", "POST"])
def call_new(request):
    return _call_form_page(request)


@access_rule(allow=HOTLINE, forbidden=PSYCH_CENTRE)
@require_http_methods(["GET", "POST"])
def call_follow_up(request, call_id: int):
    first = get_object_or_404(scopes.calls_visible_to(request.user), pk=call_id)
    return _call_form_page(request, follow_up_of=first)


@access_rule(allow=CALL_READERS)
@require_GET
def call_detail(request, call_id: int):
    calls = scopes.calls_visible_to(request.user)
    call = get_object_or_404(calls, pk=call_id)
    thread = selectors.call_thread(calls.defer("notes"), call)
    audit_record(actor=request.user, action="hotline.call.view", student=call.student, obj=call, request=request)
    return render(request, "hotline/call_detail.html", {
        "call": call, "thread": thread if len(thread) > 1 else [], "events": call.events.select_related("actor"),
        "can_change": scopes.can_change_call(request.user, call),
        "can_callback": scopes.can_record_callback(request.user, call) and call.callback_open,
        "can_follow_up": scopes.can_log_calls(request.user), "now": timezone.now()})


@access_rule(allow=HOTLINE.own, forbidden=CALL_READERS)
@require_http_methods(["GET", "POST"])
def call_edit(request, call_id: int):
    call = get_object_or_404(scopes.calls_visible_to(request.user), pk=call_id)
    require(scopes.can_change_call(request.user, call))
    initial = {"topics": list(call.topics.all()), "callback_owed": call.callback_due_at is not None,
               "started_at": timezone.localtime(call.started_at).strftime("%Y-%m-%dT%H:%M"),
               "callback_due_at": timezone.localtime(call.callback_due_at).strftime("%Y-%m-%dT%H:%M")
               if call.callback_due_at else None,
               **{k: getattr(call, k) for k in ("duration_minutes", "channel", "call_type", "caller_type", "urgency",
                                                "risk", "actions", "caller_description", "raise_alert", "notes")}}
    form = CallForm(request.POST or None, user=request.user, editing=True, initial=initial)
    if request.method == "POST" and form.is_valid():
        saved = refused_onto(form, lambda: services.call_update(call=call, actor=request.user, request=request,
                                                         topics=form.cleaned_data["topics"], **form.call_fields()))
        if saved is not None:
            messages.success(request, _("来电记录已更新。"))
            return redirect("hotline:call_detail", call_id=call.pk)
    return form_page(request, "hotline/call_form.html", {"form": form, "call": call})


@access_rule(allow=HOTLINE, forbidden=PSYCH_CENTRE)
@require_http_methods(["GET", "POST"])
def callback(request, call_id: int):
    call = get_object_or_404(scopes.calls_visible_to(request.user), pk=call_id)
    require(scopes.can_record_callback(request.user, call))
    form = CallbackForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        done = refused_onto(form, lambda: services.callback_record(call=call, actor=request.user,
                                                            outcome=form.cleaned_data["outcome"], request=request))
        if done is not None:
            messages.success(request, _("回电已记录。"))
            return redirect("hotline:call_detail", call_id=call.pk)
    return form_page(request, "hotline/callback.html", {"form": form, "call": call})


@access_rule(allow=CALL_READERS, others=403)
@require_GET
def callbacks(request):
    require(scopes.can_read_calls(request.user))
    rows = list(selectors.callbacks_open(scopes.calls_visible_to(request.user).defer("notes", "callback_outcome")))
    audit_list_view(actor=request.user, action="hotline.callbacks.view",
                    students=[c.student_id for c in rows if c.student_id], request=request)
    return render(request, "hotline/callbacks.html", {"rows": rows, "now": timezone.now(),
                                                      "can_log": scopes.can_log_calls(request.user)})


# --- walk-in visits --------------------------------------------------------------------------

@access_rule(allow=PSYCH_CENTRE, others=403)
@require_GET
def visit_list(request):
    require(scopes.can_keep_visits(request.user))
    visits = scopes.visits_visible_to(request.user)
    families = selectors.caseload(visits, request.user)
    page = Paginator(visits.defer("notes", "presenting_concern"), PAGE_SIZE).get_page(request.GET.get("page"))
    audit_list_view(actor=request.user, action="hotline.visits.view", request=request, students=[
        s.pk for v in [*(f.first for f in families), *page.object_list] for s in v.students.all()])
    return render(request, "hotline/visit_list.html", {"families": families, "page": page,
                                                       "today": timezone.localdate()})


def _visit_form_page(request, follow_up_of=None):
    require(scopes.can_keep_visits(request.user))
    initial = {}
    if follow_up_of is not None:
        initial = {"family_members": follow_up_of.thread_root.family_members,
                   "topics": list(follow_up_of.topics.all())}
    form = VisitForm(request.POST or None, user=request.user, search=_search(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        students = form.students or (list(follow_up_of.thread_root.students.all()) if follow_up_of else [])
        visit = refused_onto(form, lambda: services.visit_record(
            recorded_by=request.user, visited_at=data["visited_at"], counselor=data["counselor"],
            family_members=data["family_members"], presenting_concern=data["presenting_concern"],
            outcome=data["outcome"], students=students, unidentified_children=data["unidentified_children"],
            topics=data["topics"], notes=data["notes"], next_visit_on=data["next_visit_on"],
            follow_up_of=follow_up_of, request=request))
        if visit is not None:
            messages.success(request, _("来访已记录。"))
            return redirect("hotline:visit_detail", visit_id=visit.pk)
    return form_page(request, "hotline/visit_form.html", {"form": form, "follow_up_of": follow_up_of})


@access_rule(allow=PSYCH_CENTRE, others=403)
@require_http_methods(["GET", "POST"])
def visit_new(request):
    return _visit_form_page(request)


@access_rule(allow=PSYCH_CENTRE)
@require_http_methods(["GET", "POST"])
def visit_follow_up(request, visit_id: int):
    first = get_object_or_404(scopes.visits_visible_to(request.user), pk=visit_id)
    return _visit_form_page(request, follow_up_of=first)


@access_rule(allow=PSYCH_CENTRE)
@require_GET
def visit_detail(request, visit_id: int):
    visits = scopes.visits_visible_to(request.user)
    visit = get_object_or_404(visits, pk=visit_id)
    students = list(visit.students.select_related("school", "school_class__grade"))
    for student in students or [None]:
        audit_record(actor=request.user, action="hotline.visit.view", student=student, obj=visit, request=request)
    return render(request, "hotline/visit_detail.html", {
        "visit": visit, "students": students, "thread": selectors.visit_thread(visits.defer("notes"), visit)})


# --- statistics and topics -------------------------------------------------------------------

@access_rule(allow=(HOTLINE, PSYCH_CENTRE, BUREAU_ADMIN), others=403)
@require_GET
def statistics(request):
    require(scopes.can_read_hotline_statistics(request.user))
    calls = scopes.hotline_statistics_calls(request.user)
    city_wide = scopes.can_edit_topics(request.user)
    visits = selectors.visit_figures(scopes.hotline_statistics_visits(request.user)) if city_wide else None
    figures = selectors.call_figures(calls)
    tables = [
        (_("来电：按月份"), figures["month"]), (_("来电：按话题"), figures["topic"]),
        (_("来电：按来电人"), figures["caller_type"]), (_("来电：按风险评估"), figures["risk"]),
        (_("来电：按来电类型"), figures["call_type"]),
    ]
    if visits is not None:
        tables += [(_("来访：按月份"), visits["month"]), (_("来访：按话题"), visits["topic"])]
    open_callbacks = selectors.callbacks_open(calls)
    now = timezone.now()
    return render(request, "hotline/statistics.html", {
        "tables": [selectors.Figure(title, rows) for title, rows in tables], "city_wide": city_wide,
        "calls_total": calls.count(), "families": visits["families"] if visits else None,
        "callbacks_open": open_callbacks.count(),
        "callbacks_overdue": open_callbacks.filter(callback_due_at__lt=now).count()})


@access_rule(allow=(PSYCH_CENTRE, BUREAU_ADMIN), others=403)
@require_http_methods(["GET", "POST"])
def topics(request):
    require(scopes.can_edit_topics(request.user))
    form = TopicForm(request.POST if request.method == "POST" and "name" in request.POST else None)
    if request.method == "POST" and "toggle" in request.POST:
        topic = get_object_or_404(Topic, pk=request.POST.get("toggle") if request.POST["toggle"].isdigit() else 0)
        topic.is_active = not topic.is_active
        topic.save(update_fields=["is_active"])
        audit_record(actor=request.user, action="hotline.topic.toggled", obj=topic, request=request,
                     detail={"active": topic.is_active})
        return redirect("hotline:topics")
    if request.method == "POST" and form.is_valid():
        topic = Topic.objects.create(name=form.cleaned_data["name"], position=form.cleaned_data["position"])
        audit_record(actor=request.user, action="hotline.topic.added", obj=topic, request=request)
        messages.success(request, _("话题已添加。"))
        return redirect("hotline:topics")
    return form_page(request, "hotline/topics.html", {"form": form or TopicForm(), "topics": Topic.objects.all()})
