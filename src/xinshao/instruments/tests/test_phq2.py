"""PHQ-2. Rules: items 1–2 of the PHQ-9 (0–3 each), total 0–6, positive at ≥ 3 (Kroenke 2003;
Chinese students ≥ 3); ≥ 2 is the more sensitive threshold (Arroll 2010). Both items needed.
It has no self-harm item."""
import pytest

from .helpers import flag_ids


@pytest.mark.parametrize(("answers", "total", "band"), [
    ([0, 0], 0, "negative"), ([1, 1], 2, "negative"), ([0, 2], 2, "negative"),
    ([2, 1], 3, "positive"), ([0, 3], 3, "positive"), ([3, 3], 6, "positive"),
])
def test_bands_either_side_of_three(score, answers, total, band):
    result = score("phq2", answers)
    assert (result["total"], result["band"]) == (total, band)


def test_positive_screen_asks_for_the_full_questionnaire(score):
    result = score("phq2", [2, 2])
    assert flag_ids(result) == ["administer_full_phq"] and result["flags"][0]["critical"] is False


@pytest.mark.parametrize(("answers", "met"), [([1, 0], False), ([1, 1], True)])
def test_sensitive_cutoff_at_two(score, answers, met):
    assert score("phq2", answers)["cutoffs"]["sensitive_2"] is met


def test_a_missing_item_gives_no_total(score):
    assert score("phq2", [None, 3])["total"] is None
