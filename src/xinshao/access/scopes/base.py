"""The building blocks every domain's scopes use: a user's role assignments and the units they
cover. Only the modules of this package call the underscore helpers."""
from django.db.models import Q

from xinshao.accounts.models import RoleAssignment
from xinshao.accounts.roles import BUREAU_ROLES, Role
from xinshao.org.models import Region

_REGION_ROLES = BUREAU_ROLES | {Role.INSPECTOR, Role.HOTLINE_OPERATOR}
_SCHOOL_ROLES = {Role.SCHOOL_ADMIN, Role.PSYCH_TEACHER, Role.TEACHER}
_SELF_ROLES = {Role.STUDENT, Role.PSYCH_COMMITTEE}
_ROSTER_KEEPERS = {Role.SCHOOL_ADMIN}
_STUDENT_READERS_BY_SCHOOL = {Role.SCHOOL_ADMIN, Role.PSYCH_TEACHER}


def assignments(user) -> list[RoleAssignment]:
    """The user's active role assignments, read once per request and kept on the user."""
    if not user.is_authenticated or not user.is_active:
        return []
    cached = getattr(user, "_xinshao_assignments", None)
    if cached is None:
        cached = list(
            RoleAssignment.objects.filter(user=user, is_active=True).select_related(
                "school_class", "student", "region"
            )
        )
        user._xinshao_assignments = cached
    return cached


def roles_of(user) -> set[str]:
    return {assignment.role for assignment in assignments(user)}


def region_subtree_ids(root_ids: set[int]) -> set[int]:
    found, frontier = set(root_ids), set(root_ids)
    while frontier:
        frontier = set(Region.objects.filter(parent_id__in=frontier).values_list("id", flat=True)) - found
        found |= frontier
    return found


def _ids(user, roles, field: str) -> set[int]:
    return {getattr(a, f"{field}_id") for a in assignments(user) if a.role in roles}


def _bureau_region_ids(user, roles=_REGION_ROLES) -> set[int]:
    roots = _ids(user, roles, "region")
    return region_subtree_ids(roots) if roots else set()


def _guardian_student_q(user) -> Q:
    guardian_ids = _ids(user, {Role.GUARDIAN}, "guardian")
    return Q(guardians__id__in=guardian_ids) if guardian_ids else Q(pk__in=[])
