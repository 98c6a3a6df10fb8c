"""Building blocks for checking a definition: a report of problems and typed field access."""
import math
import re
from dataclasses import dataclass, field as dataclass_field
from fractions import Fraction

LANGUAGES = ("zh-Hans", "en")
ID_PATTERN = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
VERSION_PATTERN = re.compile(r"^\d+(\.\d+){0,2}$")
BASES = ("published", "project_policy")

TEXT = "text"  # a {"zh-Hans": ..., "en": ...} object
NUMBER = "number"
INTEGER = "integer"

_KIND_NAMES = {
    str: "a string", bool: "true or false", list: "a list", dict: "an object",
    TEXT: 'a text object {"zh-Hans": "...", "en": "..."}', NUMBER: "a number", INTEGER: "a whole number",
}


class Report:
    """Collects every problem with a definition, each prefixed with where it is."""

    def __init__(self) -> None:
        self.problems: list[str] = []

    def add(self, where: str, message: str) -> None:
        self.problems.append(f"{where}: {message}")


def is_integer(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def is_number(value) -> bool:
    """A finite number: Python's JSON reader also accepts NaN and Infinity."""
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def _is_text(value) -> bool:
    return isinstance(value, dict) and all(isinstance(value.get(lang), str) and value[lang].strip() for lang in LANGUAGES)


_CHECKS = {TEXT: _is_text, NUMBER: is_number, INTEGER: is_integer, bool: lambda v: isinstance(v, bool)}


def has_kind(value, kind) -> bool:
    check = _CHECKS.get(kind)
    return check(value) if check else isinstance(value, kind)


def field(report: Report, obj: dict, key: str, kind, where: str, *, required: bool = True):
    """obj[key] if it has the expected kind; otherwise note the problem and return None."""
    if key not in obj or obj[key] is None:
        if required:
            report.add(where, f"missing required key '{key}'")
        return None
    value = obj[key]
    if not has_kind(value, kind):
        report.add(f"{where}.{key}", f"must be {_KIND_NAMES[kind]}, got {value!r}")
        return None
    return value


def unknown_keys(report: Report, obj: dict, allowed: set[str], where: str) -> None:
    """A misspelt key would otherwise be ignored silently and change nothing."""
    for key in sorted(set(obj) - allowed):
        report.add(where, f"unknown key '{key}' (allowed: {', '.join(sorted(allowed))})")


def objects(report: Report, values, where: str):
    """(index, object) for each entry of a list that is an object; other entries are reported."""
    for index, value in enumerate(values or []):
        if isinstance(value, dict):
            yield index, value
        else:
            report.add(f"{where}[{index}]", f"must be an object, got {value!r}")


def names(report: Report, values: list, where: str) -> list[str]:
    """The entries of a list that should all be ids; any other entry is reported."""
    good = []
    for value in values:
        if isinstance(value, str):
            good.append(value)
        else:
            report.add(where, f"{value!r} is not an id (a string)")
    return good


def identifier(report: Report, obj: dict, where: str, seen: set[str], *, what: str) -> str | None:
    """The object's 'id', checked for form and for uniqueness among `seen`."""
    value = field(report, obj, "id", str, where)
    if value is None:
        return None
    if not ID_PATTERN.match(value):
        report.add(f"{where}.id", f"'{value}' must be lower-case letters, digits and _, starting with a letter")
    elif value in seen:
        report.add(f"{where}.id", f"duplicate {what} id '{value}'")
    seen.add(value)
    return value


def citation(report: Report, obj: dict, where: str, sources: set[str]) -> None:
    """Every rule says where it comes from: a key of `sources` and whether it is published."""
    source = field(report, obj, "source", str, where)
    if source is not None and source not in sources:
        report.add(f"{where}.source", f"'{source}' is not a key of 'sources'")
    basis = field(report, obj, "basis", str, where)
    if basis is not None and basis not in BASES:
        report.add(f"{where}.basis", f"must be one of {', '.join(BASES)}, got {basis!r}")
    field(report, obj, "note", str, where, required=False)


CITATION_KEYS = {"source", "basis", "note"}


def answer_condition(report: Report, obj: dict, where: str) -> tuple[set[int], bool]:
    """The `values` and `missing` of a rule that applies on some answers (an override, a "shown if"):
    at least one of them must say when it applies."""
    values = field(report, obj, "values", list, where, required=False) or []
    if not all(is_integer(value) for value in values):
        report.add(f"{where}.values", "must list answer values (whole numbers)")
        values = []
    on_missing = field(report, obj, "missing", bool, where, required=False)
    if not values and not on_missing:
        report.add(where, "say when it applies: 'values' that trigger it, or 'missing': true, or both")
    return set(values), bool(on_missing)


@dataclass(frozen=True)
class ItemFacts:
    index: int
    values: tuple[int, ...]
    reverse: bool
    required: bool
    shown_if: bool = False


@dataclass
class Context:
    """What later checks need to know about earlier parts of the definition."""

    report: Report
    sources: set[str] = dataclass_field(default_factory=set)
    option_sets: dict[str, tuple[int, ...]] = dataclass_field(default_factory=dict)
    items: dict[str, ItemFacts] = dataclass_field(default_factory=dict)
    critical_values: dict[str, set[int]] = dataclass_field(default_factory=dict)
    # score id -> (lowest, highest, decimals); transformed scores included
    score_ranges: dict[str, tuple[Fraction, Fraction, int]] = dataclass_field(default_factory=dict)
    band_ids: dict[str, set[str]] = dataclass_field(default_factory=dict)
