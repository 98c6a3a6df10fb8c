"""Reads of activities entering campus: the register lookup, counts per school per term, and
teachers' load beside their well-being.

Activity counts are about schools, not people, and are shown as they are. Teacher well-being is
about people: each school's respondents and those in an elevated band are small-cell suppressed
(core/suppression.py) together with the city's totals, so no hidden count follows from the shown
ones; which teacher answered what is never read here.
"""
from collections import defaultdict
from dataclasses import dataclass, field
from enum import StrEnum

from django.db.models import Count, Q
from django.db.models.functions import Coalesce

from xinshao.accounts.models import RoleAssignment
from xinshao.activities.models import Application, Refusal
from xinshao.campaigns.models import Campaign, InstrumentResult
from xinshao.campaigns.services import TEACHER_RESPONDENT_ROLES
from xinshao.core.suppression import HIDDEN, is_small, suppress
from xinshao.instruments.engine import builtin_library
from xinshao.org.models import Term

REGISTER_LIMIT = 20
# The bands of teachers' instruments that mean "more than everyday strain", from each scale's own
# published guidance (instruments/definitions): PSS-10 high stress (27–40), WHO-5 below 13 (poor
# well-being or likely depression), K6 13+ and K10 high or very high distress.
ELEVATED_BANDS = {
    "pss10": {"high"},
    "who5": {"poor_wellbeing", "likely_depression"},
    "k6": {"serious_distress"},
    "k10": {"high", "very_high"},
}


# --- The register ---------------------------------------------------------------------------

class Verdict(StrEnum):
    APPROVED = "approved"          # approved for this school on this date
    OTHER_DATES = "other_dates"    # approved for this school, but not on this date
    OTHER_SCHOOL = "other_school"  # approved, but not for this school
    NOT_APPROVED = "not_approved"  # filed, but not (or no longer) approved
    NOT_FOUND = "not_found"


_RANK = [Verdict.APPROVED, Verdict.OTHER_DATES, Verdict.OTHER_SCHOOL, Verdict.NOT_APPROVED, Verdict.NOT_FOUND]


@dataclass
class Match:
    application: Application
    verdict: Verdict


@dataclass
class Lookup:
    query: str
    on: object
    matches: list[Match]

    @property
    def verdict(self) -> Verdict:
        return min((match.verdict for match in self.matches), key=_RANK.index, default=Verdict.NOT_FOUND)


def _verdict(application: Application, school_ids: set[int], on) -> Verdict:
    if application.state != Application.State.APPROVED:
        return Verdict.NOT_APPROVED
    if school_ids and not school_ids & {school.pk for school in application.schools.all()}:
        return Verdict.OTHER_SCHOOL
    if not application.starts_on <= on <= application.ends_on:
        return Verdict.OTHER_DATES
    return Verdict.APPROVED


def register_lookup(query: str, *, school_ids: set[int], on) -> Lookup:
    """Filed applications whose body, title or approval number contains `query`, each with what it
    means for the schools `school_ids` (none: the bureau, for whom any approved school will do) on
    the date `on`. Drafts are the body's own business and never found."""
    query = query.strip()
    found = (Application.objects.exclude(state=Application.State.DRAFT)
             .filter(Q(body__name__icontains=query) | Q(title__icontains=query)
                     | Q(approval_number__icontains=query))
             .select_related("body").prefetch_related("schools").order_by("-starts_on", "-id")[:REGISTER_LIMIT])
    matches = [Match(application, _verdict(application, school_ids, on)) for application in found]
    matches.sort(key=lambda match: _RANK.index(match.verdict))
    return Lookup(query=query, on=on, matches=matches)


# --- Counts per school per term ---------------------------------------------------------------

def term_on(day) -> Term | None:
    """The term a day falls in, else the last one begun before it."""
    return (Term.objects.filter(starts_on__lte=day, ends_on__gte=day).first()
            or Term.objects.filter(starts_on__lte=day).order_by("-starts_on").first())


def approved_counts(term: Term, schools) -> dict[int, int]:
    """School id → approved activities at it whose dates fall in the term (even partly)."""
    rows = (Application.objects.filter(state=Application.State.APPROVED, starts_on__lte=term.ends_on,
                                       ends_on__gte=term.starts_on, schools__in=schools)
            .values("schools").annotate(n=Count("id", distinct=True)).order_by())
    return {row["schools"]: row["n"] for row in rows}


def refused_counts(term: Term, schools) -> dict[int, int]:
    """School id → refusals the school recorded within the term."""
    rows = (Refusal.objects.filter(happened_on__range=(term.starts_on, term.ends_on), school__in=schools)
            .values("school").annotate(n=Count("id")).order_by())
    return {row["school"]: row["n"] for row in rows}


# --- Teachers' well-being -------------------------------------------------------------------

@dataclass
class WellBeing:
    """One school's (or the city's) respondents to one instrument, shown or HIDDEN."""

    respondents: str = "–"
    elevated: str = "–"
    share: str = "–"
    mean: str = "–"
    share_value: float = -1.0  # for sorting; -1 when not shown


@dataclass
class LoadRow:
    school: object
    approved: int
    refused: int
    wellbeing: dict[str, WellBeing] = field(default_factory=dict)


