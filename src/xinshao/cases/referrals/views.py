"""Referral on the school side: the case page's referral section, recording consent, sending,
and marking a referral done.

A case outside cases_visible_to answers 404; a case the user may see but not change (the school
admin's red case, a class teacher on the team, the bureau) answers 403 on these pages (cases/pages.py). A form with a
mistake answers 400 with the form again, and nothing is stored.
"""
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from xinshao.access import scopes
from xinshao.access.routes import CASE_READERS, CASE_WORKERS, access_rule
from xinshao.audit.services import audit_record
from xinshao.cases.referrals import selectors
from xinshao.cases.referrals import services as referrals
from xinshao.cases.models import Case
from xinshao.cases.pages import case_to_change, form_page
from xinshao.cases.referrals.forms import ConsentForm, ReferralForm


def section(request, case: Case) -> dict:
    """Extra context for the case page: `referral_section`, read by cases/referrals/_section.html.

    Referral reasons and diagnosis summaries are shown only to those who may read the case's
    private notes; everyone who sees the case sees the referrals' progress and the agency's advice.
    """
    user, now = request.user, timezone.now()
    rows = list(selectors.case_referrals(case, now))
    consents = list(selectors.case_consents(case))
    may_manage = scopes.can_change_case(user, case)
    if rows:
        audit_record(actor=user, action="cases.referrals_viewed", student=case.student, obj=case, request=request,
                     detail={"referrals": [r.pk for r in rows]})
    return {"referral_section": {
        "case": case,
        "referrals": rows,
        "consents": consents,
        "may_manage": may_manage and case.is_open,
        "may_read_clinical": scopes.can_read_case_notes(user, case),
        "may_send": may_manage and case.is_open,
        "feedback_within_days": selectors.FEEDBACK_WITHIN.days,
    }}


@access_rule(allow=CASE_WORKERS, forbidden=CASE_READERS)
@require_http_methods(["GET", "POST"])
def consent_new(request, case_id: int):
    case = case_to_change(request, case_id)
    return form_page(
        request, "cases/referrals/consent_new.html", ConsentForm(request.POST or None, case=case),
        done=_("监护人的转介同意已记录。"), back=reverse("cases:detail", args=[case.pk]), context={"case": case},
        save=lambda data: referrals.consent_record(case=case, actor=request.user, request=request, **data))


@access_rule(sensitive=True, allow=CASE_WORKERS, forbidden=CASE_READERS)
@require_http_methods(["GET", "POST"])
def referral_new(request, case_id: int):
    case = case_to_change(request, case_id)
    form = ReferralForm(request.POST or None, case=case)
    if request.method == "GET":
        # The form shows which agencies the guardian consented to, and starts from the case's risk level.
        audit_record(actor=request.user, action="cases.referral_form_viewed", student=case.student, obj=case,
                     request=request, detail={"consented_agencies": sorted(form.consented)})
    return form_page(
        request, "cases/referrals/referral_new.html", form,
        done=_("转介已发出，机构会在回复期限内答复。"), back=reverse("cases:detail", args=[case.pk]),
        context={"case": case},
        save=lambda data: referrals.referral_send(case=case, actor=request.user, request=request, **data))


@access_rule(allow=CASE_WORKERS, forbidden=CASE_READERS, post_only=True)
@require_POST
def referral_done(request, case_id: int, referral_id: int):
    case = case_to_change(request, case_id)
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
