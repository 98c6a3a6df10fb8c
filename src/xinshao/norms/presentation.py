"""What the norm table page shows beside the stored table: the usual percentile points of each
group, and plain-words notes on the instrument's reliability in this sample."""
from django.conf import settings
from django.utils.translation import gettext as _

from xinshao.norms.models import NormTable

POINTS = (10, 25, 50, 75, 90)
# Cronbach's alpha of 0.70 or more is the usual threshold for group-level use (Nunnally 1978).
ACCEPTABLE_ALPHA = 0.7


def score_at(percentiles: list[list[float]], point: float) -> float | None:
    """The lowest score whose percentile rank reaches `point`."""
    return next((score for score, rank in percentiles if rank >= point), None)


def summary_percentiles(table: NormTable) -> list[dict]:
    rows = table.group_rows()
    for row in rows:
        if not row["withheld"]:
            row["points"] = [score_at(row["percentiles"], point) for point in POINTS]
    return rows


def quality_notes(table: NormTable, weak_item: float) -> list[str]:
    notes = []
    if table.alpha is None:
        notes.append(_("完整作答太少或总分没有差异，无法计算 α 系数。"))
    elif table.alpha < ACCEPTABLE_ALPHA:
        notes.append(_("α = %(alpha).2f，低于常用的 0.70：在本地样本中，这个量表各题测的不太像同一件事，解读总分要谨慎。")
                     % {"alpha": table.alpha})
    else:
        notes.append(_("α = %(alpha).2f，达到常用的 0.70 以上，总分在本地样本中内部一致。") % {"alpha": table.alpha})
    weak = [entry["item"] for entry in table.item_rest if entry["r"] is not None and entry["r"] < weak_item]
    if weak:
        notes.append(_("以下题目与其余题目的相关低于 %(limit).1f，可能在本地学生中理解不同：%(items)s。")
                     % {"limit": weak_item, "items": "、".join(weak)})
    if table.withheld:
        notes.append(_("%(count)s 个年级×性别组人数不足 %(minimum)s 人，未发布百分位。")
                     % {"count": len(table.withheld), "minimum": settings.NORMS_MIN_GROUP})
    return notes
