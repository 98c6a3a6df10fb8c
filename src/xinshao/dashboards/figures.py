"""The figures every dashboard is cut from, each one grouped aggregate query (never a query per
school or class): the same functions serve the city (rows by school) and a school (rows by class).

`Lens` says which schools are counted and what a row is; every function answers a Grid of counts
(tables.py turns it into a table, suppressed where the reader sees aggregates only).
"""
import datetime
from dataclasses import dataclass
from functools import cached_property

from django.db.models import Count, F, Q, QuerySet, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xinshao.alerts.models import Alert, Level
from xinshao.core.templatetags.xinshao import localized
from xinshao.cases.models import Case, FollowUp, Referral
from xinshao.cases.referrals.selectors import overdue_q
from xinshao.hotline.models import Call, Risk
from xinshao.instruments.selectors import result_definition
from xinshao.org.grades import LEVELS
from xinshao.org.models import Term
from xinshao.people.models import Gender, Student

from .models import BandTally, ScreeningTally
from .tables import Grid

LEVEL_ORDER = [Level.RED, Level.ORANGE, Level.YELLOW]
OPEN_CASE_STATES = [state for state in Case.State if state != Case.State.CLOSED]


@dataclass(frozen=True)
class Lens:
    """Which schools are counted and what one row is: a school (`by="school"`) or a class."""

    schools: QuerySet
    by: str  # "school" or "school_class": a field of Student
    groups: list[tuple[int, str]]  # (id, label) of each row, in order

    def of_record(self, path: str) -> str:
        """Where an alert or case belongs: its own school (where it was raised), or its student's class."""
        return f"{path}school" if self.by == "school" else f"{path}student__school_class"

    @cached_property
    def enrolled(self) -> dict[int, int]:
        """Enrolled students per row, now (whatever the term): counted once however many terms are shown."""
        return dict(Student.objects.filter(school__in=self.schools, status=Student.Status.ENROLLED)
                    .values(self.by).annotate(n=Count("id")).values_list(self.by, "n").order_by())

    def index(self) -> dict[int, int]:
        return {group_id: index for index, (group_id, _label) in enumerate(self.groups)}


def term_bounds(term: Term) -> tuple[datetime.datetime, datetime.datetime]:
    zone = timezone.get_current_timezone()
    start = datetime.datetime.combine(term.starts_on, datetime.time.min, tzinfo=zone)
    return start, datetime.datetime.combine(term.ends_on + datetime.timedelta(days=1), datetime.time.min, tzinfo=zone)


def coverage(lens: Lens, term: Term) -> Grid:
    """Per row: enrolled students, students given a screening of the term, students who submitted."""
    index = lens.index()
    grid = Grid(_("测评覆盖与完成"), [row for _id, row in lens.groups],
                [_("在籍学生"), _("测评对象"), _("已提交")], row_sums=False)
    for group_id, count in lens.enrolled.items():
        if group_id in index:
            grid.counts[(index[group_id], 0)] = count
    taken = (ScreeningTally.objects.filter(term=term, school__in=lens.schools).values(lens.by)
             .annotate(assigned=Sum("assigned"), submitted=Sum("submitted"))
             .values_list(lens.by, "assigned", "submitted").order_by())
    for group_id, assigned, submitted in taken:
        if group_id in index:
            grid.counts[(index[group_id], 1)] = assigned
            grid.counts[(index[group_id], 2)] = submitted
    return grid


def term_completion(schools: QuerySet) -> list[tuple[str, int, int]]:
    """(term, students given a screening, students who submitted) for every term, oldest first."""
    return list(ScreeningTally.objects.filter(school__in=schools)
                .values("term__name", "term__starts_on")
                .annotate(assigned=Sum("assigned"), submitted=Sum("submitted"))
                .order_by("term__starts_on")
                .values_list("term__name", "assigned", "submitted"))


def instruments_used(schools: QuerySet, term: Term) -> list[str]:
    """The instruments with valid student results in the term, most used first."""
    return list(BandTally.objects.filter(term=term, school__in=schools)
                .values("instrument_id").annotate(n=Sum("results")).order_by("-n", "instrument_id")
                .values_list("instrument_id", flat=True))


