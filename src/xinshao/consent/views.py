"""Consent pages (docs/consent.md): one student's consents for every purpose; the school asking a
guardian online, the guardian's answer; withdrawing a referral consent; the bureau psych centre's
review list of emergency referrals sent without consent.

A student or object outside the user's scope answers 404; the student themself gets 403 on their
overview (it is their guardian's and the school's page). Buttons that change something answer with
a redirect and a flashed message; a missing confirmation changes nothing.
"""
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from xinshao.access import scopes
from xinshao.access.routes import (
    CASE_READERS,
    CASE_WORKERS,
    CLASS_TEACHER,
    GUARDIAN,
    PSYCH_CENTRE,
    PSYCH_TEACHER,
    SCHOOL_ADMIN,
    STUDENTS,
    access_rule,
)
from xinshao.audit.services import audit_list_view, audit_record
from xinshao.cases.pages import case_to_change, form_page
from xinshao.cases.referrals import consents as referral_consents
from xinshao.consent import selectors
from xinshao.consent.forms import AnswerForm, AskForm, ReviewForm, WithdrawForm
from xinshao.core.pages import refused_flash, require


def _posted(request, form, write, done: str) -> None:
    """A small POST form of these pages: the write with its result flashed, or the form's errors."""
    if form.is_valid():
        refused_flash(request, lambda: write(form.cleaned_data), done)
    else:
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))


@access_rule(sensitive=True, allow=[(SCHOOL_ADMIN | PSYCH_TEACHER).of_school, CLASS_TEACHER.of_class, GUARDIAN.own],
             forbidden=STUDENTS.own)
@require_GET
def student_consents(request, student_id: int):
    student = get_object_or_404(scopes.students_visible_to(request.user), pk=student_id)
    require(not scopes.is_own_student(request.user, student))
    user = request.user
    referral = selectors.referral_side(user, student)
    audit_record(actor=user, action="consent.overview_view", student=student, obj=student, request=request)
    return render(request, "consent/student.html", {
        "student": student,
        "screening": selectors.screening_consents(student),
        "referral": referral,
        "is_guardian": scopes.guardian_children(user).filter(pk=student.pk).exists(),
        "withdrawable": set(scopes.referral_consents_withdrawable_by(user).filter(
            case__student=student, withdrawn_at__isnull=True).values_list("pk", flat=True)),
        "recordable": {c.pk for c in scopes.campaigns_visible_to(user)
                       if scopes.students_consent_recordable_by(user, c).filter(pk=student.pk).exists()},
    })


@access_rule(allow=CASE_WORKERS, forbidden=CASE_READERS)
@require_http_methods(["GET", "POST"])
def referral_ask(request, case_id: int):
    case = case_to_change(request, case_id)
    return form_page(
        request, "consent/referral_ask.html", AskForm(request.POST or None, case=case),
        done=_("已请监护人在线确认；监护人答复后会通知您。"), back=reverse("cases:detail", args=[case.pk]) + "#referrals",
        context={"case": case},
        save=lambda data: referral_consents.consent_request_send(case=case, actor=request.user, request=request,
                                                                  **data))


@access_rule(allow=GUARDIAN.own, post_only=True)
@require_POST
def referral_answer(request, consent_request_id: int):
    asked = get_object_or_404(scopes.referral_consent_requests_for_guardian(request.user), pk=consent_request_id)
    _posted(request, AnswerForm(request.POST), lambda data: referral_consents.consent_request_answer(
        consent_request=asked, actor=request.user, answer=data["answer"], request=request),
        _("已记录您的答复。同意之后也可以随时撤回。"))
    return redirect("consent:student", student_id=asked.case.student_id)


@access_rule(allow=[PSYCH_TEACHER.of_school, GUARDIAN.own], post_only=True)
@require_POST
def referral_withdraw(request, referral_consent_id: int):
    consent = get_object_or_404(scopes.referral_consents_withdrawable_by(request.user), pk=referral_consent_id)
    _posted(request, WithdrawForm(request.POST), lambda data: referral_consents.consent_withdraw(
        consent=consent, actor=request.user, request=request),
        _("同意已撤回：不会再向机构提供这名学生的任何信息。"))
    if scopes.can_withdraw_as_guardian(request.user, consent):
        return redirect("consent:student", student_id=consent.case.student_id)
    return redirect(reverse("cases:detail", args=[consent.case_id]) + "#referrals")


@access_rule(allow=PSYCH_CENTRE, others=403)
@require_GET
def override_list(request):
    require(scopes.can_review_consent_overrides(request.user))
    overrides = list(selectors.overrides_for_review(request.user))
    audit_list_view(actor=request.user, action="consent.overrides_list",
                    students=[o.referral.case.student_id for o in overrides], request=request)
    return render(request, "consent/overrides.html", {"overrides": overrides, "form": ReviewForm(auto_id=False)})


@access_rule(allow=PSYCH_CENTRE, post_only=True)
@require_POST
def override_review(request, override_id: int):
    override = get_object_or_404(scopes.consent_overrides_visible_to(request.user), pk=override_id)
    _posted(request, ReviewForm(request.POST), lambda data: referral_consents.override_review(
        override=override, actor=request.user, request=request, **data), _("复核已记录。"))
    return redirect("consent:overrides")
