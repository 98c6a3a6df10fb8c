"""Personal information protection (compliance/): who asks for and approves staff access to
children's data, who keeps the incident register and the yearly report, who unlocks accounts.

A bureau admin decides for the units of their region (its districts, schools, classes and
agencies); a school admin asks for, and follows, their own school's staff. Approval is the
bureau admin's alone, never the requester's or the person's own (compliance/services.py)."""
from django.db.models import Q, QuerySet

from xinshao.accounts.models import RoleAssignment, User
from xinshao.accounts.roles import TWO_FACTOR_ROLES, Role
from xinshao.org.models import PartnerAgency, Region, School, SchoolClass

from .base import _bureau_region_ids, _ids, roles_of

# Roles that see individual children: granted only by approval. The roles that must sign in with
# a second factor are defined by exactly that (accounts/roles.py).
CHILD_ACCESS_ROLES = TWO_FACTOR_ROLES
# What a school admin may ask for at their own school.
SCHOOL_REQUESTABLE_ROLES = frozenset({Role.SCHOOL_ADMIN, Role.PSYCH_TEACHER, Role.CLASS_TEACHER})
_SCHOOL_STAFF_ROLES = {Role.SCHOOL_ADMIN, Role.PSYCH_TEACHER, Role.TEACHER, Role.CLASS_TEACHER}


def _admin_regions(user) -> set[int]:
    return _bureau_region_ids(user, {Role.BUREAU_ADMIN})


def _admin_schools(user) -> set[int]:
    return _ids(user, {Role.SCHOOL_ADMIN}, "school")


def can_request_access(user) -> bool:
    return bool(roles_of(user) & {Role.BUREAU_ADMIN, Role.SCHOOL_ADMIN})


def can_approve_access(user) -> bool:
    return Role.BUREAU_ADMIN in roles_of(user)


def requestable_roles_for(user) -> frozenset[str]:
    if Role.BUREAU_ADMIN in roles_of(user):
        return CHILD_ACCESS_ROLES
    return SCHOOL_REQUESTABLE_ROLES if Role.SCHOOL_ADMIN in roles_of(user) else frozenset()


def request_regions_for(user) -> QuerySet[Region]:
    return Region.objects.filter(id__in=_admin_regions(user)).order_by("code")


def request_schools_for(user) -> QuerySet[School]:
    return School.objects.filter(Q(district_id__in=_admin_regions(user)) | Q(id__in=_admin_schools(user))).order_by("code")


def request_classes_for(user) -> QuerySet[SchoolClass]:
    return SchoolClass.objects.filter(school__in=request_schools_for(user)).select_related("school", "grade").order_by(
        "school__code", "grade__level", "name")


def request_agencies_for(user) -> QuerySet[PartnerAgency]:
    return PartnerAgency.objects.filter(region_id__in=_admin_regions(user)).order_by("name")


def access_requests_visible_to(user):
    """Requests about this user's units: a bureau admin's region, a school admin's school."""
    from xinshao.compliance.models import AccessRequest

    q = Q(approval_region_id__in=_admin_regions(user)) | Q(at_school_id__in=_admin_schools(user))
    return AccessRequest.objects.filter(q).select_related("user", "requested_by", "decided_by", "region", "school",
                                                          "school_class__school", "agency")


def access_requests_decidable_by(user):
    """Requests this user may approve or refuse: those of their bureau region."""
    return access_requests_visible_to(user).filter(approval_region_id__in=_admin_regions(user))


def _assignments_in_units(*, regions: set[int], schools: set[int], staff_only: bool) -> QuerySet[RoleAssignment]:
    q = Q(school_id__in=schools) | Q(school_class__school_id__in=schools)
    if regions:
        q |= (Q(region_id__in=regions) | Q(school__district_id__in=regions)
              | Q(school_class__school__district_id__in=regions) | Q(student__school__district_id__in=regions)
              | Q(agency__region_id__in=regions) | Q(outside_body__region_id__in=regions)
              | Q(guardian__students__school__district_id__in=regions))
    found = RoleAssignment.objects.filter(q)
    return found.filter(role__in=_SCHOOL_STAFF_ROLES) if staff_only else found


def people_followed_by(user) -> QuerySet[User]:
    """People whose access history and sign-in lock this user looks after: a bureau admin everyone
    with a role in their region; a school admin their school's staff; both, anyone they asked for."""
    regions = _admin_regions(user)
    in_units = _assignments_in_units(regions=regions, schools=_admin_schools(user), staff_only=not regions)
    q = Q(id__in=in_units.values("user_id")) | Q(id__in=access_requests_visible_to(user).values("user_id"))
    return User.objects.filter(q)


def schools_with_access_history_for(user) -> QuerySet[School]:
    return request_schools_for(user)


def can_unlock_accounts(user) -> bool:
    return bool(roles_of(user) & {Role.BUREAU_ADMIN, Role.SCHOOL_ADMIN})


def can_keep_incidents(user) -> bool:
    return Role.BUREAU_ADMIN in roles_of(user)


def incidents_visible_to(user):
    from xinshao.compliance.models import Incident

    return Incident.objects.filter(region_id__in=_admin_regions(user)).select_related("region", "reported_by")


def can_read_compliance_report(user) -> bool:
    return Role.BUREAU_ADMIN in roles_of(user)


def compliance_report_regions(user) -> QuerySet[Region]:
    return request_regions_for(user)
