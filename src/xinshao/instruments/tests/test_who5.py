"""WHO-5. Rules: 5 items 0–5, raw score 0–25, percentage = raw x 4 (WHO 1998). Raw < 13 (≤ 48 %)
poor well-being: test for depression (WHO 1998); raw ≤ 7 (≤ 28 %) likely depression (Topp 2015);
any item 0 or 1 also calls for a depression test (WHO 1998). Shanghai senior-high cut-offs
11.5 and 12.5. Every item needed (project policy)."""
import pytest

from .helpers import answers_for_total, flag_ids


def test_worked_example(score):
    # 5 + 4 + 3 + 2 + 1 = 15 -> 60 %; adequate, but item 5 = 1 calls for a depression test
    result = score("who5", [5, 4, 3, 2, 1])
    assert (result["total"], result["transformed"]["percentage"], result["band"]) == (15, 60, "adequate_wellbeing")
    assert flag_ids(result) == ["low_item_wellbeing"] and result["flags"][0]["item"] == "who5_5"


@pytest.mark.parametrize(("total", "band", "percentage"), [
    (0, "likely_depression", 0), (7, "likely_depression", 28), (8, "poor_wellbeing", 32),
    (12, "poor_wellbeing", 48), (13, "adequate_wellbeing", 52), (25, "adequate_wellbeing", 100),
])
def test_every_band_boundary(score, total, band, percentage):
    result = score("who5", answers_for_total(total, 5, 5))
    assert (result["total"], result["band"], result["transformed"]["percentage"]) == (total, band, percentage)


def test_low_bands_recommend_a_depression_assessment(score):
    assert "depression_assessment_recommended" in flag_ids(score("who5", [3, 3, 2, 2, 2]))
    assert "depression_assessment_recommended" not in flag_ids(score("who5", [3, 3, 3, 2, 2]))


@pytest.mark.parametrize(("answers", "at_11", "at_12"), [
    ([3, 2, 2, 2, 2], True, True),     # 11
    ([3, 3, 2, 2, 2], False, True),    # 12
    ([3, 3, 3, 2, 2], False, False),   # 13
])
def test_chinese_senior_high_cutoffs_are_at_or_below(score, answers, at_11, at_12):
    cutoffs = score("who5", answers)["cutoffs"]
    assert (cutoffs["chinese_senior_high_11"], cutoffs["chinese_senior_high_12"]) == (at_11, at_12)


def test_a_missing_item_gives_no_score(score):
    result = score("who5", [5, 5, 5, 5, None])
    assert result["total"] is None and result["transformed"]["percentage"] is None and result["valid"] is False
