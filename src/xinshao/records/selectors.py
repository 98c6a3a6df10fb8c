"""Reads for the psychological growth record (心理成长档案): one student's results over time per
instrument, with reliable change between results, the alerts and cases around them, the
individual plan (一生一策) with its versions, and the handover tasks of psych teachers."""
import difflib
from dataclasses import dataclass, field

from django.db.models import QuerySet
from django.template.loader import render_to_string

from django.utils import timezone
from django.utils.translation import gettext as _
from weasyprint import HTML

from xinshao.access import scopes
from xinshao.campaigns.models import InstrumentResult
from xinshao.core.charts import LineChart, line_chart
from xinshao.core.templatetags.xinshao import localized
from xinshao.instruments.selectors import band_labels, result_definition
from xinshao.norms.models import NormTable
from xinshao.org.models import Region
from xinshao.org.models import School
from xinshao.people.models import Student
from xinshao.records.models import HandoverTask, IndividualPlan, PlanVersion
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
class PlanView:
    plan: IndividualPlan
    versions: list[PlanVersion]   # oldest first

    @property
    def current(self) -> PlanVersion:
        return self.versions[-1]

    @property
    def overdue(self) -> bool:
        """An active plan whose review date has passed without a new version."""
        return self.plan.state == IndividualPlan.State.ACTIVE and self.current.review_on < timezone.localdate()


@dataclass(frozen=True)
class GrowthRecord:
    student: Student
    histories: list[InstrumentHistory]
    alerts: list
    cases: list
    plans: list[PlanView] = field(default_factory=list)   # newest first; the active one, if any, leads

    @property
    def active_plan(self) -> PlanView | None:
        return next((view for view in self.plans if view.plan.state == IndividualPlan.State.ACTIVE), None)


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
               .select_related("submission", "campaign__term", "norm__norm_table__term")
               .order_by("submission__received_at", "id"))
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
    return GrowthRecord(student, _histories(student), list(alerts), list(cases), student_plans(user, student))


def student_plans(user, student: Student) -> list[PlanView]:
    plans = scopes.plans_visible_to(user).filter(student=student).prefetch_related("versions__author")
    return [PlanView(plan, list(plan.versions.all())) for plan in plans if plan.versions.all()]


def students_with_active_plan(school: School) -> QuerySet[Student]:
    """Students of the school with an active individual plan (for the school dashboard's
    "high tier with no active plan or case" list). Not scoped: the caller scopes the school."""
    return Student.objects.filter(school=school, individual_plans__state=IndividualPlan.State.ACTIVE)


# --- one version beside the one before -----------------------------------------------------

@dataclass(frozen=True)
class FieldChange:
    label: str
    before: list[str]
    after: list[str]
    lines: list[tuple[str, str]]   # ("-" removed / "+" added / " " kept, text)

    @property
    def changed(self) -> bool:
        return self.before != self.after


def _version_lines(version: PlanVersion | None) -> dict[str, list[str]]:
    if version is None:
        return {"goals": [], "supports": [], "tasks": [], "review_on": []}
    return {"goals": version.goals.splitlines(), "supports": version.supports.splitlines(),
            "tasks": [f"{task['who']}：{task['task']}" for task in version.tasks],
            "review_on": [version.review_on.isoformat()]}


def version_changes(version: PlanVersion, before: PlanVersion | None) -> list[FieldChange]:
    """Field by field, what changed from the version before (everything is new in version 1)."""
    labels = {"goals": _("目标"), "supports": _("支持措施"), "tasks": _("分工"), "review_on": _("复评日期")}
    old, new = _version_lines(before), _version_lines(version)
    return [FieldChange(label, old[name], new[name],
                        [(line[0], line[2:]) for line in difflib.ndiff(old[name], new[name]) if line[0] in "-+ "])
            for name, label in labels.items()]


def handover_tasks(user) -> QuerySet[HandoverTask]:
    """The user's schools' handover tasks, pending first."""
    return (scopes.record_handovers_visible_to(user).select_related("student", "from_school", "to_school")
            .order_by("-state", "-created_at"))


def growth_record_pdf(record: GrowthRecord, *, printed_by, request) -> bytes:
    """The record on paper (WeasyPrint, as the case timeline's PDF); its charts are the page's SVG."""
    html = render_to_string("records/pdf.html", {
        "record": record, "student": record.student, "printed_by": printed_by, "printed_at": timezone.localtime()})
    return HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf()
