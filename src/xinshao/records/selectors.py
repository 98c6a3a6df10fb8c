"""Reads for the psychological growth record (心理成长档案): one student's results over time per
instrument, with reliable change between results, and the alerts and cases around them."""
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext as _

from xinshao.access import scopes
from xinshao.campaigns.models import InstrumentResult
from xinshao.core.charts import LineChart, line_chart
from xinshao.core.templatetags.xinshao import localized
from xinshao.instruments.selectors import band_labels, result_definition
from xinshao.norms.models import NormTable
from xinshao.org.models import Region
from xinshao.people.models import Student
from xinshao.records.reliable_change import Change, pooled_sd, reliable_change


@dataclass(frozen=True)
class Point:
    result: InstrumentResult
    school: str
    band: dict | str   # the band's label in each language, or its id when the library lost it


@dataclass(frozen=True)
class Step:
    """From one valid result to the next: the change, and whether it exceeds measurement error."""
    before: Point
    after: Point
    change: Change | None


@dataclass
class InstrumentHistory:
    instrument_id: str
    title: dict | str
    points: list[Point]
    steps: list[Step] = field(default_factory=list)
    chart: LineChart | None = None
    reliability_from: NormTable | None = None  # the local norm table whose SD and alpha the steps use


@dataclass(frozen=True)
class GrowthRecord:
    student: Student
    histories: list[InstrumentHistory]
    alerts: list
    cases: list


def _total_score(definition):
    return next((score for score in definition.scores if score.kind == "total"), None) if definition else None


def _band_label(definition, band_id: str):
    return (band_labels(definition, band_id) if definition else None) or band_id


def _schools_by_date(student: Student):
    """The school the student was at on a day, from their enrolments."""
    enrolments = list(student.enrolments.select_related("school").order_by("started_on"))

    def school_on(day) -> str:
        at = [e for e in enrolments if e.started_on <= day and (e.ended_on is None or e.ended_on >= day)]
        return at[-1].school.name if at else ""
    return school_on


def _reference(student: Student, instrument_id: str, version: str) -> NormTable | None:
    """The latest local norm table of the instrument version computed for the student's city."""
    return (NormTable.objects.filter(instrument_id=instrument_id, instrument_version=version, alpha__isnull=False,
                                     region_id__in=_regions_above(student.school.district_id))
            .order_by("-computed_at").first())


def _regions_above(region_id: int) -> list[int]:
    found = []
    while region_id is not None:
        found.append(region_id)
        region_id = Region.objects.filter(pk=region_id).values_list("parent_id", flat=True).first()
    return found


def _steps(points: list[Point], table: NormTable | None) -> list[Step]:
    valid = [point for point in points if point.result.valid and point.result.total is not None]
    sd = pooled_sd(table.groups) if table else None
    return [Step(before, after, reliable_change(before.result.total, after.result.total, sd=sd, reliability=table.alpha)
                 if sd else None) for before, after in zip(valid, valid[1:])]


def _chart(history: InstrumentHistory, definition) -> LineChart | None:
    total = _total_score(definition)
    valid = [point for point in history.points if point.result.valid and point.result.total is not None]
    if total is None or not valid:
        return None
    step = 10 ** total.decimals
    thresholds = [(band.low / step, localized(band.label)) for band in (total.bands.ranges[1:] if total.bands else ())
                  if band.low is not None]
    return line_chart(
        title=_("%(title)s 总分变化") % {"title": localized(history.title)},
        points=[(timezone.localtime(point.result.submission.received_at).strftime("%Y-%m"), point.result.total)
                for point in valid],
        low=float(total.range[0]), high=float(total.range[1]), thresholds=thresholds)


def _histories(student: Student) -> list[InstrumentHistory]:
    school_on = _schools_by_date(student)
    results = (InstrumentResult.objects.filter(student=student)
               .select_related("submission", "campaign__term").order_by("submission__received_at", "id"))
    by_instrument: dict[str, InstrumentHistory] = {}
    for result in results:
        definition = result_definition(instrument_id=result.instrument_id, version=result.instrument_version)
        history = by_instrument.get(result.instrument_id)
        if history is None:
            title = definition.title if definition else result.instrument_id
            history = by_instrument[result.instrument_id] = InstrumentHistory(result.instrument_id, title, [])
        day = timezone.localtime(result.submission.received_at).date()
        history.points.append(Point(result, school_on(day), _band_label(definition, result.band) if result.band else ""))
    for history in by_instrument.values():
        latest = history.points[-1].result
        definition = result_definition(instrument_id=latest.instrument_id, version=latest.instrument_version)
        history.reliability_from = _reference(student, latest.instrument_id, latest.instrument_version)
        history.steps = _steps(history.points, history.reliability_from)
        history.chart = _chart(history, definition)
    return list(by_instrument.values())


def growth_record(user, student: Student) -> GrowthRecord:
    """The record as this user may read it: alerts and cases through their own scopes."""
    alerts = scopes.alerts_visible_to(user).filter(student=student).prefetch_related("signals").order_by("-created_at")
    cases = scopes.cases_visible_to(user).filter(student=student).select_related("owner", "school").order_by("-opened_at")
    return GrowthRecord(student, _histories(student), list(alerts), list(cases))
