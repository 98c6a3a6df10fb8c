"""Rules are versioned data: the bureau sets city defaults, a school may be stricter, never looser."""
import copy
import datetime

import pytest
from django.core.exceptions import ValidationError

from xinshao.alerts import engine
from xinshao.alerts.models import RuleSet, Source
from xinshao.alerts.services import city_rules_save, rules_for, school_rules_save, signal_receive
from xinshao.alerts.tests.support import NOW

pytestmark = pytest.mark.django_db


def _rules(**changes) -> dict:
    rules = copy.deepcopy(engine.DEFAULT_RULES)
    for path, value in changes.items():
        node = rules
        *parents, leaf = path.split("__")
        for part in parents:
            node = node[part]
        node[leaf] = value
    return rules


def test_the_defaults_are_valid_and_a_city_starts_from_them_as_version_1(city):
    assert engine.rule_problems(engine.DEFAULT_RULES) == []
    rules, rule_set, label = rules_for(city.school_a)
    assert rules == engine.DEFAULT_RULES and rule_set.version == 1 and label == "明州市 v1"


@pytest.mark.parametrize("change,where", [
    ({"ack_minutes__red": 60}, "ack_minutes.red"),
    ({"screening_bands__phqa__moderately_severe": "yellow"}, "screening_bands.phqa.moderately_severe"),
    ({"critical_item": "orange"}, "critical_item"),
    ({"corroboration__window_days": 7}, "corroboration.window_days"),
    ({"worsening__min_rise__phqa": 8}, "worsening.min_rise.phqa"),
    ({"sources__self_checkin__stress_at_least": 6}, "sources.self_checkin.stress_at_least"),
])
def test_a_school_cannot_loosen_a_city_rule(city, change, where):
    with pytest.raises(ValidationError) as refused:
        school_rules_save(school=city.school_a, rules=_rules(**change), note="放宽", actor=city.song_a)
    assert any(where in message and "不能放宽" in message for message in refused.value.messages)
    assert not RuleSet.objects.filter(school=city.school_a).exists()


def test_a_school_may_be_stricter_and_its_alerts_record_both_versions(city):
    stricter = _rules(ack_minutes__red=10, screening_bands__gad7__mild="yellow",
                      sources__committee_report__concerns__withdrawn="orange")
    saved = school_rules_save(school=city.school_a, rules=stricter, note="本校更严格", actor=city.song_a)
    assert saved.version == 1
    alert = signal_receive(student=city.chen, source=Source.COMMITTEE_REPORT, raised_by=city.lin_user,
                           facts={"concerns": ["withdrawn"]}, at=NOW).alert
    assert alert.level == "orange" and alert.rule_set == saved and alert.rules_used == "明州市 v1 + 东湖中学 v1"
    other = signal_receive(student=city.zhou, source=Source.COMMITTEE_REPORT, raised_by=None,
                           facts={"concerns": ["withdrawn"]}, at=NOW).alert
    assert other.level == "yellow", "school B still works under the city's rules"


def test_when_the_city_tightens_a_rule_a_school_set_never_ends_up_looser(city):
    school_rules_save(school=city.school_a, rules=_rules(ack_minutes__red=20), note="20 分钟", actor=city.song_a)
    city_rules_save(region=city.region, rules=_rules(ack_minutes__red=15), note="全市 15 分钟", actor=city.bai)
    rules, _set, label = rules_for(city.school_a)
    assert rules["ack_minutes"]["red"] == 15 and label == "明州市 v2 + 东湖中学 v1"
    alert = signal_receive(student=city.chen, source=Source.HOTLINE_CALL, raised_by=city.re,
                           facts={"risk": "imminent"}, at=NOW).alert
    assert alert.ack_due_at == NOW + datetime.timedelta(minutes=15)


def test_a_new_city_version_changes_later_alerts_and_keeps_old_ones_readable(city):
    first = signal_receive(student=city.chen, source=Source.GUARDIAN_CONCERN, raised_by=None,
                           facts={"concerns": ["other"]}, at=NOW).alert
    names = _rules(level_names={"red": "一级", "orange": "二级", "yellow": "三级"},
                   sources__guardian_concern__level="orange")
    assert city_rules_save(region=city.region, rules=names, note="一级/二级/三级", actor=city.bai).version == 2
    second = signal_receive(student=city.zhou, source=Source.GUARDIAN_CONCERN, raised_by=None,
                            facts={"concerns": ["other"]}, at=NOW).alert
    assert (first.level, first.rule_set.version) == ("yellow", 1)
    assert (second.level, second.rule_set.version, second.rule_set.rules["level_names"]["orange"]) == (
        "orange", 2, "二级")


@pytest.mark.parametrize("rules,problem", [
    ([], "JSON object"),
    ({**engine.DEFAULT_RULES, "extra": 1}, "extra: unknown setting"),
    (_rules(ack_minutes__red=0), "ack_minutes.red"),
    (_rules(critical_item="purple"), "critical_item: 'purple' is not a level"),
    (_rules(level_names={"red": "", "orange": "二级", "yellow": "三级"}), "level_names.red"),
    (_rules(sources__teacher_referral=None), "sources.teacher_referral"),
])
def test_a_broken_rule_set_is_refused_with_the_place(city, rules, problem):
    with pytest.raises(ValidationError) as refused:
        city_rules_save(region=city.region, rules=rules, note="x", actor=city.bai)
    assert any(problem in message for message in refused.value.messages), refused.value.messages
    assert RuleSet.objects.filter(region=city.region).count() <= 1


def test_strictest_takes_each_rule_from_whichever_set_is_stricter():
    city_rules = _rules(ack_minutes__red=30, corroboration__window_days=30)
    school = _rules(ack_minutes__red=10, corroboration__window_days=45, screening_bands__gad7__mild="yellow")
    merged = engine.strictest(city_rules, school)
    assert merged["ack_minutes"]["red"] == 10 and merged["corroboration"]["window_days"] == 45
    assert merged["screening_bands"]["gad7"]["mild"] == "yellow"
    assert engine.looser_points(city_rules, merged) == []
