"""Reads of the organisation, always through the user's scope."""
from django.db.models import Count, Q, QuerySet

from xinshao.access.scopes import classes_visible_to, schools_visible_to
from xinshao.org.models import School, SchoolClass
from xinshao.people.models import Student

_ENROLLED = Q(students__status=Student.Status.ENROLLED)


def school_list(user) -> QuerySet[School]:
    return (
        schools_visible_to(user)
        .select_related("district")
        .annotate(class_count=Count("classes", distinct=True), student_count=Count("students", filter=_ENROLLED, distinct=True))
        .order_by("code")
    )


def school_classes(user, school: School) -> QuerySet[SchoolClass]:
    return (
        classes_visible_to(user)
        .filter(school=school)
        .annotate(student_count=Count("students", filter=_ENROLLED))
        .order_by("grade__level", "name")
    )
