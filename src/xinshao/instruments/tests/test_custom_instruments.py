"""Uploading a custom definition: checked by the engine, never clashing, then usable everywhere."""
import io
import json

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management import call_command

from xinshao.instruments.engine import builtin_library
from xinshao.instruments.models import CustomInstrument
from xinshao.instruments.selectors import instrument_definition_get, instrument_library
from xinshao.instruments.services import custom_instrument_upload

from .definitions import minimal_definition

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin():
    return get_user_model().objects.create_user(username="bai", password="x")


def _file(definition, name="mood3-1.0.0.json") -> io.BytesIO:
    upload = io.BytesIO(json.dumps(definition).encode() if isinstance(definition, dict) else definition)
    upload.name = name
    return upload


def test_a_valid_definition_is_stored_and_joins_the_library(admin):
    stored = custom_instrument_upload(uploaded_by=admin, file=_file(minimal_definition()))
    assert (stored.instrument_id, stored.version, stored.uploaded_by) == ("mood3", "1.0.0", admin)
    assert len(stored.definition_sha256) == 64
    assert instrument_definition_get(instrument_id="mood3").score([1, 1, 2])["band"] == "high"
    assert len(instrument_library()) == len(builtin_library()) + 1


def test_a_custom_instrument_can_be_scored_from_the_command_line(admin):
    custom_instrument_upload(uploaded_by=admin, file=_file(minimal_definition()))
    out = io.StringIO()
    call_command("score", "mood3", answers="0,0,1", stdout=out)
    result = json.loads(out.getvalue())
    assert (result["total"], result["band"], result["flags"][0]["id"]) == (1, "low", "critical_item_3")


def test_an_invalid_definition_is_refused_with_every_problem(admin):
    definition = minimal_definition()
    definition["scores"][0]["items"] = ["m_1", "m_9"]
    definition["scores"][0]["bands"]["ranges"][1]["min"] = 4
    with pytest.raises(ValidationError) as raised:
        custom_instrument_upload(uploaded_by=admin, file=_file(definition))
    messages = raised.value.messages
    assert any("unknown item 'm_9'" in message for message in messages)
    assert not CustomInstrument.objects.exists()


def test_a_file_that_is_not_json_is_refused(admin):
    with pytest.raises(ValidationError, match="not valid JSON"):
        custom_instrument_upload(uploaded_by=admin, file=_file(b"{oops"))


def test_a_built_in_id_is_refused_whatever_the_version(admin):
    with pytest.raises(ValidationError) as raised:
        custom_instrument_upload(uploaded_by=admin, file=_file(minimal_definition(id="phq9", version="9.0.0")))
    assert "phq9" in raised.value.messages[0]


def test_the_same_id_and_version_cannot_be_uploaded_twice(admin):
    custom_instrument_upload(uploaded_by=admin, file=_file(minimal_definition()))
    with pytest.raises(ValidationError) as raised:
        custom_instrument_upload(uploaded_by=admin, file=_file(minimal_definition()))
    assert "1.0.0" in raised.value.messages[0]
    custom_instrument_upload(uploaded_by=admin, file=_file(minimal_definition(version="1.1.0")))
    assert instrument_definition_get(instrument_id="mood3").version == "1.1.0"
    assert instrument_definition_get(instrument_id="mood3", version="1.0.0").version == "1.0.0"


def test_an_oversized_file_is_refused(admin):
    with pytest.raises(ValidationError):
        custom_instrument_upload(uploaded_by=admin, file=_file(b" " * 1_000_001))
