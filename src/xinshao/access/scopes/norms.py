"""Local norms: aggregates of a city's results (groups too small to publish are withheld), so
every bureau role reads them; the bureau admin computes them, for the region they administer."""
from django.db.models import QuerySet

from xinshao.accounts.roles import BUREAU_ROLES, Role
from xinshao.org.models import Region

from .base import _bureau_region_ids, _ids, roles_of

__all__ = ["can_read_norms", "can_compute_norms", "norm_tables_visible_to", "norm_regions_for"]


def can_read_norms(user) -> bool:
    return bool(roles_of(user) & BUREAU_ROLES)


def can_compute_norms(user) -> bool:
    return Role.BUREAU_ADMIN in roles_of(user)


def norm_tables_visible_to(user) -> QuerySet:
    from xinshao.norms.models import NormTable

    return NormTable.objects.filter(region_id__in=_bureau_region_ids(user, BUREAU_ROLES))


def norm_regions_for(user) -> QuerySet[Region]:
    """The regions whose norms this user may compute: those they administer."""
    return Region.objects.filter(pk__in=_ids(user, {Role.BUREAU_ADMIN}, "region"))
