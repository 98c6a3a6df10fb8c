"""Outgoing webhooks: who registers endpoints for which events.

An endpoint tells another system of the alerts and referrals of one region or one school
(docs/api.md, "Webhooks"). A bureau admin runs the system's integrations for their region, a
school admin their school's (DESIGN.md roles): they register endpoints, see their delivery logs
and send test events. Both see these events' ids, levels and school already as aggregates;
payloads carry nothing more (no name, no reason, no notes).
"""
from django.db.models import Q, QuerySet

from xinshao.accounts.roles import Role
from xinshao.org.models import Region, School

from .base import _bureau_region_ids, _ids, roles_of

_INTEGRATORS = {Role.BUREAU_ADMIN, Role.SCHOOL_ADMIN}


def can_manage_webhooks(user) -> bool:
    return bool(roles_of(user) & _INTEGRATORS)


def webhook_regions_for(user) -> QuerySet[Region]:
    """Regions a user may register a region-wide endpoint for: where they are bureau admin."""
    return Region.objects.filter(id__in=_ids(user, {Role.BUREAU_ADMIN}, "region")).order_by("code")


def webhook_schools_for(user) -> QuerySet[School]:
    """Schools a user may register a school's endpoint for: where they are its admin."""
    return School.objects.filter(id__in=_ids(user, {Role.SCHOOL_ADMIN}, "school")).order_by("code")


def webhook_endpoints_visible_to(user):
    """Endpoints a user keeps: a bureau admin those of their region and its schools, a school admin their school's."""
    from xinshao.webhooks.models import Endpoint

    regions = _bureau_region_ids(user, {Role.BUREAU_ADMIN})
    q = Q(region_id__in=regions) | Q(school__district_id__in=regions)
    q |= Q(school_id__in=_ids(user, {Role.SCHOOL_ADMIN}, "school"))
    return Endpoint.objects.filter(q).select_related("owner", "region", "school")