def _band_columns(instrument_id: str, found: set[str]) -> list[tuple[str, str]]:
    """(band id, label) in the definition's order, then any band the definition no longer names."""
    definition = result_definition(instrument_id=instrument_id, version=None)
    ordered = []
    if definition is not None:
        for entry in (*definition.scores, *definition.transformed):
            if entry.bands:
                ordered += [(band.id, localized(band.label) or band.id)
                            for band in (*entry.bands.ranges, *entry.bands.override_bands)]
    known = {band_id for band_id, _label in ordered}
    return ordered + [(band_id, band_id or str(_("未分级"))) for band_id in sorted(found - known)]


def bands(lens: Lens, term: Term, instrument_id: str) -> list[Grid]:
    """Valid results of one instrument by band: by row, by grade and by gender (one query)."""
    rows = list(BandTally.objects.filter(term=term, instrument_id=instrument_id, school__in=lens.schools)
                .values_list("band", lens.by, "grade_level", "gender").annotate(n=Sum("results")).order_by())
    columns = _band_columns(instrument_id, {row[0] for row in rows})
    column_of = {band_id: index for index, (band_id, _label) in enumerate(columns)}
    labels = [label for _id, label in columns]
    levels = sorted({row[2] for row in rows if row[2]}, key=lambda level: LEVELS.get(level, ("", 99))[1])
    genders = list(Gender)
    by_row = Grid(_("%(instrument)s 分级分布：按%(by)s") % {"instrument": instrument_id.upper(), "by": _by_word(lens)},
                  [label for _id, label in lens.groups], labels)
    by_grade = Grid(_("%(instrument)s 分级分布：按年级") % {"instrument": instrument_id.upper()},
                    [LEVELS.get(level, (level,))[0] for level in levels], labels)
    by_gender = Grid(_("%(instrument)s 分级分布：按性别") % {"instrument": instrument_id.upper()},
                     [gender.label for gender in genders], labels)
    index, level_index = lens.index(), {level: i for i, level in enumerate(levels)}
    gender_index = {gender.value: i for i, gender in enumerate(genders)}
    for band, group_id, level, gender, count in rows:
        column = column_of[band]
        for grid, key, place in ((by_row, group_id, index), (by_grade, level, level_index),
                                 (by_gender, gender, gender_index)):
            if key in place:
                grid.counts[(place[key], column)] = grid.counts.get((place[key], column), 0) + count
    return [by_row, by_grade, by_gender]


def _by_word(lens: Lens) -> str:
    return _("学校") if lens.by == "school" else _("班级")


def alerts(lens: Lens, term: Term, now: datetime.datetime) -> tuple[Grid, dict[int, int]]:
    """Alerts raised in the term by level, against their response deadline: answered (acknowledged,
    or closed unacknowledged) in time or late, unanswered past the deadline or still within it.
    Also the number of alerts per row."""
    start, end = term_bounds(term)
    grid = Grid(_("预警响应：按级别"), [level.label for level in LEVEL_ORDER],
                [_("按时响应"), _("逾期响应"), _("逾期未响应"), _("期限内待响应")])
    unanswered = Q(answered__isnull=True)
    rows = (Alert.objects.filter(school__in=lens.schools, created_at__gte=start, created_at__lt=end)
            .annotate(answered=Coalesce("acknowledged_at", "closed_at"))
            .values_list("level", lens.of_record(""))
            .annotate(in_time=Count("id", filter=Q(answered__lte=F("ack_due_at"))),
                      late=Count("id", filter=Q(answered__gt=F("ack_due_at"))),
                      overdue=Count("id", filter=unanswered & Q(ack_due_at__lt=now)),
                      waiting=Count("id", filter=unanswered & Q(ack_due_at__gte=now)))
            .order_by())
    level_index = {level.value: i for i, level in enumerate(LEVEL_ORDER)}
    per_row: dict[int, int] = {}
    for level, group_id, *counts in rows:
        for column, count in enumerate(counts):
            key = (level_index[level], column)
            grid.counts[key] = grid.counts.get(key, 0) + count
        per_row[group_id] = per_row.get(group_id, 0) + sum(counts)
    return grid, per_row


