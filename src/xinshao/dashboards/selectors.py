"""Reads for the dashboards: the city's, one school's, one class's.

Every dashboard is a list of sections of `Table`s (tables.py), so a page, a chart and an export
(`dashboard_tables`) print the same figures. A dashboard runs a fixed number of grouped queries,
however many schools or students it counts (figures.py). Aggregate-only readers (the bureau's admin
and analyst, a school's admin) get small cells hidden and never a student's name.
"""
import datetime
from dataclasses import dataclass, field, replace

from django.conf import settings
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xinshao.access import scopes
from xinshao.alerts.engine import DEFAULT_RULES
from xinshao.alerts.models import Alert, Level
from xinshao.campaigns.models import Assignment, Campaign, InstrumentResult
from xinshao.cases.models import AgreedAction, Case
from xinshao.core.charts import LineChart, line_chart
from xinshao.org.models import Region, School, SchoolClass, Term
from xinshao.people.models import Student
from xinshao.records.models import IndividualPlan
from xinshao.sentinel.selectors import attention_list
from xinshao.workforce import selectors as workforce
from xinshao.workforce.models import Targets

from . import figures
from .forms import current_term
from .models import TallyRefresh
from .services import tallies_ensure
from .figures import Lens
from .tables import Grid, Table, count_grids, with_rates

HIGH_LEVELS = (Level.RED, Level.ORANGE)


@dataclass(frozen=True)
class Filters:
    term: Term | None = None
    compare: Term | None = None
    district: Region | None = None
    kind: str = ""
    instrument: str = ""
    school: School | None = None            # a school's dashboard
    school_class: SchoolClass | None = None  # a class's view


@dataclass
class Section:
    title: str
    tables: list[Table]


@dataclass
class Dashboard:
    sections: list[Section] = field(default_factory=list)
    charts: list[LineChart] = field(default_factory=list)
    instruments: list[str] = field(default_factory=list)
    instrument: str = ""
    named: bool = False           # names shown (the psych teacher, the psych centre)
    students_listed: list = field(default_factory=list)  # for the audit entry of a page naming students
    drill: list[tuple[str, str]] = field(default_factory=list)  # (row, its own dashboard's address)
    counted_at: datetime.datetime | None = None  # when the screening figures were counted (models.py)

    @property
    def tables(self) -> list[Table]:
        return [table for section in self.sections for table in section.tables]


def filters_from(form, **place) -> Filters:
    """The Filters of a valid (or unbound) filter form, the current term when none is chosen;
    `place` names the school or class of a school's or a class's dashboard."""
    given = form.cleaned_data if form.is_bound else {}
    return Filters(term=given.get("term") or current_term(timezone.localdate()), compare=given.get("compare"),
                   district=given.get("district"), kind=given.get("kind", ""),
                   instrument=given.get("instrument", ""), **place)


def dashboard_tables(user, filters: Filters) -> list[Table]:
    """Every figure of the dashboard `filters` names (a class's, a school's, else the city's), as the
    user may see it: nothing for a user who may not see that dashboard, or before there is a term.
    No term given: the current one."""
    if filters.term is None:
        filters = replace(filters, term=current_term(timezone.localdate()))
        if filters.term is None:
            return []
    if filters.school_class is not None:
        if not scopes.dashboard_classes_visible_to(user).filter(pk=filters.school_class.pk).exists():
            return []
        return class_view(user, filters.school_class, filters).tables
    if filters.school is not None:
        if not scopes.dashboard_schools_visible_to(user).filter(pk=filters.school.pk).exists():
            return []
        return school_dashboard(user, filters.school, filters).tables
    if not scopes.can_view_city_dashboard(user):
        return []
    return city_dashboard(user, filters).tables


def _city_schools(user, filters: Filters) -> QuerySet:
    schools = scopes.dashboard_schools_visible_to(user)
    if filters.district is not None:
        schools = schools.filter(district_id__in=scopes.region_subtree_ids({filters.district.pk}))
    return schools.filter(kind=filters.kind) if filters.kind else schools


