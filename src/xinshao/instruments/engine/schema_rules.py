"""Checks for the rule parts of a definition: flags, validity checks, licence, Chinese validation."""
from .schema_base import (
    CITATION_KEYS, NUMBER, TEXT, Context, citation, field, identifier, is_integer, names, objects, unknown_keys,
)

IF_MISSING = ("positive", "ask", "ignore")
LICENCE_STATUSES = ("free", "free_non_commercial", "permission_required")
CRITICAL_PREFIX = "critical"


def check_flags(context: Context, data: dict) -> None:
    seen: set[str] = set()
    flags = data.get("flags") if isinstance(data.get("flags"), list) else []
    for index, flag in objects(context.report, flags, "flags"):
        where = f"flags[{index}]"
        unknown_keys(context.report, flag, {"id", "items", "values", "if_missing", "rule", "action"} | CITATION_KEYS, where)
        flag_id = identifier(context.report, flag, where, seen, what="flag")
        field(context.report, flag, "rule", TEXT, where)
        field(context.report, flag, "action", TEXT, where)
        citation(context.report, flag, where, context.sources)
        if_missing = field(context.report, flag, "if_missing", str, where)
        if if_missing is not None and if_missing not in IF_MISSING:
            context.report.add(f"{where}.if_missing", f"must be one of {', '.join(IF_MISSING)}, got {if_missing!r}")
        values = _trigger_values(context, flag, where)
        critical = bool(flag_id and flag_id.startswith(CRITICAL_PREFIX))
        for item_id in _flag_items(context, flag, where):
            _check_flag_item(context, where, item_id, values, critical, if_missing)


def _trigger_values(context: Context, flag: dict, where: str) -> set[int]:
    values = field(context.report, flag, "values", list, where)
    if values is None:
        return set()
    if not values or not all(is_integer(value) for value in values):
        context.report.add(f"{where}.values", "must list the answer values (whole numbers) that raise the flag")
        return set()
    return set(values)


def _flag_items(context: Context, flag: dict, where: str) -> list[str]:
    items = field(context.report, flag, "items", list, where)
    if items is None:
        return []
    if not items:
        context.report.add(f"{where}.items", "name at least one item")
    known = []
    for item_id in names(context.report, items, f"{where}.items"):
        if item_id in context.items:
            known.append(item_id)
        else:
            context.report.add(f"{where}.items", f"unknown item '{item_id}'")
    return known


def _check_flag_item(context: Context, where: str, item_id: str, values: set[int], critical: bool, if_missing) -> None:
    facts = context.items[item_id]
    outside = sorted(values - set(facts.values))
    if outside:
        context.report.add(f"{where}.values", f"{outside} are not answer values of item '{item_id}' (its values: {list(facts.values)})")
    if not critical:
        return
    if if_missing == "ignore" and facts.required:
        context.report.add(where, f"critical item '{item_id}' is required, so an unanswered one must count as "
                                  "'positive' or 'ask' for a direct follow-up, not be ignored")
    known = context.critical_values.get(item_id)
    context.critical_values[item_id] = values if known is None else known & values


def check_validity(context: Context, data: dict) -> None:
    validity = data.get("validity")
    if not isinstance(validity, dict):
        return
    unknown_keys(context.report, validity, {"min_seconds_per_item", "straight_lining"} | CITATION_KEYS, "validity")
    seconds = field(context.report, validity, "min_seconds_per_item", NUMBER, "validity")
    if seconds is not None and seconds < 0:
        context.report.add("validity.min_seconds_per_item", "cannot be negative")
    field(context.report, validity, "straight_lining", bool, "validity")
    citation(context.report, validity, "validity", context.sources)


def check_licence(context: Context, data: dict) -> None:
    licence = data.get("licence")
    if not isinstance(licence, dict):
        return
    unknown_keys(context.report, licence, {"status", "summary", "notice"} | CITATION_KEYS, "licence")
    status = field(context.report, licence, "status", str, "licence")
    if status is not None and status not in LICENCE_STATUSES:
        context.report.add("licence.status", f"must be one of {', '.join(LICENCE_STATUSES)}, got {status!r}")
    field(context.report, licence, "summary", TEXT, "licence")
    field(context.report, licence, "notice", str, "licence", required=False)
    citation(context.report, licence, "licence", context.sources)


def check_validations(context: Context, data: dict) -> None:
    studies = data.get("chinese_validation") if isinstance(data.get("chinese_validation"), list) else []
    for index, study in objects(context.report, studies, "chinese_validation"):
        where = f"chinese_validation[{index}]"
        unknown_keys(context.report, study, {"source", "finding"}, where)
        source = field(context.report, study, "source", str, where)
        if source is not None and source not in context.sources:
            context.report.add(f"{where}.source", f"'{source}' is not a key of 'sources'")
        field(context.report, study, "finding", str, where)