@dataclass
class Load:
    term: Term
    instruments: list[tuple[str, dict]]  # (instrument id, its title in both languages)
    rows: list[LoadRow]
    city: dict[str, WellBeing]

    @property
    def approved(self) -> int:
        """Approved activities summed over the schools (one at three schools counts three times)."""
        return sum(row.approved for row in self.rows)

    @property
    def refused(self) -> int:
        return sum(row.refused for row in self.rows)


def _teacher_results(term: Term, school_ids: set[int]) -> dict[tuple[int, str], list[tuple[float, bool]]]:
    """(school id, instrument) → each respondent's latest valid total in the term's teacher surveys,
    with whether it is in an elevated band, as (total, elevated). Never which teacher."""
    school_of = {}
    for user_id, school_id in (RoleAssignment.objects.filter(is_active=True, role__in=TEACHER_RESPONDENT_ROLES)
                               .annotate(at=Coalesce("school_id", "school_class__school_id"))
                               .filter(at__in=school_ids).order_by("id").values_list("user_id", "at")):
        school_of.setdefault(user_id, school_id)
    latest = {}
    for teacher_id, instrument, total, band in (
            InstrumentResult.objects.filter(campaign__audience=Campaign.Audience.TEACHERS, campaign__term=term,
                                            valid=True, teacher_id__in=school_of, total__isnull=False)
            .order_by("submission__received_at", "id").values_list("teacher_id", "instrument_id", "total", "band")):
        latest[(teacher_id, instrument)] = (total, band in ELEVATED_BANDS.get(instrument, ()))
    grouped = defaultdict(list)
    for (teacher_id, instrument), answer in latest.items():
        grouped[(school_of[teacher_id], instrument)].append(answer)
    return grouped


def _suppressed(grouped: dict, instruments: list[str], school_ids: list[int]):
    """Each school's and the city's cells per instrument, with the hidden ones. Respondents are the
    sum of those elevated and the others; the city's cells the sums of the schools'. A head count of
    five or more is shown on the survey's own progress page anyway, so it is treated as known. A
    school where every respondent is in an elevated band says so of each of them: its "others" cell
    (zero) is suppressed as if it were small."""
    values, sums, known, everyone_elevated = {}, [], set(), set()
    for instrument in instruments:
        for place in [*school_ids, "city"]:
            answers = grouped.get((place, instrument), []) if place != "city" else \
                [answer for school in school_ids for answer in grouped.get((school, instrument), [])]
            elevated = sum(1 for _total, high in answers if high)
            values[(place, instrument, "respondents")] = len(answers)
            if len(answers) and not is_small(len(answers)):
                known.add((place, instrument, "respondents"))
            values[(place, instrument, "elevated")] = elevated
            values[(place, instrument, "others")] = len(answers) - elevated
            if place != "city" and answers and elevated == len(answers):
                everyone_elevated.add((place, instrument, "others"))
            sums.append(((place, instrument, "respondents"),
                         [(place, instrument, "elevated"), (place, instrument, "others")]))
        for kind in ("respondents", "elevated", "others"):
            sums.append((("city", instrument, kind), [(school, instrument, kind) for school in school_ids]))
    return values, suppress({**values, **{cell: 1 for cell in everyone_elevated}}, sums, known)


def _cell(grouped, values, hidden, place, instrument, school_ids) -> WellBeing:
    n = values[(place, instrument, "respondents")]
    if n == 0:
        return WellBeing()
    key = (place, instrument)
    # Fewer than five respondents: none of their numbers is shown, not even an elevated count of 0.
    shown = {kind: HIDDEN if (*key, kind) in hidden or (*key, "respondents") in hidden else str(values[(*key, kind)])
             for kind in ("respondents", "elevated")}
    cell = WellBeing(respondents=shown["respondents"], elevated=shown["elevated"])
    if HIDDEN in shown.values():
        cell.share = HIDDEN
    else:
        share = values[(*key, "elevated")] / n
        cell.share, cell.share_value = f"{share:.0%}", share
    if shown["respondents"] != HIDDEN and not is_small(n):
        answers = grouped.get(key, []) if place != "city" else \
            [a for school in school_ids for a in grouped.get((school, instrument), [])]
        cell.mean = f"{sum(total for total, _high in answers) / n:.1f}"
    return cell


def teacher_load(term: Term, schools) -> Load:
    """Per school: approved and refused activities in the term beside the teachers' well-being in
    the term's teacher surveys. Sorted with the most activities first (approved, then refused), so
    the bureau sees where teachers are most loaded; ties by the share of teachers in an elevated band."""
    schools = list(schools.select_related("district").order_by("code"))
    school_ids = [school.pk for school in schools]
    approved, refused = approved_counts(term, school_ids), refused_counts(term, school_ids)
    grouped = _teacher_results(term, set(school_ids))
    instruments = sorted({instrument for _school, instrument in grouped})
    values, hidden = _suppressed(grouped, instruments, school_ids)
    rows = [LoadRow(school, approved.get(school.pk, 0), refused.get(school.pk, 0),
                    {i: _cell(grouped, values, hidden, school.pk, i, school_ids) for i in instruments})
            for school in schools]
    first = instruments[0] if instruments else None
    rows.sort(key=lambda row: (-row.approved, -row.refused,
                               -(row.wellbeing[first].share_value if first else 0), row.school.code))
    library = builtin_library()
    return Load(term=term, instruments=[(i, library.get(i).title) for i in instruments], rows=rows,
                city={i: _cell(grouped, values, hidden, "city", i, school_ids) for i in instruments})
