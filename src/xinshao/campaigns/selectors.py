"""Reads for the staff side of campaigns, always through the scoping selectors of access/scopes/.

Progress is counted in the database (one grouped query per page), then rolled up from classes to
grades and schools in Python, so the page costs the same for a class of 40 or a city of 145,000.
"""
from collections import defaultdict
from dataclasses import dataclass, field, fields

from django.db.models import Count, F, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from xinshao.access import scopes
from xinshao.accounts.models import RoleAssignment
from xinshao.campaigns.models import Assignment, Campaign, CampaignTarget, ConsentRecord
from xinshao.campaigns.rules import asks_consent, consent_allows
from xinshao.campaigns.services import TEACHER_RESPONDENT_ROLES
from xinshao.core.suppression import HIDDEN, suppress
from xinshao.instruments.selectors import instrument_library
from xinshao.org.grades import level_name, level_ordinal
from xinshao.org.models import School, SchoolClass
from xinshao.people.models import Student

_NOT_STARTED = Assignment.Status.NOT_STARTED
_GRANTED, _REFUSED = ConsentRecord.Decision.GRANTED, ConsentRecord.Decision.REFUSED




# --- Lists and details ---------------------------------------------------------------------

def campaign_list(user) -> QuerySet[Campaign]:
    return scopes.campaigns_visible_to(user).select_related("region", "school", "term")


def campaigns_asking_consent_for(student: Student) -> QuerySet[Campaign]:
    """Campaigns still to come or running that ask this student's guardian for consent."""
    targets = CampaignTarget.objects.filter(
        Q(school_class_id=student.school_class_id)
        | Q(school_id=student.school_id, school_class__isnull=True, level=student.school_class.grade.level)
        | Q(school_id=student.school_id, school_class__isnull=True, level="")
    )
    return (
        Campaign.objects.filter(Q(id__in=targets.values("campaign_id")) | Q(assignments__student=student))
        .filter(audience=Campaign.Audience.STUDENTS)
        .exclude(consent_rule=Campaign.ConsentRule.NOT_REQUIRED)
        .exclude(status=Campaign.Status.CLOSED)
        .distinct()
        .prefetch_related("battery")
    )


def consent_history(campaign: Campaign, students) -> dict[int, list[ConsentRecord]]:
    """Every decision on record per student, newest first (the first one counts)."""
    history = defaultdict(list)
    records = ConsentRecord.objects.filter(campaign=campaign, student__in=students).select_related("recorded_by")
    for record in records.order_by("student_id", "-recorded_at", "-id"):
        history[record.student_id].append(record)
    return history


EVENT_LABELS = {"created": _("创建"), "opened": _("开始"), "paused": _("暂停"), "extended": _("延长"),
                "closed": _("结束")}


def campaign_events(campaign: Campaign) -> list:
    events = list(campaign.events.select_related("actor"))
    for event in events:
        event.label = EVENT_LABELS.get(event.kind, event.kind)
    return events


def battery_titled(campaigns: list[Campaign]) -> dict[int, list[tuple]]:
    """Each campaign's battery as (instrument, title) pairs; titles are {"zh-Hans": ..., "en": ...}."""
    titles = {definition.key: definition.title for definition in instrument_library()}
    return {
        campaign.pk: [(b, titles.get((b.instrument_id, b.instrument_version), b.instrument_id))
                      for b in campaign.battery.all()]
        for campaign in campaigns
    }


def targets_by_school(campaign: Campaign) -> list[dict]:
    """The campaign's targets grouped per school: whole school, grade levels, or classes."""
    grouped: dict[int, dict] = {}
    for target in campaign.targets.select_related("school", "school_class__grade").order_by("school__code", "level", "id"):
        entry = grouped.setdefault(target.school_id, {"school": target.school, "parts": []})
        if target.school_class_id:
            entry["parts"].append(str(target.school_class))
        elif target.level:
            entry["parts"].append(level_name(target.level))
    return list(grouped.values())


