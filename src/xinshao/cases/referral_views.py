"""Referral on the school side: the case page's referral section, recording consent, sending,
and marking a referral done.

A case outside cases_visible_to answers 404; a case the user may see but not change (a school
leader, a class teacher on the team, the bureau) answers 403 on these pages. A form with a
mistake answers 400 with the form again, and nothing is stored.
"""
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from xinshao.access import scopes
from xinshao.audit.services import audit_record
from xinshao.cases import referral_selectors as selectors
from xinshao.cases import referrals
from xinshao.cases.models import Case
from xinshao.cases.referral_forms import ConsentForm, ReferralForm


def section(request, case: Case) -> dict:
    """Extra context for the case page: `referral_section`, read by cases/referrals/_section.html.

    Referral reasons and diagnosis summaries are shown only to those who may read the case's
    private notes; everyone who sees the case sees the referrals' progress and the agency's advice.
    """
    user, now = request.user, timezone.now()
    rows = list(selectors.case_referrals(case, now))
    consents = list(selectors.case_consents(case))
    may_manage = scopes.cases_manageable_by(user).filter(pk=case.pk).exists()
    if rows:
        audit_record(actor=user, action="cases.referrals_viewed", student=case.student, obj=case, request=request,
                     detail={"referrals": [r.pk for r in rows]})
    return {"referral_section": {
        "case": case,
        "referrals": rows,
        "consents": consents,
        "may_manage": may_manage and case.is_open,
        "may_read_clinical": scopes.can_read_session_notes(user, case),
        "may_send": may_manage and case.is_open and bool(consents),
        "feedback_within_days": selectors.FEEDBACK_WITHIN.days,
    }}


def _case_to_change(request, case_id: int) -> Case:
    if not scopes.can_use_case_pages(request.user):
        raise PermissionDenied
    case = scopes.cases_visible_to(request.user).filter(pk=case_id).first()
    if case is None:
        raise Http404
    if not scopes.cases_manageable_by(request.user).filter(pk=case.pk).exists():
        raise PermissionDenied
    return case


def _saved(form, write) -> bool:
    """Run a service; a refusal becomes a form error and, in its transaction, nothing is kept."""
    try:
        write()
    except ValidationError as error:
        form.add_error(None, error.messages)
        return False
    return True


def _form_page(request, template: str, case: Case, form):
    status = 400 if form.errors else 200
    return render(request, template, {"case": case, "form": form}, status=status)


@require_http_methods(["GET", "POST"])
def consent_new(request, case_id: int):
    case = _case_to_change(request, case_id)
    form = ConsentForm(request.POST or None, case=case)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if _saved(form, lambda: referrals.consent_record(
                case=case, actor=request.user, agency=data["agency"], guardian=data["guardian"],
                given_by=data["given_by"], relation=data["relation"], method=data["method"],
                given_on=data["given_on"], shares_diagnosis=data["shares_diagnosis"], request=request)):
            messages.success(request, _("监护人的转介同意已记录。"))
            return redirect("cases:detail", case_id=case.pk)
    return _form_page(request, "cases/referrals/consent_new.html", case, form)


@require_http_methods(["GET", "POST"])
def referral_new(request, case_id: int):
    case = _case_to_change(request, case_id)
    form = ReferralForm(request.POST or None, case=case)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if _saved(form, lambda: referrals.referral_send(
                case=case, actor=request.user, agency=data["agency"], urgency=data["urgency"],
                reason=data["reason"], request=request)):
            messages.success(request, _("转介已发出，机构会在回复期限内答复。"))
            return redirect("cases:detail", case_id=case.pk)
    return _form_page(request, "cases/referrals/referral_new.html", case, form)


@require_POST
def referral_done(request, case_id: int, referral_id: int):
    case = _case_to_change(request, case_id)
    referral = case.referrals.filter(pk=referral_id).first()
    if referral is None:
        raise Http404
    try:
        referrals.referral_done(referral=referral, actor=request.user, request=request)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("转介已完成。请根据机构的建议继续跟进。"))
    return redirect("cases:detail", case_id=case.pk)
