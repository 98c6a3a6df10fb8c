"""CBI (teacher version). Rules (Kristensen 2005): answers scored 100/75/50/25/0 (here codes 4..0,
x 25), scale score = mean of the scale's items; personal 1–6, work-related 7–13 (item 13 reversed),
student-related 14–19; non-responder on a scale with fewer than 3 answered personal items, fewer
than 4 work-related (PUMA scoring sheet), fewer than 3 student-related (same pattern, unverified).
High degree of burnout: a scale score of 50 or more (Borritz & Kristensen 2004). Grading < 50 low,
50–74 moderate, 75–99 high, 100 severe; scores are shown to one decimal and banded as shown."""
import pytest

PERSONAL, WORK, STUDENT = range(0, 6), range(6, 13), range(13, 19)


def _answers(personal=(), work=(), student=()) -> list:
    return [*personal, *work, *student]


def test_worked_example(score):
    # personal: 2,2,2,3,3,3 -> mean 2.5 -> 62.5 moderate
    # work: 3,3,3,3,3,3 and item 13 answered 1 (enough energy 'seldom') -> reversed 3 -> mean 3 -> 75 high
    # student: 4,4,4,4,4,4 -> 100 severe
    result = score("cbi", _answers([2, 2, 2, 3, 3, 3], [3, 3, 3, 3, 3, 3, 1], [4] * 6))
    assert result["subscales"] == {"personal_mean": 2.5, "work_mean": 3.0, "student_mean": 4.0}
    assert result["transformed"] == {"personal_burnout": 62.5, "work_burnout": 75.0, "student_burnout": 100.0}
    assert result["bands"] == {"personal_burnout": "moderate", "work_burnout": "high", "student_burnout": "severe"}
    assert result["total"] is None and result["band"] is None


def test_item_thirteen_is_reversed(score):
    # energy for family 'always' (4) counts 0; the other six work items 0 -> work burnout 0
    result = score("cbi", _answers([0] * 6, [0] * 6 + [4], [0] * 6))
    assert result["transformed"]["work_burnout"] == 0.0


@pytest.mark.parametrize(("personal", "shown", "band"), [
    ([2, 2, 2, 2, 2, 1], 45.8, "low"),         # 11 / 6 x 25 = 45.83
    ([2, 2, 2, 2, 2, 2], 50.0, "moderate"),
    ([3, 3, 3, 3, 3, 2], 70.8, "moderate"),    # 17 / 6 x 25 = 70.83
    ([3, 3, 3, 3, 3, 3], 75.0, "high"),
    ([4, 4, 4, 4, 4, 3], 95.8, "high"),        # 23 / 6 x 25 = 95.83
    ([4, 4, 4, 4, 4, 4], 100.0, "severe"),
])
def test_band_boundaries_either_side(score, personal, shown, band):
    result = score("cbi", _answers(personal, [0] * 6 + [4], [0] * 6))
    assert (result["transformed"]["personal_burnout"], result["bands"]["personal_burnout"]) == (shown, band)


def test_a_scale_is_the_mean_of_its_answered_items(score):
    # student scale: 4, 2, 3 answered, three blank -> mean 3 -> 75
    result = score("cbi", _answers([0] * 6, [0] * 6 + [4], [4, 2, 3, None, None, None]))
    assert result["transformed"]["student_burnout"] == 75.0 and result["valid"] is True


def test_fewer_than_three_answered_items_give_no_scale_score(score):
    result = score("cbi", _answers([0] * 6, [0] * 6 + [4], [4, 2, None, None, None, None]))
    assert result["transformed"]["student_burnout"] is None and "student_burnout" not in result["bands"]
    assert result["valid"] is False and "at least 3 answered" in result["errors"][0]
    assert result["transformed"]["personal_burnout"] == 0.0


def test_the_work_scale_needs_four_answered_items(score):
    # work: 4, 4, 4 answered and four blank (item 13 among them) -> non-responder on this scale
    three = score("cbi", _answers([0] * 6, [4, 4, 4, None, None, None, None], [0] * 6))
    assert three["transformed"]["work_burnout"] is None
    # a fourth answer (item 10 'always') -> mean 4 -> 100
    four = score("cbi", _answers([0] * 6, [4, 4, 4, 4, None, None, None], [0] * 6))
    assert four["transformed"]["work_burnout"] == 100.0


@pytest.mark.parametrize(("personal", "high"), [([2, 2, 2, 2, 2, 1], False), ([2, 2, 2, 2, 2, 2], True)])
def test_high_burnout_is_fifty_or_more(score, personal, high):
    result = score("cbi", _answers(personal, [0] * 6 + [4], [0] * 6))
    assert result["cutoffs"]["personal_high_burnout_50"] is high


@pytest.mark.parametrize(("answer", "straight"), [(2, False), (0, True), (4, True)])
def test_straight_lining_only_where_the_reversed_item_contradicts(score, answer, straight):
    # item 13 is reversed (4 - answer): "sometimes" (2) everywhere is a consistent answer
    assert score("cbi", [answer] * 19)["validity"]["straight_lining"] is straight
