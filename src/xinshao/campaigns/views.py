"""Staff pages of screening campaigns: list, create, detail and state changes, progress, consent,
class sheets; and the guardian's consent page.

A campaign outside campaigns_visible_to answers 404; a page the user may not use answers 403.
"""
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from xinshao.access import scopes
from xinshao.access.routes import (
    BUREAU,
    BUREAU_ADMIN,
    CLASS_TEACHER,
    GUARDIAN,
    PSYCH_CENTRE,
    PSYCH_TEACHER,
    SCHOOL_ADMIN,
    access_rule,
)
from xinshao.campaigns import selectors
from xinshao.campaigns.forms import (
    CampaignChangeForm,
    CampaignForm,
    ConsentClassForm,
    ConsentSheetForm,
    FamilyConsentForm,
    ProgressSchoolForm,
)
from xinshao.audit.services import audit_list_view, audit_record
from xinshao.campaigns.models import Campaign, ConsentRecord, InstrumentResult
from xinshao.campaigns.respond_views import result_view
from xinshao.campaigns.rules import asks_consent
from xinshao.campaigns.services import (
    campaign_close,
    campaign_create,
    campaign_extend,
    campaign_open,
    campaign_pause,
    consent_record,
    consent_record_many,
)
from xinshao.campaigns.sheets import sheets_print
from xinshao.core.pages import form_page, refused_flash, refused_onto
from xinshao.instruments.selectors import instrument_library


def _visible_campaign(user, campaign_id: int) -> Campaign:
    return get_object_or_404(selectors.campaign_list(user), pk=campaign_id)


@access_rule(allow=BUREAU | SCHOOL_ADMIN | PSYCH_TEACHER | CLASS_TEACHER, others=403)
@require_GET
def campaign_list(request):
    if not scopes.can_use_campaign_pages(request.user):
        raise PermissionDenied
    page = Paginator(selectors.campaign_list(request.user), 50).get_page(request.GET.get("page"))
    return render(request, "campaigns/staff/list.html", {
        "page": page, "can_create": scopes.can_create_campaigns(request.user),
    })


@access_rule(allow=BUREAU_ADMIN | SCHOOL_ADMIN | PSYCH_TEACHER, others=403)
@require_http_methods(["GET", "POST"])
def campaign_new(request):
    if not scopes.can_create_campaigns(request.user):
        raise PermissionDenied
    form = CampaignForm(request.POST or None, user=request.user, library=instrument_library())
    if request.method == "POST" and form.is_valid():
        campaign = refused_onto(form, lambda: campaign_create(created_by=request.user, **form.campaign_arguments()))
        if campaign:
            messages.success(request, _("测评任务已创建（草稿）。核对无误后点击“开始”。"))
            return redirect("campaigns:detail", campaign_id=campaign.pk)
    return form_page(request, "campaigns/staff/new.html", {"form": form})


@access_rule(allow=[BUREAU, (SCHOOL_ADMIN | PSYCH_TEACHER | CLASS_TEACHER).of_school])
@require_GET
def campaign_detail(request, campaign_id: int):
    campaign = _visible_campaign(request.user, campaign_id)
    return render(request, "campaigns/staff/detail.html", {
        "campaign": campaign,
        "battery": selectors.battery_titled([campaign])[campaign.pk],
        "targets": selectors.targets_by_school(campaign),
        "events": selectors.campaign_events(campaign),
        "can_manage": scopes.can_manage_campaign(request.user, campaign),
        "change_form": CampaignChangeForm(),
        "sheet_classes": scopes.campaign_classes_for_sheets(request.user, campaign),
        "can_record_consent": scopes.students_consent_recordable_by(request.user, campaign).exists(),
    })


_CHANGES = {
    "open": (lambda c, actor, data: campaign_open(campaign=c, actor=actor), _("测评已开始，访问码已生成。")),
    "resume": (lambda c, actor, data: campaign_open(campaign=c, actor=actor), _("测评已继续。")),
    "pause": (lambda c, actor, data: campaign_pause(campaign=c, actor=actor, reason=data["reason"]), _("测评已暂停。")),
    "extend": (lambda c, actor, data: campaign_extend(campaign=c, actor=actor, closes_at=data["closes_at"]),
               _("结束时间已延长。")),
    "close": (lambda c, actor, data: campaign_close(campaign=c, actor=actor, reason=data["reason"]), _("测评已结束。")),
}


