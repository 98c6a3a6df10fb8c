"""Local norms and reliability from a sample of results: plain Python, no Django.

A norm group's percentile rank of a score is the mid-rank 100 × (below + ½ × equal) / n, the
usual definition for discrete test scores (Crocker & Algina, *Introduction to Classical and Modern
Test Theory*, 1986, ch. 19), so the most common score does not jump from one rank to the next.
Reliability is Cronbach's alpha, α = k/(k−1) · (1 − Σσ²ᵢ / σ²ₜ), with the corrected item-total
correlation of each item (the item against the total of the other items). Both are computed in
one pass from running sums, so a whole city's sample never has to sit in memory.
"""
import math
from collections import Counter
from dataclasses import dataclass, field


@dataclass
class GroupScores:
    """The totals of one norm group (grade × gender), as counts of each score."""

    counts: Counter = field(default_factory=Counter)

    def add(self, total: float) -> None:
        self.counts[total] += 1

    @property
    def n(self) -> int:
        return sum(self.counts.values())

    def mean(self) -> float:
        return sum(score * count for score, count in self.counts.items()) / self.n

    def sd(self) -> float:
        """The sample standard deviation (n − 1); 0 for a group of one."""
        n, mean = self.n, self.mean()
        if n < 2:
            return 0.0
        return math.sqrt(sum(count * (score - mean) ** 2 for score, count in self.counts.items()) / (n - 1))

    def percentile_ranks(self) -> list[list[float]]:
        """[score, mid-rank percentile] for every score that occurs, lowest first."""
        n, below, ranks = self.n, 0, []
        for score in sorted(self.counts):
            equal = self.counts[score]
            ranks.append([score, round(100 * (below + equal / 2) / n, 1)])
            below += equal
        return ranks


@dataclass
class Reliability:
    """Running sums over complete responses: each row is the scored value of every item of the score."""

    items: int
    n: int = 0
    total_sum: float = 0.0
    total_squares: float = 0.0
    item_sums: list[float] = field(default_factory=list)
    item_squares: list[float] = field(default_factory=list)
    item_by_total: list[float] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.item_sums = [0.0] * self.items
        self.item_squares = [0.0] * self.items
        self.item_by_total = [0.0] * self.items

    def add(self, row: list[float]) -> None:
        if len(row) != self.items:
            raise ValueError(f"a row of {len(row)} values for {self.items} items")
        total = sum(row)
        self.n += 1
        self.total_sum += total
        self.total_squares += total * total
        for index, value in enumerate(row):
            self.item_sums[index] += value
            self.item_squares[index] += value * value
            self.item_by_total[index] += value * total

    def _variance(self, sum_: float, squares: float) -> float:
        return (squares - sum_ * sum_ / self.n) / (self.n - 1)

    def _total_variance(self) -> float:
        return self._variance(self.total_sum, self.total_squares)

    def _item_variance(self, index: int) -> float:
        return self._variance(self.item_sums[index], self.item_squares[index])

    def _item_total_covariance(self, index: int) -> float:
        return (self.item_by_total[index] - self.item_sums[index] * self.total_sum / self.n) / (self.n - 1)

    def alpha(self) -> float | None:
        """Cronbach's alpha; None with fewer than two items or responses, or when totals do not vary."""
        if self.items < 2 or self.n < 2 or self._total_variance() <= 0:
            return None
        item_variances = sum(self._item_variance(index) for index in range(self.items))
        return self.items / (self.items - 1) * (1 - item_variances / self._total_variance())

    def item_rest_correlations(self) -> list[float | None]:
        """Each item's correlation with the total of the other items; None where either does not vary."""
        if self.n < 2:
            return [None] * self.items
        total_variance = self._total_variance()
        correlations = []
        for index in range(self.items):
            item_variance = self._item_variance(index)
            covariance = self._item_total_covariance(index) - item_variance  # cov(item, total − item)
            rest_variance = total_variance - 2 * self._item_total_covariance(index) + item_variance
            if item_variance <= 1e-12 or rest_variance <= 1e-12:
                correlations.append(None)
            else:
                correlations.append(covariance / math.sqrt(item_variance * rest_variance))
        return correlations
