"""Reliable change (Jacobson & Truax 1991) and the pooled SD it is computed from."""
import math
import statistics

import pytest

from xinshao.records.reliable_change import pooled_sd, reliable_change


def test_a_change_beyond_measurement_error_is_reliable():
    # SD 7.5, r = 0.88: S_E = 7.5·√0.12 = 2.598, S_diff = √2 · 2.598 = 3.674; 10 points is 2.72 of them.
    change = reliable_change(12, 22, sd=7.5, reliability=0.88)
    assert change.index == pytest.approx(10 / (math.sqrt(2) * 7.5 * math.sqrt(0.12)), abs=0.01) == pytest.approx(2.72, abs=0.01)
    assert change.reliable and change.direction == "up"


def test_a_small_change_is_within_error_and_has_no_direction():
    change = reliable_change(12, 9, sd=7.5, reliability=0.88)
    assert change.index == pytest.approx(-0.82, abs=0.01)
    assert not change.reliable and change.direction == ""


def test_without_spread_or_with_perfect_reliability_no_index_is_given():
    assert reliable_change(1, 5, sd=0, reliability=0.9) is None
    assert reliable_change(1, 5, sd=3, reliability=1.0) is None


def test_the_pooled_sd_is_the_sd_of_all_scores_together():
    girls, boys = [2, 4, 4, 7, 9], [1, 3, 8, 8, 10, 12]
    groups = [{"n": len(g), "mean": statistics.mean(g), "sd": statistics.stdev(g)} for g in (girls, boys)]
    assert pooled_sd(groups) == pytest.approx(statistics.stdev(girls + boys))