@access_rule(allow=(SCHOOL_ADMIN | PSYCH_TEACHER).of_school, forbidden=[BUREAU, CLASS_TEACHER.of_school], post_only=True)
@require_POST
def campaign_change(request, campaign_id: int):
    campaign = _visible_campaign(request.user, campaign_id)
    if not scopes.can_manage_campaign(request.user, campaign):
        raise PermissionDenied
    form = CampaignChangeForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return redirect("campaigns:detail", campaign_id=campaign.pk)
    change, done = _CHANGES[form.cleaned_data["action"]]
    refused_flash(request, lambda: change(campaign, request.user, form.cleaned_data), done)
    return redirect("campaigns:detail", campaign_id=campaign.pk)


def _progress_context(request, campaign_id: int, *, refresh: bool) -> dict:
    campaign = _visible_campaign(request.user, campaign_id)
    form = ProgressSchoolForm(request.GET, schools=scopes.schools_visible_to(request.user))
    if not form.is_valid():
        raise Http404
    school = form.cleaned_data["school"]
    if campaign.audience == Campaign.Audience.TEACHERS:
        progress = selectors.teacher_progress(request.user, campaign)
    else:
        progress = selectors.student_progress(request.user, campaign, school)
    # The names of who has not started, with their guardian's refusal, are a list of students.
    audit_list_view(actor=request.user, action="campaign.not_started_viewed", request=request, refresh=refresh,
                    students=[assignment.student_id for assignment in progress.not_started])
    return {"campaign": campaign, "progress": progress, "school": school,
            "by_class": school is not None or len(progress.schools) == 1,
            "asks_consent": asks_consent(campaign),
            "opt_in": campaign.consent_rule == Campaign.ConsentRule.OPT_IN}


@access_rule(allow=[BUREAU, (SCHOOL_ADMIN | PSYCH_TEACHER | CLASS_TEACHER).of_school])
@require_GET
def campaign_progress(request, campaign_id: int):
    return render(request, "campaigns/staff/progress.html", _progress_context(request, campaign_id, refresh=False))


@access_rule(allow=[BUREAU, (SCHOOL_ADMIN | PSYCH_TEACHER | CLASS_TEACHER).of_school])
@require_GET
def campaign_progress_numbers(request, campaign_id: int):
    """The numbers alone, fetched by the progress page every few seconds."""
    return render(request, "campaigns/staff/progress_numbers.html",
                  _progress_context(request, campaign_id, refresh=True))


@access_rule(allow=(SCHOOL_ADMIN | PSYCH_TEACHER).of_school, forbidden=[BUREAU, CLASS_TEACHER.of_school])
@require_http_methods(["GET", "POST"])
def campaign_consent(request, campaign_id: int):
    campaign = _visible_campaign(request.user, campaign_id)
    if not asks_consent(campaign):
        raise Http404
    students = scopes.students_consent_recordable_by(request.user, campaign)
    if not students.exists():
        raise PermissionDenied
    chooser = ConsentClassForm(request.GET, classes=scopes.classes_visible_to(request.user).filter(
        id__in=students.values("school_class_id")))
    if not chooser.is_valid():
        raise Http404
    school_class = chooser.cleaned_data["school_class"]
    context = {"campaign": campaign, "school_class": school_class}
    if school_class is None:
        context["classes"] = selectors.consent_by_class(campaign, students)
        return render(request, "campaigns/staff/consent.html", context)
    class_students = students.filter(school_class=school_class).order_by("student_number")
    form = ConsentSheetForm(request.POST or None, students=class_students)
    if request.method == "POST" and form.is_valid():
        records = refused_onto(form, lambda: consent_record_many(
            campaign=campaign, decisions=form.decisions(), recorded_by=request.user, note=form.cleaned_data["note"],
            request=request))
        if records is not None:
            messages.success(request, _("已记录 %(n)d 名学生的监护人决定。") % {"n": len(records)})
            return redirect(request.get_full_path())
    history = selectors.consent_history(campaign, class_students)
    context.update(form=form, rows=[(s, form[f"student_{s.pk}"], history[s.pk]) for s in form.students])
    return form_page(request, "campaigns/staff/consent.html", context)


