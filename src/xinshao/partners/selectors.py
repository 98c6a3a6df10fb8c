"""Reads of service agreements: which are valid on a day, which cover a school, which end soon."""
import datetime

from django.db.models import Count, Q, QuerySet

from xinshao.partners.models import ServiceAgreement

A = ServiceAgreement.State
# The bureau's warning time before an agreement ends: long enough to renew it.
EXPIRING_WITHIN = datetime.timedelta(days=60)


def valid_q(today: datetime.date) -> Q:
    """Valid on `today`: active, and today within its dates."""
    return Q(state=A.ACTIVE, starts_on__lte=today, ends_on__gte=today)


def valid_agreements_for_school(school, today: datetime.date) -> QuerySet[ServiceAgreement]:
    return ServiceAgreement.objects.filter(valid_q(today), schools=school)


def agreement_covering(*, school, agency, today: datetime.date) -> ServiceAgreement | None:
    """The valid agreement between `agency` and `school` that runs longest, or None."""
    return valid_agreements_for_school(school, today).filter(agency=agency).order_by("-ends_on", "id").first()


def valid_until_by_agency(school, today: datetime.date) -> dict[int, datetime.date]:
    """agency id → the last day an agreement covering `school` is valid, for agencies with one."""
    until: dict[int, datetime.date] = {}
    for agency_id, ends_on in valid_agreements_for_school(school, today).values_list("agency_id", "ends_on"):
        until[agency_id] = max(ends_on, until.get(agency_id, ends_on))
    return until


def expiring_q(today: datetime.date, within: datetime.timedelta = EXPIRING_WITHIN) -> Q:
    """Valid today and ending within `within`."""
    return valid_q(today) & Q(ends_on__lte=today + within)


def agreements_expiring(agreements: QuerySet[ServiceAgreement], today: datetime.date) -> QuerySet[ServiceAgreement]:
    return agreements.filter(expiring_q(today)).order_by("ends_on", "id")


def schools_covered_by_agency(agreements: QuerySet[ServiceAgreement], today: datetime.date) -> list[tuple[str, int]]:
    """(agency name, schools covered by a valid agreement with it) for each agency with one, most first:
    the bureau's figure ("16 schools have a service agreement with the mental health centre")."""
    rows = (agreements.filter(valid_q(today)).values("agency__name")
            .annotate(schools=Count("schools", distinct=True)).order_by("-schools", "agency__name"))
    return [(row["agency__name"], row["schools"]) for row in rows]
