"""Percentiles and T-scores from a norm table by grade x gender.

A norm table is JSON:
    {"instrument": "phqa", "score": "total", "source": "City of X, spring 2026, n = 140,322",
     "groups": [{"grade": "7", "gender": "female", "n": 5210, "mean": 5.4, "sd": 4.1,
                 "percentiles": [[0, 11.2], [1, 20.5], ...]}]}
`percentiles` pairs a score with its percentile rank; a score between two listed ones takes the
rank of the highest listed score not above it. T = 50 + 10 x (score - mean) / sd.
"""
from bisect import bisect_right
from dataclasses import dataclass

from .errors import NormTableError
from .schema_base import is_integer, is_number


@dataclass(frozen=True)
class NormGroup:
    n: int
    mean: float
    sd: float
    scores: tuple[float, ...]
    ranks: tuple[float, ...]

    def percentile(self, value: float) -> float | None:
        position = bisect_right(self.scores, value) - 1
        return self.ranks[position] if position >= 0 else None

    def t_score(self, value: float) -> float:
        return round(50 + 10 * (value - self.mean) / self.sd, 1)


class NormTable:
    def __init__(self, data: dict):
        problems = _problems(data)
        if problems:
            raise NormTableError(problems)
        self.instrument: str = data["instrument"]
        self.score: str = data["score"]
        self.source: str = data["source"]
        self._groups = {(str(group["grade"]), str(group["gender"])): _group(group) for group in data["groups"]}

    def lookup(self, result: dict, *, grade, gender) -> dict | None:
        """The norm part of a result; None when the score is missing or no group matches."""
        if result["instrument"] != self.instrument:
            raise NormTableError([f"this norm table is for {self.instrument}, not {result['instrument']}"])
        value = result["total"] if self.score == "total" else {**result["subscales"], **result["transformed"]}.get(self.score)
        group = self._groups.get((str(grade), str(gender)))
        if value is None or group is None:
            return None
        return {"score": self.score, "grade": str(grade), "gender": str(gender), "n": group.n,
                "percentile": group.percentile(value), "t_score": group.t_score(value), "source": self.source}


def _group(group: dict) -> NormGroup:
    pairs = group["percentiles"]
    return NormGroup(group["n"], group["mean"], group["sd"], tuple(p[0] for p in pairs), tuple(p[1] for p in pairs))


def _problems(data) -> list[str]:
    if not isinstance(data, dict):
        return ["must be a JSON object"]
    problems = [f"missing '{key}'" for key in ("instrument", "score", "source", "groups") if key not in data]
    if not isinstance(data.get("groups", []), list):
        return [*problems, "groups must be a list"]
    for index, group in enumerate(data.get("groups") or []):
        problems.extend(f"groups[{index}]: {problem}" for problem in _group_problems(group))
    return problems


def _group_problems(group) -> list[str]:
    if not isinstance(group, dict):
        return ["must be an object"]
    problems = [f"missing '{key}'" for key in ("grade", "gender", "n", "mean", "sd", "percentiles") if key not in group]
    if problems:
        return problems
    if not (is_number(group["sd"]) and group["sd"] > 0):
        problems.append(f"sd must be a positive number, got {group['sd']!r}")
    if not is_number(group["mean"]):
        problems.append(f"mean must be a number, got {group['mean']!r}")
    if not (is_integer(group["n"]) and group["n"] > 0):
        problems.append(f"n must be a positive whole number, got {group['n']!r}")
    pairs = group["percentiles"]
    if not (isinstance(pairs, list) and pairs
            and all(isinstance(p, list) and len(p) == 2 and all(is_number(x) for x in p) for p in pairs)):
        return [*problems, "percentiles must be a list of [score, percentile] pairs of numbers"]
    if any(a[0] >= b[0] or a[1] > b[1] for a, b in zip(pairs, pairs[1:])):
        problems.append("percentiles must rise with the score, scores listed once each")
    if any(not 0 <= p[1] <= 100 for p in pairs):
        problems.append("percentile ranks must be 0 to 100")
    return problems
