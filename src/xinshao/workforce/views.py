"""Pages of the workforce (mounted at /workforce/): staffing ratios, each school's register,
certificates, the certification rate, trainings with their import, and designations.

Objects are fetched only through the workforce scopes: outside them is 404; seen but not allowed to
act is 403. A form with a mistake answers 400 with the form again and stores nothing.
"""
import io

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from xinshao.access import scopes
from xinshao.access.routes import (ANALYST, BUREAU, BUREAU_ADMIN, INSPECTOR, PSYCH_CENTRE, PSYCH_TEACHER,
                                   REGION_WIDE, SCHOOL_ADMIN, SCHOOL_STAFF, access_rule)
from xinshao.core.pages import form_page, refused_onto, require
from xinshao.workforce import forms, selectors, services
from xinshao.workforce.models import CertificateKind, Targets
from xinshao.workforce.training_import import column_guide, training_records_import, training_template

READERS = BUREAU | INSPECTOR
NAMED_READERS = BUREAU_ADMIN | PSYCH_CENTRE | INSPECTOR
SCHOOL_OWN = (SCHOOL_ADMIN.of_school, PSYCH_TEACHER.of_school)
KEEPERS = (BUREAU_ADMIN, SCHOOL_ADMIN.of_school)
TRAINING_READERS = READERS | SCHOOL_ADMIN | PSYCH_TEACHER
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


# --- Staffing and the register --------------------------------------------------------------

@access_rule(allow=READERS, others=403)
@require_GET
def overview(request):
    require(scopes.can_read_workforce(request.user))
    return render(request, "workforce/overview.html", {
        "staffing": selectors.staffing(scopes.workforce_schools_visible_to(request.user)),
        "named": scopes.can_read_named_workforce(request.user),
        "can_manage": scopes.can_manage_workforce(request.user)})


@access_rule(allow=SCHOOL_ADMIN | PSYCH_TEACHER, others=403)
@require_GET
def my_school(request):
    require(scopes.can_use_school_workforce(request.user))
    return redirect("workforce:school", school_id=scopes.workforce_schools_visible_to(request.user).first().pk)


def _school(request, school_id):
    return get_object_or_404(scopes.workforce_schools_visible_to(request.user), pk=school_id)


def _school_page(request, school, *, status=200, **forms_given):
    today = timezone.localdate()
    schools = scopes.workforce_schools_visible_to(request.user).filter(pk=school.pk)
    certification = selectors.certification(schools, today)
    staff = scopes.staff_visible_to(request.user).filter(school=school)
    if certification.kind is not None:
        staff = selectors.with_certified(staff, certification.kind, today)
    return render(request, "workforce/school.html", {
        "school": school, "staffing": selectors.staffing(schools).lines[0], "certification": certification,
        "line": certification.lines[0] if certification.lines else None, "staff": staff,
        "needing": selectors.needing_training(staff, certification.kind, today) if certification.kind else [],
        "can_keep": scopes.workforce_schools_keepable_by(request.user).filter(pk=school.pk).exists(),
        "targets": Targets.current(),
    }, status=status)


@access_rule(allow=(NAMED_READERS, *SCHOOL_OWN), forbidden=ANALYST)
@require_GET
def school(request, school_id):
    school = _school(request, school_id)
    require(scopes.can_read_named_workforce(request.user) or scopes.can_use_school_workforce(request.user))
    return _school_page(request, school)


def _keepable_school(request, school_id):
    school = _school(request, school_id)
    require(scopes.workforce_schools_keepable_by(request.user).filter(pk=school.pk).exists())
    return school


@access_rule(allow=KEEPERS, forbidden=(PSYCH_CENTRE | INSPECTOR | ANALYST, PSYCH_TEACHER.of_school))
@require_http_methods(["GET", "POST"])
def staff_new(request, school_id):
    school = _keepable_school(request, school_id)
    form = forms.StaffForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if refused_onto(form, lambda: services.staff_save(actor=request.user, school=school, request=request,
                                                          **form.cleaned_data)):
            messages.success(request, _("已添加到教师队伍。"))
            return redirect("workforce:school", school_id=school.pk)
    return form_page(request, "workforce/form.html", {"form": form, "title": _("添加教师"), "school": school})


