"""From readable answers to the score part of a result: scores under their missing-item rules,
bands (with overrides and band flags), transformed scores and named cut-offs."""
from operator import itemgetter

from .arith import reported, round_half_up


def exact_value(numerator: int, denominator: int, decimals: int) -> tuple[int, int | float]:
    """(steps, reported value) of an exact score, rounded half up to `decimals`."""
    count = numerator if denominator == 1 and decimals == 0 else round_half_up(numerator, denominator, decimals)
    return count, reported(count, decimals)


def _getter(indices: tuple[int, ...]):
    """itemgetter that always returns a tuple, also for a one-item score."""
    if len(indices) == 1:
        index = indices[0]
        return lambda row: (row[index],)
    return itemgetter(*indices)


class _ScorePlan:
    """One score (total or subscale) with what scoring it needs, precomputed."""

    __slots__ = ("score", "id", "decimals", "getter", "count", "is_sum", "whole", "never_impute", "item_ids",
                 "count_as_scored")

    def __init__(self, score, items, critical_indices: set[int]):
        self.score = score
        self.id = score.id
        self.decimals = score.decimals
        self.getter = _getter(score.item_indices)
        self.count = len(score.item_indices)
        self.is_sum = score.method == "sum"
        self.whole = self.is_sum and score.decimals == 0  # a complete sum is already its own reported value
        self.item_ids = tuple(items[index].id for index in score.item_indices)
        self.never_impute = tuple(pos for pos, index in enumerate(score.item_indices) if index in critical_indices)
        value = score.missing.value
        self.count_as_scored = tuple(items[index].scored(value) if value is not None else 0 for index in score.item_indices)

    def exact(self, values: tuple) -> tuple[int, int]:
        total = sum(values)
        return (total, 1) if self.is_sum else (total, self.count)

    def exact_with_missing(self, values: tuple) -> tuple[tuple[int, int] | None, str | None]:
        """(numerator, denominator) under the score's missing-item rule, or (None, why not)."""
        rule = self.score.missing
        missing = [pos for pos, value in enumerate(values) if value is None]
        answered = [value for value in values if value is not None]
        if rule.policy == "count_as":
            total = sum(answered) + sum(self.count_as_scored[pos] for pos in missing)
            return (total, 1) if self.is_sum else (total, self.count), None
        unanswered_critical = [self.item_ids[pos] for pos in self.never_impute if values[pos] is None]
        if unanswered_critical:
            return None, (f"score '{self.score.id}' is not given: critical item {', '.join(unanswered_critical)} "
                          "is unanswered, and a critical item is never prorated or imputed")
        if rule.policy == "prorate" and len(missing) <= rule.limit:
            return (sum(answered) * self.count, len(answered)), None
        if rule.policy == "mean_of_answered" and len(answered) >= rule.limit:
            return (sum(answered), len(answered)), None
        return None, self._too_many_missing(missing)

    def _too_many_missing(self, missing: list[int]) -> str:
        rule = self.score.missing
        names = ", ".join(self.item_ids[pos] for pos in missing)
        allowed = {
            "all_required": "this score needs every item",
            "prorate": f"the rule allows at most {rule.limit} unanswered (then prorated)",
            "mean_of_answered": f"the rule needs at least {rule.limit} answered",
        }[rule.policy]
        return f"score '{self.score.id}' is not given: {len(missing)} of {self.count} items unanswered ({names}); {allowed}"


def flag_dict(flag_id: str, critical: bool, rule: dict, action: dict, citation: dict, *,
              item: str | None = None, score: str | None = None, band: str | None = None) -> dict:
    """The one shape every raised flag has, whether an item or a band raised it."""
    return {"id": flag_id, "critical": critical, "item": item, "answer": None, "score": score, "band": band,
            "rule": dict(rule), "action": dict(action), "citation": dict(citation), "note": ""}