# --- Progress ------------------------------------------------------------------------------

@dataclass
class Tally:
    """Respondents of one group, each counted once: consent-blocked ones are not 'not started'."""

    targeted: int = 0
    refused: int = 0
    awaiting: int = 0
    not_started: int = 0
    in_progress: int = 0
    submitted: int = 0

    def add(self, other: "Tally") -> None:
        for f in fields(self):
            setattr(self, f.name, getattr(self, f.name) + getattr(other, f.name))

    @property
    def rate(self) -> float | None:
        return self.submitted / self.targeted if self.targeted else None


@dataclass
class ProgressRow:
    label: str
    tally: Tally = field(default_factory=Tally)
    counts_only: bool = True  # the viewer may not see these respondents: small cells are hidden
    children: list["ProgressRow"] = field(default_factory=list)
    link: int | None = None  # the school to drill into, on the city-wide view
    hidden: set[str] = field(default_factory=set)  # the Tally fields suppressed (see _suppress)

    @property
    def cells(self) -> dict[str, str]:
        return {f.name: HIDDEN if f.name in self.hidden else str(getattr(self.tally, f.name)) for f in fields(Tally)}

    @property
    def rate_shown(self) -> str:
        rate = self.tally.rate
        # The rate and the head count together would give a hidden number of submissions back.
        if rate is None or self.hidden & {"submitted", "targeted"}:
            return "–"
        return f"{rate:.0%}"


def latest_consent_decision(campaign_id=OuterRef("campaign_id"), student_id=OuterRef("student_id")) -> Subquery:
    """The newest consent decision on record for a student in a campaign, or None; by default for
    an assignment queryset (use student_id=OuterRef("pk") for students)."""
    return Subquery(
        ConsentRecord.objects.filter(campaign_id=campaign_id, student_id=student_id)
        .order_by("-recorded_at", "-id").values("decision")[:1]
    )


def _tally_counts(campaign: Campaign) -> dict:
    """Count() expressions for Tally's fields. Conditions are written positively: the latest
    consent is NULL for most students, and NOT (NULL = 'refused') would drop them."""
    not_started = Q(status=_NOT_STARTED)
    counts = {
        "targeted": Count("id"),
        "in_progress": Count("id", filter=Q(status=Assignment.Status.IN_PROGRESS)),
        "submitted": Count("id", filter=Q(status=Assignment.Status.SUBMITTED)),
    }
    if not asks_consent(campaign):
        return {**counts, "not_started": Count("id", filter=not_started)}
    counts["refused"] = Count("id", filter=not_started & Q(consent=_REFUSED))
    if campaign.consent_rule == Campaign.ConsentRule.OPT_IN:
        counts["awaiting"] = Count("id", filter=not_started & Q(consent__isnull=True))
        return {**counts, "not_started": Count("id", filter=not_started & Q(consent=_GRANTED))}
    return {**counts, "not_started": Count("id", filter=not_started & (Q(consent__isnull=True) | Q(consent=_GRANTED)))}


def _with_consent(assignments: QuerySet, campaign: Campaign) -> QuerySet:
    """Each assignment with its student's latest consent decision (None when nobody decided)."""
    return assignments.annotate(consent=latest_consent_decision()) if asks_consent(campaign) else assignments


def _tally(row: dict) -> Tally:
    return Tally(**{f.name: row.get(f.name, 0) for f in fields(Tally)})


def _student_class_rows(user, campaign: Campaign) -> list[dict]:
    assignments = Assignment.objects.filter(campaign=campaign, student__school_class__in=scopes.classes_visible_to(user))
    return list(
        _with_consent(assignments, campaign)
        .values(school_id=F("student__school_id"), school_name=F("student__school__name"),
                school_code=F("student__school__code"), level=F("student__school_class__grade__level"),
                class_id=F("student__school_class_id"), class_name=F("student__school_class__name"))
        .annotate(**_tally_counts(campaign))
    )


