"""PHQ-A. Rules: total of items 1–9 (0–3 each) with the PHQ-9 severity ranges (GLAD-PC, Johnson
2002); item 9 ≥ 1 critical; supplementary questions 12 (serious suicidal thoughts, past month)
and 13 (suicide attempt ever) answered yes are critical (GLAD-PC); missing items as the APA
adaptation: prorate with at most 2 unanswered, item 9 never."""
import pytest

from .helpers import answers_for_total, critical_items, flag_ids


def test_worked_example(score):
    # 2 + 1 + 1 + 0 + 2 + 1 + 0 + 0 + 0 = 7 -> mild (5–9); supplementary answers are not scored
    result = score("phqa", [2, 1, 1, 0, 2, 1, 0, 0, 0, 1, 2, 0, 0])
    assert (result["total"], result["band"], result["valid"], result["flags"]) == (7, "mild", True, [])


@pytest.mark.parametrize(("total", "band"), [
    (0, "minimal"), (4, "minimal"), (5, "mild"), (9, "mild"), (10, "moderate"), (14, "moderate"),
    (15, "moderately_severe"), (19, "moderately_severe"), (20, "severe"), (27, "severe"),
])
def test_every_band_boundary(score, total, band):
    assert score("phqa", answers_for_total(total, 9, 3))["band"] == band


@pytest.mark.parametrize(("total", "met"), [(9, False), (10, True)])
def test_further_evaluation_cutoff(score, total, met):
    assert score("phqa", answers_for_total(total, 9, 3))["cutoffs"]["further_evaluation_10"] is met


def test_nine_answers_are_enough(score):
    assert score("phqa", [1] * 9)["valid"] is True


def test_missing_item_is_prorated(score):
    # 3+3+3+3+3+3+3+0 = 21 over 8 answered -> 21 x 9 / 8 = 23.63 -> 24 (severe)
    assert score("phqa", [3, 3, 3, 3, 3, 3, None, 3, 0])["total"] == 24


@pytest.mark.parametrize(("answers", "expected"), [
    ([0] * 9 + [0, 0, 1, 0], ["critical_suicidal_thoughts_past_month"]),
    ([0] * 9 + [0, 0, 0, 1], ["critical_suicide_attempt_ever"]),
    ([0] * 8 + [2, None, None, 1, 1], ["critical_self_harm_thoughts", "critical_suicidal_thoughts_past_month",
                                       "critical_suicide_attempt_ever"]),
])
def test_supplementary_suicide_questions_are_critical(score, answers, expected):
    result = score("phqa", answers)
    assert flag_ids(result) == expected and all(flag["critical"] for flag in result["flags"])


def test_unanswered_supplementary_questions_raise_nothing(score):
    assert score("phqa", [0] * 9 + [None, None, None, None])["flags"] == []


def test_item_nine_is_flagged_when_the_rest_is_invalid_or_incomplete(score):
    result = score("phqa", [None, None, None, None, 7, 0, 0, 0, 1])
    assert result["valid"] is False
    assert critical_items(result) == {"phqa_9"}
