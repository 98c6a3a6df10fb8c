"""Pages of compliance/: access requests and approvals, access history, the yearly report, the
incident register, locked accounts. Thin: scope, form, service, page."""
from django.conf import settings
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from xinshao.access import scopes
from xinshao.access.routes import BUREAU_ADMIN, EVERYONE, SCHOOL_ADMIN, access_rule
from xinshao.audit.services import audit_record
from xinshao.compliance import selectors, services
from xinshao.compliance.forms import AccessRequestForm, IncidentActionForm, IncidentForm, NoteForm, ReportForm
from xinshao.compliance.report import compliance_report
from xinshao.core.pages import form_page, refused_flash, refused_onto, require

ADMINS = BUREAU_ADMIN | SCHOOL_ADMIN
KEEPERS = (BUREAU_ADMIN, SCHOOL_ADMIN.of_school)


@access_rule(allow=BUREAU_ADMIN, forbidden=EVERYONE - BUREAU_ADMIN)
def pending(request):
    require(scopes.can_approve_access(request.user))
    return render(request, "compliance/pending.html", {"requests": selectors.pending_requests_for(request.user)})


@access_rule(allow=ADMINS, forbidden=EVERYONE - ADMINS)
def request_new(request):
    require(scopes.can_request_access(request.user))
    form = AccessRequestForm(request.POST or None, requester=request.user)
    if form.is_valid():
        grant = refused_onto(form, lambda: services.access_request(
            requested_by=request.user, user=form.cleaned_data["username"], role=form.cleaned_data["role"],
            unit=form.unit(), reason=form.cleaned_data["reason"], request=request))
        if grant is not None:
            messages.success(request, _("申请已提交，经教育局管理员批准后生效。"))
            return redirect("compliance:request", access_request_id=grant.pk)
    return form_page(request, "compliance/request_new.html", {"form": form})


@access_rule(allow=KEEPERS, forbidden=EVERYONE - ADMINS)
def request_detail(request, access_request_id):
    require(scopes.can_request_access(request.user))
    grant = get_object_or_404(selectors.access_history(scopes.access_requests_visible_to(request.user)),
                              pk=access_request_id)
    decidable = scopes.access_requests_decidable_by(request.user).filter(pk=grant.pk).exists()
    return render(request, "compliance/request.html", {"grant": grant, "decidable": decidable, "form": NoteForm()})


def _decide(request, access_request_id, write, done):
    grant = get_object_or_404(scopes.access_requests_visible_to(request.user), pk=access_request_id)
    form = NoteForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    refused_flash(request, lambda: write(access_request=grant, actor=request.user, note=note, request=request), done)
    return redirect("compliance:request", access_request_id=grant.pk)


@require_POST
@access_rule(allow=BUREAU_ADMIN, forbidden=EVERYONE - BUREAU_ADMIN, post_only=True)
def request_approve(request, access_request_id):
    require(scopes.can_approve_access(request.user))
    return _decide(request, access_request_id, services.access_approve, _("已批准，授权即时生效。"))


@require_POST
@access_rule(allow=BUREAU_ADMIN, forbidden=EVERYONE - BUREAU_ADMIN, post_only=True)
def request_refuse(request, access_request_id):
    require(scopes.can_approve_access(request.user))
    return _decide(request, access_request_id, services.access_refuse, _("已拒绝这份申请。"))


@require_POST
@access_rule(allow=KEEPERS, forbidden=EVERYONE - ADMINS, post_only=True)
def request_revoke(request, access_request_id):
    require(scopes.can_request_access(request.user))
    return _decide(request, access_request_id, services.access_revoke, _("授权已撤销，即时生效。"))


def _history_page(request, *, title, requests, **context):
    audit_record(actor=request.user, action="compliance.access_history_viewed", request=request,
                 detail={"title": str(title)})
    return render(request, "compliance/history.html", {
        "title": title, "requests": selectors.access_history(requests), **context})


