"""A definition compiled for scoring: items, scores and rules as small immutable structures.

`compile_definition` validates first, so everything here can trust its input.
"""
import copy
import hashlib
import json
from bisect import bisect_right
from dataclasses import dataclass
from fractions import Fraction

from .arith import exact, steps
from .errors import DefinitionError
from .schema import validate_definition
from .schema_rules import CRITICAL_PREFIX
from .schema_scores import items_range, linear_range
from .scoring import BAD, Scorer


@dataclass(frozen=True)
class Option:
    value: int
    label: dict


@dataclass(frozen=True)
class Condition:
    """When an item is asked: one of `item_indices` has an answer in `values`, or (with
    `on_missing`) was skipped. An unreadable answer counts as skipped: ask rather than not."""
    item_indices: tuple[int, ...]
    values: frozenset
    on_missing: bool

    def met(self, row: list, scored: list) -> bool:
        for index in self.item_indices:
            if scored[index] is None or scored[index] is BAD:
                if self.on_missing:
                    return True
            elif row[index] in self.values:
                return True
        return False


@dataclass(frozen=True)
class Item:
    id: str
    index: int
    text: dict
    options: tuple[Option, ...]
    reverse: bool
    required: bool
    label: dict | None = None  # a short label for staff pages and alert reasons; the text when None
    shown_if: Condition | None = None

    @property
    def values(self) -> tuple[int, ...]:
        return tuple(option.value for option in self.options)

    def scored(self, value: int) -> int:
        """The value an answer adds to a score: reversed items count from the other end."""
        values = self.values
        return min(values) + max(values) - value if self.reverse else value


@dataclass(frozen=True)
class Citation:
    source: str  # the full citation, copied from the definition's `sources`
    basis: str  # "published" or "project_policy"
    note: str

    def as_dict(self) -> dict:
        return {"source": self.source, "basis": self.basis, "note": self.note}


@dataclass(frozen=True)
class FlagTemplate:
    id: str
    rule: dict
    action: dict

    @property
    def critical(self) -> bool:
        return self.id.startswith(CRITICAL_PREFIX)


@dataclass(frozen=True)
class Band:
    id: str
    label: dict
    low: int | None  # in steps of the score's decimals; None for a band only an override reaches
    high: int | None
    flag: FlagTemplate | None


@dataclass(frozen=True)
class Override:
    band: str
    item_index: int
    values: frozenset
    on_missing: bool
    from_bands: frozenset
    citation: Citation


@dataclass(frozen=True)
class Bands:
    ranges: tuple[Band, ...]
    override_bands: tuple[Band, ...]
    overrides: tuple[Override, ...]
    citation: Citation

    def __post_init__(self):
        object.__setattr__(self, "_lows", tuple(band.low for band in self.ranges))
        object.__setattr__(self, "_by_id", {band.id: band for band in self.ranges + self.override_bands})

    def for_steps(self, count: int) -> Band:
        return self.ranges[bisect_right(self._lows, count) - 1]

    def by_id(self, band_id: str) -> Band:
        return self._by_id[band_id]


@dataclass(frozen=True)
class MissingRule:
    policy: str
    limit: int  # max_missing for prorate, min_answered for mean_of_answered, 0 otherwise
    value: int | None  # count_as
    citation: Citation | None


@dataclass(frozen=True)
class Score:
    id: str
    kind: str  # total, subscale
    label: dict
    item_indices: tuple[int, ...]
    method: str
    decimals: int
    range: tuple[Fraction, Fraction]
    missing: MissingRule
    bands: Bands | None


@dataclass(frozen=True)
class Transformed:
    id: str
    label: dict
    source: str
    multiply: Fraction
    add: Fraction
    decimals: int
    range: tuple[Fraction, Fraction]
    bands: Bands | None
    citation: Citation


@dataclass(frozen=True)
class FlagRule:
    id: str
    item_indices: tuple[int, ...]
    values: frozenset
    if_missing: str
    rule: dict
    action: dict
    citation: Citation

    @property
    def critical(self) -> bool:
        return self.id.startswith(CRITICAL_PREFIX)


@dataclass(frozen=True)
class Cutoff:
    id: str
    score: str
    bound: int  # in steps of the score's decimals
    at_or_above: bool
    label: dict
    citation: Citation


@dataclass(frozen=True)
class Validity:
    min_seconds_per_item: float
    straight_lining: bool
    citation: Citation


class Definition:
    """One instrument at one version, ready to score. Build it with `compile_definition`."""

    def __init__(self, data: dict, parts: dict):
        self.data = data
        self.id: str = data["id"]
        self.version: str = data["version"]
        self.sha256: str = hashlib.sha256(canonical_json(data).encode()).hexdigest()
        self.title: dict = data["title"]
        self.items: tuple[Item, ...] = parts["items"]
        self.scores: tuple[Score, ...] = parts["scores"]
        self.transformed: tuple[Transformed, ...] = parts["transformed"]
        self.primary_score: str | None = data["primary_score"]
        self.flags: tuple[FlagRule, ...] = parts["flags"]
        self.cutoffs: tuple[Cutoff, ...] = parts["cutoffs"]
        self.validity: Validity = parts["validity"]
        self._scorer = Scorer(self)

    def __repr__(self) -> str:
        return f"<Definition {self.id} {self.version}>"

    @property
    def key(self) -> tuple[str, str]:
        return self.id, self.version

    def score(self, answers, *, seconds=None, norms=None, grade=None, gender=None) -> dict:
        """Score one response: `answers` in item order, None for a missing item. See scoring.Scorer."""
        return self._scorer.score(answers, seconds=seconds, norms=norms, grade=grade, gender=gender)

    def score_batch(self, rows, *, seconds=None) -> list[dict]:
        """Score many responses; `seconds`, when given, has one entry per row."""
        return self._scorer.score_batch(rows, seconds=seconds)