def open_cases(lens: Lens) -> tuple[Grid, dict[int, int]]:
    """Cases open now by state and level, and per row."""
    grid = Grid(_("未结个案：按状态和风险等级"), [state.label for state in OPEN_CASE_STATES],
                [level.label for level in LEVEL_ORDER])
    state_index = {state.value: i for i, state in enumerate(OPEN_CASE_STATES)}
    level_index = {level.value: i for i, level in enumerate(LEVEL_ORDER)}
    per_row: dict[int, int] = {}
    rows = (Case.objects.filter(school__in=lens.schools).exclude(state=Case.State.CLOSED)
            .values_list("state", "level", lens.of_record("")).annotate(n=Count("id")).order_by())
    for state, level, group_id, count in rows:
        grid.counts[(state_index[state], level_index[level])] = (
            grid.counts.get((state_index[state], level_index[level]), 0) + count)
        per_row[group_id] = per_row.get(group_id, 0) + count
    return grid, per_row


def referrals_waiting(lens: Lens, now: datetime.datetime) -> Grid:
    """Referrals of open cases waiting on the agency: for its answer, or (accepted) for its feedback."""
    states = Referral.State
    figures = Referral.objects.filter(case__school__in=lens.schools).aggregate(
        answer=Count("id", filter=Q(state=states.SENT)),
        answer_late=Count("id", filter=Q(state=states.SENT) & overdue_q(now)),
        feedback=Count("id", filter=Q(state__in=[states.ACCEPTED, states.SEEN])),
        feedback_late=Count("id", filter=Q(state__in=[states.ACCEPTED, states.SEEN]) & overdue_q(now)))
    return Grid(_("等待中的转介"), [_("等待机构答复"), _("等待机构反馈")], [_("等待中"), _("其中已逾期")],
                counts={(0, 0): figures["answer"], (0, 1): figures["answer_late"],
                        (1, 0): figures["feedback"], (1, 1): figures["feedback_late"]}, row_sums=False)


def follow_ups_overdue(lens: Lens, today: datetime.date) -> dict[int, int]:
    """Planned follow-ups of open cases whose date has passed, per row."""
    return dict(FollowUp.objects.filter(state=FollowUp.State.PLANNED, due_on__lt=today, case__school__in=lens.schools)
                .exclude(case__state=Case.State.CLOSED).values_list(lens.of_record("case__"))
                .annotate(n=Count("id")).order_by())


def care_by_row(lens: Lens, alerts_per_row: dict, cases_per_row: dict, overdue_per_row: dict) -> Grid:
    grid = Grid(_("预警、个案与回访：按%(by)s") % {"by": _by_word(lens)}, [label for _id, label in lens.groups],
                [_("本学期预警"), _("未结个案"), _("逾期回访")], row_sums=False)
    for index, (group_id, _label) in enumerate(lens.groups):
        for column, figures in enumerate((alerts_per_row, cases_per_row, overdue_per_row)):
            grid.counts[(index, column)] = figures.get(group_id, 0)
    return grid


def hotline_calls(regions: QuerySet, terms: list[Term]) -> Grid:
    """Hotline calls by risk, a column per term: the calls are the city's, not a school's."""
    risks = list(Risk)
    grid = Grid(_("心理热线来电：按风险评估"), [risk.label for risk in risks], [term.name for term in terms],
                row_sums=False)
    for column, term in enumerate(terms):
        start, end = term_bounds(term)
        counts = dict(Call.objects.filter(region__in=regions, started_at__gte=start, started_at__lt=end)
                      .values_list("risk").annotate(n=Count("id")).order_by())
        grid.counts |= {(row, column): counts.get(risk.value, 0) for row, risk in enumerate(risks)}
    return grid
