"""The agency portal (mounted at /agency/): referrals sent to the clinician's own agency.

Someone who is no agency's clinician gets 403 on every page here; a referral to another agency
answers 404, so its existence is never revealed. A referral page shows only what the referral
shares (portal/selectors.py, shared_with_agency), never the rest of the case, and each opening of
it writes an audit entry. A form with a mistake answers 400 with the page again; nothing is stored.
"""
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from xinshao.access import scopes
from xinshao.access.routes import CLINICIAN, EVERYONE, access_rule
from xinshao.audit.services import audit_record
from xinshao.cases.portal import selectors
from xinshao.cases.referrals import services as referrals
from xinshao.cases.models import Referral
from xinshao.cases.referrals.forms import DeclineForm, FeedbackForm, SeenForm

PAGE_SIZE = 50


def _require_portal(user) -> None:
    if not scopes.can_use_agency_portal(user):
        raise PermissionDenied


def _own_referral(request, referral_id: int) -> Referral:
    _require_portal(request.user)
    referral = selectors.portal_referral(request.user, referral_id)
    if referral is None:
        raise Http404
    return referral


@access_rule(allow=CLINICIAN, others=403)
@require_GET
def referral_list(request):
    _require_portal(request.user)
    now = timezone.now()
    page = Paginator(selectors.portal_referrals(request.user, now), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "cases/portal/list.html", {
        "page": page, "rows": [selectors.portal_row(r) for r in page],
        "agencies": scopes.agencies_of(request.user), "now": now})


def _detail_page(request, referral: Referral, status: int = 200, **forms):
    now = timezone.now()
    shared = selectors.shared_with_agency(referral, now)
    # The page shows the student's name and the referral's reason: each opening is recorded.
    audit_record(actor=request.user, action="cases.referral_viewed_by_agency", student=referral.case.student,
                 obj=referral, request=request, detail={"agency": referral.agency_id})
    context = {"shared": shared, "decline_form": DeclineForm(), "seen_form": SeenForm(), "feedback_form": FeedbackForm()}
    context.update(forms)
    return render(request, "cases/portal/detail.html", context, status=status)


@access_rule(sensitive=True, allow=CLINICIAN.own, forbidden=EVERYONE - CLINICIAN)
@require_GET
def referral_detail(request, referral_id: int):
    return _detail_page(request, _own_referral(request, referral_id))


def _answer(request, referral_id: int, form_class, form_name: str, write, done: str):
    """Check the form, run the service; on a mistake show the page again with the form's errors."""
    referral = _own_referral(request, referral_id)
    form = form_class(request.POST) if form_class else None
    if form is not None and not form.is_valid():
        return _detail_page(request, referral, status=400, **{form_name: form})
    try:
        write(referral, form.cleaned_data if form is not None else {})
    except ValidationError as error:
        if form is None:
            messages.error(request, " ".join(error.messages))
            return redirect("agency:detail", referral_id=referral.pk)
        form.add_error(None, error.messages)
        return _detail_page(request, referral, status=400, **{form_name: form})
    messages.success(request, done)
    return redirect("agency:detail", referral_id=referral.pk)


@access_rule(allow=CLINICIAN.own, forbidden=EVERYONE - CLINICIAN, post_only=True)
@require_POST
def referral_accept(request, referral_id: int):
    return _answer(request, referral_id, None, "", lambda referral, data: referrals.referral_accept(
        referral=referral, actor=request.user, request=request), _("已接收。学校会收到通知。"))


@access_rule(allow=CLINICIAN.own, forbidden=EVERYONE - CLINICIAN, post_only=True)
@require_POST
def referral_decline(request, referral_id: int):
    return _answer(request, referral_id, DeclineForm, "decline_form", lambda referral, data: referrals.referral_decline(
        referral=referral, actor=request.user, reason=data["reason"], request=request),
        _("已告知学校贵机构不能接收，学校会另行安排。"))


@access_rule(allow=CLINICIAN.own, forbidden=EVERYONE - CLINICIAN, post_only=True)
@require_POST
def referral_seen(request, referral_id: int):
    return _answer(request, referral_id, SeenForm, "seen_form", lambda referral, data: referrals.referral_seen(
        referral=referral, actor=request.user, seen_on=data["seen_on"], request=request),
        _("就诊日期已记录。"))


@access_rule(allow=CLINICIAN.own, forbidden=EVERYONE - CLINICIAN, post_only=True)
@require_POST
def referral_feedback(request, referral_id: int):
    return _answer(request, referral_id, FeedbackForm, "feedback_form",
                   lambda referral, data: referrals.referral_feedback(
                       referral=referral, actor=request.user, diagnosis_summary=data["diagnosis_summary"],
                       recommendations=data["recommendations"], return_to_school=data["return_to_school"],
                       request=request),
                   _("反馈已发送给学校。谢谢！"))
