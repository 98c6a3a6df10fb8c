"""Reads of students, always through the user's scope."""
import re

from django.db.models import Q, QuerySet

from xinshao.access.scopes import students_visible_to
from xinshao.core.crypto import blind_index, normalise_identity
from xinshao.people.models import Student

IDENTITY = re.compile(r"\d{17}[\dX]|\d{15}")


def student_search(user, *, query: str = "", class_id: int | None = None) -> QuerySet[Student]:
    students = students_visible_to(user)
    if query:
        # Identity numbers are encrypted: found by their blind index, whole number only.
        by_identity = Q(national_id_index=blind_index(query)) if IDENTITY.fullmatch(normalise_identity(query)) else Q()
        students = students.filter(Q(name__contains=query) | Q(student_number__startswith=query) | by_identity)
    if class_id:
        students = students.filter(school_class_id=class_id)
    return students.order_by("school__code", "school_class__grade__level", "school_class__name", "student_number")


def student_guardians(student: Student):
    return student.guardian_links.select_related("guardian").order_by("-is_primary", "id")