def canonical_json(data: dict) -> str:
    return json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def compile_definition(data, *, origin: str = "definition") -> Definition:
    """Validate `data` and build a Definition; raise DefinitionError listing every problem."""
    problems = validate_definition(data)
    if problems:
        raise DefinitionError(problems, origin=origin)
    data = copy.deepcopy(data)
    items = _items(data)
    by_id = {item.id: item for item in items}
    cite = _citer(data["sources"])
    scores = tuple(_score(entry, by_id, cite) for entry in data["scores"])
    return Definition(data, {
        "items": items,
        "scores": scores,
        "transformed": _transformed_scores(data, scores, by_id, cite),
        "flags": tuple(_flag_rule(entry, by_id, cite) for entry in data["flags"]),
        "cutoffs": _cutoffs(data, scores, cite),
        "validity": _validity(data["validity"], cite),
    })


def _citer(sources: dict):
    def cite(entry: dict) -> Citation:
        return Citation(sources[entry["source"]], entry["basis"], entry.get("note", ""))
    return cite


def _items(data: dict) -> tuple[Item, ...]:
    option_sets = {
        name: tuple(Option(option["value"], option["label"]) for option in options)
        for name, options in data["option_sets"].items()
    }
    indices = {entry["id"]: index for index, entry in enumerate(data["items"])}
    return tuple(
        Item(entry["id"], index, entry["text"], option_sets[entry["options"]],
             entry.get("reverse", False), entry.get("required", True), entry.get("label"),
             _condition(entry.get("shown_if"), indices))
        for index, entry in enumerate(data["items"])
    )


def _condition(entry: dict | None, indices: dict) -> Condition | None:
    if entry is None:
        return None
    return Condition(tuple(indices[item_id] for item_id in entry["items"]), frozenset(entry.get("values") or ()),
                     entry.get("missing", False))


def _score_items(entry: dict, by_id: dict) -> tuple[Item, ...]:
    if entry["items"] == "all":
        return tuple(item for item in by_id.values() if item.required)
    return tuple(by_id[item_id] for item_id in entry["items"])


def _score(entry: dict, by_id: dict, cite) -> Score:
    items = _score_items(entry, by_id)
    decimals = entry.get("decimals", 0)
    missing = entry["missing"]
    limit = missing.get("max_missing", missing.get("min_answered", 0))
    rule = MissingRule(missing["policy"], limit, missing.get("value"), cite(missing))
    return Score(
        entry["id"], entry["kind"], entry["label"], tuple(item.index for item in items), entry["method"], decimals,
        items_range(entry["method"], [item.values for item in items]), rule,
        _bands(entry.get("bands"), decimals, by_id, cite),
    )


def _transformed_scores(data: dict, scores: tuple[Score, ...], by_id: dict, cite) -> tuple[Transformed, ...]:
    ranges = {score.id: score.range for score in scores}
    built = []
    for entry in data.get("transformed") or []:
        multiply, add = exact(entry["multiply"]), exact(entry.get("add", 0))
        decimals = entry.get("decimals", 0)
        built.append(Transformed(
            entry["id"], entry["label"], entry["from"], multiply, add, decimals,
            linear_range(*ranges[entry["from"]], multiply, add), _bands(entry.get("bands"), decimals, by_id, cite),
            cite(entry),
        ))
    return tuple(built)


def _band_flag(entry: dict) -> FlagTemplate | None:
    flag = entry.get("flag")
    return FlagTemplate(flag["id"], flag["rule"], flag["action"]) if flag else None


def _bands(entry: dict | None, decimals: int, by_id: dict, cite) -> Bands | None:
    if entry is None:
        return None
    ranges = tuple(
        Band(band["id"], band["label"], steps(band["min"], decimals), steps(band["max"], decimals), _band_flag(band))
        for band in entry["ranges"]
    )
    override_bands = tuple(
        Band(band["id"], band["label"], None, None, _band_flag(band)) for band in entry.get("override_bands") or []
    )
    overrides = tuple(
        Override(rule["band"], by_id[rule["item"]].index, frozenset(rule.get("values") or ()),
                 rule.get("missing", False), frozenset(rule["from"]), cite(rule))
        for rule in entry.get("overrides") or []
    )
    return Bands(ranges, override_bands, overrides, cite(entry))


def _flag_rule(entry: dict, by_id: dict, cite) -> FlagRule:
    return FlagRule(
        entry["id"], tuple(by_id[item_id].index for item_id in entry["items"]), frozenset(entry["values"]),
        entry["if_missing"], entry["rule"], entry["action"], cite(entry),
    )


def _cutoffs(data: dict, scores: tuple[Score, ...], cite) -> tuple[Cutoff, ...]:
    decimals = {score.id: score.decimals for score in scores}
    decimals.update({entry["id"]: entry.get("decimals", 0) for entry in data.get("transformed") or []})
    built = []
    for entry in data.get("cutoffs") or []:
        end = "min" if "min" in entry else "max"
        built.append(Cutoff(entry["id"], entry["score"], steps(entry[end], decimals[entry["score"]]), end == "min",
                            entry["label"], cite(entry)))
    return tuple(built)


def _validity(entry: dict, cite) -> Validity:
    return Validity(entry["min_seconds_per_item"], entry["straight_lining"], cite(entry))
