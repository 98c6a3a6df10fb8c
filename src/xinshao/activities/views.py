"""Pages of activities entering campus (mounted at /activities/).

Objects are fetched only through the activities scopes: outside them is 404; seen but not allowed
to act is 403. A form with a mistake answers 400 with the form again and stores nothing.
"""
from django.contrib import messages
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from xinshao.access import scopes
from xinshao.access.routes import (ANALYST, APPLICANT, BUREAU, BUREAU_ADMIN, INSPECTOR, PSYCH_CENTRE, SCHOOL_STAFF,
                                   access_rule)
from xinshao.activities import forms, selectors, services
from xinshao.activities.models import Application, Material
from xinshao.core.pages import form_page, refused_flash, refused_onto, require
from xinshao.org.models import OutsideBody

READERS = BUREAU | INSPECTOR
READ_ONLY = PSYCH_CENTRE | ANALYST | INSPECTOR


def _application(request, application_id) -> Application:
    return get_object_or_404(scopes.activity_applications_visible_to(request.user), pk=application_id)


# --- Applications ---------------------------------------------------------------------------

@access_rule(allow=(APPLICANT, READERS), others=403)
@require_GET
def application_list(request):
    user = request.user
    require(scopes.can_apply_for_activities(user) or scopes.can_read_activity_applications(user))
    applications = scopes.activity_applications_visible_to(user).prefetch_related("schools")
    state = request.GET.get("state", "")
    if state in Application.State.values:
        applications = applications.filter(state=state)
    elif scopes.can_review_activity_applications(user) and "state" not in request.GET:
        state, applications = Application.State.SUBMITTED, applications.filter(state=Application.State.SUBMITTED)
    return render(request, "activities/application_list.html", {
        "applications": applications.order_by("-submitted_at", "-created_at", "-id")[:500], "state": state,
        "states": Application.State.choices, "can_apply": scopes.can_apply_for_activities(user)})


def _application_form(request, application=None):
    """A draft's own values, or a new one's contact filled from the applicant's body."""
    user = request.user
    if application is not None:
        initial = {name: getattr(application, name) for name in forms.ApplicationForm.base_fields if name != "schools"}
        initial["schools"] = list(application.schools.all())
    else:
        body = OutsideBody.objects.filter(pk__in=scopes.outside_bodies_of(user)).first()
        initial = {"contact_person": body.contact_person, "contact_phone": body.contact_phone} if body else {}
    return forms.ApplicationForm(request.POST or None, initial=initial,
                                 schools=scopes.schools_open_to_applications_of(user))


@access_rule(allow=APPLICANT, others=403)
@require_http_methods(["GET", "POST"])
def application_new(request):
    require(scopes.can_apply_for_activities(request.user))
    form = _application_form(request)
    if request.method == "POST" and form.is_valid():
        saved = refused_onto(form, lambda: services.application_save(actor=request.user, request=request,
                                                                     **form.cleaned_data))
        if saved is not None:
            messages.success(request, _("草稿已保存。请上传活动材料，再提交审批。"))
            return redirect("activities:application_detail", application_id=saved.pk)
    return form_page(request, "activities/application_form.html", {"form": form, "title": _("申报进校园活动")})


@access_rule(allow=APPLICANT.own, forbidden=READERS)
@require_http_methods(["GET", "POST"])
def application_edit(request, application_id):
    application = _application(request, application_id)
    require(scopes.can_change_application(request.user, application))
    if application.state != Application.State.DRAFT:
        messages.error(request, _("这份申报已提交，不能再修改。"))
        return redirect("activities:application_detail", application_id=application.pk)
    form = _application_form(request, application)
    if request.method == "POST" and form.is_valid():
        if refused_onto(form, lambda: services.application_save(application=application, actor=request.user,
                                                                request=request, **form.cleaned_data)):
            messages.success(request, _("草稿已保存。"))
            return redirect("activities:application_detail", application_id=application.pk)
    return form_page(request, "activities/application_form.html", {
        "form": form, "title": _("修改申报"), "application": application})


def _detail_page(request, application, *, status=200, **forms_given):
    user = request.user
    mine = scopes.can_change_application(user, application)
    State = Application.State
    return render(request, "activities/application_detail.html", {
        "application": application, "schools": application.schools.select_related("district").order_by("code"),
        "materials": application.materials.select_related("uploaded_by"),
        "events": application.events.select_related("actor"),
        "can_edit": mine and application.state == State.DRAFT,
        "can_withdraw": mine and application.state in (State.DRAFT, State.SUBMITTED, State.APPROVED),
        "can_review": scopes.can_review_activity_applications(user) and application.state == State.SUBMITTED,
        "material_form": forms_given.get("material_form") or forms.MaterialForm(),
        "review_form": forms_given.get("review_form") or forms.ReviewForm(),
    }, status=status)


@access_rule(allow=(APPLICANT.own, READERS))
@require_GET
def application_detail(request, application_id):
    return _detail_page(request, _application(request, application_id))


@access_rule(allow=APPLICANT.own, forbidden=READERS, post_only=True)
@require_POST
def application_submit(request, application_id):
    application = _application(request, application_id)
    require(scopes.can_change_application(request.user, application))
    refused_flash(request, lambda: services.application_submit(application=application, actor=request.user, request=request),
           _("已提交审批。审批结果会通知您。"))
    return redirect("activities:application_detail", application_id=application.pk)


