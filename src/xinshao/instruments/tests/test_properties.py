"""Property tests: score ranges, reverse-item symmetry, prorating, and the critical-flag guarantees
for any answers at all, however incomplete or malformed."""
import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from xinshao.instruments.engine import builtin_definitions

DEFINITIONS = builtin_definitions()
BY_ID = {definition.id: definition for definition in DEFINITIONS}
FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def answers_for(definition, *, optional_blank=True):
    """Readable answers: an option value for every required item, optional items sometimes blank."""
    parts = []
    for item in definition.items:
        value = st.sampled_from(item.values)
        parts.append(st.one_of(st.none(), value) if not item.required and optional_blank else value)
    return st.tuples(*parts).map(list)


def mirrored(definition, answers):
    """Every answer reflected about the middle of its options: v -> min + max - v."""
    return [None if value is None else min(item.values) + max(item.values) - value
            for item, value in zip(definition.items, answers)]


def _all_scores(result):
    return {"total": result["total"], **result["subscales"], **result["transformed"]}


def _ranges(definition):
    ranges = {score.id if score.kind == "subscale" else "total": score.range for score in definition.scores}
    ranges.update({entry.id: entry.range for entry in definition.transformed})
    return ranges


@pytest.mark.parametrize("definition", DEFINITIONS, ids=lambda d: d.id)
@FAST
@given(data=st.data())
def test_scores_stay_in_their_declared_range_and_every_banded_score_gets_a_band(definition, data):
    result = definition.score(data.draw(answers_for(definition)))
    ranges = _ranges(definition)
    for score_id, value in _all_scores(result).items():
        if value is not None:
            low, high = ranges[score_id]
            assert low <= value <= high, (score_id, value)
    banded = [entry.id for entry in (*definition.scores, *definition.transformed) if entry.bands]
    assert set(result["bands"]) == set(banded)
    assert all(flag["critical"] == flag["id"].startswith("critical") for flag in result["flags"])


REVERSED = [d for d in DEFINITIONS if any(item.reverse for item in d.items)]


@pytest.mark.parametrize("definition", REVERSED, ids=lambda d: d.id)
@FAST
@given(data=st.data())
def test_mirrored_answers_mirror_every_score(definition, data):
    answers = data.draw(answers_for(definition, optional_blank=False))
    ranges = _ranges(definition)
    original, mirror = _all_scores(definition.score(answers)), _all_scores(definition.score(mirrored(definition, answers)))
    for score_id, value in original.items():
        if value is not None:
            low, high = ranges[score_id]
            assert value + mirror[score_id] == pytest.approx(float(low + high), abs=0.011), score_id


@pytest.mark.parametrize("definition", REVERSED, ids=lambda d: d.id)
@FAST
@given(data=st.data())
def test_a_higher_answer_moves_scores_the_way_the_item_is_keyed(definition, data):
    answers = data.draw(answers_for(definition, optional_blank=False))
    item = data.draw(st.sampled_from([item for item in definition.items if item.required]))
    higher = [value for value in item.values if value > answers[item.index]]
    if not higher:
        return
    raised = list(answers)
    raised[item.index] = min(higher)
    before, after = _all_scores(definition.score(answers)), _all_scores(definition.score(raised))
    for score_id, value in before.items():
        if value is not None and after[score_id] is not None:
            assert (after[score_id] <= value) if item.reverse else (after[score_id] >= value), score_id


@FAST
@given(answers=answers_for(BY_ID["phq9"], optional_blank=False), blank=st.integers(0, 7))
def test_phq9_prorates_one_missing_item_half_up(answers, blank):
    answers = answers[:9]
    answered = sum(answers) - answers[blank]
    answers[blank] = None
    expected = (2 * answered * 9 + 8) // 16   # round half up of answered x 9 / 8
    assert BY_ID["phq9"].score(answers)["total"] == expected


JUNK = st.one_of(st.none(), st.integers(-3, 6), st.sampled_from(["", "x", "1", "yes"]), st.floats(allow_nan=True))


@pytest.mark.parametrize("instrument", ["phq9", "phqa"])
@settings(max_examples=300, deadline=None)
@given(answers=st.lists(JUNK, max_size=15))
def test_item_nine_is_never_lost_whatever_else_is_wrong(instrument, answers):
    result = BY_ID[instrument].score(answers)
    item_nine = answers[8] if len(answers) > 8 else None
    flags = {(flag["id"], flag["item"]) for flag in result["flags"]}
    if item_nine in (1, 2, 3):
        assert ("critical_self_harm_thoughts", f"{instrument}_9") in flags
    elif item_nine != 0:
        assert ("critical_self_harm_thoughts_unanswered", f"{instrument}_9") in flags


@settings(max_examples=300, deadline=None)
@given(answers=st.lists(JUNK, max_size=8))
def test_every_asq_yes_or_refusal_is_flagged_whatever_else_is_wrong(answers):
    result = BY_ID["asq"].score(answers)
    flagged = {flag["item"] for flag in result["flags"] if flag["critical"]}
    for position in range(4):
        value = answers[position] if position < len(answers) else None
        if value != 0:
            assert f"asq_{position + 1}" in flagged
    if len(answers) > 4 and answers[4] == 1:
        assert "asq_5" in flagged
    if not flagged:
        assert result["band"] in (None, "negative")
