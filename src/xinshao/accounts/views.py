"""Sign-in's second factor, the account page, sign out everywhere, emergency access."""
from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import get_object_or_404, redirect, render, resolve_url
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from xinshao.access import scopes
from xinshao.access.routes import EVERYONE, PSYCH_CENTRE, access_rule
from xinshao.accounts import services, two_factor
from xinshao.accounts.forms import BreakGlassForm, OneTimeCodeForm
from xinshao.audit.services import audit_record
from xinshao.core.pages import form_page, require


def _next_page(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return resolve_url("core:home")


@access_rule(allow=EVERYONE)
def two_factor_check(request):
    """Enrol an authenticator (no device yet) or enter its code (device confirmed)."""
    device = two_factor.confirmed_device(request.user)
    if device is not None and two_factor.is_verified(request):
        return redirect(_next_page(request))
    form = OneTimeCodeForm(request.POST or None)
    if device is None:
        return _enrol(request, form)
    if form.is_valid():
        code = form.cleaned_data["code"]
        by_app = two_factor.check_code(device, code)
        if by_app or two_factor.use_recovery_code(request.user, code):
            two_factor.mark_verified(request)
            audit_record(actor=request.user, action="accounts.two_factor_passed", obj=request.user, request=request,
                         detail={"by": "app" if by_app else "recovery_code"})
            return redirect(_next_page(request))
        form.add_error("code", _("验证码不正确或已使用过，请输入身份验证器上当前显示的数字。"))
    return form_page(request, "accounts/two_factor_check.html", {"form": form, "next": _next_page(request)})


def _enrol(request, form):
    device = two_factor.pending_device(request.user)
    if form.is_valid():
        codes = two_factor.confirm_enrolment(device, form.cleaned_data["code"])
        if codes is not None:
            two_factor.mark_verified(request)
            audit_record(actor=request.user, action="accounts.two_factor_enrolled", obj=request.user, request=request)
            return render(request, "accounts/recovery_codes.html", {"codes": codes, "next": _next_page(request)})
        form.add_error("code", _("验证码不正确，请确认手机时间准确后，输入身份验证器上当前显示的数字。"))
    return form_page(request, "accounts/two_factor_enrol.html", {
        "form": form, "qr_code": two_factor.qr_code_data_uri(device), "secret": device.secret,
        "next": _next_page(request),
    })


@access_rule(allow=EVERYONE)
def account(request):
    return render(request, "accounts/account.html", {
        "device": two_factor.confirmed_device(request.user),
        "recovery_codes_left": two_factor.remaining_recovery_codes(request.user),
        "required": two_factor.needs_second_factor(request.user),
        "can_break_glass": scopes.can_break_glass(request.user),
    })


@access_rule(allow=EVERYONE, post_only=True)
@require_POST
def sign_out_everywhere(request):
    services.sign_out_everywhere(request.user, request=request)
    logout(request)
    messages.success(request, _("已在所有设备上退出登录。"))
    return redirect("accounts:login")


@access_rule(allow=PSYCH_CENTRE, forbidden=EVERYONE - PSYCH_CENTRE)
def break_glass_find(request):
    """Find the one student emergency access is for: an exact name or student number, so the
    page lists no one the user did not already name."""
    require(scopes.can_break_glass(request.user))
    query = request.GET.get("q", "").strip()
    found = []
    if query:
        found = list(scopes.students_open_to_break_glass(request.user).filter(name=query).select_related(
            "school", "school_class")[:20]) or list(scopes.students_open_to_break_glass(request.user).filter(
                student_number=query).select_related("school", "school_class")[:20])
    return render(request, "accounts/break_glass_find.html", {"query": query, "found": found})


@access_rule(allow=PSYCH_CENTRE, forbidden=EVERYONE - PSYCH_CENTRE)
def break_glass_open(request, student_id: int):
    require(scopes.can_break_glass(request.user))
    student = get_object_or_404(scopes.students_open_to_break_glass(request.user).select_related("school"),
                                pk=student_id)
    form = BreakGlassForm(request.POST or None)
    if form.is_valid():
        grant = services.break_glass_open(user=request.user, student=student, reason=form.cleaned_data["reason"],
                                          request=request)
        messages.warning(request, _("已开启紧急访问，%(until)s 前有效；本次访问已记录并将报告给教育局。")
                         % {"until": grant.expires_at.strftime("%H:%M")})
        return redirect("records:student", student_id=student.pk)
    return form_page(request, "accounts/break_glass_open.html", {"form": form, "student": student})
