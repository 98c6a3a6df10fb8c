"""Reads of inspections: a round's visits and the round summary for the city. Aggregates are by
school and district (schools are not individuals), so no small-cell suppression is needed."""
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.utils import timezone

from xinshao.governance.models import Finding, InspectionRound, Rectification, Result, SchoolVisit


@dataclass
class ItemLine:
    item: object
    counts: dict = field(default_factory=dict)  # result → schools


@dataclass
class DistrictLine:
    name: str
    schools: int = 0
    visited: int = 0
    open: int = 0
    overdue: int = 0
    signed_off: int = 0


@dataclass
class RoundSummary:
    round: InspectionRound
    schools: int
    visited: int
    items: list[ItemLine]
    districts: list[DistrictLine]
    open: int
    overdue: int
    signed_off: int
    results: list = field(default_factory=lambda: list(Result.choices))


def visits_with_counts(visits):
    return visits.annotate(
        findings_count=Count("findings", distinct=True),
        rectifications_count=Count("findings__rectification", distinct=True),
    ).select_related("school__district", "inspector")


def round_summary(round_: InspectionRound, now=None) -> RoundSummary:
    today = timezone.localdate(now or timezone.now())
    visits = SchoolVisit.objects.filter(round=round_).select_related("school__district")
    districts: dict[int, DistrictLine] = {}
    for visit in visits:
        line = districts.setdefault(visit.school.district_id, DistrictLine(visit.school.district.name))
        line.schools += 1
        line.visited += visit.state == SchoolVisit.State.COMPLETED
    counts = defaultdict(Counter)
    for item_id, result, n in Finding.objects.filter(visit__round=round_).values_list("item_id", "result") \
            .annotate(n=Count("id")).order_by():
        counts[item_id][result] = n
    items = [ItemLine(item, {value: counts[item.pk][value] for value in Result.values}) for item in round_.items.all()]
    totals = Counter()
    for district_id, state, deadline in Rectification.objects.filter(finding__visit__round=round_) \
            .values_list("school__district_id", "state", "deadline"):
        line = districts[district_id]
        if state == Rectification.State.SIGNED_OFF:
            line.signed_off += 1
            totals["signed_off"] += 1
        else:
            line.open += 1
            totals["open"] += 1
            if deadline < today:
                line.overdue += 1
                totals["overdue"] += 1
    return RoundSummary(round=round_, schools=len(visits), visited=sum(d.visited for d in districts.values()),
                        items=items, districts=sorted(districts.values(), key=lambda d: d.name),
                        open=totals["open"], overdue=totals["overdue"], signed_off=totals["signed_off"])


def overdue_q(today) -> Q:
    return Q(deadline__lt=today) & ~Q(state=Rectification.State.SIGNED_OFF)
