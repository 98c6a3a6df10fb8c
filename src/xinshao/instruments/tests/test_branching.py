"""Items asked only sometimes ("shown_if"): the ASQ's question 5 is asked only when one of
questions 1–4 is yes or was skipped (NIMH toolkit). Not asked is not a refusal; an answer given
anyway is ignored, unless it is critical."""
import pytest

from xinshao.instruments.engine import compile_definition, validate_definition

from .definitions import minimal_definition
from .helpers import flag_ids

POSITIVE = "critical_suicide_risk_positive_screen"
ACUTE = "critical_acute_suicide_risk"


def test_four_noes_do_not_ask_question_five_and_screen_negative(score):
    result = score("asq", [0, 0, 0, 0, None])
    assert (result["band"], result["flags"], result["valid"]) == ("negative", [], True)
    assert result["validity"]["not_asked"] == ["asq_5"] and result["validity"]["ignored_answers"] == []


@pytest.mark.parametrize("answers", [[1, 0, 0, 0, 0], [0, 0, 0, None, 0]], ids=["a-yes", "a-skip"])
def test_a_yes_or_a_skip_asks_question_five(score, answers):
    result = score("asq", answers)
    assert (result["band"], result["validity"]["not_asked"]) == ("non_acute_positive", [])


def test_question_five_skipped_after_a_positive_screen_is_still_acute(score):
    result = score("asq", [0, 0, 1, 0, None])
    assert result["band"] == "acute_positive" and flag_ids(result) == [POSITIVE, ACUTE]


def test_a_no_to_question_five_given_when_not_asked_is_ignored(score):
    result = score("asq", [0, 0, 0, 0, 0])
    assert (result["band"], result["valid"]) == ("negative", True)
    assert result["validity"]["ignored_answers"] == ["asq_5"]


def test_a_yes_to_question_five_given_when_not_asked_is_never_ignored(score):
    result = score("asq", [0, 0, 0, 0, 1])
    assert result["band"] == "acute_positive" and flag_ids(result) == [ACUTE]
    assert result["validity"]["ignored_answers"] == []


def test_the_published_version_one_keeps_its_rules(library):
    # Results pinned to 1.0.0 score as they always did: it has no branching.
    old = library.get("asq", "1.0.0")
    assert old.score([0, 0, 0, 0, 0])["validity"]["not_asked"] == []
    assert library.get("asq").version == "1.1.0"


def test_students_read_their_own_wording_and_staff_keep_the_interview(library):
    data = library.get("asq").data
    assert "家长不在场" not in data["instructions"]["zh-Hans"] and "家长不在场" in data["interviewer_instructions"]["zh-Hans"]
    assert all("询问" not in item["text"]["zh-Hans"] and item["text"]["zh-Hans"].endswith("？") for item in data["items"])


def _branched(**shown_if) -> dict:
    """Item 3 asked only after item 1 is 2 (or skipped, with missing)."""
    definition = minimal_definition()
    definition["items"][2].update(required=False, shown_if={"items": ["m_1"], "values": [2], "source": "manual",
                                                            "basis": "published", **shown_if})
    definition["scores"][0].update(items=["m_1", "m_2"], range=[0, 4])
    definition["scores"][0]["bands"]["ranges"][1]["max"] = 4
    return definition


def test_a_flag_that_asks_about_a_skipped_item_does_not_ask_about_one_not_asked():
    definition = compile_definition(_branched())
    assert definition.score([0, 1, None])["flags"] == []
    assert flag_ids(definition.score([2, 1, None])) == ["critical_item_3_unanswered"]


def test_an_unreadable_answer_to_the_condition_asks_the_item():
    assert compile_definition(_branched(missing=True)).score([None, 1, None])["validity"]["not_asked"] == []
    assert compile_definition(_branched()).score([None, 1, None])["validity"]["not_asked"] == ["m_3"]


def test_a_valid_branching_rule():
    assert validate_definition(_branched(missing=True)) == []


@pytest.mark.parametrize(("change", "problem"), [
    ({"required": True}, 'an item asked only sometimes must be optional ("required": false)'),
    ({"shown_if": {"items": ["m_1"], "source": "manual", "basis": "published"}},
     "say when it applies: 'values' that trigger it, or 'missing': true, or both"),
    ({"shown_if": {"items": ["m_9"], "values": [1], "source": "manual", "basis": "published"}}, "unknown item 'm_9'"),
    ({"shown_if": {"items": ["m_3"], "values": [1], "source": "manual", "basis": "published"}},
     "'m_3' does not come before this item"),
    ({"shown_if": {"items": ["m_1"], "values": [5], "source": "manual", "basis": "published"}},
     "[5] are not answer values of item 'm_1'"),
    ({"shown_if": {"items": ["m_1"], "values": [1], "when": "x", "source": "manual", "basis": "published"}},
     "unknown key 'when'"),
    ({"shown_if": {"items": ["m_1"], "values": [1], "source": "nowhere", "basis": "published"}},
     "'nowhere' is not a key of 'sources'"),
    ({"shown_if": "m_1 == 2"}, "must be an object"),
])
def test_bad_branching_rules_are_refused(change, problem):
    definition = _branched()
    definition["items"][2].update(change)
    assert problem in "\n".join(validate_definition(definition))


def test_a_condition_on_an_item_itself_asked_only_sometimes_is_refused():
    definition = _branched()
    definition["items"][1].update(required=False, shown_if={"items": ["m_1"], "values": [1], "source": "manual",
                                                            "basis": "published"})
    definition["scores"][0].update(items=["m_1"], range=[0, 2])
    definition["scores"][0]["bands"]["ranges"] = [{"id": "low", "label": {"zh-Hans": "低", "en": "Low"}, "min": 0, "max": 2}]
    definition["items"][2]["shown_if"]["items"] = ["m_2"]
    assert "'m_2' is itself asked only sometimes" in "\n".join(validate_definition(definition))
