"""ASQ (NIMH toolkit). Rules: no to questions 1–4 -> negative screen; yes to any, or a refusal
(a blank answer) -> positive screen; then question 5 yes -> acute positive, no -> non-acute
positive. Project rules: question 5 blank after a positive screen -> acute (acuity unknown);
question 5 yes after a negative screen -> acute. Every yes raises a critical flag."""
import pytest

from .helpers import critical_items, flag_ids

POSITIVE = "critical_suicide_risk_positive_screen"
ACUTE = "critical_acute_suicide_risk"


@pytest.mark.parametrize("answers", [[0, 0, 0, 0], [0, 0, 0, 0, None], [0, 0, 0, 0, 0]])
def test_no_to_all_four_is_negative(score, answers):
    result = score("asq", answers)
    assert (result["total"], result["band"], result["flags"], result["valid"]) == (0, "negative", [], True)


@pytest.mark.parametrize("position", range(4))
def test_yes_to_any_of_the_four_with_question_five_no_is_non_acute(score, position):
    answers = [0, 0, 0, 0, 0]
    answers[position] = 1
    result = score("asq", answers)
    assert (result["total"], result["band"]) == (1, "non_acute_positive")
    assert flag_ids(result) == [POSITIVE] and result["flags"][0]["item"] == f"asq_{position + 1}"


def test_each_yes_raises_its_own_flag(score):
    result = score("asq", [1, 0, 1, 1, 0])
    assert result["total"] == 3 and critical_items(result) == {"asq_1", "asq_3", "asq_4"}


def test_question_five_yes_after_a_positive_screen_is_acute(score):
    result = score("asq", [0, 1, 0, 0, 1])
    assert result["band"] == "acute_positive"
    assert flag_ids(result) == [POSITIVE, ACUTE]
    assert "not be left alone" in result["flags"][1]["action"]["en"]


def test_a_refusal_counts_as_a_positive_answer(score):
    result = score("asq", [None, 0, 0, 0, 0])
    assert (result["total"], result["band"], result["valid"]) == (1, "non_acute_positive", True)
    assert result["flags"][0]["id"] == POSITIVE and "refusal" in result["flags"][0]["note"]
    assert result["validity"]["missing_items"] == ["asq_1"]


def test_question_five_blank_after_a_positive_screen_is_treated_as_acute(score):
    result = score("asq", [1, 0, 0, 0])
    assert result["band"] == "acute_positive"
    assert flag_ids(result) == [POSITIVE, ACUTE] and result["flags"][1]["band"] == "acute_positive"


def test_question_five_yes_after_a_negative_screen_is_still_acute(score):
    result = score("asq", [0, 0, 0, 0, 1])
    assert result["band"] == "acute_positive" and flag_ids(result) == [ACUTE]


def test_refusing_everything_is_a_positive_acute_screen(score):
    result = score("asq", [None, None, None, None])
    assert (result["total"], result["band"]) == (4, "acute_positive")
    assert critical_items(result) == {"asq_1", "asq_2", "asq_3", "asq_4", None}


@pytest.mark.parametrize(("answers", "items"), [
    ([1, 0, 7, 0, 0], {"asq_1", "asq_3"}),          # out of range on Q3: unreadable, counted positive
    ([0, 0, 0, 0, 1, 1], {"asq_5"}),                # too many answers: Q5 still read at its position
    ([0, "yes", 0], {"asq_2", "asq_4"}),            # non-numeric and too few: Q4 never answered
])
def test_every_yes_is_flagged_even_when_the_response_is_invalid(score, answers, items):
    result = score("asq", answers)
    assert result["valid"] is False and result["band"] is None
    assert critical_items(result) == items
