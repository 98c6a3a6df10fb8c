from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods

from xinshao.access import scopes
from xinshao.access.routes import CLASS_TEACHER, EVERYONE, GUARDIAN, PSYCH_TEACHER, SCHOOL_ADMIN, STUDENTS, access_rule
from xinshao.accounts.roles import Role
from xinshao.audit.services import audit_record
from xinshao.core.pages import form_page, refused_onto
from xinshao.people import services
from xinshao.people.forms import StudentEditForm, StudentLeaveForm, StudentSearchForm
from xinshao.people.selectors import before_leaving, student_clock, student_guardians, student_search


@access_rule(allow=EVERYONE)
@require_GET
def student_list(request):
    form = StudentSearchForm(request.GET or None, classes=scopes.classes_visible_to(request.user))
    query, school_class = "", None
    if form.is_valid():
        query, school_class = form.cleaned_data["q"], form.cleaned_data["school_class"]
    students = student_search(request.user, query=query, class_id=school_class.pk if school_class else None)
    page = Paginator(students, 50).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    return render(request, "people/student_list.html", {"form": form, "page": page, "query_string": params.urlencode()})


@access_rule(sensitive=True, allow=[(SCHOOL_ADMIN | PSYCH_TEACHER).of_school, CLASS_TEACHER.of_class, (STUDENTS | GUARDIAN).own])
@require_GET
def student_detail(request, student_id: int):
    student = get_object_or_404(scopes.students_visible_to(request.user), pk=student_id)
    audit_record(actor=request.user, action="student.view", student=student, obj=student, request=request)
    return render(request, "people/student_detail.html", {
        "student": student,
        "guardians": student_guardians(student),
        "enrolments": student.enrolments.select_related("school", "school_class__grade"),
        "can_edit": scopes.students_changeable_by(request.user).filter(pk=student.pk).exists(),
        "can_read_record": scopes.students_with_results_visible_to(request.user).filter(pk=student.pk).exists(),
        "clock": student_clock(student),
    })


@access_rule(allow=STUDENTS)
@require_GET
def me(request):
    own = [a.student_id for a in scopes.assignments(request.user) if a.role in (Role.STUDENT, Role.PSYCH_COMMITTEE)]
    if not own:
        raise Http404
    return redirect("people:student_detail", student_id=own[0])


@access_rule(sensitive=True, allow=SCHOOL_ADMIN.of_school)
@require_http_methods(["GET", "POST"])
def student_edit(request, student_id: int):
    student = get_object_or_404(scopes.students_changeable_by(request.user), pk=student_id)
    if request.method == "GET":
        # The form shows what the student's page shows (birth date, status), and is recorded like it.
        audit_record(actor=request.user, action="student.edit_viewed", student=student, obj=student, request=request)
    classes = scopes.classes_visible_to(request.user).filter(school=student.school)
    form = StudentEditForm(request.POST or None, instance=student, classes=classes)
    if request.method == "POST" and form.is_valid():
        # The form has already written its values onto `student`; the service compares
        # against the stored row to record exactly what changed.
        stored = get_object_or_404(scopes.students_changeable_by(request.user), pk=student_id)
        services.student_update(student=stored, actor=request.user, request=request, **form.cleaned_data)
        messages.success(request, _("已保存。"))
        return redirect("people:student_detail", student_id=student.pk)
    return render(request, "people/student_edit.html", {"form": form, "student": student})


@access_rule(sensitive=True, allow=SCHOOL_ADMIN.of_school)
@require_http_methods(["GET", "POST"])
def student_leave(request, student_id: int):
    """离校: the school admin records that a student left the city's schools; the page says what
    happens to their open cases and assignments, and when retention anonymises them."""
    student = get_object_or_404(scopes.students_changeable_by(request.user), pk=student_id)
    form = StudentLeaveForm(request.POST or None, initial={"on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        left = refused_onto(form, lambda: services.student_leave(
            student=student, on=data["on"], status=data["status"], reason=data["reason"], actor=request.user,
            request=request))
        if left:
            messages.success(request, ngettext("已办理离校，撤回了 %(n)s 份尚未完成的测评。",
                                               "已办理离校，撤回了 %(n)s 份尚未完成的测评。", left.withdrawn)
                             % {"n": left.withdrawn})
            return redirect("people:student_detail", student_id=student.pk)
    before = before_leaving(request.user, student, timezone.localdate())
    if before.open_cases and request.method == "GET":
        # The page says how many open cases the student has: recorded like the case list.
        audit_record(actor=request.user, action="student.leave_viewed", student=student, obj=student,
                     request=request, detail={"cases": [case.pk for case in before.open_cases]})
    return form_page(request, "people/student_leave.html", {
        "form": form, "student": student, "left": student.status in student.LEFT_STATES, "before": before,
    })
