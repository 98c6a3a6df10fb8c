"""Each channel's signal raises the alert its rule says; two channels agreeing raise the level."""
import datetime

import pytest

from xinshao.alerts.models import Alert, AlertEvent, Signal, Source
from xinshao.alerts.screening import results_signals, screening_sweep
from xinshao.alerts.services import signal_receive
from xinshao.alerts.tests.support import NOW, campaign_in, stored_result
from xinshao.audit.models import AuditEntry
from xinshao.campaigns.models import InstrumentResult
from xinshao.org.models import Term

pytestmark = pytest.mark.django_db

# (source, facts, the level the default rules give, words the reason must contain)
CHANNEL_CASES = [
    (Source.COMMITTEE_REPORT, {"concerns": ["withdrawn"]}, "yellow", "退缩"),
    (Source.COMMITTEE_REPORT, {"concerns": ["withdrawn", "self_harm_talk"]}, "red", "不想活"),
    (Source.SELF_CHECKIN, {"mood": 1, "stress": 3, "wants_talk": False}, "yellow", "心情很差"),
    (Source.SELF_CHECKIN, {"mood": 3, "stress": 3, "wants_talk": True}, "yellow", "希望和心理老师聊聊"),
    (Source.HOME_VISIT, {"concern": "serious", "concerns": []}, "orange", "非常担心"),
    (Source.PARENT_MEETING, {"concern": "some", "concerns": ["injury_marks"]}, "orange", "伤痕"),
    (Source.GUARDIAN_CONCERN, {"concerns": ["sleep_energy"]}, "yellow", "睡眠"),
    (Source.TEACHER_REFERRAL, {"concerns": ["low_mood"], "urgent": False}, "orange", "班主任转介"),
    (Source.TEACHER_REFERRAL, {"concerns": [], "urgent": True}, "red", "立即处理"),
    (Source.HOTLINE_CALL, {"risk": "high"}, "orange", "热线评估风险：高"),
    (Source.HOTLINE_CALL, {"risk": "imminent"}, "red", "紧急"),
]


@pytest.mark.parametrize("source,facts,level,words", CHANNEL_CASES)
def test_each_channel_raises_the_level_its_rule_gives(city, source, facts, level, words):
    signal = signal_receive(student=city.chen, source=source, raised_by=city.zhang_a1, facts=facts, at=NOW)
    alert = signal.alert
    assert (signal.level, alert.level, alert.state) == (level, level, Alert.State.NEW)
    assert words in signal.reason
    assert alert.owner == city.liu_a and alert.school == city.school_a
    assert alert.rules_used == "明州市 v1" and alert.rule_set.version == 1
    assert AlertEvent.objects.get(alert=alert).kind == AlertEvent.Kind.RAISED
    assert AuditEntry.objects.filter(action="alerts.signal_received", student_id=city.chen.pk).count() == 1


@pytest.mark.parametrize("source,facts", [
    (Source.SELF_CHECKIN, {"mood": 4, "stress": 2, "wants_talk": False}),
    (Source.HOME_VISIT, {"concern": "none", "concerns": []}),
    (Source.HOTLINE_CALL, {"risk": "low"}),
])
def test_a_signal_below_every_rule_is_kept_but_raises_nothing(city, source, facts):
    signal = signal_receive(student=city.chen, source=source, raised_by=city.zhang_a1, facts=facts, at=NOW)
    assert signal.level == "" and signal.alert is None and not Alert.objects.exists()


def test_the_acknowledge_deadline_follows_the_level(city):
    red = signal_receive(student=city.chen, source=Source.HOTLINE_CALL, raised_by=city.re, facts={"risk": "imminent"},
                         at=NOW).alert
    yellow = signal_receive(student=city.zhou, source=Source.GUARDIAN_CONCERN, raised_by=None,
                            facts={"concerns": ["other"]}, at=NOW).alert
    assert red.ack_due_at == NOW + datetime.timedelta(minutes=30)
    assert yellow.ack_due_at == NOW + datetime.timedelta(hours=24) and yellow.owner == city.wang_b


