"""SCARED-41 child form. Rules (scoring key, Birmaher 1997/1999): items 0–2, total 0–82; ≥ 25 may
indicate an anxiety disorder, > 30 more specific; subscales and cut-offs: panic/somatic (13 items)
≥ 7, generalized anxiety (9) ≥ 9, separation anxiety (8) ≥ 5, social anxiety (7) ≥ 8, school
avoidance (4) ≥ 3. Missing: project default, total prorated with at most 4 unanswered, each
subscale with at most 1."""
import pytest

SUBSCALES = {
    "panic_somatic": ([1, 6, 9, 12, 15, 18, 19, 22, 24, 27, 30, 34, 38], 7),
    "generalized_anxiety": ([5, 7, 14, 21, 23, 28, 33, 35, 37], 9),
    "separation_anxiety": ([4, 8, 13, 16, 20, 25, 29, 31], 5),
    "social_anxiety": ([3, 10, 26, 32, 39, 40, 41], 8),
    "school_avoidance": ([2, 11, 17, 36], 3),
}


def _with(item_values: dict[int, int]) -> list[int]:
    return [item_values.get(number, 0) for number in range(1, 42)]


def test_subscales_partition_the_41_items():
    numbers = sorted(n for items, _ in SUBSCALES.values() for n in items)
    assert numbers == list(range(1, 42))


def test_worked_example(score):
    # items 2, 11, 17 (school avoidance) = 1 each -> 3: elevated; items 3 and 10 (social) = 2 -> 4
    # total 3 + 4 = 7 -> below the cut-off
    result = score("scared", _with({2: 1, 11: 1, 17: 1, 3: 2, 10: 2}))
    assert result["total"] == 7 and result["band"] == "below_cutoff"
    assert result["subscales"]["school_avoidance"] == 3 and result["bands"]["school_avoidance"] == "elevated"
    assert result["subscales"]["social_anxiety"] == 4 and result["bands"]["social_anxiety"] == "not_elevated"


def _total(total: int) -> list[int]:
    answers, remaining = [], total
    for _ in range(41):
        answers.append(min(2, remaining))
        remaining -= answers[-1]
    return answers


@pytest.mark.parametrize(("total", "band"), [
    (0, "below_cutoff"), (24, "below_cutoff"), (25, "anxiety_disorder_possible"), (30, "anxiety_disorder_possible"),
    (31, "anxiety_disorder_likely"), (82, "anxiety_disorder_likely"),
])
def test_every_total_band_boundary(score, total, band):
    result = score("scared", _total(total))
    assert (result["total"], result["band"]) == (total, band)


@pytest.mark.parametrize("subscale", SUBSCALES)
def test_every_subscale_cutoff_both_sides(score, subscale):
    items, cutoff = SUBSCALES[subscale]
    below = dict(zip(items, _spread(cutoff - 1, len(items))))
    at = dict(zip(items, _spread(cutoff, len(items))))
    assert score("scared", _with(below))["bands"][subscale] == "not_elevated"
    assert score("scared", _with(at))["bands"][subscale] == "elevated"
    assert score("scared", _with(at))["subscales"][subscale] == cutoff


def _spread(total: int, count: int) -> list[int]:
    return [min(2, max(0, total - 2 * index)) for index in range(count)]


def test_missing_items_are_prorated_within_the_limits(score):
    answers = _with({n: 2 for n in (2, 11, 17)})   # school avoidance 6 of 8, total 6
    answers[35] = None                              # item 36 (school avoidance) unanswered
    # total: 6 over 40 answered -> 6 x 41 / 40 = 6.15 -> 6; school avoidance 6 over 3 -> 6 x 4 / 3 = 8
    result = score("scared", answers)
    assert (result["total"], result["subscales"]["school_avoidance"], result["valid"]) == (6, 8, True)


def test_five_missing_items_give_no_total(score):
    answers = _with({})
    for number in (1, 2, 3, 4, 5):
        answers[number - 1] = None
    result = score("scared", answers)
    assert result["total"] is None and result["valid"] is False
    assert result["subscales"]["panic_somatic"] == 0   # one missing of 13: still prorated