@access_rule(allow=KEEPERS, forbidden=(PSYCH_CENTRE | INSPECTOR | ANALYST, PSYCH_TEACHER.of_school), post_only=True)
@require_POST
def staff_from_logins(request, school_id):
    school = _keepable_school(request, school_id)
    added = services.staff_from_logins(actor=request.user, school=school, request=request)
    messages.success(request, _("已从登录账号添加 %(n)s 人。") % {"n": len(added)})
    return redirect("workforce:school", school_id=school.pk)


def _staff(request, staff_id):
    return get_object_or_404(scopes.staff_visible_to(request.user), pk=staff_id)


def _staff_page(request, staff, *, status=200, certificate_form=None):
    can_keep = scopes.staff_keepable_by(request.user).filter(pk=staff.pk).exists()
    return render(request, "workforce/staff.html", {
        "staff": staff, "certificates": staff.certificates.select_related("kind"), "today": timezone.localdate(),
        "enrolments": staff.enrolments.select_related("event"), "can_keep": can_keep,
        "certificate_form": certificate_form or forms.CertificateForm(),
    }, status=status)


@access_rule(allow=(NAMED_READERS, *SCHOOL_OWN))
@require_GET
def staff_detail(request, staff_id):
    return _staff_page(request, _staff(request, staff_id))


@access_rule(allow=KEEPERS, forbidden=(PSYCH_CENTRE | INSPECTOR, PSYCH_TEACHER.of_school))
@require_http_methods(["GET", "POST"])
def staff_edit(request, staff_id):
    staff = _staff(request, staff_id)
    require(scopes.staff_keepable_by(request.user).filter(pk=staff.pk).exists())
    form = forms.StaffForm(request.POST or None, initial={
        "name": staff.name, "post": staff.post, "employment": staff.employment,
        "psychology_degree": staff.psychology_degree, "is_active": staff.is_active})
    if request.method == "POST" and form.is_valid():
        if refused_onto(form, lambda: services.staff_save(actor=request.user, staff=staff, request=request,
                                                          **form.cleaned_data)):
            messages.success(request, _("已保存。"))
            return redirect("workforce:staff", staff_id=staff.pk)
    return form_page(request, "workforce/form.html", {"form": form, "title": _("修改教师信息"), "school": staff.school})


@access_rule(allow=KEEPERS, forbidden=(PSYCH_CENTRE | INSPECTOR, PSYCH_TEACHER.of_school), post_only=True)
@require_POST
def certificate_add(request, staff_id):
    staff = _staff(request, staff_id)
    require(scopes.staff_keepable_by(request.user).filter(pk=staff.pk).exists())
    form = forms.CertificateForm(request.POST)
    if form.is_valid() and refused_onto(form, lambda: services.certificate_record(
            actor=request.user, holder=staff, request=request, **form.cleaned_data)):
        messages.success(request, _("证书已登记。"))
        return redirect("workforce:staff", staff_id=staff.pk)
    return _staff_page(request, staff, status=400, certificate_form=form)


# --- Certification and targets --------------------------------------------------------------

@access_rule(allow=READERS, others=403)
@require_GET
def certification(request):
    require(scopes.can_read_workforce(request.user))
    today = timezone.localdate()
    result = selectors.certification(scopes.workforce_schools_visible_to(request.user), today)
    needing = []
    if result.kind is not None and scopes.can_read_named_workforce(request.user):
        needing = selectors.needing_training(scopes.staff_visible_to(request.user), result.kind, today)
    return render(request, "workforce/certification.html", {
        "certification": result, "needing": needing, "today": today,
        "trained": selectors.trained_in_year(scopes.workforce_schools_visible_to(request.user), today.year),
        "named": scopes.can_read_named_workforce(request.user),
        "can_manage": scopes.can_manage_workforce(request.user)})


