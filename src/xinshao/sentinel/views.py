"""Pages of the sentinel channels (mounted at /care/).

Students' pages (report, check-in, self-help) are one calm column for a phone. A page the user's
role cannot use answers 403; a record outside the user's scope answers 404, so its existence is
never revealed. A form with a mistake answers 400 with the form again and stores nothing.
"""
from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from xinshao.access import scopes
from xinshao.access.routes import CLASS_TEACHER, COMMITTEE, EVERYONE, GUARDIAN, PSYCH_TEACHER, STUDENTS, access_rule
from xinshao.audit.services import AuditEvent, audit_list_view, audit_record, audit_record_many
from xinshao.core.pages import form_page, refused_onto, require
from xinshao.sentinel import selectors
from xinshao.sentinel.forms import (
    CommitteeReportForm,
    GuardianConcernForm,
    HomeSchoolRecordForm,
    SelfCheckInForm,
    TeacherReferralForm,
)
from xinshao.sentinel.services import (
    committee_report_create,
    guardian_concern_create,
    home_school_record_create,
    self_checkin_create,
    teacher_referral_create,
)

CHECKIN_THANKS_KEY = "xinshao_sentinel_checkin_thanks"
PAGE_SIZE = 50


def _audit_reads(request, action: str, pairs) -> None:
    """One audit entry per student whose sensitive record a page shows, written together."""
    audit_record_many(actor=request.user, request=request, events=[
        AuditEvent(action=action, student_id=student_id, object_type=label, object_id=str(pk))
        for student_id, label, pk in pairs
    ])


# --- Class channel: the committee member's report ------------------------------------------

@access_rule(allow=COMMITTEE, others=403)
@require_http_methods(["GET", "POST"])
def committee_report(request):
    require(scopes.can_report_as_committee(request.user))
    form = CommitteeReportForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        report = refused_onto(form, lambda: committee_report_create(
            reporter=request.user, student=form.student, concerns=form.cleaned_data["concerns"],
            note=form.cleaned_data["note"], request=request))
        if report is not None:
            return redirect("sentinel:report_thanks")
    return form_page(request, "sentinel/report.html", {"form": form})


@access_rule(allow=COMMITTEE, others=403)
@require_GET
def committee_report_thanks(request):
    # Says nothing about whom the report was about or what happens to them.
    require(scopes.can_report_as_committee(request.user))
    return render(request, "sentinel/report_thanks.html")


# --- Class channel: a student's own check-in -----------------------------------------------

def _own_student(user):
    student = scopes.own_student_records(user).first()
    require(student is not None)
    return student


@access_rule(allow=STUDENTS, others=403)
@require_http_methods(["GET", "POST"])
def self_checkin(request):
    student = _own_student(request.user)
    form = SelfCheckInForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        checkin = refused_onto(form, lambda: self_checkin_create(
            user=request.user, student=student, mood=data["mood"], stress=data["stress"],
            wants_talk=data["wants_talk"], note=data["note"], request=request))
        if checkin is not None:
            request.session[CHECKIN_THANKS_KEY] = {"wants_talk": checkin.wants_talk}
            return redirect("sentinel:checkin_thanks")
    recent = list(selectors.own_checkins(student))
    # The student's own history is still a sensitive record: its reading is audited like any other.
    _audit_reads(request, "sentinel.selfcheckin.view_own",
                 [(student.pk, "sentinel.selfcheckin", checkin.pk) for checkin in recent])
    return form_page(request, "sentinel/checkin.html", {"form": form, "recent": recent})


@access_rule(allow=STUDENTS, others=403)
@require_GET
def self_checkin_thanks(request):
    _own_student(request.user)
    thanks = request.session.pop(CHECKIN_THANKS_KEY, None)
    if thanks is None:
        return redirect("sentinel:checkin")
    return render(request, "sentinel/checkin_thanks.html", {"wants_talk": thanks.get("wants_talk", False)})


# --- Self-help corner ----------------------------------------------------------------------

@access_rule(allow=EVERYONE)
@require_GET
def self_help(request):
    students = list(scopes.own_student_records(request.user)) + list(scopes.guardian_children(request.user))
    return render(request, "sentinel/self_help.html", {
        "psych_teachers": selectors.psych_teachers_for(students),
        "class_teachers": selectors.class_teachers_for(students),
        "can_check_in": scopes.can_check_in(request.user),
    })


