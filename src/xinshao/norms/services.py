"""Writes for local norms: computing a term's norm table and reliability for one instrument."""
from collections import defaultdict

from celery import current_app

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from xinshao.access.scopes import region_subtree_ids
from xinshao.audit.services import audit_record
from xinshao.campaigns.submissions import pinned_definition
from xinshao.norms import selectors
from xinshao.norms.models import NormTable, NormTableEvent, ResultNorm
from xinshao.norms.statistics import GroupScores, Reliability

PLACE_STORED_RESULTS_TASK = "xinshao.norms.tasks.place_stored_results"


def _total_items(definition):
    total = next((score for score in definition.scores if score.kind == "total"), None)
    if total is None:
        raise ValidationError(_("这个量表没有总分，无法计算常模。"))
    return [definition.items[index] for index in total.item_indices]


def _published(groups: dict, minimum: int) -> tuple[list[dict], list[dict]]:
    published, withheld = [], []
    for (grade, gender), scores in groups.items():
        if scores.n >= minimum and scores.sd() > 0:
            published.append({"grade": grade, "gender": gender, "n": scores.n, "mean": round(scores.mean(), 2),
                              "sd": round(scores.sd(), 2), "percentiles": scores.percentile_ranks()})
        else:
            withheld.append({"grade": grade, "gender": gender, "n": scores.n})
    return published, withheld


def norm_table_compute(*, region, term, instrument_id: str, version: str, actor=None, request=None,
                       now=None) -> NormTable:
    """Percentiles by grade and gender and the reliability of the total, from each student's latest
    valid result of the term. Groups under NORMS_MIN_GROUP are listed with their size only."""
    definition = pinned_definition(instrument_id, version)
    items = _total_items(definition)
    groups: dict[tuple[str, str], GroupScores] = defaultdict(GroupScores)
    reliability = Reliability(len(items))
    sample = selectors.term_sample(region_ids=region_subtree_ids({region.pk}), term=term, instrument_id=instrument_id,
                                   version=version)
    for row in sample:
        groups[(row.grade, row.gender)].add(row.total)
        values = [row.answers[item.index] if item.index < len(row.answers) else None for item in items]
        if None not in values:
            reliability.add([item.scored(value) for item, value in zip(items, values)])
    if not groups:
        raise ValidationError(_("%(term)s没有这个量表的有效作答，无法计算常模。") % {"term": term})
    published, withheld = _published(groups, settings.NORMS_MIN_GROUP)
    correlations = reliability.item_rest_correlations()
    with transaction.atomic():
        table = NormTable.objects.create(
            region=region, term=term, instrument_id=instrument_id, instrument_version=version, computed_at=now or timezone.now(),
            computed_by=actor, respondents=sum(scores.n for scores in groups.values()), groups=published,
            withheld=withheld, complete=reliability.n, alpha=reliability.alpha(),
            item_rest=[{"item": item.id, "label": item.label or item.text,
                        "r": None if r is None else round(r, 3)} for item, r in zip(items, correlations)])
        audit_record(actor=actor, action="norms.table_computed", obj=table, request=request,
                     detail={"respondents": table.respondents, "groups": len(published), "withheld": len(withheld)})
    return table


def _event(table: NormTable, kind: str, actor, now, **detail) -> None:
    NormTableEvent.objects.create(table=table, kind=kind, actor=actor, at=now, detail=detail)


@transaction.atomic
def norm_table_adopt(*, actor, table: NormTable, request=None, now=None) -> NormTable:
    """Score the region's results of this instrument and version against `table` from now on (the
    table in use before it is retired), and place the results already stored in it (in the background)."""
    now = now or timezone.now()
    table = NormTable.objects.select_for_update().get(pk=table.pk)
    if table.in_use:
        raise ValidationError(_("这张常模表已经在用于计分。"))
    if not table.groups:
        raise ValidationError(_("这张常模表没有发布任何年级和性别组（各组人数都不足），不能用于计分。"))
    in_use = NormTable.objects.select_for_update().filter(
        region=table.region, instrument_id=table.instrument_id, instrument_version=table.instrument_version,
        adopted_at__isnull=False, retired_at__isnull=True)
    for previous in in_use:
        previous.retired_at = now
        previous.save(update_fields=["retired_at"])
        _event(previous, NormTableEvent.Kind.RETIRED, actor, now, replaced_by=table.pk)
    table.adopted_at, table.adopted_by, table.retired_at = now, actor, None
    table.save(update_fields=["adopted_at", "adopted_by", "retired_at"])
    _event(table, NormTableEvent.Kind.ADOPTED, actor, now)
    audit_record(actor=actor, action="norms.table_adopted", obj=table, request=request)
    transaction.on_commit(lambda: current_app.tasks[PLACE_STORED_RESULTS_TASK].delay(table.pk))
    return table


@transaction.atomic
def norm_table_retire(*, actor, table: NormTable, request=None, now=None) -> NormTable:
    """Stop scoring against `table`; results already placed in it keep that record."""
    now = now or timezone.now()
    table = NormTable.objects.select_for_update().get(pk=table.pk)
    if not table.in_use:
        raise ValidationError(_("这张常模表没有在用于计分。"))
    table.retired_at = now
    table.save(update_fields=["retired_at"])
    _event(table, NormTableEvent.Kind.RETIRED, actor, now)
    audit_record(actor=actor, action="norms.table_retired", obj=table, request=request)
    return table


def _placed(result, grade: str | None, found, now) -> ResultNorm | None:
    if found is None or not grade or result.outcome.get("total") is None:
        return None
    table_id, engine_table = found
    norm = engine_table.lookup(result.outcome, grade=grade, gender=result.student.gender)
    if norm is None:  # no published group for this grade and gender
        return None
    return ResultNorm(result=result, norm_table_id=table_id, grade=grade, gender=result.student.gender,
                      percentile=norm["percentile"], t_score=norm["t_score"], at=now)


def result_norm_place(result, adopted: selectors.AdoptedNorms, now=None) -> ResultNorm | None:
    """Place one student's result in the norm table in use for their district or city, by the grade
    they are in now (results are placed minutes after they arrive); None when no table applies."""
    school = result.student.school
    found = selectors.norm_for_student(adopted, district_id=school.district_id, city_id=school.district.parent_id,
                                       instrument_id=result.instrument_id, version=result.instrument_version)
    grade = result.student.school_class.grade.level if result.student.school_class_id else None
    placed = _placed(result, grade, found, now or timezone.now())
    if placed is not None:
        placed.save()
    return placed


def stored_results_place(table: NormTable, *, chunk: int = 2000) -> int:
    """Place the region's stored results of the table's instrument that no table has placed yet,
    by the grade each student was in when answering; how many were placed."""
    if not table.in_use:
        return 0
    found, now, placed = (table.pk, table.engine_table()), timezone.now(), 0
    results = selectors.unplaced_results(table, region_subtree_ids({table.region_id}))
    batch = []
    for result in results.iterator(chunk_size=chunk):
        norm = _placed(result, result.grade, found, now)
        if norm is not None:
            batch.append(norm)
        if len(batch) >= chunk:
            placed += len(ResultNorm.objects.bulk_create(batch, ignore_conflicts=True))
            batch = []
    return placed + len(ResultNorm.objects.bulk_create(batch, ignore_conflicts=True))