def city_dashboard(user, filters: Filters, *, now: datetime.datetime | None = None) -> Dashboard:
    now = now or timezone.now()
    schools = _city_schools(user, filters)
    groups = list(schools.order_by("code").values_list("pk", "name"))
    lens = Lens(schools=School.objects.filter(pk__in=[pk for pk, _name in groups]), by="school", groups=groups)
    suppressed = not scopes.dashboard_names_shown(user)
    dashboard = _lenses(lens, filters, now=now, suppressed=suppressed)
    dashboard.drill = [(name, reverse("dashboards:school", kwargs={"school_id": pk})) for pk, name in groups]
    calls = figures.hotline_calls(scopes.regions_visible_to(user).values("pk"), _terms(filters))
    dashboard.sections.append(Section(_("心理热线"), count_grids([calls], suppressed=suppressed)))
    dashboard.sections.append(Section(_("心理教师与持证"), [_workforce(schools)]))
    return dashboard


def school_dashboard(user, school: School, filters: Filters, *, now: datetime.datetime | None = None) -> Dashboard:
    now = now or timezone.now()
    groups = [(c.pk, f"{c.grade.get_level_display()}{c.name}") for c in
              SchoolClass.objects.filter(school=school).select_related("grade").order_by("grade__level", "name")]
    lens = Lens(schools=School.objects.filter(pk=school.pk), by="school_class", groups=groups)
    named = scopes.dashboard_names_shown(user, school)
    dashboard = _lenses(lens, filters, now=now, suppressed=not named)
    dashboard.named = named
    if scopes.dashboard_classes_visible_to(user).filter(school=school).exists():
        dashboard.drill = [(name, reverse("dashboards:school_class", kwargs={"class_id": pk})) for pk, name in groups]
    dashboard.sections.append(Section(_("心理教师与持证"), [_workforce(lens.schools)]))
    gap = students_without_care(school, filters.term)
    if named:
        students = list(gap.select_related("school_class__grade").order_by("school_class__grade__level", "name"))
        late = list(_alerts_past_deadline(school, now))
        dashboard.students_listed = [*students, *(alert.student for alert in late)]
        dashboard.sections.append(Section(_("心理老师工作清单"), [
            Table(title=str(_("高风险但没有个案或一生一策的学生")), columns=(str(_("学生")), str(_("班级"))),
                  rows=tuple((s.name, f"{s.school_class.grade.get_level_display()}{s.school_class.name}")
                             for s in students),
                  note=str(_("本学期测评为红色或橙色分级，或有未关闭的红色、橙色预警，但既没有在办个案，也没有执行中的一生一策。"))),
            Table(title=str(_("超过确认期限仍未确认的预警")), columns=(str(_("学生")), str(_("级别")), str(_("确认期限"))),
                  rows=tuple((a.student.name, a.get_level_display(),
                              timezone.localtime(a.ack_due_at).strftime("%Y-%m-%d %H:%M")) for a in late)),
        ]))
    else:
        counted = Grid(_("高风险但没有个案或一生一策的学生"), [_("学生数")], [_("人数")],
                       counts={(0, 0): gap.count()}, row_sums=False)
        dashboard.sections.append(Section(_("需要跟进"), count_grids([counted], suppressed=True)[:1]))
    return dashboard


