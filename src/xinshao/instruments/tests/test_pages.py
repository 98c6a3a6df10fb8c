"""The library pages and the custom instrument upload, for every role."""
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from xinshao.audit.models import AuditEntry
from xinshao.instruments.models import CustomInstrument
from xinshao.instruments.tests.definitions import minimal_definition

BROWSERS = {"bai", "xin", "fen", "song_a", "song_b", "liu_a", "wang_b"}
EVERYONE = BROWSERS | {"du", "re", "zhang_a1", "qian_b1", "lin_user", "chen_user", "chen_ma_user", "yi", "gao_a"}


def _custom_definition(**changes) -> dict:
    changes = {"id": "school_climate", "title": {"zh-Hans": "校园氛围小问卷", "en": "School climate survey"}, **changes}
    return minimal_definition(**changes)


def _upload(client, definition: dict):
    content = json.dumps(definition, ensure_ascii=False).encode()
    return client.post(reverse("instruments:upload"), {"file": SimpleUploadedFile("def.json", content)})


@pytest.mark.parametrize("username", sorted(EVERYONE))
def test_the_library_is_open_to_those_who_plan_screenings(city, client_as, username):
    client = client_as(getattr(city, username))
    expected = 200 if username in BROWSERS else 403
    assert client.get(reverse("instruments:library")).status_code == expected
    assert client.get(reverse("instruments:definition", args=["phqa", "1.0.0"])).status_code == expected
    assert client.get(reverse("instruments:upload")).status_code == (200 if username == "bai" else 403)


def test_the_definition_page_shows_items_bands_and_the_critical_item(city, client_as):
    body = client_as(city.liu_a).get(reverse("instruments:definition", args=["phqa", "1.0.0"])).content.decode()
    assert "有不如死掉或以某种方式伤害自己的念头" in body and "中重度" in body and "当天处理" in body


def test_an_unknown_instrument_or_version_is_404(city, client_as):
    client = client_as(city.liu_a)
    assert client.get(reverse("instruments:definition", args=["nosuch", "1.0.0"])).status_code == 404
    assert client.get(reverse("instruments:definition", args=["phqa", "9.9.9"])).status_code == 404


def test_a_bureau_admin_uploads_a_custom_instrument_and_it_joins_the_library(city, client_as):
    client = client_as(city.bai)
    response = _upload(client, _custom_definition())
    assert response.status_code == 302
    assert CustomInstrument.objects.get().instrument_id == "school_climate"
    assert "校园氛围小问卷" in client.get(reverse("instruments:library")).content.decode()
    assert AuditEntry.objects.filter(action="instrument.custom_upload").exists()


def test_a_bad_definition_is_refused_with_every_problem_and_nothing_is_stored(city, client_as):
    bad = _custom_definition()
    bad["scores"][0]["items"] = ["m_1", "m_9"]
    response = _upload(client_as(city.bai), bad)
    assert response.status_code == 400 and "m_9" in response.content.decode()
    assert not CustomInstrument.objects.exists()


def test_a_built_in_id_or_a_repeated_version_is_refused(city, client_as):
    client = client_as(city.bai)
    assert _upload(client, _custom_definition(id="phq9")).status_code == 400
    assert _upload(client, _custom_definition()).status_code == 302
    response = _upload(client, _custom_definition())
    assert response.status_code == 400 and "已上传过" in response.content.decode()
    assert CustomInstrument.objects.count() == 1


def test_a_file_that_is_not_json_is_a_clear_error(city, client_as):
    response = client_as(city.bai).post(reverse("instruments:upload"),
                                        {"file": SimpleUploadedFile("x.json", b"\x89PNG not json")})
    assert response.status_code == 400 and "JSON" in response.content.decode()