def test_a_second_signal_joins_the_open_alert_and_a_second_channel_raises_it_one_level(city):
    first = signal_receive(student=city.chen, source=Source.COMMITTEE_REPORT, raised_by=city.lin_user,
                           facts={"concerns": ["low_mood"]}, at=NOW)
    same_channel = signal_receive(student=city.chen, source=Source.SELF_CHECKIN, raised_by=city.chen_user,
                                  facts={"mood": 1, "stress": 2, "wants_talk": False},
                                  at=NOW + datetime.timedelta(hours=1))
    alert = Alert.objects.get()
    assert same_channel.alert == first.alert == alert and alert.level == "yellow"  # one channel: class

    signal_receive(student=city.chen, source=Source.HOME_VISIT, raised_by=city.zhang_a1,
                   facts={"concern": "some", "concerns": []}, at=NOW + datetime.timedelta(days=3))
    alert.refresh_from_db()
    assert alert.level == "orange" and alert.corroborated_channels == ["class", "home_school"]
    assert Alert.objects.count() == 1
    assert list(alert.events.values_list("kind", flat=True)) == [
        "raised", "signal_added", "signal_added", "level_raised"]


def test_channels_further_apart_than_the_window_do_not_corroborate(city):
    signal_receive(student=city.chen, source=Source.COMMITTEE_REPORT, raised_by=city.lin_user,
                   facts={"concerns": ["low_mood"]}, at=NOW)
    signal_receive(student=city.chen, source=Source.GUARDIAN_CONCERN, raised_by=city.chen_ma_user,
                   facts={"concerns": ["low_mood"]}, at=NOW + datetime.timedelta(days=31))
    assert Alert.objects.get().level == "yellow"


def test_a_screening_critical_item_is_red_at_once_with_a_readable_reason(city):
    result = stored_result(campaign_in(city), city.chen, "phqa", [3, 3, 3, 3, 3, 3, 1, 1, 2])
    assert results_signals([result.pk]) == 1
    signal = Signal.objects.get()
    assert signal.alert.level == "red" and signal.source == Source.SCREENING_RESULT
    assert signal.reason == "PHQ-A 22 分，重度；PHQ-A“有不如死掉或以某种方式伤害自己的念头”：一半以上的天数"
    assert screening_sweep() == 0, "the sweep does not count the same result twice"


def test_the_sweep_turns_bands_and_critical_items_into_signals_and_leaves_teachers_results_alone(city):
    campaign = campaign_in(city)
    stored_result(campaign, city.chen, "gad7", [2, 2, 2, 2, 2, 1, 1])  # 12: moderate
    stored_result(campaign, city.lin, "gad7", [1, 0, 0, 1, 0, 0, 0])  # 2: minimal
    stored_result(campaign, city.zhou, "asq", [0, 1, 0, 0, 0])  # non-acute positive: a critical item
    teacher_result = stored_result(campaign, city.lin, "phq9", [3, 3, 3, 3, 3, 3, 3, 3, 3])
    InstrumentResult.objects.filter(pk=teacher_result.pk).update(student=None, teacher=city.gao_a)
    assert screening_sweep() == 2
    levels = {s.student_id: (s.level, s.reason) for s in Signal.objects.all()}
    assert levels[city.chen.pk] == ("yellow", "GAD-7 12 分，中度")
    assert levels[city.zhou.pk] == ("red", "ASQ 1 分，非急性阳性（潜在风险）；ASQ“觉得自己死了自己或家人会更好（过去几周）”：是")
    assert city.lin.pk not in levels, "a minimal band, and a teacher's result, raise nothing"
    assert screening_sweep() == 0


def test_a_rise_between_terms_is_at_least_yellow(city):
    spring = Term.objects.create(name="2025-2026学年第二学期", starts_on=datetime.date(2026, 2, 20),
                                 ends_on=datetime.date(2026, 7, 10))
    stored_result(campaign_in(city, spring, "春季筛查"), city.chen, "phqa", [1, 1, 1, 0, 0, 0, 0, 0, 0])  # 3
    stored_result(campaign_in(city), city.chen, "phqa", [1, 1, 1, 1, 1, 1, 1, 1, 0])  # 8: mild, +5
    screening_sweep()
    signal = Signal.objects.get(source=Source.SCREENING_WORSENING)
    assert signal.level == "yellow" and signal.reason == "PHQ-A 由 3 分升至 8 分（上升 5 分）"
    assert signal.alert.level == "yellow"


def test_the_same_origin_is_one_signal(city):
    kwargs = dict(student=city.chen, source=Source.COMMITTEE_REPORT, raised_by=city.lin_user,
                  facts={"concerns": ["bullied"]}, origin="sentinel.committeereport:1", at=NOW)
    assert signal_receive(**kwargs) == signal_receive(**kwargs)
    assert Signal.objects.count() == 1
