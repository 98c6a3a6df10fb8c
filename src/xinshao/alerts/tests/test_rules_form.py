"""The rules pages as a form: one fieldset per rule, in Chinese, stricter-only for schools."""
import re

import pytest
from django.urls import reverse

from xinshao.alerts import engine
from xinshao.alerts.forms import RulesForm
from xinshao.alerts.models import RuleSet

pytestmark = pytest.mark.django_db


def rules_form_data(rules: dict, *, note: str = "修改", **changes) -> dict:
    """What the form posts when nothing is changed but `changes` (field name: value)."""
    form = RulesForm(rules=rules)
    data = {name: field.initial for name, field in form.fields.items() if field.initial is not None}
    return {**data, "note": note, **changes}


def _field_errors(page: str, field: str) -> str:
    """The text of the block holding one field: its label, its input and its errors."""
    match = re.search(rf'<div class="field">(?:(?!<div class="field">).)*?id="id_{field}".*?</div>', page, re.S)
    assert match, f"no field {field}"
    return match.group(0)


def test_the_rules_page_is_a_labelled_form_in_chinese(city, client_as):
    page = client_as(city.liu_a).get(reverse("alerts:school_rules", args=[city.school_a.pk])).content.decode()
    for legend in ("关键条目（如自伤、自杀念头）", "心理委员报告", "确认期限（分钟）", "测评结果分级：PHQ-A"):
        assert f"<legend>{legend}" in page
    visible = re.sub(r"<[^>]+>", "", page)
    assert "注意到：被欺负或被孤立" in visible and "<textarea" not in page
    assert not re.search(r"[a-z]+_[a-z_]+", visible), "no rule keys in the text a teacher reads"
    assert 'name="ack_minutes__red"' in page and 'value="30"' in page


def test_a_school_looser_value_is_refused_next_to_that_field(city, client_as):
    url = reverse("alerts:school_rules", args=[city.school_a.pk])
    data = rules_form_data(engine.DEFAULT_RULES, ack_minutes__red=90, sources__committee_report__concerns__bullied="")
    response = client_as(city.song_a).post(url, data)
    page = response.content.decode()
    assert response.status_code == 400
    assert "比全市规则（30）宽松" in _field_errors(page, "ack_minutes__red")
    assert "比全市规则（橙色预警）宽松" in _field_errors(page, "sources__committee_report__concerns__bullied")
    assert "宽松" not in _field_errors(page, "ack_minutes__orange")
    assert not RuleSet.objects.filter(school=city.school_a).exists()


def test_a_school_stricter_value_is_saved_as_a_new_version_in_the_same_shape(city, client_as):
    url = reverse("alerts:school_rules", args=[city.school_a.pk])
    data = rules_form_data(engine.DEFAULT_RULES, note="本校更严格", ack_minutes__red=10,
                           screening_bands__gad7__mild="yellow")
    assert client_as(city.song_a).post(url, data).status_code == 302
    saved = RuleSet.objects.get(school=city.school_a)
    expected = {**engine.DEFAULT_RULES, "ack_minutes": {**engine.DEFAULT_RULES["ack_minutes"], "red": 10},
                "screening_bands": {**engine.DEFAULT_RULES["screening_bands"],
                                    "gad7": {"mild": "yellow", **engine.DEFAULT_RULES["screening_bands"]["gad7"]}}}
    assert (saved.version, saved.note, saved.rules) == (1, "本校更严格", expected)
    page = client_as(city.song_a).get(url).content.decode()
    assert re.search(r'name="ack_minutes__red" value="10"', page)


def test_a_bad_number_is_refused_next_to_its_field_in_chinese(city, client_as):
    response = client_as(city.bai).post(reverse("alerts:rules"),
                                        rules_form_data(engine.DEFAULT_RULES, corroboration__window_days="abc"))
    assert response.status_code == 400
    assert "输入整数" in _field_errors(response.content.decode(), "corroboration__window_days")
    assert RuleSet.objects.filter(region=city.region).count() == 1


def test_the_bureau_admin_can_read_the_stored_json_but_nobody_else(city, client_as):
    assert "查看规则数据（JSON，只读）" in client_as(city.bai).get(reverse("alerts:rules")).content.decode()
    assert "查看规则数据" not in client_as(city.liu_a).get(reverse("alerts:rules")).content.decode()


def test_a_school_reader_sees_the_city_rules_as_a_disabled_form(city, client_as):
    page = client_as(city.liu_a).get(reverse("alerts:rules")).content.decode()
    assert re.search(r'name="ack_minutes__red"[^>]*disabled', page) and "保存为新版本" not in page
