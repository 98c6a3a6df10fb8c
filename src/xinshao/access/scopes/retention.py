"""Retention: the bureau reads the policy and the runs, its admin changes the policy and starts a
run; a guardian asks for a copy of their own child's data; a school's admin or psych teacher records
a guardian's paper request for a student of their school."""
from django.db.models import Q, QuerySet

from xinshao.accounts.roles import BUREAU_ROLES, Role
from xinshao.people.models import Student

from .base import _guardian_student_q, _ids, roles_of

__all__ = ["can_read_retention", "can_set_retention", "can_use_copy_requests", "copy_students_for",
           "copy_requests_visible_to"]

_COPY_STAFF = {Role.SCHOOL_ADMIN, Role.PSYCH_TEACHER}


def can_read_retention(user) -> bool:
    return bool(roles_of(user) & BUREAU_ROLES)


def can_set_retention(user) -> bool:
    return Role.BUREAU_ADMIN in roles_of(user)


def can_use_copy_requests(user) -> bool:
    return bool(roles_of(user) & (_COPY_STAFF | {Role.GUARDIAN}))


def copy_students_for(user) -> QuerySet[Student]:
    """Whose copy this user may ask for: a guardian's own children; a school admin's or psych
    teacher's students of their school (a paper request they record)."""
    q = _guardian_student_q(user) | Q(school_id__in=_ids(user, _COPY_STAFF, "school"))
    return Student.objects.filter(id__in=Student.objects.filter(q).values("id")).select_related("school")


def copy_requests_visible_to(user) -> QuerySet:
    """The requests this user made; staff also see those of their school's students."""
    from xinshao.retention.models import CopyRequest

    q = Q(requested_by=user) if user.is_authenticated else Q(pk__in=[])
    q |= Q(student__school_id__in=_ids(user, _COPY_STAFF, "school"))
    return CopyRequest.objects.filter(q).select_related("student", "requested_by", "job")
