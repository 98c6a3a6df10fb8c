"""Checks a definition (parsed JSON) against schema 1 and lists every problem, each saying where.

The schema is documented in docs/instruments.md. `validate_definition` never raises on bad
input: a custom definition uploaded by a bureau admin gets the whole list back at once.
"""
from .schema_base import (
    CITATION_KEYS, ID_PATTERN, INTEGER, TEXT, VERSION_PATTERN, Context, ItemFacts, Report, answer_condition,
    citation, field, identifier, is_integer, names, objects, unknown_keys,
)
from .schema_rules import check_flags, check_licence, check_validations, check_validity
from .schema_scores import check_cutoffs, check_primary_score, check_scores, check_transformed

SCHEMA_VERSION = 1
RESPONDENTS = ("student", "parent", "teacher")
WORDING_STATUSES = ("paraphrase", "official")

REQUIRED_KEYS = {
    "schema": INTEGER, "id": str, "version": str, "title": TEXT, "measures": TEXT, "respondents": list,
    "age_range": dict, "timeframe": TEXT, "instructions": TEXT, "wording_status": str, "wording_note": TEXT,
    "option_sets": dict, "items": list, "scores": list, "primary_score": str, "flags": list,
    "validity": dict, "sources": dict, "licence": dict, "chinese_validation": list,
}
# `instructions` are what the respondent reads; `interviewer_instructions`, for staff who read the
# questions aloud (the ASQ is published as an interview).
OPTIONAL_KEYS = {"transformed": list, "cutoffs": list, "interviewer_instructions": TEXT}
ITEM_KEYS = {"id", "text", "label", "options", "reverse", "required", "shown_if"}


def validate_definition(data) -> list[str]:
    """Every problem with `data` as an instrument definition; an empty list when it is valid."""
    if not isinstance(data, dict):
        return [f"definition: must be a JSON object, got {type(data).__name__}"]
    context = Context(Report())
    _check_header(context, data)
    _check_sources(context, data.get("sources"))
    _check_option_sets(context, data.get("option_sets"))
    _check_items(context, data.get("items"))
    for check in (check_flags, check_scores, check_transformed, check_primary_score, check_cutoffs,
                  check_validity, check_licence, check_validations):
        check(context, data)
    return context.report.problems


def _check_header(context: Context, data: dict) -> None:
    report = context.report
    unknown_keys(report, data, set(REQUIRED_KEYS) | set(OPTIONAL_KEYS), "definition")
    for key, kind in REQUIRED_KEYS.items():
        if key == "primary_score" and key in data and data[key] is None:
            continue  # an instrument with only subscales (CBI) has no primary band
        field(report, data, key, kind, "definition")
    for key, kind in OPTIONAL_KEYS.items():
        field(report, data, key, kind, "definition", required=False)
    if is_integer(data.get("schema")) and data["schema"] != SCHEMA_VERSION:
        report.add("definition.schema", f"this engine reads schema {SCHEMA_VERSION}, got {data['schema']}")
    if isinstance(data.get("id"), str) and not ID_PATTERN.match(data["id"]):
        report.add("definition.id", f"'{data['id']}' must be lower-case letters, digits and _, starting with a letter")
    if isinstance(data.get("version"), str) and not VERSION_PATTERN.match(data["version"]):
        report.add("definition.version", f"'{data['version']}' must be numbers separated by dots, e.g. 1.0.0")
    if data.get("wording_status") not in (None, *WORDING_STATUSES):
        report.add("definition.wording_status", f"must be one of {', '.join(WORDING_STATUSES)}")
    _check_respondents(report, data.get("respondents"))
    _check_age_range(report, data.get("age_range"))


def _check_respondents(report: Report, respondents) -> None:
    if not isinstance(respondents, list):
        return
    if not respondents:
        report.add("definition.respondents", "name at least one respondent")
    for value in respondents:
        if value not in RESPONDENTS:
            report.add("definition.respondents", f"{value!r} is not one of {', '.join(RESPONDENTS)}")


def _check_age_range(report: Report, age_range) -> None:
    if not isinstance(age_range, dict):
        return
    unknown_keys(report, age_range, {"min", "max", "note"}, "definition.age_range")
    low = field(report, age_range, "min", INTEGER, "definition.age_range")
    high = field(report, age_range, "max", INTEGER, "definition.age_range", required=False)
    if low is not None and high is not None and low > high:
        report.add("definition.age_range", f"min {low} is above max {high}")


def _check_sources(context: Context, sources) -> None:
    if not isinstance(sources, dict):
        return
    for key, citation in sources.items():
        if not ID_PATTERN.match(key):
            context.report.add(f"sources.{key}", "source keys must be lower-case letters, digits and _")
        if not (isinstance(citation, str) and citation.strip()):
            context.report.add(f"sources.{key}", "must be the citation as a non-empty string")
        context.sources.add(key)


