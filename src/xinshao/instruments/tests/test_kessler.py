"""K10 and K6. K10 rules: 10 items scored 1–5, total 10–50; ABS bands 10–15 low, 16–21 moderate,
22–29 high, 30–50 very high; Andrews & Slade cut-offs 20 and 30; one missing item takes the mean
of the others (= prorating), more than one: no total. K6 rules: 6 items scored 0–4, total 0–24;
≥ 13 serious psychological distress (Kessler 2003), 5–12 moderate (Prochaska 2012)."""
import pytest

from .helpers import answers_for_total, flag_ids


def test_k10_worked_example(score):
    # 1+2+1+3+2+1+3+2+2+1 = 18 -> moderate (16–21); below Andrews & Slade's 20
    result = score("k10", [1, 2, 1, 3, 2, 1, 3, 2, 2, 1])
    assert (result["total"], result["band"]) == (18, "moderate")
    assert result["cutoffs"] == {"disorder_likely_20": False, "severe_disorder_likely_30": False}


@pytest.mark.parametrize(("total", "band"), [
    (10, "low"), (15, "low"), (16, "moderate"), (21, "moderate"), (22, "high"), (29, "high"),
    (30, "very_high"), (50, "very_high"),
])
def test_k10_every_band_boundary(score, total, band):
    assert score("k10", answers_for_total(total, 10, 5, low=1))["band"] == band


@pytest.mark.parametrize(("total", "at_20", "at_30"), [(19, False, False), (20, True, False), (29, True, False), (30, True, True)])
def test_k10_andrews_slade_cutoffs(score, total, at_20, at_30):
    cutoffs = score("k10", answers_for_total(total, 10, 5, low=1))["cutoffs"]
    assert (cutoffs["disorder_likely_20"], cutoffs["severe_disorder_likely_30"]) == (at_20, at_30)


def test_k10_one_missing_item_takes_the_mean_of_the_others(score):
    # 2+2+2+2+2+3+3+3+1 = 20 over 9 answered; + mean 20/9 -> 22.2 -> 22 (high)
    result = score("k10", [2, 2, 2, 2, 2, 3, 3, 3, 1, None])
    assert (result["total"], result["band"]) == (22, "high")


def test_k10_two_missing_items_give_no_total(score):
    assert score("k10", [2, 2, 2, 2, 2, 3, 3, 3, None, None])["total"] is None


def test_k10_zero_is_not_an_answer(score):
    result = score("k10", [0] * 10)
    assert result["valid"] is False and "allowed: 1, 2, 3, 4, 5" in result["errors"][0]


def test_k6_worked_example(score):
    # 2 + 3 + 2 + 2 + 3 + 1 = 13 -> serious psychological distress
    result = score("k6", [2, 3, 2, 2, 3, 1])
    assert (result["total"], result["band"]) == (13, "serious_distress")
    assert flag_ids(result) == ["further_assessment_recommended"]


@pytest.mark.parametrize(("total", "band"), [
    (0, "low_distress"), (4, "low_distress"), (5, "moderate_distress"), (12, "moderate_distress"),
    (13, "serious_distress"), (24, "serious_distress"),
])
def test_k6_every_band_boundary(score, total, band):
    assert score("k6", answers_for_total(total, 6, 4))["band"] == band


def test_k6_one_missing_item_is_prorated(score):
    # 4+4+4+4+0 = 16 over 5 answered -> 16 x 6 / 5 = 19.2 -> 19
    assert score("k6", [4, 4, 4, None, 4, 0])["total"] == 19
