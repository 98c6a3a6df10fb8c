"""Partner agencies, their contacts, and service agreements.

Agencies are the city's address book of help: the bureau (admin, psych centre, analyst) and
inspectors see every agency of their region; a school's admin and psych teachers see the agencies
of their school's city and district, so they know whom to call. Contacts' names, posts and phones
are for all of them; e-mail addresses and the bureau's notes on a contact are for the bureau and
inspectors only. Only the bureau admin changes agencies and agreements.

Agreements: the bureau and inspectors see all of their region's; a school's admin and psych
teachers see the agreements covering their school; a clinician sees their own agency's.
"""
from django.db.models import Q, QuerySet

from xinshao.accounts.roles import BUREAU_ROLES, Role

from .base import _bureau_region_ids, _ids, roles_of

_REGION_READERS = BUREAU_ROLES | {Role.INSPECTOR}
_SCHOOL_READERS = {Role.SCHOOL_ADMIN, Role.PSYCH_TEACHER}

__all__ = [
    "can_read_agencies", "can_manage_partners", "can_read_contact_details", "can_read_all_agreements",
    "can_read_agreements", "agencies_visible_to", "agency_contacts_visible_to", "agreements_visible_to",
]


def can_read_agencies(user) -> bool:
    return bool(roles_of(user) & (_REGION_READERS | _SCHOOL_READERS))


def can_manage_partners(user) -> bool:
    """Agencies, their contacts and service agreements: the bureau admin."""
    return Role.BUREAU_ADMIN in roles_of(user)


def can_read_contact_details(user) -> bool:
    """A contact's e-mail and the bureau's note on them: the bureau and inspectors."""
    return bool(roles_of(user) & _REGION_READERS)


def can_read_all_agreements(user) -> bool:
    """Every school's agreements and the expiring-soon list: the bureau and inspectors."""
    return bool(roles_of(user) & _REGION_READERS)


def can_read_agreements(user) -> bool:
    return can_read_all_agreements(user) or bool(_ids(user, _SCHOOL_READERS, "school")) \
        or bool(_ids(user, {Role.CLINICIAN}, "agency"))


def _school_region_ids(user) -> set[int]:
    """The districts of the user's schools and every region above them."""
    from xinshao.org.models import Region, School

    ids = set(School.objects.filter(pk__in=_ids(user, _SCHOOL_READERS, "school")).values_list("district_id", flat=True))
    frontier = ids
    while frontier:
        frontier = set(Region.objects.filter(pk__in=frontier, parent__isnull=False)
                       .values_list("parent_id", flat=True)) - ids
        ids |= frontier
    return ids


def agencies_visible_to(user) -> QuerySet:
    from xinshao.org.models import PartnerAgency

    regions = _bureau_region_ids(user, _REGION_READERS) | _school_region_ids(user)
    return PartnerAgency.objects.filter(region_id__in=regions).select_related("region")


def agency_contacts_visible_to(user) -> QuerySet:
    from xinshao.partners.models import AgencyContact

    return AgencyContact.objects.filter(agency__in=agencies_visible_to(user)).select_related("agency")


def agreements_visible_to(user) -> QuerySet:
    from xinshao.partners.models import ServiceAgreement

    q = Q(schools__in=_ids(user, _SCHOOL_READERS, "school")) | Q(agency_id__in=_ids(user, {Role.CLINICIAN}, "agency"))
    regions = _bureau_region_ids(user, _REGION_READERS)
    if regions:
        q |= Q(agency__region_id__in=regions) | Q(schools__district_id__in=regions)
    # The schools join repeats an agreement once per school: select by id so each appears once.
    return ServiceAgreement.objects.filter(pk__in=ServiceAgreement.objects.filter(q).values("pk")) \
        .select_related("agency")