class ScoreSheet:
    """Everything about a definition's scores that one result needs, laid out once."""

    def __init__(self, definition, critical_indices: set[int]):
        self.definition = definition
        self.plans = [_ScorePlan(score, definition.items, critical_indices) for score in definition.scores]
        self.total_id = next((score.id for score in definition.scores if score.kind == "total"), None)
        self.subscale_ids = tuple(score.id for score in definition.scores if score.kind == "subscale")
        self.banded = tuple((entry.id, entry.bands) for entry in definition.scores + definition.transformed if entry.bands)

    def unscored(self) -> dict:
        definition = self.definition
        return {
            "total": None,
            "subscales": dict.fromkeys(self.subscale_ids),
            "transformed": {entry.id: None for entry in definition.transformed},
            "band": None,
            "bands": {},
            "cutoffs": {cutoff.id: None for cutoff in definition.cutoffs},
        }

    def fill(self, result: dict, row: list, scored: list, has_missing: bool, flags: list, not_asked=()) -> list[str]:
        """Write scores, bands and cut-offs into `result`; return why any score could not be given."""
        exact, steps, values, errors = self._values(scored, has_missing)
        if self.definition.transformed:
            self._transform(exact, steps, values)
        result["total"] = values.get(self.total_id)
        result["subscales"] = {score_id: values.get(score_id) for score_id in self.subscale_ids}
        result["transformed"] = {entry.id: values.get(entry.id) for entry in self.definition.transformed}
        bands = {}
        for score_id, entry in self.banded:
            if score_id in steps:
                bands[score_id] = self._band(score_id, entry, steps[score_id], row, scored, flags, not_asked)
        result["band"] = bands.get(self.definition.primary_score)
        result["bands"] = bands
        result["cutoffs"] = {cutoff.id: _cutoff_met(cutoff, steps) for cutoff in self.definition.cutoffs}
        return errors

    def _values(self, scored: list, has_missing: bool) -> tuple[dict, dict, dict, list[str]]:
        """Each score as an exact fraction, in rounding steps and as reported; and why any is missing."""
        exact, steps, values, errors = {}, {}, {}, []
        for plan in self.plans:
            answers = plan.getter(scored)
            if has_missing and None in answers:
                fraction, error = plan.exact_with_missing(answers)
                if error:
                    errors.append(error)
                    continue
            elif plan.whole:
                total = sum(answers)
                exact[plan.id], steps[plan.id], values[plan.id] = (total, 1), total, total
                continue
            else:
                fraction = plan.exact(answers)
            exact[plan.id] = fraction
            steps[plan.id], values[plan.id] = exact_value(*fraction, plan.decimals)
        return exact, steps, values, errors

    def _transform(self, exact: dict, steps: dict, values: dict) -> None:
        for entry in self.definition.transformed:
            if entry.source not in exact:
                continue
            numerator, denominator = exact[entry.source]
            multiply, add = entry.multiply, entry.add
            fraction = (numerator * multiply.numerator * add.denominator + add.numerator * denominator * multiply.denominator,
                        denominator * multiply.denominator * add.denominator)
            steps[entry.id], values[entry.id] = exact_value(*fraction, entry.decimals)

    @staticmethod
    def _band(score_id: str, bands, count: int, row: list, scored: list, flags: list, not_asked) -> str:
        band = bands.for_steps(count)
        for override in bands.overrides:
            if band.id in override.from_bands and _override_applies(override, row, scored, not_asked):
                band = bands.by_id(override.band)
        if band.flag and not any(flag["id"] == band.flag.id for flag in flags):
            flags.append(flag_dict(band.flag.id, band.flag.critical, band.flag.rule, band.flag.action,
                                   bands.citation.as_dict(), score=score_id, band=band.id))
        return band.id


def _override_applies(override, row: list, scored: list, not_asked) -> bool:
    if scored[override.item_index] is None:  # skipped counts; not asked by the branching does not
        return override.on_missing and override.item_index not in not_asked
    return row[override.item_index] in override.values


def _cutoff_met(cutoff, steps: dict) -> bool | None:
    if cutoff.score not in steps:
        return None
    return steps[cutoff.score] >= cutoff.bound if cutoff.at_or_above else steps[cutoff.score] <= cutoff.bound
