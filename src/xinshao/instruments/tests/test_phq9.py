"""PHQ-9. Rules: total = sum of items 1–9, each 0–3 (Kroenke 2001); bands 0–4 minimal, 5–9 mild,
10–14 moderate, 15–19 moderately severe, 20–27 severe (Kroenke 2001); item 9 ≥ 1 is critical
whatever the total (PHQ instruction manual); missing items: prorate with at most 2 unanswered,
raw sum x 9 / answered, rounded half up (APA adolescent adaptation), item 9 never prorated."""
import pytest

from .helpers import answers_for_total, critical_items, flag_ids


def test_worked_example_sums_the_nine_items(score):
    # 1 + 2 + 0 + 3 + 1 + 0 + 2 + 1 + 0 = 10 -> moderate (10–14)
    result = score("phq9", [1, 2, 0, 3, 1, 0, 2, 1, 0])
    assert (result["total"], result["band"], result["valid"]) == (10, "moderate", True)
    assert result["cutoffs"] == {"referral_10": True, "us_adolescent_11": False, "chinese_adolescent_15": False}
    assert result["flags"] == []


@pytest.mark.parametrize(("total", "band"), [
    (0, "minimal"), (4, "minimal"), (5, "mild"), (9, "mild"), (10, "moderate"), (14, "moderate"),
    (15, "moderately_severe"), (19, "moderately_severe"), (20, "severe"), (27, "severe"),
])
def test_every_band_boundary(score, total, band):
    result = score("phq9", answers_for_total(total, 9, 3))
    assert (result["total"], result["band"]) == (total, band)


@pytest.mark.parametrize(("total", "met"), [(10, True), (9, False)])
def test_referral_cutoff_is_at_or_above_ten(score, total, met):
    assert score("phq9", answers_for_total(total, 9, 3))["cutoffs"]["referral_10"] is met


@pytest.mark.parametrize(("total", "met"), [(14, False), (15, True)])
def test_chinese_adolescent_cutoff_is_at_or_above_fifteen(score, total, met):
    assert score("phq9", answers_for_total(total, 9, 3))["cutoffs"]["chinese_adolescent_15"] is met


def test_one_missing_item_is_prorated(score):
    # 2+2+2+2+2+2+2+0 = 14 over 8 answered -> 14 x 9 / 8 = 15.75 -> 16 (moderately severe)
    result = score("phq9", [2, 2, None, 2, 2, 2, 2, 2, 0])
    assert (result["total"], result["band"], result["valid"]) == (16, "moderately_severe", True)
    assert result["validity"]["missing_items"] == ["phq9_3"]


def test_prorating_rounds_half_up(score):
    # 1+1+1+1 = 4 over 8 answered -> 4 x 9 / 8 = 4.5 -> 5: mild, not minimal
    result = score("phq9", [1, 1, 1, 1, None, 0, 0, 0, 0])
    assert (result["total"], result["band"]) == (5, "mild")


def test_two_missing_items_are_prorated(score):
    # 3+3+1+1+1+1+0 = 10 over 7 answered -> 10 x 9 / 7 = 12.86 -> 13 (moderate)
    assert score("phq9", [3, None, 3, None, 1, 1, 1, 1, 0])["total"] == 13


def test_three_missing_items_give_no_total(score):
    result = score("phq9", [None, None, None, 1, 1, 1, 1, 1, 0])
    assert (result["total"], result["band"], result["valid"]) == (None, None, False)
    assert result["validity"]["too_many_missing"] is True
    assert "at most 2 unanswered" in result["errors"][0]


def test_item_nine_above_zero_is_critical_whatever_the_total(score):
    result = score("phq9", [0, 0, 0, 0, 0, 0, 0, 0, 1])
    assert (result["total"], result["band"]) == (1, "minimal")
    assert flag_ids(result) == ["critical_self_harm_thoughts"]
    flag = result["flags"][0]
    assert (flag["critical"], flag["item"], flag["answer"]) == (True, "phq9_9", 1)
    assert "ASQ" in flag["action"]["en"] and flag["rule"]["zh-Hans"]
    assert "instruction" in flag["citation"]["source"].lower()


def test_item_nine_unanswered_is_never_prorated_and_asks_directly(score):
    result = score("phq9", [3, 3, 3, 3, 3, 3, 3, 3, None])
    assert result["total"] is None and result["valid"] is False
    assert "never prorated" in result["errors"][0]
    assert flag_ids(result) == ["critical_self_harm_thoughts_unanswered"]
    assert result["flags"][0]["critical"] is True


def test_item_nine_is_flagged_when_other_answers_are_invalid(score):
    result = score("phq9", [9, "x", 0, 0, 0, 0, 0, 0, 2])
    assert result["valid"] is False and len(result["errors"]) == 2
    assert critical_items(result) == {"phq9_9"}


@pytest.mark.parametrize("answers", [
    [0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0],      # one answer too many: item 9 still at position 9
    [0, 0, 0, 0, 0, 0, 0, 0],               # one too few: item 9 unanswered
])
def test_item_nine_is_flagged_when_the_answers_are_wrongly_counted(score, answers):
    result = score("phq9", answers)
    assert result["valid"] is False and "expected 9 to 10 answers" in result["errors"][0]
    assert critical_items(result) == {"phq9_9"}


def test_the_difficulty_question_is_optional_and_unscored(score):
    assert score("phq9", [1, 1, 1, 1, 1, 1, 1, 1, 0, 3])["total"] == 8
    assert score("phq9", [1, 1, 1, 1, 1, 1, 1, 1, 0, 4])["valid"] is False
