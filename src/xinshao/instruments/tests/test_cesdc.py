"""CES-DC. Rules: 20 items 0–3, items 4, 8, 12, 16 reverse-scored; total 0–60; above 15
(≥ 16) suggests significant depressive symptoms (Weissman 1980; Fendrich 1990). Missing: more
than 4 unanswered -> not scored (CES-D instruction); up to 4 prorated (project policy)."""
import pytest

from .helpers import answers_for_total

REVERSED = (3, 7, 11, 15)


def _answers(total: int) -> list[int]:
    scored = answers_for_total(total, 20, 3)
    return [3 - value if index in REVERSED else value for index, value in enumerate(scored)]


def test_worked_example_with_reversed_items(score):
    # every item answered 1 ("a little"): 16 items count 1, the 4 reversed ones count 3 - 1 = 2
    # 16 x 1 + 4 x 2 = 24 -> positive; but one answer to everything is straight-lining
    result = score("cesdc", [1] * 20)
    assert (result["total"], result["band"]) == (24, "positive")
    assert result["validity"]["straight_lining"] is True


def test_positive_items_answered_a_lot_count_zero(score):
    # items 4, 8, 12, 16 answered 3 ("a lot" of feeling good) count 0; the rest 0 -> total 0
    answers = [0] * 20
    for index in REVERSED:
        answers[index] = 3
    assert score("cesdc", answers)["total"] == 0


@pytest.mark.parametrize(("total", "band"), [(0, "negative"), (15, "negative"), (16, "positive"), (60, "positive")])
def test_every_band_boundary(score, total, band):
    result = score("cesdc", _answers(total))
    assert (result["total"], result["band"]) == (total, band)


def test_four_missing_items_are_prorated(score):
    answers = _answers(24)                        # scored 3,3,3,3,3,3,3,3,0,...
    answers[16:20] = [None] * 4                   # the four unanswered items scored 0 anyway
    # 24 over 16 answered -> 24 x 20 / 16 = 30
    assert score("cesdc", answers)["total"] == 30


def test_five_missing_items_give_no_total(score):
    answers = _answers(24)
    answers[15:20] = [None] * 5
    result = score("cesdc", answers)
    assert result["total"] is None and "at most 4 unanswered" in result["errors"][0]
