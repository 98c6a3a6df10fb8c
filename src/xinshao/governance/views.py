"""Pages of inspections and rectification (mounted at /governance/).

Objects are fetched only through the governance scopes: outside them is 404; seen but not
allowed to act is 403. A form with a mistake answers 400 with the form again and stores nothing.
"""
from django.contrib import messages
from django.http import FileResponse, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils.http import content_disposition_header
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from weasyprint import HTML

from xinshao.access import scopes
from xinshao.access.routes import (ANALYST, BUREAU, BUREAU_ADMIN, INSPECTOR, PSYCH_CENTRE, PSYCH_TEACHER,
                                   SCHOOL_ADMIN, access_rule)
from xinshao.core.pages import form_page, refused_flash, refused_onto, require
from xinshao.governance import forms, selectors, services
from xinshao.governance.models import Checklist, ChecklistItem, Evidence, Finding, InspectionPlan, Rectification
from xinshao.org.models import School

READERS = BUREAU | INSPECTOR
MANAGERS = BUREAU_ADMIN | INSPECTOR
READ_ONLY = PSYCH_CENTRE | ANALYST
SCHOOL_OWN = (SCHOOL_ADMIN.of_school, PSYCH_TEACHER.of_school)
SCHOOL_ROLES = SCHOOL_ADMIN | PSYCH_TEACHER


# --- Rounds ---------------------------------------------------------------------------------

@access_rule(allow=READERS, others=403)
@require_GET
def round_list(request):
    require(scopes.can_read_inspections(request.user))
    plans = InspectionPlan.objects.prefetch_related("rounds")
    return render(request, "governance/round_list.html", {
        "plans": plans, "can_manage": scopes.can_manage_inspections(request.user),
        "pending": scopes.rectifications_for_sign_off_by(request.user).count(),
        "overdue": scopes.rectifications_visible_to(request.user).filter(
            selectors.overdue_q(timezone.localdate())).count(),
    })


@access_rule(allow=MANAGERS, others=403)
@require_http_methods(["GET", "POST"])
def plan_new(request):
    require(scopes.can_manage_inspections(request.user))
    form = forms.PlanForm(request.POST or None, initial={"year": timezone.localdate().year})
    if request.method == "POST" and form.is_valid():
        if refused_onto(form, lambda: services.plan_create(actor=request.user, request=request, **form.cleaned_data)):
            return redirect("governance:rounds")
    return form_page(request, "governance/form.html", {"form": form, "title": _("新建年度督查计划")})


@access_rule(allow=MANAGERS, others=403)
@require_http_methods(["GET", "POST"])
def round_new(request):
    require(scopes.can_manage_inspections(request.user))
    form = forms.RoundForm(request.POST or None, regions=scopes.regions_visible_to(request.user))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        schools = scopes.schools_visible_to(request.user).filter(is_active=True)
        if data["district"]:
            schools = schools.filter(district=data["district"])
        if data["kind"]:
            schools = schools.filter(kind=data["kind"])
        round_ = refused_onto(form, lambda: services.round_create(
            plan=data["plan"], name=data["name"], starts_on=data["starts_on"], ends_on=data["ends_on"],
            checklist=data["checklist"], schools=School.objects.filter(pk__in=schools.values("pk")),
            inspectors=list(data["inspectors"]), actor=request.user, request=request))
        if round_ is not None:
            return redirect("governance:round_detail", round_id=round_.pk)
    return form_page(request, "governance/form.html", {"form": form, "title": _("新建督查轮次")})


@access_rule(allow=READERS)
@require_GET
def round_detail(request, round_id):
    round_ = get_object_or_404(scopes.inspection_rounds_visible_to(request.user), pk=round_id)
    visits = selectors.visits_with_counts(scopes.school_visits_visible_to(request.user).filter(round=round_))
    mine = request.GET.get("mine") == "1"
    if mine:
        visits = visits.filter(inspector=request.user)
    return render(request, "governance/round_detail.html", {
        "round": round_, "visits": visits, "mine": mine, "items": round_.items.all(),
        "can_manage": scopes.can_manage_inspections(request.user),
        "next_state": services.ROUND_MOVES.get(round_.state),
        "summary": selectors.round_summary(round_),
    })