def _lenses(lens: Lens, filters: Filters, *, now, suppressed: bool) -> Dashboard:
    """The lenses the city and a school share: screening, bands, alerts, cases, referrals, follow-ups."""
    term = filters.term
    tallies_ensure()  # a cache fill, not a change: a term never counted is counted once, here
    dashboard = Dashboard(counted_at=TallyRefresh.objects.get(term=term).refreshed_at)
    coverage_grid = figures.coverage(lens, term)
    alert_grid, alerts_per_row = figures.alerts(lens, term, now)
    rates = [(_("覆盖率"), 2, 1), (_("完成率"), 3, 2)]
    screening = [with_rates(count_grids([coverage_grid], suppressed=suppressed)[0], rates)]
    if filters.compare:
        compared = (figures.coverage(lens, filters.compare), figures.alerts(lens, filters.compare, now)[0])
        screening.append(_comparison([term, filters.compare], [(coverage_grid, alert_grid), compared],
                                     suppressed=suppressed))
    dashboard.sections.append(Section(_("测评覆盖与完成"), screening))
    dashboard.charts.append(_completion_chart(lens.schools, suppressed=suppressed))

    dashboard.instruments = figures.instruments_used(lens.schools, term)
    instrument = filters.instrument if filters.instrument in dashboard.instruments else (
        dashboard.instruments[0] if dashboard.instruments else "")
    dashboard.instrument = instrument
    if instrument:
        dashboard.sections.append(Section(_("测评结果分级分布"), count_grids(
            figures.bands(lens, term, instrument), suppressed=suppressed, linked=True)))

    case_grid, cases_per_row = figures.open_cases(lens)
    overdue = figures.follow_ups_overdue(lens, timezone.localdate(now))
    dashboard.sections.append(Section(_("预警、个案、转介与回访"), [
        *count_grids([alert_grid], suppressed=suppressed),
        *count_grids([case_grid], suppressed=suppressed),
        *count_grids([figures.referrals_waiting(lens, now)], suppressed=suppressed),
        *count_grids([figures.care_by_row(lens, alerts_per_row, cases_per_row, overdue)], suppressed=suppressed),
    ]))
    return dashboard


def _terms(filters: Filters) -> list[Term]:
    return [filters.term, filters.compare] if filters.compare else [filters.term]


def _comparison(terms: list[Term], grids: list[tuple[Grid, Grid]], *, suppressed: bool) -> Table:
    """The term's headline figures beside another term's: (coverage, alerts) grids of each term."""
    grid = Grid(_("与%(term)s对比") % {"term": terms[1].name},
                [_("测评对象"), _("已提交"), *[_("%(level)s预警") % {"level": level.label} for level in figures.LEVEL_ORDER]],
                [term.name for term in terms], row_sums=False)
    for column, (coverage, alert_grid) in enumerate(grids):
        for row in (1, 2):
            grid.counts[(row - 1, column)] = sum(count for (_r, c), count in coverage.counts.items() if c == row)
        for level_row in range(len(figures.LEVEL_ORDER)):
            grid.counts[(2 + level_row, column)] = sum(
                count for (r, _c), count in alert_grid.counts.items() if r == level_row)
    table = count_grids([grid], suppressed=suppressed)[0]
    return Table(title=table.title, columns=table.columns, rows=table.rows[:-1], note=table.note)


def _completion_chart(schools: QuerySet, *, suppressed: bool) -> LineChart:
    """Completion rate across terms; a term with too few students to show is left out for
    aggregate-only readers."""
    points = [(name, submitted * 100 / assigned) for name, assigned, submitted in figures.term_completion(schools)
              if assigned and not (suppressed and (assigned < settings.DASHBOARD_MIN_CELL
                                                   or 0 < assigned - submitted < settings.DASHBOARD_MIN_CELL))]
    return line_chart(title=str(_("各学期测评完成率（%）")), points=points, low=0, high=100)


def _workforce(schools: QuerySet) -> Table:
    """Psych teachers and the certification rate (workforce's own figures: staff, not students)."""
    targets = Targets.current()
    staffing = workforce.staffing(schools, targets)
    certification = workforce.certification(schools, timezone.localdate(), targets)
    rate = f"{certification.rate}%" if certification.rate is not None else "—"
    rows = (
        (str(_("专职心理教师")), str(staffing.full_time)),
        (str(_("兼职心理教师")), str(staffing.part_time)),
        (str(_("每千名学生专职心理教师")), str(staffing.per_thousand if staffing.per_thousand is not None else "—")),
        (str(_("应持证人数")), str(certification.required)),
        (str(_("已持证人数")), str(certification.certified)),
        (str(_("持证率")), rate),
        (str(_("持证率目标")), f"{certification.targets.certification_target}%"),
    )
    return Table(title=str(_("心理教师配备与持证率")), columns=(str(_("项目")), str(_("数值"))), rows=rows)


# --- The gap the psych teacher works from -----------------------------------------------------

def _high_results_q(term: Term | None) -> Q:
    """Results of the term in a red or orange band by the city's default rules, or with a critical item."""
    q = Q(has_critical_flag=True)
    for instrument_id, levels in DEFAULT_RULES["screening_bands"].items():
        high = [band for band, level in levels.items() if level in HIGH_LEVELS]
        if high:
            q |= Q(instrument_id=instrument_id, band__in=high)
    return q & Q(campaign__term=term, valid=True) if term else q & Q(valid=True)


