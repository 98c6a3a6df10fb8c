"""GAD-7 and GAD-2. Rules: GAD-7 total = sum of 7 items 0–3; 0–4 minimal, 5–9 mild, 10–14
moderate, 15–21 severe; ≥ 10 further evaluation (Spitzer 2006). Missing: no published rule;
project default prorates at most 1 item. GAD-2 = items 1–2, positive at ≥ 3 (Kroenke 2007),
every item needed. Neither has a critical item."""
import pytest

from .helpers import answers_for_total, flag_ids


def test_gad7_worked_example(score):
    # 1 + 2 + 1 + 0 + 3 + 1 + 2 = 10 -> moderate, at the further-evaluation cut-off
    result = score("gad7", [1, 2, 1, 0, 3, 1, 2])
    assert (result["total"], result["band"], result["cutoffs"]["further_evaluation_10"]) == (10, "moderate", True)


@pytest.mark.parametrize(("total", "band"), [
    (0, "minimal"), (4, "minimal"), (5, "mild"), (9, "mild"), (10, "moderate"), (14, "moderate"),
    (15, "severe"), (21, "severe"),
])
def test_gad7_every_band_boundary(score, total, band):
    assert score("gad7", answers_for_total(total, 7, 3))["band"] == band


def test_gad7_one_missing_item_is_prorated_half_up(score):
    # 3+3+3+2+2+2 = 15 over 6 answered -> 15 x 7 / 6 = 17.5 -> 18 (severe)
    result = score("gad7", [3, 3, 3, None, 2, 2, 2])
    assert (result["total"], result["band"], result["valid"]) == (18, "severe", True)


def test_gad7_two_missing_items_give_no_total(score):
    result = score("gad7", [3, None, 3, None, 2, 2, 2])
    assert result["total"] is None and result["valid"] is False


def test_gad7_has_no_critical_flags(score):
    assert score("gad7", [3] * 7)["flags"] == []


@pytest.mark.parametrize(("answers", "band"), [([1, 1], "negative"), ([2, 0], "negative"), ([2, 1], "positive"), ([3, 3], "positive")])
def test_gad2_positive_at_three(score, answers, band):
    assert score("gad2", answers)["band"] == band


def test_gad2_positive_screen_asks_for_the_gad7(score):
    assert flag_ids(score("gad2", [3, 0])) == ["administer_gad7"]


def test_gad2_needs_both_items(score):
    result = score("gad2", [3, None])
    assert result["total"] is None and "needs every item" in result["errors"][0]
