"""The built-in library: what it holds and what every definition must say."""
import pytest

from xinshao.instruments.engine import UnknownInstrument, builtin_definitions

REQUIRED = {"phq9", "phqa", "gad7", "asq", "who5", "k6", "k10", "pss10", "cesdc", "scared", "phq2", "gad2", "cbi"}
LICENCE_RESTRICTED = {"rcads", "rcads25", "sdq", "mssmhs", "mmhi60", "mht"}


def test_the_library_holds_the_required_instruments(library):
    assert {definition.id for definition in library} == REQUIRED


def test_licence_restricted_instruments_are_not_shipped(library):
    assert not LICENCE_RESTRICTED & {definition.id for definition in library}


@pytest.mark.parametrize("definition", builtin_definitions(), ids=lambda d: d.id)
def test_every_definition_states_its_wording_licence_and_sources(definition):
    data = definition.data
    assert data["wording_status"] == "paraphrase" and "paraphrase" in data["wording_note"]["en"]
    assert data["licence"]["status"] in {"free", "free_non_commercial"}
    assert all(item.text["zh-Hans"] and item.text["en"] for item in definition.items)
    assert definition.scores and all(score.missing.citation.source for score in definition.scores)


@pytest.mark.parametrize("definition", builtin_definitions(), ids=lambda d: d.id)
def test_only_the_suicide_items_are_critical(definition):
    critical = {rule.id for rule in definition.flags if rule.critical}
    expected = {
        "phq9": {"critical_self_harm_thoughts"},
        "phqa": {"critical_self_harm_thoughts", "critical_suicidal_thoughts_past_month", "critical_suicide_attempt_ever"},
        "asq": {"critical_suicide_risk_positive_screen", "critical_acute_suicide_risk"},
    }.get(definition.id, set())
    assert critical == expected


def test_get_gives_the_highest_version_and_names_unknown_ids(library):
    assert library.get("phq9").version == "1.0.0"
    with pytest.raises(UnknownInstrument, match="no instrument 'phq10'"):
        library.get("phq10")
    with pytest.raises(UnknownInstrument, match="no instrument phq9 version 9.9"):
        library.get("phq9", "9.9")


def test_results_name_the_definition_they_were_scored_with(score, library):
    result = score("gad7", [0] * 7)
    assert (result["instrument"], result["version"]) == ("gad7", "1.0.0")
    assert result["definition_sha256"] == library.get("gad7").sha256 and len(result["definition_sha256"]) == 64
