"""Writes for local norms: computing a term's norm table and reliability for one instrument."""
from collections import defaultdict

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from xinshao.access.scopes import region_subtree_ids
from xinshao.audit.services import audit_record
from xinshao.campaigns.submissions import pinned_definition
from xinshao.norms import selectors
from xinshao.norms.models import NormTable
from xinshao.norms.statistics import GroupScores, Reliability


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
