"""The norm and reliability arithmetic against the textbook definitions, computed here another way."""
import statistics

import pytest

from xinshao.norms.statistics import GroupScores, Reliability

# Five respondents × four items (rows), a small classroom example.
ROWS = [[3, 2, 3, 2], [1, 1, 0, 1], [2, 2, 2, 3], [0, 1, 1, 0], [3, 3, 2, 3]]


def test_percentile_ranks_are_mid_ranks():
    group = GroupScores()
    for total in [2, 5, 5, 7, 9, 9, 9, 12]:
        group.add(total)
    # 5: one below, two equal -> (1 + 2/2) / 8 = 25 %; 9: four below, three equal -> (4 + 1.5) / 8 = 68.75 %.
    assert group.percentile_ranks() == [[2, 6.2], [5, 25.0], [7, 43.8], [9, 68.8], [12, 93.8]]
    assert group.n == 8 and group.mean() == pytest.approx(58 / 8)
    assert group.sd() == pytest.approx(statistics.stdev([2, 5, 5, 7, 9, 9, 9, 12]))


def test_alpha_matches_its_definition_from_variances():
    reliability = Reliability(4)
    for row in ROWS:
        reliability.add(row)
    columns = list(zip(*ROWS))
    totals = [sum(row) for row in ROWS]
    expected = 4 / 3 * (1 - sum(statistics.variance(column) for column in columns) / statistics.variance(totals))
    assert reliability.alpha() == pytest.approx(expected)
    assert 0.8 < reliability.alpha() < 1  # these items move together


def test_identical_items_are_perfectly_consistent():
    reliability = Reliability(3)
    for value in [0, 1, 2, 3, 1]:
        reliability.add([value, value, value])
    assert reliability.alpha() == pytest.approx(1.0)


def test_each_item_is_correlated_with_the_rest_of_the_scale_not_with_itself():
    reliability = Reliability(4)
    for row in ROWS:
        reliability.add(row)
    for index, r in enumerate(reliability.item_rest_correlations()):
        item = [row[index] for row in ROWS]
        rest = [sum(row) - row[index] for row in ROWS]
        assert r == pytest.approx(statistics.correlation(item, rest))


def test_an_item_everyone_answers_alike_has_no_correlation_and_no_alpha_without_spread():
    reliability = Reliability(2)
    for row in [[1, 0], [1, 0], [1, 0]]:
        reliability.add(row)
    assert reliability.item_rest_correlations() == [None, None]
    assert reliability.alpha() is None


def test_a_row_of_the_wrong_length_is_refused():
    with pytest.raises(ValueError, match="3 values for 4 items"):
        Reliability(4).add([1, 2, 3])
