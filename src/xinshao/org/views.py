from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET

from xinshao.access import scopes
from xinshao.access.routes import (
    BUREAU,
    CLASS_TEACHER,
    EVERYONE,
    GUARDIAN,
    PSYCH_TEACHER,
    REGION_WIDE,
    SCHOOL_ADMIN,
    SCHOOL_PEOPLE,
    STUDENTS,
    access_rule,
)
from xinshao.accounts.roles import Role
from xinshao.org.selectors import school_classes, school_list


@access_rule(allow=EVERYONE)
@require_GET
def school_list_view(request):
    page = Paginator(school_list(request.user), 50).get_page(request.GET.get("page"))
    return render(request, "org/school_list.html", {"page": page})


@access_rule(allow=[REGION_WIDE, SCHOOL_PEOPLE.of_school])
@require_GET
def school_detail(request, school_id: int):
    school = get_object_or_404(scopes.schools_visible_to(request.user).select_related("district"), pk=school_id)
    return render(request, "org/school_detail.html", {
        "school": school,
        "classes": school_classes(request.user, school),
        "can_import": scopes.can_import_roster(request.user, school),
        
    })


@access_rule(allow=[BUREAU, (SCHOOL_ADMIN | PSYCH_TEACHER).of_school, (CLASS_TEACHER | STUDENTS | GUARDIAN).of_class])
@require_GET
def class_detail(request, class_id: int):
    school_class = get_object_or_404(scopes.classes_visible_to(request.user), pk=class_id)
    students = scopes.students_visible_to(request.user).filter(school_class=school_class).order_by("student_number")
    return render(request, "org/class_detail.html", {"school_class": school_class, "students": students})


@access_rule(allow=EVERYONE)
@require_GET
def my_classes(request):
    class_ids = [a.school_class_id for a in scopes.assignments(request.user) if a.role == Role.CLASS_TEACHER]
    classes = scopes.classes_visible_to(request.user).filter(id__in=class_ids)
    if len(classes) == 1:
        return redirect("org:class_detail", class_id=classes[0].pk)
    return render(request, "org/my_classes.html", {"classes": classes})