def _named_class_ids(user, campaign: Campaign) -> set[int]:
    named = scopes.students_visible_to(user).filter(assignments__campaign=campaign)
    return set(named.values_list("school_class_id", flat=True).distinct())


def _roll_up(label: str, children: list[ProgressRow], link: int | None = None) -> ProgressRow:
    row = ProgressRow(label, children=children, link=link, counts_only=any(c.counts_only for c in children))
    for child in children:
        row.tally.add(child.tally)
    return row


def _school_rows(class_rows: list[dict], named: set[int]) -> list[ProgressRow]:
    """School → grade → class rows from the grouped counts."""
    by_school: dict[tuple, dict[str, list[ProgressRow]]] = defaultdict(lambda: defaultdict(list))
    for r in sorted(class_rows, key=lambda r: (r["school_code"], level_ordinal(r["level"]), r["class_name"])):
        row = ProgressRow(f"{level_name(r['level'])}{r['class_name']}", _tally(r), counts_only=r["class_id"] not in named)
        by_school[(r["school_id"], r["school_name"])][r["level"]].append(row)
    return [
        _roll_up(name, [_roll_up(level_name(level), rows) for level, rows in grades.items()], link=school_id)
        for (school_id, name), grades in by_school.items()
    ]


def _levels_across(schools: list[ProgressRow]) -> list[ProgressRow]:
    by_level: dict[str, list[ProgressRow]] = defaultdict(list)
    for school in schools:
        for grade in school.children:
            by_level[grade.label].append(grade)
    return [_roll_up(label, rows) for label, rows in by_level.items()]


@dataclass
class Progress:
    total: ProgressRow
    schools: list[ProgressRow]          # with their grades and classes
    levels: list[ProgressRow]           # grade levels across all schools shown
    not_started: list[Assignment]       # names, only of students the viewer may see
    teachers: bool = False


def shown_fields(campaign: Campaign) -> list[str]:
    """The Tally columns the progress table shows for this campaign (see progress_head.html)."""
    shown = ["targeted", "submitted", "in_progress", "not_started"]
    if asks_consent(campaign):
        shown.append("refused")
    if campaign.consent_rule == Campaign.ConsentRule.OPT_IN:
        shown.append("awaiting")
    return shown


def _suppress(campaign: Campaign, total: ProgressRow, levels: list[ProgressRow]) -> None:
    """Hide the small cells and every cell that would give one back: each row's head count is the sum
    of its columns, each row the sum of its children, and the total also the sum of the grade levels.
    Cells are named by their place in the table, so the same numbers always hide the same cells."""
    shown = shown_fields(campaign)
    values, sums, known, placed = {}, [], set(), []

    def add(row: ProgressRow, key: tuple) -> None:
        placed.append((row, key))
        for name in shown:
            values[(key, name)] = getattr(row.tally, name)
            if not row.counts_only:
                known.add((key, name))
        sums.append(((key, "targeted"), [(key, name) for name in shown[1:]]))

    def add_tree(row: ProgressRow, key: tuple) -> list[tuple]:
        add(row, key)
        children = [add_tree(child, (*key, child.link or child.label)) for child in row.children]
        sums.extend(((key, name), [(child, name) for child in children]) for name in shown if children)
        return key

    add_tree(total, ())
    grades = {id(row): key for row, key in placed if len(key) == 2}
    for level in levels:
        add(level, ("level", level.label))
        sums.extend(((("level", level.label), name), [(grades[id(g)], name) for g in level.children])
                    for name in shown)
    if levels:
        sums.extend((((), name), [(("level", level.label), name) for level in levels]) for name in shown)
    hidden = suppress(values, sums, known)
    for row, key in placed:
        row.hidden = {name for name in shown if (key, name) in hidden}


