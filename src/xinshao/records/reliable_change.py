"""Reliable change between two scores (Jacobson & Truax 1991): plain Python, no Django.

    S_E = SD · √(1 − r),  S_diff = √2 · S_E,  RC = (x₂ − x₁) / S_diff

|RC| > 1.96 means the change is larger than measurement error alone would give 95 % of the
time. SD is the spread of the scores in a reference sample and r the instrument's reliability in
it; here both come from the city's own norm table (norms app), so the index fits local students.
"""
import math
from dataclasses import dataclass

THRESHOLD = 1.96


@dataclass(frozen=True)
class Change:
    before: float
    after: float
    index: float

    @property
    def reliable(self) -> bool:
        return abs(self.index) > THRESHOLD

    @property
    def direction(self) -> str:
        """"up" or "down" when the change is reliable, "" when it is within measurement error."""
        if not self.reliable:
            return ""
        return "up" if self.index > 0 else "down"


def reliable_change(before: float, after: float, *, sd: float, reliability: float) -> Change | None:
    """The change from `before` to `after`; None when SD or r cannot give an error (r ≥ 1, SD ≤ 0)."""
    if sd <= 0 or not 0 <= reliability < 1:
        return None
    s_diff = math.sqrt(2) * sd * math.sqrt(1 - reliability)
    return Change(before, after, round((after - before) / s_diff, 2))


def pooled_sd(groups: list[dict]) -> float | None:
    """The SD of all scores together from groups' n, mean and SD (within + between groups)."""
    total = sum(group["n"] for group in groups)
    if total < 2:
        return None
    mean = sum(group["n"] * group["mean"] for group in groups) / total
    squares = sum((group["n"] - 1) * group["sd"] ** 2 + group["n"] * (group["mean"] - mean) ** 2 for group in groups)
    return math.sqrt(squares / (total - 1))