@access_rule(allow=APPLICANT.own, forbidden=READERS, post_only=True)
@require_POST
def application_withdraw(request, application_id):
    application = _application(request, application_id)
    require(scopes.can_change_application(request.user, application))
    refused_flash(request, lambda: services.application_withdraw(application=application, actor=request.user,
                                                          request=request), _("申报已撤回。"))
    return redirect("activities:application_detail", application_id=application.pk)


@access_rule(allow=APPLICANT.own, forbidden=READERS, post_only=True)
@require_POST
def application_material(request, application_id):
    application = _application(request, application_id)
    require(scopes.can_change_application(request.user, application))
    form = forms.MaterialForm(request.POST, request.FILES)
    if form.is_valid():
        upload = form.cleaned_data["file"]
        if refused_onto(form, lambda: services.material_add(application=application, name=upload.name,
                                                            content=upload.read(), actor=request.user,
                                                            request=request)):
            messages.success(request, _("文件已上传。"))
            return redirect("activities:application_detail", application_id=application.pk)
    return _detail_page(request, application, status=400, material_form=form)


@access_rule(allow=BUREAU_ADMIN, forbidden=(READ_ONLY, APPLICANT.own), post_only=True)
@require_POST
def application_review(request, application_id):
    application = _application(request, application_id)
    require(scopes.can_review_activity_applications(request.user))
    form = forms.ReviewForm(request.POST)
    if form.is_valid() and refused_onto(form, lambda: services.application_review(
            application=application, approve=form.cleaned_data["decision"] == "approve",
            reason=form.cleaned_data["reason"], actor=request.user, request=request)):
        messages.success(request, _("审批结果已保存，已通知申报单位。"))
        return redirect("activities:application_detail", application_id=application.pk)
    return _detail_page(request, application, status=400, review_form=form)


@access_rule(allow=(APPLICANT.own, READERS))
@require_GET
def material_file(request, material_id):
    material = get_object_or_404(Material.objects.filter(
        application__in=scopes.activity_applications_visible_to(request.user)), pk=material_id)
    return FileResponse(material.file.open("rb"), as_attachment=True, filename=material.file_name)


# --- The register ---------------------------------------------------------------------------

@access_rule(allow=(SCHOOL_STAFF, READERS), others=403)
@require_GET
def register(request):
    require(scopes.can_search_activity_register(request.user))
    form = forms.RegisterForm(request.GET or None)
    lookup = None
    if form.is_bound and form.is_valid():
        lookup = selectors.register_lookup(form.cleaned_data["q"], school_ids=scopes.activity_school_ids(request.user),
                                           on=form.cleaned_data["on"] or timezone.localdate())
    return render(request, "activities/register.html", {
        "form": form, "lookup": lookup, "schools": scopes.schools_for_refusals_by(request.user),
        "can_record": scopes.can_record_refusals(request.user)})


# --- Refusals -------------------------------------------------------------------------------

@access_rule(allow=(SCHOOL_STAFF, READERS), others=403)
@require_GET
def refusal_list(request):
    user = request.user
    require(scopes.can_read_refusals(user))
    refusals = scopes.activity_refusals_visible_to(user)
    term = selectors.term_on(timezone.localdate())
    return render(request, "activities/refusal_list.html", {
        "refusals": refusals[:500], "can_record": scopes.can_record_refusals(user), "term": term,
        "counts": _term_counts(user, term)})


def _term_counts(user, term):
    """The user's own schools' approved and refused counts this term (a school's page of its own)."""
    schools = scopes.schools_for_refusals_by(user)
    if term is None or not schools:
        return []
    approved, refused = selectors.approved_counts(term, schools), selectors.refused_counts(term, schools)
    return [(school, approved.get(school.pk, 0), refused.get(school.pk, 0)) for school in schools]


@access_rule(allow=SCHOOL_STAFF, forbidden=READERS, others=403)
@require_http_methods(["GET", "POST"])
def refusal_new(request):
    require(scopes.can_record_refusals(request.user))
    form = forms.RefusalForm(request.POST or None, schools=scopes.schools_for_refusals_by(request.user),
                             initial={"body_name": request.GET.get("body", "")[:100]})
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "approval_number"}
        refusal = refused_onto(form, lambda: services.refusal_record(application=form.application(),
                                                                     actor=request.user, request=request, **data))
        if refusal is not None:
            messages.success(request, _("已记录。教育局可以看到这条记录。"))
            return redirect("activities:refusal_detail", refusal_id=refusal.pk)
    return form_page(request, "activities/refusal_form.html", {"form": form})


@access_rule(allow=(SCHOOL_STAFF.of_school, READERS))
@require_GET
def refusal_detail(request, refusal_id):
    refusal = get_object_or_404(scopes.activity_refusals_visible_to(request.user), pk=refusal_id)
    return render(request, "activities/refusal_detail.html", {
        "refusal": refusal, "events": refusal.events.select_related("actor")})


# --- Teachers' load -------------------------------------------------------------------------

@access_rule(allow=BUREAU, others=403)
@require_GET
def teacher_load(request):
    require(scopes.can_read_teacher_load(request.user))
    form = forms.TermForm(request.GET or None, initial={"term": selectors.term_on(timezone.localdate())})
    term = form.cleaned_data["term"] if form.is_valid() and form.cleaned_data.get("term") else \
        form.initial["term"]
    load = selectors.teacher_load(term, scopes.schools_visible_to(request.user).filter(is_active=True)) \
        if term else None
    return render(request, "activities/teacher_load.html", {"form": form, "load": load, "term": term})
