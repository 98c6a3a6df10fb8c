"""Pages of partner agencies, their contacts and service agreements (mounted at /partners/).

Objects are fetched only through the partners scopes: outside them is 404; seen but not allowed to
change is 403. A form with a mistake answers 400 with the form again and stores nothing.
"""
from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from xinshao.access import scopes
from xinshao.access.routes import (ANALYST, BUREAU, BUREAU_ADMIN, CLINICIAN, INSPECTOR, PSYCH_CENTRE, PSYCH_TEACHER,
                                   SCHOOL_ADMIN, access_rule)
from xinshao.core.pages import form_page, refused_flash, refused_onto, require
from xinshao.partners import forms, selectors, services
from xinshao.org.models import PartnerAgency
from xinshao.partners.models import ServiceAgreement

REGION_READERS = BUREAU | INSPECTOR
SCHOOL_READERS = SCHOOL_ADMIN | PSYCH_TEACHER
AGENCY_READERS = REGION_READERS | SCHOOL_READERS
# Everyone who reads agencies except the bureau admin, who changes them.
AGENCY_READ_ONLY = PSYCH_CENTRE | ANALYST | INSPECTOR | SCHOOL_READERS
AGREEMENT_READERS = (REGION_READERS, SCHOOL_ADMIN.of_school, PSYCH_TEACHER.of_school, CLINICIAN.own)
AGREEMENT_READ_ONLY = (PSYCH_CENTRE | ANALYST | INSPECTOR, SCHOOL_ADMIN.of_school, PSYCH_TEACHER.of_school,
                       CLINICIAN.own)
A = ServiceAgreement.State


def _own_school_ids(user) -> set[int]:
    """A school reader's own schools: the only ones of an agreement they are shown."""
    return set(scopes.schools_visible_to(user).values_list("pk", flat=True))


# --- Agencies -------------------------------------------------------------------------------

@access_rule(allow=AGENCY_READERS, others=403)
@require_GET
def agency_list(request):
    require(scopes.can_read_agencies(request.user))
    today = timezone.localdate()
    agencies = list(scopes.agencies_visible_to(request.user).prefetch_related("contacts"))
    visible = scopes.agreements_visible_to(request.user).filter(selectors.valid_q(today))
    valid = {}
    for agency_id, ends_on in visible.values_list("agency_id", "ends_on"):
        valid[agency_id] = max(ends_on, valid.get(agency_id, ends_on))
    for agency in agencies:
        agency.primary = next((c for c in agency.contacts.all() if c.is_primary), None)
        agency.valid_until = valid.get(agency.pk)
    # Those with a valid agreement first (whom a school refers to), then by kind as the model lists them.
    kinds = list(PartnerAgency.Kind.values)
    agencies.sort(key=lambda a: (a.valid_until is None, kinds.index(a.kind), a.name))
    return render(request, "partners/agency_list.html", {
        "agencies": agencies, "can_manage": scopes.can_manage_partners(request.user),
        "all_agreements": scopes.can_read_all_agreements(request.user)})


@access_rule(allow=BUREAU_ADMIN, others=403)
@require_http_methods(["GET", "POST"])
def agency_new(request):
    require(scopes.can_manage_partners(request.user))
    return _agency_form(request, None)


def _agency(request, agency_id):
    return get_object_or_404(scopes.agencies_visible_to(request.user), pk=agency_id)


@access_rule(allow=AGENCY_READERS)
@require_GET
def agency_detail(request, agency_id):
    agency = _agency(request, agency_id)
    today, everyone = timezone.localdate(), scopes.can_read_all_agreements(request.user)
    agreements = scopes.agreements_visible_to(request.user).filter(agency=agency).prefetch_related("schools") \
        .order_by("-ends_on", "-id")
    return render(request, "partners/agency_detail.html", {
        "agency": agency, "contacts": agency.contacts.all(), "agreements": agreements, "today": today,
        "can_manage": scopes.can_manage_partners(request.user),
        "contact_details": scopes.can_read_contact_details(request.user),
        "all_agreements": everyone, "own_schools": set() if everyone else _own_school_ids(request.user)})


@access_rule(allow=BUREAU_ADMIN, forbidden=AGENCY_READ_ONLY)
@require_http_methods(["GET", "POST"])
def agency_edit(request, agency_id):
    agency = _agency(request, agency_id)
    require(scopes.can_manage_partners(request.user))
    return _agency_form(request, agency)


