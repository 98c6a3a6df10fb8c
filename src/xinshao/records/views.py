"""The psychological growth record (心理成长档案) and its individual plan (一生一策): for the
student's school psych teachers. Others who may see the student (the school admin, the class
teacher, the student and guardian) get 403: the record holds raw scores. The handover tasks are
a psych teacher's list. Every reading and writing is audited."""
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from xinshao.access import scopes
from xinshao.access.routes import CLASS_TEACHER, GUARDIAN, PSYCH_TEACHER, SCHOOL_ADMIN, STUDENTS, access_rule
from xinshao.audit.services import audit_list_view, audit_record
from xinshao.core.pages import form_page, refused_flash, refused_onto, require
from xinshao.records import selectors, services
from xinshao.records.forms import PlanForm
from xinshao.records.models import IndividualPlan

# Who may see the student but not their record.
SEE_STUDENT_ONLY = [SCHOOL_ADMIN.of_school, CLASS_TEACHER.of_class, (STUDENTS | GUARDIAN).own]


def _record_student(request, student_id: int):
    """The student whose record the user reads: 404 out of scope, 403 for who sees them without scores."""
    student = get_object_or_404(scopes.students_visible_to(request.user).select_related("school"), pk=student_id)
    require(scopes.students_with_results_visible_to(request.user).filter(pk=student.pk).exists())
    return student


def _record_plan(request, plan_id: int) -> IndividualPlan:
    plan = get_object_or_404(IndividualPlan.objects.filter(student__in=scopes.students_visible_to(request.user))
                             .select_related("student__school"), pk=plan_id)
    require(scopes.plans_visible_to(request.user).filter(pk=plan.pk).exists())
    return plan


@access_rule(sensitive=True, allow=PSYCH_TEACHER.of_school, forbidden=SEE_STUDENT_ONLY)
@require_GET
def student_record(request, student_id: int):
    student = _record_student(request, student_id)
    record = selectors.growth_record(request.user, student)
    audit_record(actor=request.user, action="records.growth_record_viewed", student=student, obj=student,
                 request=request, detail={"results": sum(len(history.points) for history in record.histories),
                                          "plan_versions": sum(len(view.versions) for view in record.plans)})
    return render(request, "records/student.html", {"record": record, "student": student})


@access_rule(sensitive=True, allow=PSYCH_TEACHER.of_school, forbidden=SEE_STUDENT_ONLY)
@never_cache
@require_GET
def record_pdf(request, student_id: int):
    student = _record_student(request, student_id)
    record = selectors.growth_record(request.user, student)
    audit_record(actor=request.user, action="records.growth_record_printed", student=student, obj=student,
                 request=request, detail={"results": sum(len(history.points) for history in record.histories)})
    response = HttpResponse(selectors.growth_record_pdf(record, printed_by=request.user, request=request),
                            content_type="application/pdf")
    # The file name carries no student's name: downloads folders are not private.
    response["Content-Disposition"] = content_disposition_header(True, f"record-{student.pk}.pdf")
    return response


def _initial(view: selectors.PlanView | None) -> dict:
    if view is None:
        return {}
    current = view.current
    return {"goals": current.goals, "supports": current.supports, "review_on": current.review_on,
            "tasks": "\n".join(f"{task['who']}：{task['task']}" for task in current.tasks)}


@access_rule(sensitive=True, allow=PSYCH_TEACHER.of_school, forbidden=SEE_STUDENT_ONLY)
@require_http_methods(["GET", "POST"])
def plan_edit(request, student_id: int):
    """Write the plan: the first version of a new plan, or the next version of the active one."""
    student = _record_student(request, student_id)
    active = next((view for view in selectors.student_plans(request.user, student)
                   if view.plan.state == IndividualPlan.State.ACTIVE), None)
    if active is not None and request.method == "GET":
        # The form starts from the version in force: reading it is recorded like the version's own page.
        audit_record(actor=request.user, action="records.plan_form_viewed", student=student, obj=active.plan,
                     request=request, detail={"version": active.current.number})
    form = PlanForm(request.POST or None, initial=_initial(active))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        version = refused_onto(form, lambda: services.plan_save(
            student=student, actor=request.user, goals=data["goals"], supports=data["supports"],
            tasks=services.plan_tasks_parsed(data["tasks"]), review_on=data["review_on"], reason=data["reason"],
            request=request))
        if version is not None:
            messages.success(request, _("已保存为第 %(n)d 版。") % {"n": version.number})
            return redirect("records:student", student_id=student.pk)
    return form_page(request, "records/plan_form.html", {"form": form, "student": student, "active": active})


@access_rule(sensitive=True, allow=PSYCH_TEACHER.of_school, forbidden=SEE_STUDENT_ONLY)
@require_GET
def plan_version(request, plan_id: int, version_number: int):
    """One version beside the one before it, field by field."""
    plan = _record_plan(request, plan_id)
    versions = {version.number: version for version in plan.versions.select_related("author", "school")}
    version = versions.get(version_number)
    if version is None:
        raise Http404
    before = versions.get(version_number - 1)
    audit_record(actor=request.user, action="records.plan_version_viewed", student=plan.student, obj=plan,
                 request=request, detail={"version": version_number})
    return render(request, "records/plan_version.html", {
        "plan": plan, "student": plan.student, "version": version, "before": before,
        "changes": selectors.version_changes(version, before), "versions": list(versions.values())})


@access_rule(allow=PSYCH_TEACHER.of_school, forbidden=SEE_STUDENT_ONLY, post_only=True)
@require_POST
def plan_close(request, plan_id: int):
    plan = _record_plan(request, plan_id)
    refused_flash(request, lambda: services.plan_close(plan=plan, actor=request.user, request=request),
                  _("计划已结束，仍保留在档案中。"))
    return redirect("records:student", student_id=plan.student_id)


@access_rule(sensitive=True, allow=PSYCH_TEACHER, others=403)
@require_GET
def handovers(request):
    require(scopes.can_use_record_handovers(request.user))
    tasks = list(selectors.handover_tasks(request.user))
    audit_list_view(actor=request.user, action="records.handovers_listed", students=[task.student for task in tasks],
                    request=request)
    return render(request, "records/handovers.html", {"tasks": tasks})


@access_rule(allow=PSYCH_TEACHER.of_school, post_only=True)
@require_POST
def handover_acknowledge(request, handover_id: int):
    task = get_object_or_404(scopes.record_handovers_visible_to(request.user), pk=handover_id)
    refused_flash(request, lambda: services.handover_acknowledge(task=task, actor=request.user, request=request),
                  _("已确认接收。"))
    return redirect("records:handovers")
