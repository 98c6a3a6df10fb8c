"""Dashboards: the city's, a school's and a class's figures.

The bureau (admin, psych centre, analyst) reads the city dashboard and every school's of its region;
a school's admin and psych teachers read their own school's. Students' names appear only for those
who work with the students' records: the school's psych teachers and the bureau's psych centre.
Everyone else reads aggregates only, with small cells hidden. A class's view is for its class
teacher and the school's psych teachers, and never shows a score or a band.
"""
from django.db.models import Q, QuerySet

from xinshao.accounts.roles import BUREAU_ROLES, Role

from .base import _bureau_region_ids, _ids, roles_of

_SCHOOL_READERS = {Role.SCHOOL_ADMIN, Role.PSYCH_TEACHER}
_CLASS_READERS = {Role.CLASS_TEACHER, Role.PSYCH_TEACHER}

__all__ = [
    "can_view_city_dashboard", "can_use_school_dashboards", "dashboard_schools_visible_to",
    "own_dashboard_schools", "dashboard_names_shown", "can_use_class_views", "dashboard_classes_visible_to",
]


def can_view_city_dashboard(user) -> bool:
    return bool(roles_of(user) & BUREAU_ROLES)


def can_use_school_dashboards(user) -> bool:
    return bool(roles_of(user) & (BUREAU_ROLES | _SCHOOL_READERS))


def dashboard_schools_visible_to(user) -> QuerySet:
    from xinshao.org.models import School

    q = Q(district_id__in=_bureau_region_ids(user, BUREAU_ROLES)) | Q(pk__in=_ids(user, _SCHOOL_READERS, "school"))
    return School.objects.filter(q).select_related("district")


def own_dashboard_schools(user) -> QuerySet:
    """The schools whose dashboard is the user's own (as their admin or psych teacher): their home's way in."""
    from xinshao.org.models import School

    return School.objects.filter(pk__in=_ids(user, _SCHOOL_READERS, "school"))


def dashboard_names_shown(user, school=None) -> bool:
    """Names and unsuppressed counts: the psych centre for any school of its region (and the city), a
    psych teacher for their own school. For everyone else the dashboard is aggregate only."""
    if school is None:
        return bool(_bureau_region_ids(user, {Role.BUREAU_PSYCH_CENTRE}))
    return (school.district_id in _bureau_region_ids(user, {Role.BUREAU_PSYCH_CENTRE})
            or school.pk in _ids(user, {Role.PSYCH_TEACHER}, "school"))


def can_use_class_views(user) -> bool:
    return bool(roles_of(user) & _CLASS_READERS)


def dashboard_classes_visible_to(user) -> QuerySet:
    from xinshao.org.models import SchoolClass

    q = Q(pk__in=_ids(user, {Role.CLASS_TEACHER}, "school_class")) | Q(
        school_id__in=_ids(user, {Role.PSYCH_TEACHER}, "school"))
    return SchoolClass.objects.filter(q).select_related("school", "grade")