def _agency_form(request, agency):
    initial = {"name": agency.name, "kind": agency.kind, "region": agency.region_id, "address": agency.address,
               "phone": agency.phone} if agency else {}
    form = forms.AgencyForm(request.POST or None, initial=initial, regions=scopes.regions_visible_to(request.user))
    if request.method == "POST" and form.is_valid():
        saved = refused_onto(form, lambda: services.agency_save(agency=agency, actor=request.user, request=request,
                                                                **form.cleaned_data))
        if saved is not None:
            messages.success(request, _("合作机构已保存。"))
            return redirect("partners:agency_detail", agency_id=saved.pk)
    return form_page(request, "partners/form.html", {
        "form": form, "title": _("修改合作机构") if agency else _("新增合作机构"), "agency": agency})


@access_rule(allow=BUREAU_ADMIN, forbidden=AGENCY_READ_ONLY)
@require_http_methods(["GET", "POST"])
def contact_new(request, agency_id):
    agency = _agency(request, agency_id)
    require(scopes.can_manage_partners(request.user))
    return _contact_form(request, agency, None)


@access_rule(allow=BUREAU_ADMIN, forbidden=AGENCY_READ_ONLY)
@require_http_methods(["GET", "POST"])
def contact_edit(request, contact_id):
    contact = get_object_or_404(scopes.agency_contacts_visible_to(request.user), pk=contact_id)
    require(scopes.can_manage_partners(request.user))
    if request.method == "POST" and request.POST.get("remove") == "1":
        services.contact_remove(contact=contact, actor=request.user, request=request)
        messages.success(request, _("联系人已删除。"))
        return redirect("partners:agency_detail", agency_id=contact.agency_id)
    return _contact_form(request, contact.agency, contact)


def _contact_form(request, agency, contact):
    initial = {name: getattr(contact, name) for name in forms.ContactForm.base_fields} if contact else {}
    form = forms.ContactForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid() and refused_onto(form, lambda: services.contact_save(
            agency=agency, contact=contact, actor=request.user, request=request, **form.cleaned_data)):
        messages.success(request, _("联系人已保存。"))
        return redirect("partners:agency_detail", agency_id=agency.pk)
    return form_page(request, "partners/form.html", {
        "form": form, "title": _("修改联系人") if contact else _("新增联系人"), "agency": agency, "contact": contact})


# --- Agreements -----------------------------------------------------------------------------

@access_rule(allow=AGENCY_READERS | CLINICIAN, others=403)
@require_GET
def agreement_list(request):
    require(scopes.can_read_agreements(request.user))
    today = timezone.localdate()
    agreements = scopes.agreements_visible_to(request.user).prefetch_related("schools").order_by("-ends_on", "-id")
    state = request.GET.get("state", "")
    if state in A.values:
        agreements = agreements.filter(state=state)
    everyone = scopes.can_read_all_agreements(request.user)
    return render(request, "partners/agreement_list.html", {
        "agreements": agreements, "state": state, "states": A.choices, "today": today, "all_agreements": everyone,
        "coverage": selectors.schools_covered_by_agency(scopes.agreements_visible_to(request.user), today)
        if everyone else None,
        "expiring": selectors.agreements_expiring(scopes.agreements_visible_to(request.user), today).count()
        if everyone else 0,
        "can_manage": scopes.can_manage_partners(request.user),
        "own_schools": set() if everyone else _own_school_ids(request.user)})


@access_rule(allow=REGION_READERS, others=403)
@require_GET
def expiring_list(request):
    require(scopes.can_read_all_agreements(request.user))
    today = timezone.localdate()
    agreements = selectors.agreements_expiring(scopes.agreements_visible_to(request.user), today) \
        .prefetch_related("schools")
    return render(request, "partners/expiring_list.html", {
        "agreements": agreements, "today": today, "days": selectors.EXPIRING_WITHIN.days})


def _agreement_form(request, agreement):
    initial = forms.AgreementForm.initial_of(agreement) if agreement else {}
    return forms.AgreementForm(request.POST or None, initial=initial,
                               agencies=scopes.agencies_visible_to(request.user).order_by("name"),
                               schools=scopes.schools_visible_to(request.user).filter(is_active=True).order_by("code"))


@access_rule(allow=BUREAU_ADMIN, others=403)
@require_http_methods(["GET", "POST"])
def agreement_new(request):
    require(scopes.can_manage_partners(request.user))
    form = _agreement_form(request, None)
    if request.method == "POST" and form.is_valid():
        agreement = refused_onto(form, lambda: services.agreement_create(actor=request.user, request=request,
                                                                         **form.cleaned_data))
        if agreement is not None:
            messages.success(request, _("协议草稿已保存。上传签署文本后即可生效。"))
            return redirect("partners:agreement_detail", agreement_id=agreement.pk)
    return form_page(request, "partners/form.html", {"form": form, "title": _("新建服务协议")})


def _agreement(request, agreement_id) -> ServiceAgreement:
    return get_object_or_404(scopes.agreements_visible_to(request.user), pk=agreement_id)


