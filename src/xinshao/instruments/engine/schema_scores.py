"""Checks for the score parts of a definition: scores, missing-item rules, transformed scores,
bands (no gaps, no overlaps, the whole range covered), band overrides and named cut-offs."""
from fractions import Fraction

from .arith import exact, reported, steps
from .schema_base import (
    CITATION_KEYS, INTEGER, NUMBER, TEXT, Context, Report, answer_condition, citation, field, identifier, is_number,
    names, objects, unknown_keys,
)

KINDS = ("total", "subscale")
METHODS = ("sum", "mean")
MISSING_POLICIES = {
    "all_required": set(), "prorate": {"max_missing"}, "mean_of_answered": {"min_answered"}, "count_as": {"value"},
}
MAX_DECIMALS = 4


def items_range(method: str, value_sets: list[tuple[int, ...]]) -> tuple[Fraction, Fraction]:
    """Lowest and highest score the items' options allow (a reversed item keeps its min and max)."""
    if method == "sum":
        return Fraction(sum(min(values) for values in value_sets)), Fraction(sum(max(values) for values in value_sets))
    return Fraction(min(min(values) for values in value_sets)), Fraction(max(max(values) for values in value_sets))


def linear_range(low: Fraction, high: Fraction, multiply: Fraction, add: Fraction) -> tuple[Fraction, Fraction]:
    ends = sorted((low * multiply + add, high * multiply + add))
    return ends[0], ends[1]


def check_scores(context: Context, data: dict) -> None:
    scores = data.get("scores") if isinstance(data.get("scores"), list) else []
    if isinstance(data.get("scores"), list) and not scores:
        context.report.add("scores", "an instrument needs at least one score")
    seen: set[str] = set()
    kinds = []
    for index, score in objects(context.report, scores, "scores"):
        where = f"scores[{index}]"
        unknown_keys(context.report, score, {"id", "kind", "label", "items", "method", "decimals", "range", "missing", "bands"}, where)
        score_id = identifier(context.report, score, where, seen, what="score")
        kinds.append(_choice(context.report, score, "kind", KINDS, where))
        field(context.report, score, "label", TEXT, where)
        method = _choice(context.report, score, "method", METHODS, where)
        decimals = _decimals(context.report, score, where)
        item_ids = _score_items(context, score, where)
        if score_id is None or method is None or decimals is None or not item_ids:
            continue
        low, high = items_range(method, [context.items[item_id].values for item_id in item_ids])
        _check_declared_range(context.report, score, where, low, high)
        _check_missing(context, score, where, method, item_ids)
        context.score_ranges[score_id] = (low, high, decimals)
        check_bands(context, score.get("bands"), f"{where}.bands", score_id)
    if kinds.count("total") > 1:
        context.report.add("scores", "at most one score may be of kind 'total'")


def _choice(report: Report, obj: dict, key: str, choices: tuple[str, ...], where: str):
    value = field(report, obj, key, str, where)
    if value is not None and value not in choices:
        report.add(f"{where}.{key}", f"must be one of {', '.join(choices)}, got {value!r}")
        return None
    return value


def _decimals(report: Report, obj: dict, where: str):
    decimals = field(report, obj, "decimals", INTEGER, where, required=False)
    if decimals is None:
        return None if "decimals" in obj and obj["decimals"] is not None else 0
    if not 0 <= decimals <= MAX_DECIMALS:
        report.add(f"{where}.decimals", f"must be 0 to {MAX_DECIMALS}, got {decimals}")
        return None
    return decimals


def _score_items(context: Context, score: dict, where: str) -> list[str]:
    """The item ids of a score; "all" means every required item, in order."""
    items = score.get("items")
    if items == "all":
        return [item_id for item_id, facts in sorted(context.items.items(), key=lambda p: p[1].index) if facts.required]
    items = field(context.report, score, "items", list, where)
    if not items:
        if items is not None:
            context.report.add(f"{where}.items", 'list at least one item, or write "all"')
        return []
    known = []
    for item_id in names(context.report, items, f"{where}.items"):
        facts = context.items.get(item_id)
        if facts is None:
            context.report.add(f"{where}.items", f"unknown item '{item_id}'")
        elif item_id in known:
            context.report.add(f"{where}.items", f"item '{item_id}' is listed twice")
        elif not facts.required:
            context.report.add(f"{where}.items", f"optional item '{item_id}' cannot count in a score")
        else:
            known.append(item_id)
    return known if len(known) == len(items) else []