@access_rule(allow=BUREAU_ADMIN, others=403)
@require_http_methods(["GET", "POST"])
def targets(request):
    require(scopes.can_manage_workforce(request.user))
    current = Targets.current()
    form = forms.TargetsForm(request.POST or None, initial={
        "full_time_per_thousand": current.full_time_per_thousand,
        "min_full_time_per_school": current.min_full_time_per_school,
        "certification_kind": current.certification_kind, "certification_baseline": current.certification_baseline,
        "certification_target": current.certification_target, "yearly_trainees": current.yearly_trainees})
    if request.method == "POST" and form.is_valid():
        if refused_onto(form, lambda: services.targets_update(actor=request.user, request=request,
                                                              **form.cleaned_data)):
            messages.success(request, _("目标已保存。"))
            return redirect("workforce:targets")
    return form_page(request, "workforce/targets.html", {"form": form, "kinds": CertificateKind.objects.all()})


def _kind_form_page(request, kind=None):
    require(scopes.can_manage_workforce(request.user))
    initial = {"level": 1, "validity_years": 5} if kind is None else {
        "name": kind.name, "level": kind.level, "validity_years": kind.validity_years, "required_of": kind.required_of}
    form = forms.CertificateKindForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        if refused_onto(form, lambda: services.certificate_kind_save(actor=request.user, kind=kind, request=request,
                                                                     **form.cleaned_data)):
            messages.success(request, _("证书类别已保存。"))
            return redirect("workforce:targets")
    return form_page(request, "workforce/form.html", {"form": form, "title": _("证书类别")})


@access_rule(allow=BUREAU_ADMIN, others=403)
@require_http_methods(["GET", "POST"])
def kind_new(request):
    return _kind_form_page(request)


@access_rule(allow=BUREAU_ADMIN, others=403)
@require_http_methods(["GET", "POST"])
def kind_edit(request, kind_id):
    require(scopes.can_manage_workforce(request.user))
    return _kind_form_page(request, get_object_or_404(CertificateKind.objects.all(), pk=kind_id))


# --- Trainings ------------------------------------------------------------------------------

@access_rule(allow=TRAINING_READERS, others=403)
@require_GET
def trainings(request):
    require(scopes.can_read_trainings(request.user))
    events = scopes.training_events_visible_to(request.user)
    return render(request, "workforce/trainings.html", {
        "events": events, "today": timezone.localdate(), "can_manage": scopes.can_manage_workforce(request.user)})


@access_rule(allow=BUREAU_ADMIN, others=403)
@require_http_methods(["GET", "POST"])
def training_new(request):
    require(scopes.can_manage_workforce(request.user))
    form = forms.TrainingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        event = refused_onto(form, lambda: services.training_create(actor=request.user, request=request,
                                                                    **form.cleaned_data))
        if event is not None:
            return redirect("workforce:training", training_id=event.pk)
    return form_page(request, "workforce/form.html", {"form": form, "title": _("新建培训")})


def _training(request, training_id):
    return get_object_or_404(scopes.training_events_visible_to(request.user), pk=training_id)


def _training_page(request, event, *, status=200, enrol_form=None):
    enrollable = scopes.staff_enrollable_by(request.user).exclude(enrolments__event=event).select_related("school")
    return render(request, "workforce/training.html", {
        "event": event, "taken": event.enrolments.count(), "today": timezone.localdate(),
        "enrolments": scopes.enrolments_visible_to(request.user).filter(event=event),
        "can_manage": scopes.can_manage_workforce(request.user),
        "can_enrol": scopes.can_enrol_in_trainings(request.user),
        "enrol_form": enrol_form or forms.EnrolForm(staff=enrollable),
    }, status=status)


@access_rule(allow=TRAINING_READERS)
@require_GET
def training(request, training_id):
    return _training_page(request, _training(request, training_id))


@access_rule(allow=(BUREAU_ADMIN, SCHOOL_ADMIN), forbidden=PSYCH_CENTRE | ANALYST | INSPECTOR | PSYCH_TEACHER,
             post_only=True)