def students_without_care(school: School, term: Term | None) -> QuerySet[Student]:
    """Enrolled students of the school in a high tier (a red or orange result this term, or an open red
    or orange alert) with neither an open case nor an active individual plan (records/): each kind of
    care is one `.exclude(Exists(...))`."""
    # The high tier as "pk in (this school's ...)": an OR of two EXISTS made PostgreSQL hash every
    # result of the term city-wide, where this reads only the school's students' rows.
    of_school = Q(student__school=school)
    high_result = InstrumentResult.objects.filter(_high_results_q(term), of_school).values("student_id")
    high_alert = Alert.objects.filter(of_school, state__in=Alert.OPEN_STATES, level__in=HIGH_LEVELS).values("student_id")
    open_case = Case.objects.filter(student=OuterRef("pk")).exclude(state=Case.State.CLOSED)
    active_plan = IndividualPlan.objects.filter(student=OuterRef("pk"), state=IndividualPlan.State.ACTIVE)
    return (Student.objects.filter(school=school, status=Student.Status.ENROLLED)
            .filter(Q(pk__in=high_result) | Q(pk__in=high_alert)).exclude(Exists(open_case)).exclude(Exists(active_plan)))


def _alerts_past_deadline(school: School, now) -> QuerySet[Alert]:
    return (Alert.objects.filter(school=school, state=Alert.State.NEW, acknowledged_at__isnull=True,
                                 ack_due_at__lt=now).select_related("student").order_by("ack_due_at"))


# --- A class's view ---------------------------------------------------------------------------

def class_view(user, school_class: SchoolClass, filters: Filters, *, now=None) -> Dashboard:
    """Completion of the term's campaigns, the attention list (the class teacher's own) and the case
    actions this user owes in the class. Never a score or a band."""
    now = now or timezone.now()
    dashboard = Dashboard(named=True)
    rows = (Assignment.objects.filter(student__school_class=school_class, campaign__term=filters.term)
            .exclude(campaign__status=Campaign.Status.DRAFT)
            .values_list("campaign_id", "campaign__name", "status").annotate(n=Count("id")).order_by("campaign_id"))
    campaigns, counts = {}, {}
    statuses = list(Assignment.Status)
    for campaign_id, name, status, count in rows:
        row = campaigns.setdefault(campaign_id, (len(campaigns), name))[0]
        counts[(row, statuses.index(status))] = count
    grid = Grid(_("本学期测评完成情况"), [name for _i, name in campaigns.values()],
                [status.label for status in statuses], counts=counts)
    dashboard.sections.append(Section(_("测评完成情况"), count_grids([grid], suppressed=False)))
    # The attention list is the class teacher's own (sentinel/); a psych teacher works from the alerts.
    own = scopes.can_see_attention_list(user)
    attention = [row for row in attention_list(user) if row.student.school_class_id == school_class.pk] if own else []
    actions = list(AgreedAction.objects.filter(assignee=user, done_at__isnull=True, case__student__school_class=school_class)
                   .exclude(case__state=Case.State.CLOSED).select_related("case__student").order_by("due_on", "id"))
    dashboard.students_listed = [*(row.student for row in attention), *(a.case.student for a in actions)]
    today = timezone.localdate(now)
    attention_table = Table(title=str(_("关注名单")), columns=(str(_("学生")), str(_("关心程度")), str(_("负责心理老师"))),
                            rows=tuple((row.student.name, str(row.care_word),
                                        row.owner.display_name if row.owner else "—") for row in attention))
    dashboard.sections.append(Section(_("需要我做的事"), [
        *([attention_table] if own else []),
        Table(title=str(_("个案中分配给我的措施")), columns=(str(_("学生")), str(_("措施")), str(_("完成期限")), str(_("状态"))),
              rows=tuple((a.case.student.name, a.description, a.due_on.isoformat(),
                          str(_("已逾期")) if a.due_on < today else str(_("未到期"))) for a in actions)),
    ]))
    return dashboard
