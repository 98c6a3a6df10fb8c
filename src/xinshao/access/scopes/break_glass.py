"""Emergency (break-glass) access and the audit search: the bureau's psych centre may open one
student's record outside its usual scope on a written reason (accounts/services.py), for a few
hours; the bureau admin and the psych centre read who looked at what."""
from django.db.models import QuerySet
from django.utils import timezone

from xinshao.accounts.models import BreakGlassGrant
from xinshao.accounts.roles import Role
from xinshao.people.models import Student

from .base import _bureau_region_ids, roles_of


def can_break_glass(user) -> bool:
    return Role.BUREAU_PSYCH_CENTRE in roles_of(user)


def students_open_to_break_glass(user) -> QuerySet[Student]:
    """Students of the psych centre's region: those it may ask emergency access to."""
    return Student.objects.filter(school__district_id__in=_bureau_region_ids(user, {Role.BUREAU_PSYCH_CENTRE}))


def break_glass_student_ids(user) -> set[int]:
    """Students this user holds valid emergency access to; the one place scopes add them."""
    if not can_break_glass(user):
        return set()
    return set(BreakGlassGrant.objects.filter(
        user=user, expires_at__gt=timezone.now(), student__in=students_open_to_break_glass(user),
    ).values_list("student_id", flat=True))


def can_search_audit(user) -> bool:
    return bool(roles_of(user) & {Role.BUREAU_ADMIN, Role.BUREAU_PSYCH_CENTRE})


def students_audit_searchable_by(user) -> QuerySet[Student]:
    """Students whose access trail this user may search: those of their bureau region."""
    return Student.objects.filter(school__district_id__in=_bureau_region_ids(
        user, {Role.BUREAU_ADMIN, Role.BUREAU_PSYCH_CENTRE})).select_related("school", "school_class")