def _sheet_response(request, campaign: Campaign, classes, filename: str) -> HttpResponse:
    pdf = sheets_print(campaign=campaign, classes=list(classes), actor=request.user, request=request)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


def _printable(request, campaign: Campaign, classes):
    """The classes this user may print; 404 when the campaign has no codes there at all."""
    if not campaign.assignments.filter(student__school_class__in=classes).exists():
        raise Http404
    printable = scopes.campaign_classes_for_sheets(request.user, campaign).filter(id__in=classes.values("id"))
    if not printable:
        raise PermissionDenied
    return printable


@access_rule(allow=[(SCHOOL_ADMIN | PSYCH_TEACHER).of_school, CLASS_TEACHER.of_class], forbidden=[BUREAU, CLASS_TEACHER.of_school])
@never_cache
@require_GET
def class_sheet(request, campaign_id: int, class_id: int):
    campaign = _visible_campaign(request.user, campaign_id)
    classes = scopes.classes_visible_to(request.user).filter(pk=class_id)
    school_class = get_object_or_404(classes)
    printable = _printable(request, campaign, classes)
    return _sheet_response(request, campaign, printable, f"{campaign.name}-{school_class.school}{school_class}.pdf")


@access_rule(allow=[(SCHOOL_ADMIN | PSYCH_TEACHER).of_school, CLASS_TEACHER.of_class], forbidden=BUREAU)
@never_cache
@require_GET
def school_sheet(request, campaign_id: int, school_id: int):
    campaign = _visible_campaign(request.user, campaign_id)
    school = get_object_or_404(scopes.schools_visible_to(request.user), pk=school_id)
    printable = _printable(request, campaign, scopes.classes_visible_to(request.user).filter(school=school))
    return _sheet_response(request, campaign, printable, f"{campaign.name}-{school}.pdf")


@access_rule(allow=GUARDIAN, others=403)
@require_http_methods(["GET", "POST"])
def family_consent(request):
    """A guardian's own page: their children's campaigns that ask for consent, and the decision."""
    guardians = scopes.guardians_of(request.user)
    if not guardians.exists():
        raise PermissionDenied
    form = FamilyConsentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        child = get_object_or_404(scopes.guardian_children(request.user), pk=form.cleaned_data["student"])
        campaign = get_object_or_404(selectors.campaigns_asking_consent_for(child), pk=form.cleaned_data["campaign"])
        refused_flash(request, lambda: consent_record(
            campaign=campaign, student=child, decision=form.cleaned_data["decision"], recorded_by=request.user,
            guardian=guardians.filter(students=child).first(), method=ConsentRecord.Method.ONLINE, request=request),
            _("已记录您的决定，可以随时更改。"))
        return redirect("campaigns:family")
    if form.errors:
        messages.error(request, _("没有记录：请从下面的按钮中选择同意或不同意。"))
    return render(request, "campaigns/staff/family.html", {"children": selectors.family_consents(request.user)},
                  status=400 if form.errors else 200)


@access_rule(allow=PSYCH_CENTRE, others=403)
@require_GET
def help_request_list(request):
    """The bureau psych centre's list of teachers who asked for help after a well-being survey."""
    if not scopes.can_read_teacher_help_requests(request.user):
        raise PermissionDenied
    requests = list(scopes.help_requests_visible_to(request.user).order_by("-requested_at")
                    .select_related("assignment__teacher", "assignment__campaign"))
    # Who asked for help is itself a teacher's sensitive information.
    audit_list_view(actor=request.user, action="teacher_help_requests.list", subject="teachers",
                    students=[r.assignment.teacher_id for r in requests], request=request)
    return render(request, "campaigns/staff/help_requests.html", {"help_requests": requests})


@access_rule(sensitive=True, allow=PSYCH_CENTRE)
@require_GET
@never_cache
def help_request_detail(request, help_request_id: int):
    help_request = get_object_or_404(scopes.help_requests_visible_to(request.user), pk=help_request_id)
    results = InstrumentResult.objects.filter(submission__assignment=help_request.assignment).order_by("pk")
    audit_record(actor=request.user, action="teacher_result.view", obj=help_request, request=request,
                 detail={"teacher": help_request.assignment.teacher_id})
    return render(request, "campaigns/staff/help_request.html", {
        "help_request": help_request, "results": [result_view(result) for result in results],
    })