def student_progress(user, campaign: Campaign, school: School | None = None) -> Progress:
    """Counted over every class the user may see even for one school's page, so the cells hidden
    there are the ones hidden on the city-wide page and the two pages cannot be played off."""
    schools = _school_rows(_student_class_rows(user, campaign), _named_class_ids(user, campaign))
    total, levels = _roll_up(campaign.name, schools), _levels_across(schools)
    _suppress(campaign, total, levels)
    if school is not None:
        schools = [row for row in schools if row.link == school.pk]
        total = schools[0] if schools else _roll_up(campaign.name, [])
    return Progress(total, schools, levels, not_started_named(user, campaign, school))


def not_started_named(user, campaign: Campaign, school: School | None) -> list[Assignment]:
    """Who has not started, by name: only students this user may see (never for the bureau)."""
    students = scopes.students_visible_to(user)
    if school is not None:
        students = students.filter(school=school)
    assignments = Assignment.objects.filter(campaign=campaign, status=_NOT_STARTED, student__in=students)
    return list(
        _with_consent(assignments, campaign).select_related("student__school_class__grade")
        .order_by("student__school_class__grade__level", "student__school_class__name", "student__student_number")
    )


def teacher_progress(user, campaign: Campaign) -> Progress:
    """Per school counts of a well-being campaign: never which teacher, small cells always hidden."""
    schools = scopes.schools_visible_to(user).filter(id__in=campaign.targets.values("school_id"))
    school_of_teacher = (
        RoleAssignment.objects.filter(user_id=OuterRef("teacher_id"), is_active=True, role__in=TEACHER_RESPONDENT_ROLES)
        .annotate(at=Coalesce("school_id", "school_class__school_id")).filter(at__in=schools.values("id"))
        .order_by("id").values("at")[:1]
    )
    rows = (
        Assignment.objects.filter(campaign=campaign)
        .annotate(school_id=Subquery(school_of_teacher)).filter(school_id__isnull=False)
        .values("school_id").annotate(**_tally_counts(campaign))
    )
    names = dict(schools.values_list("id", "name"))
    school_rows = sorted((ProgressRow(names[r["school_id"]], _tally(r)) for r in rows), key=lambda row: row.label)
    total = _roll_up(campaign.name, school_rows)
    _suppress(campaign, total, [])
    return Progress(total, school_rows, [], [], teachers=True)


# --- Consent ---------------------------------------------------------------------------------

def consent_by_class(campaign: Campaign, students: QuerySet[Student]) -> list[dict]:
    """Per class of the given students: how many guardians granted, refused, or have not decided."""
    latest = latest_consent_decision(campaign_id=campaign.pk, student_id=OuterRef("pk"))
    rows = (
        students.order_by().annotate(decision=latest).values("school_class_id")
        .annotate(total=Count("id"), granted=Count("id", filter=Q(decision=_GRANTED)),
                  refused=Count("id", filter=Q(decision=_REFUSED)))
    )
    classes = SchoolClass.objects.select_related("grade").in_bulk([row["school_class_id"] for row in rows])
    summary = [{**row, "school_class": classes[row["school_class_id"]],
                "undecided": row["total"] - row["granted"] - row["refused"]} for row in rows]
    return sorted(summary, key=lambda row: (row["school_class"].school_id, row["school_class"].grade.level,
                                            row["school_class"].name))


def family_consents(user) -> list[dict]:
    """Each child of this guardian with the campaigns that ask for consent and the decisions so far."""
    overview = []
    for child in scopes.guardian_children(user).select_related("school_class__grade"):
        campaigns = list(campaigns_asking_consent_for(child))
        history = defaultdict(list)
        for record in ConsentRecord.objects.filter(student=child, campaign__in=campaigns).select_related("recorded_by"):
            history[record.campaign_id].append(record)
        battery = battery_titled(campaigns)
        overview.append({"child": child, "campaigns": [
            {"campaign": c, "records": history[c.pk], "battery": battery[c.pk],
             "taking_part": consent_allows(c, history[c.pk][0].decision if history[c.pk] else None)}
            for c in campaigns
        ]})
    return overview