def _check_declared_range(report: Report, obj: dict, where: str, low: Fraction, high: Fraction) -> None:
    """The written range is a check on the options: a wrong option value shows up here."""
    declared = field(report, obj, "range", list, where)
    if declared is None:
        return
    if len(declared) != 2 or not all(is_number(end) for end in declared):
        report.add(f"{where}.range", f"must be [lowest, highest], got {declared!r}")
    elif (exact(declared[0]), exact(declared[1])) != (low, high):
        report.add(f"{where}.range", f"is {declared[0]}–{declared[1]}, but the options give "
                                     f"{_show(low)}–{_show(high)}: check the option values and the items")


def _show(number: Fraction):
    return int(number) if number.denominator == 1 else float(number)


def _check_missing(context: Context, score: dict, where: str, method: str, item_ids: list[str]) -> None:
    missing = field(context.report, score, "missing", dict, where)
    if missing is None:
        return
    where = f"{where}.missing"
    policy = _choice(context.report, missing, "policy", tuple(MISSING_POLICIES), where)
    if policy is None:
        return
    unknown_keys(context.report, missing, {"policy"} | MISSING_POLICIES[policy] | CITATION_KEYS, where)
    citation(context.report, missing, where, context.sources)
    count = len(item_ids)
    if policy == "prorate":
        _check_prorate(context.report, missing, where, method, count)
    elif policy == "mean_of_answered":
        _check_mean_of_answered(context.report, missing, where, method, count)
    elif policy == "count_as":
        _check_count_as(context, missing, where, item_ids)


def _check_prorate(report: Report, missing: dict, where: str, method: str, count: int) -> None:
    if method != "sum":
        report.add(where, "'prorate' applies to sums; a mean over the answered items is 'mean_of_answered'")
    most = field(report, missing, "max_missing", INTEGER, where)
    if most is not None and not 1 <= most < count:
        report.add(f"{where}.max_missing", f"must be 1 to {count - 1} for a score of {count} items, got {most}")


def _check_mean_of_answered(report: Report, missing: dict, where: str, method: str, count: int) -> None:
    if method != "mean":
        report.add(where, "'mean_of_answered' applies to scores whose method is 'mean'")
    least = field(report, missing, "min_answered", INTEGER, where)
    if least is not None and not 1 <= least <= count:
        report.add(f"{where}.min_answered", f"must be 1 to {count} for a score of {count} items, got {least}")


def _check_count_as(context: Context, missing: dict, where: str, item_ids: list[str]) -> None:
    value = field(context.report, missing, "value", INTEGER, where)
    if value is None:
        return
    for item_id in item_ids:
        if value not in context.items[item_id].values:
            context.report.add(f"{where}.value", f"{value} is not an answer value of item '{item_id}'")
        critical = context.critical_values.get(item_id)
        if critical is not None and value not in critical:
            context.report.add(f"{where}.value", f"item '{item_id}' is critical: an unanswered critical item may only "
                                                 f"count as an answer that raises its flag ({sorted(critical)}), never a reassuring one")


