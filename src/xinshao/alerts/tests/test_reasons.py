"""Alert reasons in words a psych teacher reads in a second: the question (its short label) and the
answer's label, never an item number with a raw value and never "None"; the same in English, and
for signals stored before the wording changed."""
import pytest
from django.urls import reverse
from django.utils import translation

from xinshao.alerts.models import Alert, Signal, Source
from xinshao.alerts.reasons import reasons_worded
from xinshao.alerts.services import signal_receive

ASQ = {"instrument": "asq", "version": "1.1.0", "short": "ASQ"}


def _critical(item, answer, flag="critical_suicide_risk_positive_screen", short="ASQ") -> list:
    return [["critical_item", {"instrument": short, "item": item, "answer": answer, "flag": flag}]]


def _worded(reasons, facts, language="zh-hans") -> str:
    with translation.override(language):
        return reasons_worded(reasons, facts)


@pytest.mark.parametrize(("answer", "zh", "en"), [
    (1, "ASQ“有自杀的念头（过去一周）”：是", 'ASQ "Thoughts about killing themselves (past week)": Yes'),
    (None, "ASQ“有自杀的念头（过去一周）”：未作答，按拒答计为阳性",
     'ASQ "Thoughts about killing themselves (past week)": not answered, counted as a refusal (positive)'),
])
def test_a_critical_answer_names_the_question_and_the_answer(answer, zh, en):
    assert _worded(_critical(3, answer), ASQ) == zh
    assert _worded(_critical(3, answer), ASQ, "en") == en


def test_an_unanswered_item_nine_says_to_ask_today():
    facts = {"instrument": "phqa", "version": "1.0.0"}
    words = _worded(_critical(9, None, "critical_self_harm_thoughts_unanswered", "PHQ-A"), facts)
    assert words.startswith("PHQ-A“") and words.endswith("”：未作答，需当天当面询问") and "None" not in words


def test_a_flag_raised_by_a_band_names_the_band():
    reasons = _critical(None, None, "critical_acute_suicide_risk")
    assert _worded(reasons, ASQ) == "ASQ：急性阳性（紧急风险）"
    assert _worded(reasons, ASQ, "en") == "ASQ: Acute positive screen (imminent risk)"


def test_a_band_reason_is_in_the_readers_language():
    reasons = [["band", {"instrument": "ASQ", "total": 1, "band": "non_acute_positive", "band_label": "非急性阳性（潜在风险）"}]]
    assert _worded(reasons, ASQ, "en") == "ASQ: score 1, Non-acute positive screen (potential risk)"


@pytest.mark.parametrize(("facts", "words"), [
    ({"instrument": "asq", "version": "1.0.0"}, "ASQ“过去一周里，是否有过自杀的念头”：未作答，按拒答计为阳性"),  # its own version
    ({"instrument": "asq"}, "ASQ“有自杀的念头（过去一周）”：未作答，按拒答计为阳性"),  # no version: the newest
    ({"instrument": "gone", "version": "1.0.0"}, "ASQ 第 3 题：未作答，按拒答计为阳性（关键条目）"),
    ({}, "ASQ 第 3 题：未作答，按拒答计为阳性（关键条目）"),
])
@pytest.mark.django_db  # an instrument not built in is looked for among the uploaded ones
def test_older_stored_facts_are_worded_too(facts, words):
    assert _worded(_critical(3, None), facts) == words


def test_the_alert_page_shows_the_question_and_answer(city, client_as):
    facts = {**ASQ, "critical": [{"flag": "critical_suicide_risk_positive_screen", "item": 3, "answer": None}],
             "result": 1}
    signal = signal_receive(student=city.chen, source=Source.SCREENING_RESULT, raised_by=None, facts=facts,
                            origin="result:test")
    assert signal.reason == "ASQ“有自杀的念头（过去一周）”：未作答，按拒答计为阳性"
    alert = Alert.objects.get(pk=signal.alert_id)
    url = reverse("alerts:detail", args=[alert.pk])
    page = client_as(city.liu_a).get(url).content.decode()
    assert "ASQ“有自杀的念头（过去一周）”：未作答，按拒答计为阳性" in page and "None" not in page
    client = client_as(city.liu_a)
    client.cookies["django_language"] = "en"
    assert 'ASQ &quot;Thoughts about killing themselves (past week)&quot;: not answered' in client.get(url).content.decode()
    assert Signal.objects.count() == 1