# --- Home–school channel: the class teacher's records --------------------------------------

def _record_rows(request, records, action: str):
    page = Paginator(records, PAGE_SIZE).get_page(request.GET.get("page"))
    audit_list_view(actor=request.user, action=action, students=[r.student_id for r in page.object_list],
                    request=request)
    return page


@access_rule(allow=CLASS_TEACHER, others=403)
@require_GET
def record_list(request):
    require(scopes.can_keep_home_school_records(request.user))
    page = _record_rows(request, selectors.own_home_school_records(request.user), "sentinel.homeschoolrecord.list")
    return render(request, "sentinel/record_list.html", {"page": page, "school_wide": False})


@access_rule(allow=PSYCH_TEACHER, others=403)
@require_GET
def school_record_list(request):
    require(scopes.can_read_school_home_school_records(request.user))
    page = _record_rows(request, selectors.school_home_school_records(request.user),
                        "sentinel.homeschoolrecord.list")
    return render(request, "sentinel/record_list.html", {"page": page, "school_wide": True})


@access_rule(allow=CLASS_TEACHER, others=403)
@require_http_methods(["GET", "POST"])
def record_new(request):
    require(scopes.can_keep_home_school_records(request.user))
    form = HomeSchoolRecordForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        record = refused_onto(form, lambda: home_school_record_create(author=request.user, request=request,
                                                               **form.cleaned_data))
        if record is not None:
            messages.success(request, _("记录已保存，学校心理老师可以看到。"))
            return redirect("sentinel:record_detail", record_id=record.pk)
    return form_page(request, "sentinel/record_new.html", {"form": form})


@access_rule(sensitive=True, allow=[CLASS_TEACHER.own, PSYCH_TEACHER.of_school])
@require_GET
def record_detail(request, record_id: int):
    record = get_object_or_404(scopes.home_school_records_visible_to(request.user), pk=record_id)
    audit_record(actor=request.user, action="sentinel.homeschoolrecord.view", student=record.student, obj=record,
                 request=request)
    return render(request, "sentinel/record_detail.html", {
        "record": record, "concern_labels": selectors.concern_labels(record.concerns),
        "is_author": record.author_id == request.user.pk,
    })


# --- Teacher referral and the attention list -----------------------------------------------

@access_rule(allow=CLASS_TEACHER, others=403)
@require_http_methods(["GET", "POST"])
def teacher_referral(request):
    require(scopes.can_keep_home_school_records(request.user))
    form = TeacherReferralForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        referral = refused_onto(form, lambda: teacher_referral_create(referred_by=request.user, request=request,
                                                               **form.cleaned_data))
        if referral is not None:
            messages.success(request, _("已转介给学校心理老师，心理老师会尽快跟进。"))
            return redirect("sentinel:refer")
    return form_page(request, "sentinel/refer.html", {"form": form})


@access_rule(allow=CLASS_TEACHER, others=403)
@require_GET
def attention(request):
    require(scopes.can_see_attention_list(request.user))
    rows = selectors.attention_list(request.user)
    audit_list_view(actor=request.user, action="sentinel.attention.view", students=[row.student for row in rows],
                    request=request)
    return render(request, "sentinel/attention.html", {"rows": rows})


# --- Home–school channel: a guardian's concern ---------------------------------------------

@access_rule(allow=GUARDIAN, others=403)
@require_http_methods(["GET", "POST"])
def guardian_concern(request):
    require(scopes.can_raise_guardian_concern(request.user))
    form = GuardianConcernForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        child = form.cleaned_data["student"]
        guardian = scopes.guardians_of(request.user).filter(students=child).first()
        concern = refused_onto(form, lambda: guardian_concern_create(
            raised_by=request.user, guardian=guardian, student=child, concerns=form.cleaned_data["concerns"],
            note=form.cleaned_data["note"], request=request))
        if concern is not None:
            return redirect("sentinel:concern_thanks")
    return form_page(request, "sentinel/concern.html", {"form": form})


@access_rule(allow=GUARDIAN, others=403)
@require_GET
def guardian_concern_thanks(request):
    require(scopes.can_raise_guardian_concern(request.user))
    return render(request, "sentinel/concern_thanks.html")