def check_transformed(context: Context, data: dict) -> None:
    transformed = data.get("transformed") if isinstance(data.get("transformed"), list) else []
    base_scores = set(context.score_ranges)
    seen = set(base_scores)
    keys = {"id", "label", "from", "multiply", "add", "decimals", "range", "bands"} | CITATION_KEYS
    for index, entry in objects(context.report, transformed, "transformed"):
        where = f"transformed[{index}]"
        unknown_keys(context.report, entry, keys, where)
        score_id = identifier(context.report, entry, where, seen, what="score")
        field(context.report, entry, "label", TEXT, where)
        citation(context.report, entry, where, context.sources)
        source = field(context.report, entry, "from", str, where)
        if source is not None and source not in base_scores:
            context.report.add(f"{where}.from", f"'{source}' is not one of the scores ({', '.join(sorted(base_scores))})")
            source = None
        multiply = field(context.report, entry, "multiply", NUMBER, where)
        if multiply == 0:
            context.report.add(f"{where}.multiply", "cannot be 0")
        add = field(context.report, entry, "add", NUMBER, where, required=False) or 0
        decimals = _decimals(context.report, entry, where)
        if None in (score_id, source, multiply, decimals) or multiply == 0:
            continue
        low, high = context.score_ranges[source][:2]
        low, high = linear_range(low, high, exact(multiply), exact(add))
        _check_declared_range(context.report, entry, where, low, high)
        context.score_ranges[score_id] = (low, high, decimals)
        check_bands(context, entry.get("bands"), f"{where}.bands", score_id)


def check_bands(context: Context, bands, where: str, score_id: str) -> None:
    if bands is None:
        return
    if not isinstance(bands, dict):
        context.report.add(where, f"must be an object with 'ranges', got {bands!r}")
        return
    unknown_keys(context.report, bands, {"ranges", "overrides", "override_bands"} | CITATION_KEYS, where)
    citation(context.report, bands, where, context.sources)
    low, high, decimals = context.score_ranges[score_id]
    ids: set[str] = set()
    parsed = _band_ranges(context.report, bands, where, decimals, ids)
    _check_coverage(context.report, where, parsed, low, high, decimals)
    range_ids = set(ids)
    for index, band in objects(context.report, field(context.report, bands, "override_bands", list, where, required=False), f"{where}.override_bands"):
        unknown_keys(context.report, band, {"id", "label", "flag"}, f"{where}.override_bands[{index}]")
        identifier(context.report, band, f"{where}.override_bands[{index}]", ids, what="band")
        field(context.report, band, "label", TEXT, f"{where}.override_bands[{index}]")
        _check_band_flag(context.report, band, f"{where}.override_bands[{index}]")
    _check_overrides(context, bands, where, ids, range_ids)
    context.band_ids[score_id] = ids


def _band_ranges(report: Report, bands: dict, where: str, decimals: int, ids: set[str]) -> list[tuple[str, int, int]]:
    parsed = []
    for index, band in objects(report, field(report, bands, "ranges", list, where), f"{where}.ranges"):
        at = f"{where}.ranges[{index}]"
        unknown_keys(report, band, {"id", "label", "min", "max", "flag"}, at)
        band_id = identifier(report, band, at, ids, what="band")
        field(report, band, "label", TEXT, at)
        _check_band_flag(report, band, at)
        low, high = _bound(report, band, "min", at, decimals), _bound(report, band, "max", at, decimals)
        if None in (band_id, low, high):
            continue
        if low > high:
            report.add(at, f"min {band['min']} is above max {band['max']}")
            continue
        parsed.append((band_id, low, high))
    return parsed


def _bound(report: Report, band: dict, key: str, where: str, decimals: int):
    value = field(report, band, key, NUMBER, where)
    if value is None:
        return None
    counted = steps(value, decimals)
    if counted is None:
        report.add(f"{where}.{key}", f"{value} has more decimals than the score's {decimals}")
    return counted


def _check_band_flag(report: Report, band: dict, where: str) -> None:
    flag = field(report, band, "flag", dict, where, required=False)
    if flag is None:
        return
    unknown_keys(report, flag, {"id", "rule", "action"}, f"{where}.flag")
    identifier(report, flag, f"{where}.flag", set(), what="flag")
    field(report, flag, "rule", TEXT, f"{where}.flag")
    field(report, flag, "action", TEXT, f"{where}.flag")


