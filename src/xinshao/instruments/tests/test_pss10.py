"""PSS-10. Rules: 10 items 0–4; items 4, 5, 7 and 8 reverse-scored (0↔4, 1↔3, 2=2) (Cohen &
Williamson 1988); total 0–40; non-official ranges 0–13 low, 14–26 moderate, 27–40 high;
subscales helplessness (1, 2, 3, 6, 9, 10) and lack of self-efficacy (4, 5, 7, 8, reversed).
Missing: project default, prorate at most 1 item."""
import pytest

from .helpers import answers_for_total

REVERSED = (3, 4, 6, 7)  # positions of items 4, 5, 7, 8


def test_worked_example_with_reversed_items(score):
    # raw:      2 3 1 1 2 3 1 2 2 3
    # scored:   2 3 1 3 2 3 3 2 2 3   (items 4, 5, 7, 8: 4 - raw) -> total 24, moderate
    # helplessness 2+3+1+3+2+3 = 14; lack of self-efficacy 3+2+3+2 = 10
    result = score("pss10", [2, 3, 1, 1, 2, 3, 1, 2, 2, 3])
    assert (result["total"], result["band"]) == (24, "moderate")
    assert result["subscales"] == {"helplessness": 14, "lack_of_self_efficacy": 10}


def test_all_zero_answers_score_sixteen_and_are_straight_lining(score):
    # the trap: 0 on the four reversed items counts 4 each
    result = score("pss10", [0] * 10)
    assert (result["total"], result["band"]) == (16, "moderate")
    assert result["validity"]["straight_lining"] is True and result["valid"] is False


def _answers(total: int) -> list[int]:
    """Answers whose scored values add up to total (reversed positions written as 4 - scored)."""
    scored = answers_for_total(total, 10, 4)
    return [4 - value if index in REVERSED else value for index, value in enumerate(scored)]


@pytest.mark.parametrize(("total", "band"), [
    (0, "low"), (13, "low"), (14, "moderate"), (26, "moderate"), (27, "high"), (40, "high"),
])
def test_every_band_boundary(score, total, band):
    result = score("pss10", _answers(total))
    assert (result["total"], result["band"]) == (total, band)


def test_one_missing_item_is_prorated_in_total_and_subscale(score):
    # scored 2 3 1 3 2 3 3 2 2 _ : total 21 over 9 -> 21 x 10 / 9 = 23.3 -> 23
    # helplessness 2+3+1+3+2 = 11 over 5 -> 11 x 6 / 5 = 13.2 -> 13
    result = score("pss10", [2, 3, 1, 1, 2, 3, 1, 2, 2, None])
    assert (result["total"], result["subscales"]["helplessness"], result["valid"]) == (23, 13, True)
    assert result["subscales"]["lack_of_self_efficacy"] == 10


def test_two_missing_items_give_no_total(score):
    assert score("pss10", [2, 3, 1, 1, 2, 3, 1, 2, None, None])["total"] is None


def test_the_midpoint_everywhere_is_not_straight_lining(score):
    # 2 reverse-scores to 4 - 2 = 2: the same answer to every item contradicts no reversed item
    result = score("pss10", [2] * 10)
    assert (result["total"], result["validity"]["straight_lining"], result["valid"]) == (20, False, True)


@pytest.mark.parametrize("answer", [0, 1, 3, 4])
def test_the_same_answer_off_the_midpoint_contradicts_the_reversed_items(score, answer):
    result = score("pss10", [answer] * 10)
    assert result["validity"]["straight_lining"] is True and "contradict" in result["errors"][0]
