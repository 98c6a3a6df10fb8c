"""Retention pages: the bureau's policy (with its history) and runs; the guardian's (or the school's,
for a paper request) request for a copy of a child's data."""
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from xinshao.access import scopes
from xinshao.access.routes import BUREAU, BUREAU_ADMIN, EVERYONE, GUARDIAN, PSYCH_TEACHER, SCHOOL_ADMIN, access_rule
from xinshao.core.pages import form_page, refused_onto, require

from . import selectors, services
from .forms import CopyRequestForm, PolicyForm, RunForm
from .kinds import FIXED, kind_named
from .models import CopyRequest

COPY_ASKERS = GUARDIAN | SCHOOL_ADMIN | PSYCH_TEACHER


@access_rule(allow=BUREAU, forbidden=EVERYONE - BUREAU)
@require_GET
def policy_list(request):
    require(scopes.can_read_retention(request.user))
    today = timezone.localdate()
    leaving = services.policy_in_force(kind_named("students_left"))
    return form_page(request, "retention/policies.html", {
        "policies": services.policies_in_force(), "fixed": FIXED, "history": selectors.policy_history(),
        "can_set": scopes.can_set_retention(request.user),
        "leavers": selectors.leavers(leaving.cutoff(today), leaving.expires), "leaving": leaving,
    })


@access_rule(allow=BUREAU_ADMIN, forbidden=EVERYONE - BUREAU_ADMIN)
@require_http_methods(["GET", "POST"])
def policy_edit(request, data_kind: str):
    require(scopes.can_set_retention(request.user))
    kind = kind_named(data_kind)
    if kind is None:
        raise Http404
    in_force = services.policy_in_force(kind)
    form = PolicyForm(request.POST or None, kind=kind, initial={"months": in_force.months, "action": in_force.action})
    if request.method == "POST" and form.is_valid():
        done = refused_onto(form, lambda: services.policy_set(
            kind_key=kind.key, actor=request.user, request=request, **form.cleaned_data))
        if done:
            messages.success(request, _("保存期限已修改。"))
            return redirect("retention:policies")
    return form_page(request, "retention/policy_edit.html", {"kind": kind, "in_force": in_force, "form": form})


@access_rule(allow=BUREAU, forbidden=EVERYONE - BUREAU)
@require_GET
def run_list(request):
    require(scopes.can_read_retention(request.user))
    return form_page(request, "retention/runs.html", {
        "runs": selectors.runs(), "can_start": scopes.can_set_retention(request.user), "form": None})


@access_rule(allow=BUREAU_ADMIN, forbidden=EVERYONE - BUREAU_ADMIN, post_only=True)
@require_POST
def run_start(request):
    require(scopes.can_set_retention(request.user))
    form = RunForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请选择预览还是立即执行。"))
        return redirect("retention:runs")
    dry_run = form.cleaned_data["mode"] == "dry"
    runs = services.retention_run(actor=request.user, dry_run=dry_run)
    failed = [run for run in runs if run.state != run.State.DONE]
    summary = _("共 %(found)s 条到期，已处理 %(done)s 条。") % {
        "found": sum(run.found for run in runs), "done": sum(run.done for run in runs)}
    if failed:
        messages.error(request, summary + _("有 %(n)s 类数据处理失败，见下表。") % {"n": len(failed)})
    else:
        messages.success(request, (_("预览：") if dry_run else "") + summary)
    return redirect("retention:runs")


@access_rule(allow=COPY_ASKERS, forbidden=EVERYONE - COPY_ASKERS)
@require_http_methods(["GET", "POST"])
def copy_requests(request):
    user = request.user
    require(scopes.can_use_copy_requests(user))
    students = scopes.copy_students_for(user).order_by("name", "pk")
    form = CopyRequestForm(request.POST or None, students=students)
    if request.method == "POST" and form.is_valid():
        student = form.cleaned_data["student"]
        guardian = scopes.guardians_of(user).filter(students=student).first()
        made = refused_onto(form, lambda: services.copy_request(
            student=student, actor=user, guardian=guardian, note=form.cleaned_data["note"], request=request,
            channel=CopyRequest.Channel.PORTAL if guardian else CopyRequest.Channel.PAPER))
        if made:
            messages.success(request, _("已开始生成，完成后可在本页下载。"))
            return redirect("exports:detail", job_id=made.job_id)
    return form_page(request, "retention/copies.html", {
        "form": form, "requests": scopes.copy_requests_visible_to(user)[:selectors.SHOWN]})