@access_rule(allow=MANAGERS, forbidden=READ_ONLY, post_only=True)
@require_POST
def round_state(request, round_id):
    round_ = get_object_or_404(scopes.inspection_rounds_visible_to(request.user), pk=round_id)
    require(scopes.can_manage_inspections(request.user))
    form = forms.RoundStateForm(request.POST)
    if form.is_valid():
        refused_flash(request, lambda: services.round_advance(round=round_, to=form.cleaned_data["to"], actor=request.user,
                                                       request=request), _("督查轮次状态已更新。"))
    else:
        messages.error(request, _("请选择要改成的状态。"))
    return redirect("governance:round_detail", round_id=round_.pk)


@access_rule(allow=READERS)
@require_GET
def round_summary(request, round_id):
    round_ = get_object_or_404(scopes.inspection_rounds_visible_to(request.user), pk=round_id)
    return render(request, "governance/round_summary.html", {
        "summary": selectors.round_summary(round_), "printable": request.GET.get("print") == "1",
        "today": timezone.localdate()})


@access_rule(allow=READERS)
@require_GET
def round_summary_pdf(request, round_id):
    round_ = get_object_or_404(scopes.inspection_rounds_visible_to(request.user), pk=round_id)
    html = render_to_string("governance/summary_pdf.html", {
        "summary": selectors.round_summary(round_), "today": timezone.localdate(), "printed_by": request.user,
        "printed_at": timezone.localtime()}, request=request)
    response = HttpResponse(HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf(),
                            content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(True, f"inspection-round-{round_.pk}-summary.pdf")
    return response


# --- Visits and findings --------------------------------------------------------------------

@access_rule(allow=(READERS, *SCHOOL_OWN))
@require_GET
def visit_detail(request, visit_id):
    visit = get_object_or_404(scopes.school_visits_visible_to(request.user), pk=visit_id)
    findings = visit.findings.select_related("item", "rectification")
    return render(request, "governance/visit_detail.html", {
        "visit": visit, "findings": findings, "can_manage": scopes.can_manage_inspections(request.user),
        "today": timezone.localdate()})


@access_rule(allow=MANAGERS, forbidden=(READ_ONLY, *SCHOOL_OWN))
@require_http_methods(["GET", "POST"])
def visit_findings(request, visit_id):
    visit = get_object_or_404(scopes.school_visits_visible_to(request.user), pk=visit_id)
    require(scopes.can_manage_inspections(request.user))
    form = forms.FindingsForm(request.POST or None, items=visit.round.items.all(), findings=visit.findings.all(),
                              initial={"completed_on": visit.completed_on})
    if request.method == "POST" and form.is_valid():
        saved = refused_onto(form, lambda: services.visit_record(
            visit=visit, results=form.results(), completed_on=form.cleaned_data["completed_on"], actor=request.user,
            request=request))
        if saved is not None:
            messages.success(request, _("督查结果已保存。"))
            return redirect("governance:visit_detail", visit_id=visit.pk)
    return form_page(request, "governance/visit_findings.html", {"visit": visit, "form": form})


@access_rule(allow=MANAGERS, forbidden=(READ_ONLY, *SCHOOL_OWN))
@require_http_methods(["GET", "POST"])
def rectification_new(request, finding_id):
    finding = get_object_or_404(Finding.objects.filter(visit__in=scopes.school_visits_visible_to(request.user))
                                .select_related("item", "visit__school", "visit__round"), pk=finding_id)
    require(scopes.can_manage_inspections(request.user))
    form = forms.RectificationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        item = refused_onto(form, lambda: services.rectification_open(finding=finding, actor=request.user, request=request,
                                                               **form.cleaned_data))
        if item is not None:
            return redirect("governance:rectification_detail", rectification_id=item.pk)
    return form_page(request, "governance/rectification_new.html", {"finding": finding, "form": form})


# --- Rectification --------------------------------------------------------------------------

def _item_page(request, item, *, status=200, **forms_given):
    can_answer = scopes.can_answer_rectification(request.user, item)
    context = {
        "item": item, "evidence": item.evidence.select_related("uploaded_by"), "today": timezone.localdate(),
        "events": item.events.select_related("actor"),
        "can_answer": can_answer and item.state in (Rectification.State.OPEN, Rectification.State.RETURNED),
        "can_review": scopes.can_sign_off_rectifications(request.user) and item.state == Rectification.State.SUBMITTED,
        "evidence_form": forms_given.get("evidence_form") or forms.EvidenceForm(),
        "submit_form": forms_given.get("submit_form") or forms.SubmitForm(initial={"note": item.school_note}),
        "review_form": forms_given.get("review_form") or forms.ReviewForm(),
    }
    return render(request, "governance/rectification_detail.html", context, status=status)


def _item(request, rectification_id):
    return get_object_or_404(scopes.rectifications_visible_to(request.user), pk=rectification_id)


@access_rule(allow=(READERS, *SCHOOL_OWN))
@require_GET
def rectification_detail(request, rectification_id):
    return _item_page(request, _item(request, rectification_id))


@access_rule(allow=SCHOOL_OWN, forbidden=READERS, post_only=True)
@require_POST
def rectification_evidence(request, rectification_id):
    item = _item(request, rectification_id)
    require(scopes.can_answer_rectification(request.user, item))
    form = forms.EvidenceForm(request.POST, request.FILES)
    if form.is_valid():
        upload = form.cleaned_data["file"]
        if refused_onto(form, lambda: services.evidence_add(rectification=item, name=upload.name, content=upload.read(),
                                                     actor=request.user, request=request)):
            messages.success(request, _("文件已上传。"))
            return redirect("governance:rectification_detail", rectification_id=item.pk)
    return _item_page(request, item, status=400, evidence_form=form)


@access_rule(allow=SCHOOL_OWN, forbidden=READERS, post_only=True)
@require_POST
def rectification_submit(request, rectification_id):
    item = _item(request, rectification_id)
    require(scopes.can_answer_rectification(request.user, item))
    form = forms.SubmitForm(request.POST)
    if form.is_valid() and refused_onto(form, lambda: services.rectification_submit(
            rectification=item, note=form.cleaned_data["note"], actor=request.user, request=request)):
        messages.success(request, _("已提交审核。"))
        return redirect("governance:rectification_detail", rectification_id=item.pk)
    return _item_page(request, item, status=400, submit_form=form)


@access_rule(allow=MANAGERS, forbidden=(READ_ONLY, *SCHOOL_OWN), post_only=True)
@require_POST
def rectification_review(request, rectification_id):
    item = _item(request, rectification_id)
    require(scopes.can_sign_off_rectifications(request.user))
    form = forms.ReviewForm(request.POST)
    if form.is_valid() and refused_onto(form, lambda: services.rectification_review(
            rectification=item, accept=form.cleaned_data["decision"] == "accept", reason=form.cleaned_data["reason"],
            actor=request.user, request=request)):
        messages.success(request, _("审核结果已保存。"))
        return redirect("governance:rectification_detail", rectification_id=item.pk)
    return _item_page(request, item, status=400, review_form=form)


@access_rule(allow=(READERS, *SCHOOL_OWN))
@require_GET
def evidence_file(request, evidence_id):
    evidence = get_object_or_404(Evidence.objects.filter(
        rectification__in=scopes.rectifications_visible_to(request.user)), pk=evidence_id)
    return FileResponse(evidence.file.open("rb"), as_attachment=True, filename=evidence.file_name)


def _item_list(request, items, *, title: str, intro: str):
    items = items.select_related("school__district", "finding__item", "finding__visit__round")
    return render(request, "governance/rectification_list.html", {
        "items": items, "title": title, "intro": intro, "today": timezone.localdate()})


@access_rule(allow=MANAGERS, others=403)
@require_GET
def pending_list(request):
    require(scopes.can_sign_off_rectifications(request.user))
    return _item_list(request, scopes.rectifications_for_sign_off_by(request.user).order_by("submitted_at", "id"),
                      title=_("待审核整改"), intro=_("学校已提交、等待审核的整改事项，先提交的在前。"))


@access_rule(allow=READERS, others=403)
@require_GET
def overdue_list(request):
    require(scopes.can_read_inspections(request.user))
    return _item_list(request, scopes.rectifications_visible_to(request.user).filter(
        selectors.overdue_q(timezone.localdate())), title=_("逾期整改"),
        intro=_("已过整改期限、尚未审核通过的整改事项。"))


@access_rule(allow=SCHOOL_ROLES, others=403)
@require_GET
def school_list(request):
    require(scopes.can_answer_rectifications(request.user))
    return _item_list(request, scopes.rectifications_answerable_by(request.user).order_by("state", "deadline", "id"),
                      title=_("本校整改事项"), intro=_("督查提出的本校整改事项：上传整改材料，写明改变，提交审核。"))


# --- Checklists -----------------------------------------------------------------------------

@access_rule(allow=READERS, others=403)
@require_http_methods(["GET", "POST"])
def checklist_list(request):
    require(scopes.can_read_inspections(request.user))
    can_manage = scopes.can_manage_inspections(request.user)
    form = forms.ChecklistForm(request.POST or None)
    if request.method == "POST":
        require(can_manage)
        if form.is_valid():
            checklist = refused_onto(form, lambda: services.checklist_create(actor=request.user, request=request,
                                                                      **form.cleaned_data))
            if checklist is not None:
                return redirect("governance:checklist_detail", checklist_id=checklist.pk)
    return form_page(request, "governance/checklist_list.html", {
        "checklists": Checklist.objects.all(), "form": form, "can_manage": can_manage})


@access_rule(allow=READERS)
@require_http_methods(["GET", "POST"])
def checklist_detail(request, checklist_id):
    checklist = get_object_or_404(scopes.checklists_visible_to(request.user), pk=checklist_id)
    can_manage = scopes.can_manage_inspections(request.user)
    form = forms.ChecklistItemForm(request.POST or None)
    if request.method == "POST":
        require(can_manage)
        if form.is_valid() and refused_onto(form, lambda: services.checklist_item_save(
                checklist=checklist, actor=request.user, request=request, **form.cleaned_data)):
            messages.success(request, _("条目已添加。"))
            return redirect("governance:checklist_detail", checklist_id=checklist.pk)
    return form_page(request, "governance/checklist_detail.html", {
        "checklist": checklist, "items": checklist.items.all(), "form": form, "can_manage": can_manage})


@access_rule(allow=MANAGERS, forbidden=READ_ONLY)
@require_http_methods(["GET", "POST"])
def checklist_item_edit(request, checklist_item_id):
    item = get_object_or_404(ChecklistItem.objects.filter(checklist__in=scopes.checklists_visible_to(request.user))
                             .select_related("checklist"), pk=checklist_item_id)
    require(scopes.can_manage_inspections(request.user))
    if request.method == "POST" and request.POST.get("remove") == "1":
        services.checklist_item_remove(item=item, actor=request.user, request=request)
        messages.success(request, _("条目已删除。"))
        return redirect("governance:checklist_detail", checklist_id=item.checklist_id)
    form = forms.ChecklistItemForm(request.POST or None, initial={
        "category": item.category, "text": item.text, "evidence_required": item.evidence_required})
    if request.method == "POST" and form.is_valid() and refused_onto(form, lambda: services.checklist_item_save(
            checklist=item.checklist, item=item, actor=request.user, request=request, **form.cleaned_data)):
        messages.success(request, _("条目已修改。"))
        return redirect("governance:checklist_detail", checklist_id=item.checklist_id)
    return form_page(request, "governance/form.html", {"form": form, "title": _("修改督查条目"), "item": item,
                                                   "back": item.checklist})
