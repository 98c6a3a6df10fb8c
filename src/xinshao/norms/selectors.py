"""Reads for local norms: the sample a table is computed from, and the tables themselves."""
from collections.abc import Iterator
from dataclasses import dataclass

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import TruncDate

from xinshao.campaigns.models import InstrumentResult
from xinshao.norms.models import NormTable
from xinshao.people.models import Enrolment


@dataclass(frozen=True)
class SampleRow:
    grade: str      # the grade level the student was in when they answered (org.grades)
    gender: str     # people.Gender
    total: float
    answers: list   # the instrument's raw answers in item order, None where skipped


def _grade_when_answered() -> Subquery:
    """The grade of the enrolment that covered the day of the answer (needs `answered_on` annotated)."""
    answered_on = OuterRef("answered_on")
    return Subquery(
        Enrolment.objects.filter(student_id=OuterRef("student_id"), started_on__lte=answered_on)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=answered_on))
        .order_by("-started_on").values("school_class__grade__level")[:1])


def _valid_results(region_ids: set[int], term):
    return InstrumentResult.objects.filter(campaign__term=term, valid=True, total__isnull=False,
                                           student__school__district_id__in=region_ids)


def term_sample(*, region_ids: set[int], term, instrument_id: str, version: str) -> Iterator[SampleRow]:
    """Each student's latest valid result of the instrument in the term's campaigns, streamed."""
    results = (
        _valid_results(region_ids, term).filter(instrument_id=instrument_id, instrument_version=version)
        .annotate(answered_on=TruncDate("submission__received_at")).annotate(grade=_grade_when_answered())
        .order_by("student_id", "-submission__received_at", "-id")
        .values_list("student_id", "grade", "student__gender", "total", "submission__answers")
    )
    last_student = None
    for student_id, grade, gender, total, answers in results.iterator(chunk_size=2000):
        if student_id == last_student or grade is None:
            continue
        last_student = student_id
        yield SampleRow(grade, gender, total, answers.get(instrument_id) or [])


def sampled_instruments(region_ids: set[int], term) -> list[tuple[str, str, int]]:
    """(instrument, version, valid student results) answered in the term, most answered first."""
    rows = (_valid_results(region_ids, term)
            .values_list("instrument_id", "instrument_version").annotate(n=Count("id")).order_by("-n"))
    return list(rows)


def norm_tables(tables: QuerySet[NormTable]) -> QuerySet[NormTable]:
    return tables.select_related("region", "term", "computed_by")


# (region id, instrument id, version) -> (table id, the engine's table): the norms in use.
AdoptedNorms = dict[tuple[int, str, str], tuple[int, object]]


def adopted_norms() -> AdoptedNorms:
    """Every norm table in use for scoring, ready to look results up in (one query)."""
    return {(table.region_id, table.instrument_id, table.instrument_version): (table.pk, table.engine_table())
            for table in NormTable.objects.filter(adopted_at__isnull=False, retired_at__isnull=True)}


def norm_for_student(adopted: AdoptedNorms, *, district_id: int, city_id: int | None, instrument_id: str,
                     version: str) -> tuple[int, object] | None:
    """The table a student's result takes: their district's if it adopted one, else their city's."""
    return adopted.get((district_id, instrument_id, version)) or adopted.get((city_id, instrument_id, version))


def unplaced_results(table: NormTable, region_ids: set[int]):
    """Valid student results of the table's instrument in these regions not yet placed in any norm
    table, each with the grade the student was in on the day of the answer (`grade`)."""
    return (InstrumentResult.objects
            .filter(instrument_id=table.instrument_id, instrument_version=table.instrument_version, valid=True,
                    total__isnull=False, student__school__district_id__in=region_ids, norm__isnull=True)
            .select_related("student").annotate(answered_on=TruncDate("submission__received_at"))
            .annotate(grade=_grade_when_answered()).order_by("id"))