@require_POST
def training_enrol(request, training_id):
    event = _training(request, training_id)
    require(scopes.can_enrol_in_trainings(request.user))
    form = forms.EnrolForm(request.POST, staff=scopes.staff_enrollable_by(request.user).select_related("school"))
    if form.is_valid() and refused_onto(form, lambda: services.training_enrol(
            actor=request.user, event=event, staff=form.cleaned_data["staff"], request=request)):
        messages.success(request, _("已报名。"))
        return redirect("workforce:training", training_id=event.pk)
    return _training_page(request, event, status=400, enrol_form=form)


@access_rule(allow=BUREAU_ADMIN, forbidden=(PSYCH_CENTRE | INSPECTOR, *SCHOOL_OWN), post_only=True)
@require_POST
def enrolment_update(request, enrolment_id):
    enrolment = get_object_or_404(scopes.enrolments_visible_to(request.user), pk=enrolment_id)
    require(scopes.can_manage_workforce(request.user))
    form = forms.EnrolmentForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(f"{form[name].label}：{' '.join(errors)}"
                                         for name, errors in form.errors.items()))
    else:
        try:
            services.enrolment_update(actor=request.user, enrolment=enrolment, request=request, **form.cleaned_data)
        except ValidationError as error:
            messages.error(request, f"{enrolment.staff.name}：{' '.join(error.messages)}")
        else:
            messages.success(request, _("%(name)s 的培训记录已保存。") % {"name": enrolment.staff.name})
    return redirect("workforce:training", training_id=enrolment.event_id)


@access_rule(allow=BUREAU_ADMIN, forbidden=PSYCH_CENTRE | ANALYST | INSPECTOR | SCHOOL_ADMIN | PSYCH_TEACHER)
@require_http_methods(["GET", "POST"])
def training_import(request, training_id):
    event = _training(request, training_id)
    require(scopes.can_manage_workforce(request.user))
    form = forms.TrainingFileForm(request.POST or None, request.FILES or None)
    outcome = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        outcome = training_records_import(actor=request.user, event=event, file_name=upload.name,
                                          content=upload.read(), request=request)
        if not outcome.problems:
            messages.success(request, _("导入成功：%(rows)s 行，新报名 %(enrolled)s 人，结业 %(completed)s 人，未变 %(unchanged)s 人。")
                             % vars(outcome))
            return redirect("workforce:training", training_id=event.pk)
    bad = bool(form.errors) or bool(outcome and outcome.problems)
    return render(request, "workforce/training_import.html", {
        "event": event, "form": form, "outcome": outcome, "guide": column_guide()}, status=400 if bad else 200)


@access_rule(allow=BUREAU_ADMIN, forbidden=PSYCH_CENTRE | ANALYST | INSPECTOR | SCHOOL_ADMIN | PSYCH_TEACHER)
@require_GET
def training_template_download(request, training_id):
    event = _training(request, training_id)
    require(scopes.can_manage_workforce(request.user))
    return FileResponse(io.BytesIO(training_template(event=event)), as_attachment=True,
                        filename=f"培训记录模板-{event.pk}.xlsx", content_type=XLSX)


# --- Designations ---------------------------------------------------------------------------

@access_rule(allow=REGION_WIDE | SCHOOL_STAFF, others=403)
@require_GET
def designations(request):
    require(scopes.can_read_designations(request.user))
    return render(request, "workforce/designations.html", {
        "designations": scopes.designations_visible_to(request.user),
        "can_manage": scopes.can_manage_workforce(request.user)})


@access_rule(allow=BUREAU_ADMIN, others=403)
@require_http_methods(["GET", "POST"])
def designation_new(request):
    require(scopes.can_manage_workforce(request.user))
    form = forms.DesignationForm(request.POST or None, schools=scopes.workforce_schools_keepable_by(request.user),
                                 initial={"year": timezone.localdate().year})
    if request.method == "POST" and form.is_valid():
        if refused_onto(form, lambda: services.designation_record(actor=request.user, request=request,
                                                                  **form.cleaned_data)):
            messages.success(request, _("已登记。"))
            return redirect("workforce:designations")
    return form_page(request, "workforce/form.html", {"form": form, "title": _("登记示范校或实践基地")})