def _check_coverage(report: Report, where: str, parsed, low: Fraction, high: Fraction, decimals: int) -> None:
    """Bands must cover every score the options allow, each exactly once."""
    if not parsed:
        report.add(where, "list at least one band in 'ranges'")
        return
    show = lambda count: reported(count, decimals)  # noqa: E731
    first_id, first_low, _ = parsed[0]
    if first_low != low * 10**decimals:
        report.add(where, f"the first band '{first_id}' starts at {show(first_low)}, but the score can be as low as {_show(low)}")
    for (prev_id, prev_low, prev_high), (next_id, next_low, next_high) in zip(parsed, parsed[1:]):
        if next_low < prev_low:
            report.add(where, f"bands must be listed from the lowest score up: '{next_id}' (from {show(next_low)}) "
                              f"comes after '{prev_id}' (from {show(prev_low)})")
        elif next_low > prev_high + 1:
            report.add(where, f"gap between band '{prev_id}' (up to {show(prev_high)}) and band '{next_id}' "
                              f"(from {show(next_low)}): a score of {show(prev_high + 1)} falls in no band")
        elif next_low <= prev_high:
            report.add(where, f"bands '{prev_id}' ({show(prev_low)}–{show(prev_high)}) and '{next_id}' "
                              f"({show(next_low)}–{show(next_high)}) overlap: a score of {show(next_low)} would be in both")
    last_id, _, last_high = parsed[-1]
    if last_high != high * 10**decimals:
        report.add(where, f"the last band '{last_id}' ends at {show(last_high)}, but the score can reach {_show(high)}")


def _check_overrides(context: Context, bands: dict, where: str, ids: set[str], range_ids: set[str]) -> None:
    keys = {"band", "item", "values", "missing", "from"} | CITATION_KEYS
    for index, override in objects(context.report, field(context.report, bands, "overrides", list, where, required=False), f"{where}.overrides"):
        at = f"{where}.overrides[{index}]"
        unknown_keys(context.report, override, keys, at)
        citation(context.report, override, at, context.sources)
        band = field(context.report, override, "band", str, at)
        if band is not None and band not in ids:
            context.report.add(f"{at}.band", f"unknown band '{band}'")
        for source_band in names(context.report, field(context.report, override, "from", list, at) or [], f"{at}.from"):
            if source_band not in range_ids:
                context.report.add(f"{at}.from", f"unknown band '{source_band}'")
        _check_override_condition(context, override, at)


def _check_override_condition(context: Context, override: dict, where: str) -> None:
    item_id = field(context.report, override, "item", str, where)
    values, _on_missing = answer_condition(context.report, override, where)
    if item_id is None:
        return
    facts = context.items.get(item_id)
    if facts is None:
        context.report.add(f"{where}.item", f"unknown item '{item_id}'")
    elif not set(values) <= set(facts.values):
        context.report.add(f"{where}.values", f"{sorted(values)} are not all answer values of item '{item_id}' ({list(facts.values)})")


def check_primary_score(context: Context, data: dict) -> None:
    primary = data.get("primary_score")
    if primary is None or not isinstance(primary, str):
        return
    if primary not in context.score_ranges:
        context.report.add("primary_score", f"unknown score '{primary}'")
    elif primary not in context.band_ids:
        context.report.add("primary_score", f"score '{primary}' has no bands, so it cannot give the result's band")


def check_cutoffs(context: Context, data: dict) -> None:
    cutoffs = data.get("cutoffs") if isinstance(data.get("cutoffs"), list) else []
    seen: set[str] = set()
    for index, cutoff in objects(context.report, cutoffs, "cutoffs"):
        where = f"cutoffs[{index}]"
        unknown_keys(context.report, cutoff, {"id", "score", "min", "max", "label"} | CITATION_KEYS, where)
        identifier(context.report, cutoff, where, seen, what="cut-off")
        field(context.report, cutoff, "label", TEXT, where)
        citation(context.report, cutoff, where, context.sources)
        score_id = field(context.report, cutoff, "score", str, where)
        if score_id is not None and score_id not in context.score_ranges:
            context.report.add(f"{where}.score", f"unknown score '{score_id}'")
            continue
        ends = [key for key in ("min", "max") if key in cutoff]
        if len(ends) != 1:
            context.report.add(where, "give exactly one of 'min' (positive at or above) or 'max' (positive at or below)")
        elif score_id is not None:
            _bound(context.report, cutoff, ends[0], where, context.score_ranges[score_id][2])
