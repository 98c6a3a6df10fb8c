"""Governance: inspection rounds, school visits and findings, rectification items.

Inspectors and the bureau (admin, psych centre, analyst) see every round and finding of their
region; a school's admin and psych teachers see their own school's visits, findings and
rectification items, and act on those items. Nobody else sees any of it. Inspectors and the
bureau admin run inspections (checklists, plans, rounds, findings, sign-off); the psych centre
and the analyst only read.
"""
from django.db.models import Q, QuerySet

from xinshao.accounts.roles import BUREAU_ROLES, Role

from .base import _bureau_region_ids, _ids, roles_of

_GOVERNANCE_READERS = BUREAU_ROLES | {Role.INSPECTOR}
_GOVERNANCE_MANAGERS = {Role.BUREAU_ADMIN, Role.INSPECTOR}
_SCHOOL_ANSWERERS = {Role.SCHOOL_ADMIN, Role.PSYCH_TEACHER}

__all__ = [
    "can_read_inspections", "can_manage_inspections", "can_answer_rectifications", "can_sign_off_rectifications",
    "inspection_rounds_visible_to", "school_visits_visible_to", "rectifications_visible_to",
    "rectifications_answerable_by", "checklists_visible_to", "rectifications_for_sign_off_by", "can_answer_rectification",
]


def _region_ids(user) -> set[int]:
    return _bureau_region_ids(user, _GOVERNANCE_READERS)


def _school_ids(user) -> set[int]:
    return _ids(user, _SCHOOL_ANSWERERS, "school")


def can_read_inspections(user) -> bool:
    """Rounds and findings city-wide: inspectors and the bureau."""
    return bool(roles_of(user) & _GOVERNANCE_READERS)


def can_manage_inspections(user) -> bool:
    """Checklists, plans, rounds, findings and sign-off: inspectors and the bureau admin."""
    return bool(roles_of(user) & _GOVERNANCE_MANAGERS)


def can_sign_off_rectifications(user) -> bool:
    return Role.INSPECTOR in roles_of(user) or Role.BUREAU_ADMIN in roles_of(user)


def can_answer_rectifications(user) -> bool:
    """A school's own rectification items: its admin and psych teachers."""
    return bool(_school_ids(user))


def inspection_rounds_visible_to(user) -> QuerySet:
    from xinshao.governance.models import InspectionRound

    if not can_read_inspections(user):
        return InspectionRound.objects.none()
    return InspectionRound.objects.select_related("plan")


def school_visits_visible_to(user) -> QuerySet:
    """Region-wide readers see the visits to their region's schools; a school sees its own."""
    from xinshao.governance.models import SchoolVisit

    q = Q(school_id__in=_school_ids(user))
    regions = _region_ids(user)
    if regions:
        q |= Q(school__district_id__in=regions)
    return SchoolVisit.objects.filter(q).select_related("round", "school__district", "inspector")


def rectifications_visible_to(user) -> QuerySet:
    from xinshao.governance.models import Rectification

    q = Q(school_id__in=_school_ids(user))
    regions = _region_ids(user)
    if regions:
        q |= Q(school__district_id__in=regions)
    return Rectification.objects.filter(q).select_related("school", "finding__item", "finding__visit__round")


def rectifications_answerable_by(user) -> QuerySet:
    """Items the user's own school answers (evidence, note, submit)."""
    from xinshao.governance.models import Rectification

    return Rectification.objects.filter(school_id__in=_school_ids(user)).select_related(
        "school", "finding__item", "finding__visit__round")


def can_answer_rectification(user, rectification) -> bool:
    return rectification.school_id in _school_ids(user)


def rectifications_for_sign_off_by(user) -> QuerySet:
    from xinshao.governance.models import Rectification

    if not can_sign_off_rectifications(user):
        return Rectification.objects.none()
    return rectifications_visible_to(user).filter(state=Rectification.State.SUBMITTED)


def checklists_visible_to(user) -> QuerySet:
    """Checklists are the city's configuration: those who read inspections see them all."""
    from xinshao.governance.models import Checklist

    return Checklist.objects.all() if can_read_inspections(user) else Checklist.objects.none()