def _check_option_sets(context: Context, option_sets) -> None:
    if not isinstance(option_sets, dict):
        return
    for name, options in option_sets.items():
        where = f"option_sets.{name}"
        if not isinstance(options, list) or len(options) < 2:
            context.report.add(where, "must be a list of at least two options")
            continue
        values = []
        for index, option in objects(context.report, options, where):
            unknown_keys(context.report, option, {"value", "label"}, f"{where}[{index}]")
            value = field(context.report, option, "value", INTEGER, f"{where}[{index}]")
            field(context.report, option, "label", TEXT, f"{where}[{index}]")
            if value is not None:
                values.append(value)
        duplicates = sorted({value for value in values if values.count(value) > 1})
        if duplicates:
            context.report.add(where, f"option value(s) {duplicates} appear more than once")
        context.option_sets[name] = tuple(values)


def _check_items(context: Context, items) -> None:
    if not isinstance(items, list):
        return
    if not items:
        context.report.add("items", "an instrument needs at least one item")
    seen: set[str] = set()
    for index, item in objects(context.report, items, "items"):
        where = f"items[{index}]"
        unknown_keys(context.report, item, ITEM_KEYS, where)
        item_id = identifier(context.report, item, where, seen, what="item")
        field(context.report, item, "text", TEXT, where)
        field(context.report, item, "label", TEXT, where, required=False)
        values = _item_values(context, item, where)
        reverse = bool(field(context.report, item, "reverse", bool, where, required=False))
        required = field(context.report, item, "required", bool, where, required=False) is not False
        if reverse and values and set(values) != {min(values) + max(values) - v for v in values}:
            context.report.add(where, f"a reverse-scored item needs option values symmetric about their middle "
                                      f"(reversal maps v to {min(values) + max(values)} - v); {sorted(values)} are not")
        if item_id is not None and values:
            context.items[item_id] = ItemFacts(index, values, reverse, required, "shown_if" in item)
    _check_optional_items_trail(context)
    for index, item in objects(Report(), items, "items"):  # problems with the objects are reported above
        if "shown_if" in item:
            _check_shown_if(context, item, f"items[{index}].shown_if")


def _check_shown_if(context: Context, item: dict, where: str) -> None:
    """An item asked only when an earlier, always-asked item has one of `values` (or, with
    `missing`, was skipped): the ASQ's question 5. Not asked means no answer, so the item must be
    optional, or its absence would count as a missing answer in a score."""
    rule = item["shown_if"]
    if not isinstance(rule, dict):
        context.report.add(where, f"must be an object, got {rule!r}")
        return
    unknown_keys(context.report, rule, {"items", "values", "missing"} | CITATION_KEYS, where)
    citation(context.report, rule, where, context.sources)
    facts = context.items.get(item["id"]) if isinstance(item.get("id"), str) else None
    if facts is not None and facts.required:
        context.report.add(where, "an item asked only sometimes must be optional (\"required\": false)")
    values, _missing = answer_condition(context.report, rule, where)
    for item_id in names(context.report, field(context.report, rule, "items", list, where) or [], f"{where}.items"):
        _check_condition_item(context, where, item_id, facts, values)


def _check_condition_item(context: Context, where: str, item_id: str, facts, values: set) -> None:
    condition = context.items.get(item_id)
    if condition is None:
        context.report.add(f"{where}.items", f"unknown item '{item_id}'")
        return
    if facts is not None and condition.index >= facts.index:
        context.report.add(f"{where}.items", f"'{item_id}' does not come before this item: the page decides "
                                             "whether to ask an item from the answers already given")
    if condition.shown_if:
        context.report.add(f"{where}.items", f"'{item_id}' is itself asked only sometimes; name items that are "
                                             "always asked")
    outside = sorted(values - set(condition.values))
    if outside:
        context.report.add(f"{where}.values", f"{outside} are not answer values of item '{item_id}' "
                                              f"(its values: {list(condition.values)})")


def _item_values(context: Context, item: dict, where: str) -> tuple[int, ...]:
    name = field(context.report, item, "options", str, where)
    if name is None:
        return ()
    if name not in context.option_sets:
        context.report.add(f"{where}.options", f"unknown option set '{name}'")
        return ()
    return context.option_sets[name]


def _check_optional_items_trail(context: Context) -> None:
    """Optional items come last, so that a shorter answer list can only leave out optional items."""
    seen_optional = None
    for item_id, facts in sorted(context.items.items(), key=lambda pair: pair[1].index):
        if not facts.required:
            seen_optional = seen_optional or item_id
        elif seen_optional:
            context.report.add(f"items.{item_id}", f"a required item cannot follow the optional item '{seen_optional}'")
