"""Bad definitions are refused with every problem listed, each saying where it is."""
import json

import pytest

from xinshao.instruments.engine import (
    DefinitionError, Library, compile_definition, load_definition_file, parse_definition, validate_definition,
)

from .definitions import minimal_definition


def _problems(definition) -> str:
    return "\n".join(validate_definition(definition))


def _bands(*ranges) -> dict:
    return {"source": "manual", "basis": "published",
            "ranges": [{"id": band_id, "label": {"zh-Hans": "x", "en": "x"}, "min": low, "max": high} for band_id, low, high in ranges]}


def _with_bands(*ranges) -> dict:
    definition = minimal_definition()
    definition["scores"][0]["bands"] = _bands(*ranges)
    return definition


def test_the_minimal_definition_is_valid():
    assert validate_definition(minimal_definition()) == []
    assert compile_definition(minimal_definition()).score([0, 1, 2])["band"] == "high"


def test_a_subscale_naming_an_unknown_item():
    definition = minimal_definition()
    definition["scores"].append({**definition["scores"][0], "id": "part", "kind": "subscale", "items": ["m_1", "m_9"]})
    assert "scores[1].items: unknown item 'm_9'" in _problems(definition)


def test_bands_with_a_gap():
    problems = _problems(_with_bands(("low", 0, 2), ("high", 4, 6)))
    assert "gap between band 'low' (up to 2) and band 'high' (from 4): a score of 3 falls in no band" in problems


def test_bands_that_overlap():
    problems = _problems(_with_bands(("low", 0, 3), ("high", 3, 6)))
    assert "bands 'low' (0–3) and 'high' (3–6) overlap: a score of 3 would be in both" in problems


def test_bands_that_do_not_reach_the_top_or_start_at_the_bottom():
    problems = _problems(_with_bands(("low", 1, 2), ("high", 3, 5)))
    assert "the first band 'low' starts at 1, but the score can be as low as 0" in problems
    assert "the last band 'high' ends at 5, but the score can reach 6" in problems


def test_bands_out_of_order():
    assert "bands must be listed from the lowest score up" in _problems(_with_bands(("high", 3, 6), ("low", 0, 2)))


def test_band_bounds_finer_than_the_score():
    assert "2.5 has more decimals than the score's 0" in _problems(_with_bands(("low", 0, 2.5), ("high", 3, 6)))


def test_option_values_that_do_not_match_the_declared_range():
    definition = minimal_definition()
    definition["option_sets"]["frequency"].append({"value": 3, "label": {"zh-Hans": "三", "en": "three"}})
    assert "scores[0].range: is 0–6, but the options give 0–9" in _problems(definition)


def test_a_reverse_item_needs_symmetric_option_values():
    definition = minimal_definition()
    definition["option_sets"]["odd"] = [{"value": v, "label": {"zh-Hans": "x", "en": "x"}} for v in (0, 1, 3)]
    definition["items"][0].update(options="odd", reverse=True)
    assert "symmetric" in _problems(definition)


@pytest.mark.parametrize("key", ["items", "scores", "sources", "licence", "wording_note"])
def test_a_missing_required_key(key):
    definition = minimal_definition()
    del definition[key]
    assert f"definition: missing required key '{key}'" in _problems(definition)


def test_a_misspelt_key_is_not_ignored():
    assert "definition: unknown key 'scroes'" in _problems(minimal_definition(scroes=[]))


def test_duplicate_item_ids():
    definition = minimal_definition()
    definition["items"][1]["id"] = "m_1"
    assert "duplicate item id 'm_1'" in _problems(definition)


def test_duplicate_option_values():
    definition = minimal_definition()
    definition["option_sets"]["frequency"][2]["value"] = 1
    assert "option value(s) [1] appear more than once" in _problems(definition)


def test_a_rule_citing_an_unknown_source():
    definition = minimal_definition()
    definition["scores"][0]["missing"]["source"] = "nowhere"
    assert "scores[0].missing.source: 'nowhere' is not a key of 'sources'" in _problems(definition)


def test_a_required_critical_item_cannot_ignore_a_missing_answer():
    definition = minimal_definition()
    definition["flags"][0]["if_missing"] = "ignore"
    assert "must count as 'positive' or 'ask'" in _problems(definition)


def test_an_unanswered_critical_item_cannot_count_as_a_reassuring_answer():
    definition = minimal_definition()
    definition["scores"][0]["missing"] = {"policy": "count_as", "value": 0, "source": "manual", "basis": "published"}
    assert "never a reassuring one" in _problems(definition)


def test_flag_values_must_be_answer_values():
    definition = minimal_definition()
    definition["flags"][0]["values"] = [2, 5]
    assert "[5] are not answer values of item 'm_3'" in _problems(definition)


def test_an_optional_item_cannot_count_in_a_score_or_precede_a_required_one():
    definition = minimal_definition()
    definition["items"][0]["required"] = False
    definition["scores"][0]["items"] = ["m_1", "m_2", "m_3"]
    problems = _problems(definition)
    assert "optional item 'm_1' cannot count in a score" in problems
    assert "a required item cannot follow the optional item 'm_1'" in problems


def test_prorating_limits_must_fit_the_score():
    definition = minimal_definition()
    definition["scores"][0]["missing"]["max_missing"] = 3
    assert "must be 1 to 2 for a score of 3 items, got 3" in _problems(definition)


def test_the_primary_score_needs_bands():
    definition = minimal_definition()
    del definition["scores"][0]["bands"]
    assert "primary_score: score 'total' has no bands" in _problems(definition)


def test_every_problem_is_reported_at_once():
    definition = minimal_definition(version="one", respondents=["pupil"])
    definition["items"][2]["options"] = "missing_set"
    problems = validate_definition(definition)
    assert len(problems) >= 3
    assert any("version" in p for p in problems) and any("pupil" in p for p in problems)
    assert any("unknown option set 'missing_set'" in p for p in problems)


def test_compile_raises_with_the_problems_listed():
    with pytest.raises(DefinitionError) as raised:
        compile_definition(minimal_definition(schema=2), origin="upload.json")
    assert raised.value.problems == ["definition.schema: this engine reads schema 1, got 2"]
    assert "upload.json is not a valid instrument definition" in str(raised.value)


@pytest.mark.parametrize(("text", "message"), [
    ("{not json", "not valid JSON"), ("[1, 2]", "must be a JSON object"), (b"\xff\xfe", "not valid JSON"),
])
def test_text_that_is_not_a_definition(text, message):
    with pytest.raises(DefinitionError) as raised:
        parse_definition(text, origin="upload.json")
    assert message in raised.value.problems[0]


def test_a_duplicate_id_and_version_is_refused_by_the_library():
    library = Library([compile_definition(minimal_definition())])
    with pytest.raises(DefinitionError) as raised:
        library.add(compile_definition(minimal_definition()))
    assert "mood3 version 1.0.0 is already in the library" in raised.value.problems[0]
    library.add(compile_definition(minimal_definition(version="1.1.0")))
    assert library.get("mood3").version == "1.1.0"


def test_a_definition_file_is_named_for_its_id_and_version(tmp_path):
    path = tmp_path / "mood.json"
    path.write_text(json.dumps(minimal_definition()), encoding="utf-8")
    with pytest.raises(DefinitionError) as raised:
        load_definition_file(path)
    assert "file name must be mood3-1.0.0.json" in raised.value.problems[0]