def _agreement_page(request, agreement, *, status=200, **forms_given):
    user, today = request.user, timezone.localdate()
    schools = list(agreement.schools.order_by("code"))
    if not (scopes.can_read_all_agreements(user) or scopes.agencies_of(user).filter(pk=agreement.agency_id).exists()):
        # A school sees that the agreement covers others, not which: their agreements are theirs.
        own = _own_school_ids(user)
        schools_shown, others = [s for s in schools if s.pk in own], sum(s.pk not in own for s in schools)
    else:
        schools_shown, others = schools, 0
    can_manage = scopes.can_manage_partners(user)
    return render(request, "partners/agreement_detail.html", {
        "agreement": agreement, "schools": schools_shown, "other_schools": others, "today": today,
        "valid": agreement.is_valid_on(today), "events": agreement.events.select_related("actor"),
        "can_read_agency": scopes.agencies_visible_to(user).filter(pk=agreement.agency_id).exists(),
        "can_manage": can_manage,
        "document_form": forms_given.get("document_form") or forms.DocumentForm(),
        "terminate_form": forms_given.get("terminate_form") or forms.TerminateForm(),
    }, status=status)


@access_rule(allow=AGREEMENT_READERS)
@require_GET
def agreement_detail(request, agreement_id):
    return _agreement_page(request, _agreement(request, agreement_id))


@access_rule(allow=BUREAU_ADMIN, forbidden=AGREEMENT_READ_ONLY)
@require_http_methods(["GET", "POST"])
def agreement_edit(request, agreement_id):
    agreement = _agreement(request, agreement_id)
    require(scopes.can_manage_partners(request.user))
    if agreement.state != A.DRAFT:
        messages.error(request, _("只有草稿可以修改；已生效的协议请到期后续签，或提前终止。"))
        return redirect("partners:agreement_detail", agreement_id=agreement.pk)
    form = _agreement_form(request, agreement)
    if request.method == "POST" and form.is_valid() and refused_onto(form, lambda: services.agreement_update(
            agreement=agreement, actor=request.user, request=request, **form.cleaned_data)):
        messages.success(request, _("协议草稿已保存。"))
        return redirect("partners:agreement_detail", agreement_id=agreement.pk)
    return form_page(request, "partners/form.html", {"form": form, "title": _("修改服务协议"),
                                                     "agreement": agreement})


@access_rule(allow=BUREAU_ADMIN, forbidden=AGREEMENT_READ_ONLY, post_only=True)
@require_POST
def agreement_document(request, agreement_id):
    agreement = _agreement(request, agreement_id)
    require(scopes.can_manage_partners(request.user))
    form = forms.DocumentForm(request.POST, request.FILES)
    if form.is_valid():
        upload = form.cleaned_data["file"]
        if refused_onto(form, lambda: services.agreement_document_add(
                agreement=agreement, name=upload.name, content=upload.read(), actor=request.user, request=request)):
            messages.success(request, _("签署文本已上传。"))
            return redirect("partners:agreement_detail", agreement_id=agreement.pk)
    return _agreement_page(request, agreement, status=400, document_form=form)


@access_rule(allow=AGREEMENT_READERS)
@require_GET
def agreement_file(request, agreement_id):
    agreement = _agreement(request, agreement_id)
    if not agreement.document:
        raise Http404
    return FileResponse(agreement.document.open("rb"), as_attachment=True,
                        filename=agreement.document_name or "agreement.pdf")


@access_rule(allow=BUREAU_ADMIN, forbidden=AGREEMENT_READ_ONLY, post_only=True)
@require_POST
def agreement_activate(request, agreement_id):
    agreement = _agreement(request, agreement_id)
    require(scopes.can_manage_partners(request.user))
    refused_flash(request, lambda: services.agreement_activate(agreement=agreement, actor=request.user,
                                                                request=request), _("协议已生效。"))
    return redirect("partners:agreement_detail", agreement_id=agreement.pk)


@access_rule(allow=BUREAU_ADMIN, forbidden=AGREEMENT_READ_ONLY, post_only=True)
@require_POST
def agreement_terminate(request, agreement_id):
    agreement = _agreement(request, agreement_id)
    require(scopes.can_manage_partners(request.user))
    form = forms.TerminateForm(request.POST)
    if form.is_valid() and refused_onto(form, lambda: services.agreement_terminate(
            agreement=agreement, reason=form.cleaned_data["reason"], actor=request.user, request=request)):
        messages.success(request, _("协议已提前终止。"))
        return redirect("partners:agreement_detail", agreement_id=agreement.pk)
    return _agreement_page(request, agreement, status=400, terminate_form=form)