@access_rule(allow=KEEPERS, forbidden=EVERYONE - ADMINS)
def person_history(request, person_id):
    require(scopes.can_request_access(request.user))
    person = get_object_or_404(scopes.people_followed_by(request.user), pk=person_id)
    return _history_page(request, title=_("%(name)s 的访问授权记录") % {"name": person}, person=person,
                         requests=scopes.access_requests_visible_to(request.user).filter(user=person),
                         assignments=person.role_assignments.select_related(
                             "region", "school", "school_class__school", "agency", "access_request"))


@access_rule(allow=KEEPERS, forbidden=EVERYONE - ADMINS)
def school_history(request, school_id):
    require(scopes.can_request_access(request.user))
    school = get_object_or_404(scopes.schools_with_access_history_for(request.user), pk=school_id)
    return _history_page(request, title=_("%(school)s 的访问授权记录") % {"school": school.name},
                         requests=scopes.access_requests_visible_to(request.user).filter(at_school=school))


@access_rule(allow=BUREAU_ADMIN, forbidden=EVERYONE - BUREAU_ADMIN)
def report(request):
    require(scopes.can_read_compliance_report(request.user))
    form = ReportForm(request.GET or None, user=request.user)
    result = None
    if form.is_valid():
        result = compliance_report(region=form.cleaned_data["region"], year=form.cleaned_data["year"])
        audit_record(actor=request.user, action="compliance.report_viewed", obj=form.cleaned_data["region"],
                     request=request, detail={"year": form.cleaned_data["year"]})
    return form_page(request, "compliance/report.html", {"form": form, "report": result})


@access_rule(allow=BUREAU_ADMIN, forbidden=EVERYONE - BUREAU_ADMIN)
def incidents(request):
    require(scopes.can_keep_incidents(request.user))
    form = IncidentForm(request.POST or None, user=request.user)
    if form.is_valid():
        data = form.cleaned_data
        incident = refused_onto(form, lambda: services.incident_report(
            actor=request.user, region=data["region"], title=data["title"], description=data["description"],
            discovered_at=data["discovered_at"], affected_count=data["affected_count"],
            affected_students=data["students"], data_kinds=data["data_kinds"], request=request))
        if incident is not None:
            return redirect("compliance:incident", incident_id=incident.pk)
    return form_page(request, "compliance/incidents.html", {
        "incidents": selectors.incidents_for(request.user), "form": form,
        "hours": settings.XINSHAO_INCIDENT_REPORT_HOURS})


@access_rule(allow=BUREAU_ADMIN, forbidden=EVERYONE - BUREAU_ADMIN)
def incident(request, incident_id):
    require(scopes.can_keep_incidents(request.user))
    found = get_object_or_404(scopes.incidents_visible_to(request.user), pk=incident_id)
    form = IncidentActionForm(request.POST or None)
    if form.is_valid() and refused_onto(form, lambda: services.incident_act(
            incident=found, actor=request.user, kind=form.cleaned_data["kind"], note=form.cleaned_data["note"],
            request=request)):
        return redirect("compliance:incident", incident_id=found.pk)
    audit_record(actor=request.user, action="compliance.incident_viewed", obj=found, request=request)
    return form_page(request, "compliance/incident.html", {
        "incident": found, "overdue": found.is_overdue(timezone.now()),
        "events": found.events.select_related("actor"), "students": found.affected_students.select_related("school"),
        "form": form})


@access_rule(allow=ADMINS, forbidden=EVERYONE - ADMINS)
def locked(request):
    require(scopes.can_unlock_accounts(request.user))
    return render(request, "compliance/locked.html", {"accounts": selectors.locked_accounts_for(request.user)})


@require_POST
@access_rule(allow=KEEPERS, forbidden=EVERYONE - ADMINS, post_only=True)
def unlock(request, person_id):
    require(scopes.can_unlock_accounts(request.user))
    person = get_object_or_404(scopes.people_followed_by(request.user), pk=person_id)
    refused_flash(request, lambda: services.account_unlock(user=person, actor=request.user, request=request),
                  _("已解除 %(name)s 的登录锁定。") % {"name": person})
    return redirect("compliance:locked")


