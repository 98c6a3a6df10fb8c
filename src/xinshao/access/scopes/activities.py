"""Activities entering campus: applications, the register, schools' refusals, teachers' load.

An outside body's applicants see and change only their own body's applications; the bureau
(admin, psych centre, analyst) and inspectors read every filed application of their region, and
only the bureau admin decides. Every school's staff search the register and record refusals for
their own school; the bureau and inspectors read all refusals. Teachers' load beside their
well-being is an aggregate for the bureau.
"""
from django.db.models import Q, QuerySet

from xinshao.accounts.roles import BUREAU_ROLES, Role

from .base import _bureau_region_ids, _ids, assignments, region_subtree_ids, roles_of

_READERS = BUREAU_ROLES | {Role.INSPECTOR}
_SCHOOL_STAFF = {Role.SCHOOL_ADMIN, Role.PSYCH_TEACHER, Role.TEACHER}

__all__ = [
    "can_apply_for_activities", "can_read_activity_applications", "can_review_activity_applications",
    "can_search_activity_register", "can_record_refusals", "can_read_refusals", "can_read_teacher_load",
    "can_change_application", "activity_applications_visible_to", "activity_applications_of_own_body",
    "activity_refusals_visible_to", "activity_school_ids", "outside_bodies_of", "schools_open_to_applications_of",
    "schools_for_refusals_by",
]


def outside_bodies_of(user) -> set[int]:
    return _ids(user, {Role.ACTIVITY_APPLICANT}, "outside_body")


def activity_school_ids(user) -> set[int]:
    """The schools a user works at as staff (a class teacher through their class)."""
    ids = _ids(user, _SCHOOL_STAFF, "school")
    ids |= {a.school_class.school_id for a in assignments(user) if a.role == Role.CLASS_TEACHER}
    return ids


def _region_ids(user) -> set[int]:
    return _bureau_region_ids(user, _READERS)


def can_apply_for_activities(user) -> bool:
    return bool(outside_bodies_of(user))


def can_read_activity_applications(user) -> bool:
    return bool(roles_of(user) & _READERS)


def can_review_activity_applications(user) -> bool:
    return Role.BUREAU_ADMIN in roles_of(user)


def can_search_activity_register(user) -> bool:
    return bool(activity_school_ids(user)) or can_read_activity_applications(user)


def can_record_refusals(user) -> bool:
    return bool(activity_school_ids(user))


def can_read_refusals(user) -> bool:
    return can_record_refusals(user) or can_read_activity_applications(user)


def can_read_teacher_load(user) -> bool:
    return bool(roles_of(user) & BUREAU_ROLES)


def can_change_application(user, application) -> bool:
    return application.body_id in outside_bodies_of(user)


def activity_applications_of_own_body(user) -> QuerySet:
    from xinshao.activities.models import Application

    return Application.objects.filter(body_id__in=outside_bodies_of(user)).select_related("body")


def activity_applications_visible_to(user) -> QuerySet:
    """An applicant: its own body's, drafts too. Readers: every filed one (not drafts) whose body
    belongs to their region or that asks for one of its schools."""
    from xinshao.activities.models import Application
    from xinshao.org.models import School

    q = Q(body_id__in=outside_bodies_of(user))
    regions = _region_ids(user)
    if regions:
        filed = ~Q(state=Application.State.DRAFT)
        q |= filed & (Q(body__region_id__in=regions) | Q(schools__in=School.objects.filter(district_id__in=regions)))
    return Application.objects.filter(id__in=Application.objects.filter(q).values("id")).select_related("body")


def activity_refusals_visible_to(user) -> QuerySet:
    from xinshao.activities.models import Refusal

    q = Q(school_id__in=activity_school_ids(user))
    regions = _region_ids(user)
    if regions:
        q |= Q(school__district_id__in=regions)
    return Refusal.objects.filter(q).select_related("school__district", "recorded_by", "application")


def schools_open_to_applications_of(user) -> QuerySet:
    """The active schools an applicant may name: those of its body's region."""
    from xinshao.org.models import OutsideBody, School

    roots = set(OutsideBody.objects.filter(pk__in=outside_bodies_of(user)).values_list("region_id", flat=True))
    regions = region_subtree_ids(roots) if roots else set()
    return School.objects.filter(is_active=True, district_id__in=regions).select_related("district") \
        .order_by("district__name", "code")


def schools_for_refusals_by(user) -> QuerySet:
    from xinshao.org.models import School

    return School.objects.filter(pk__in=activity_school_ids(user)).order_by("code")
