"""Every role on every alert page, own vs other school; what each inbox lists; actions through the pages."""
import pytest
from django.urls import reverse

from xinshao.alerts import engine
from xinshao.alerts.models import Alert, RuleSet, Source
from xinshao.alerts.services import signal_receive
from xinshao.alerts.tests.test_rules_form import rules_form_data
from xinshao.audit.models import AuditEntry

pytestmark = pytest.mark.django_db

HANDLERS = {"liu_a", "wang_b", "song_a", "song_b", "xin"}
RULE_READERS = {"bai", "song_a", "song_b", "liu_a", "wang_b"}


@pytest.fixture
def alerts(city):
    """A red alert about Chen (school A), a yellow one about Lin (school A), a yellow one about Zhou (school B)."""
    def raise_(student, source, facts):
        return signal_receive(student=student, source=source, raised_by=None, facts=facts).alert

    return {
        "chen_red": raise_(city.chen, Source.HOTLINE_CALL, {"risk": "imminent"}),
        "lin_yellow": raise_(city.lin, Source.GUARDIAN_CONCERN, {"concerns": ["low_mood"]}),
        "zhou_yellow": raise_(city.zhou, Source.GUARDIAN_CONCERN, {"concerns": ["low_mood"]}),
    }


def _expected(username: str, allowed: set[str], denied_code: int) -> int:
    if username in allowed:
        return 200
    return denied_code if username in HANDLERS else 403


@pytest.mark.parametrize("url_name", ["alerts:inbox", "alerts:inbox_rows"])
def test_only_those_who_handle_alerts_have_an_inbox(city, client_as, alerts, url_name):
    for username, user in city.everyone().items():
        assert client_as(user).get(reverse(url_name)).status_code == (200 if username in HANDLERS else 403), username


@pytest.mark.parametrize("which,allowed", [
    ("chen_red", {"liu_a", "song_a", "xin"}),  # red: the school's psych teacher, its leader, the bureau centre
    ("lin_yellow", {"liu_a"}),
    ("zhou_yellow", {"wang_b"}),
])
def test_an_alert_opens_only_for_its_warning_chain(city, client_as, alerts, which, allowed):
    url = reverse("alerts:detail", args=[alerts[which].pk])
    for username, user in city.everyone().items():
        assert client_as(user).get(url).status_code == _expected(username, allowed, 404), username


def test_each_inbox_lists_what_its_reader_must_act_on(city, client_as, alerts):
    def names(user):
        return {a.student.name for a in client_as(user).get(reverse("alerts:inbox")).context["page"]}

    assert names(city.liu_a) == {"陈小雨", "林晓东"}
    assert names(city.wang_b) == {"周子涵"}
    assert names(city.song_a) == {"陈小雨"} and names(city.xin) == {"陈小雨"} and names(city.song_b) == set()


def test_an_escalated_yellow_alert_reaches_the_leader_then_the_bureau(city, client_as, alerts):
    alert = alerts["lin_yellow"]
    url = reverse("alerts:detail", args=[alert.pk])
    Alert.objects.filter(pk=alert.pk).update(escalation_step=Alert.Step.SCHOOL_LEADER)
    assert client_as(city.song_a).get(url).status_code == 200 and client_as(city.xin).get(url).status_code == 404
    Alert.objects.filter(pk=alert.pk).update(escalation_step=Alert.Step.BUREAU)
    assert client_as(city.xin).get(url).status_code == 200


def test_the_detail_page_shows_reasons_and_each_opening_is_audited(city, client_as, alerts):
    alert = alerts["chen_red"]
    page = client_as(city.liu_a).get(reverse("alerts:detail", args=[alert.pk])).content.decode()
    assert "热线评估风险：紧急" in page and "红色预警" in page and "申请关闭（需另一位同事确认）" in page
    assert AuditEntry.objects.filter(action="alerts.alert_viewed", student_id=city.chen.pk,
                                     actor_label="liu_a").count() == 1


def test_acknowledge_and_two_person_closure_through_the_page(city, client_as, alerts):
    alert = alerts["chen_red"]
    act = reverse("alerts:act", args=[alert.pk])
    client_as(city.liu_a).post(act, {"action": "acknowledge"})
    client_as(city.liu_a).post(act, {"action": "close", "reason": "已完成安全评估，家长已接回"})
    response = client_as(city.liu_a).post(act, {"action": "confirm_close"}, follow=True)
    assert "申请人本人不能确认" in response.content.decode()
    client_as(city.song_a).post(act, {"action": "confirm_close"})
    alert.refresh_from_db()
    assert alert.state == Alert.State.CLOSED and alert.closed_by == city.song_a


@pytest.mark.parametrize("data", [{"action": "explode"}, {"action": "close", "reason": ""},
                                  {"action": "reassign", "owner": "999999"}, {}])
def test_bad_actions_change_nothing_and_say_why(city, client_as, alerts, data):
    alert = alerts["lin_yellow"]
    response = client_as(city.liu_a).post(reverse("alerts:act", args=[alert.pk]), data, follow=True)
    assert response.status_code == 200 and response.context["messages"]
    assert Alert.objects.get(pk=alert.pk).state == Alert.State.NEW and alert.events.count() == 1


def test_nobody_outside_the_chain_can_act(city, client_as, alerts):
    alert = alerts["lin_yellow"]
    for username, user in city.everyone().items():
        if username != "liu_a":
            client_as(user).post(reverse("alerts:act", args=[alert.pk]), {"action": "acknowledge"})
    assert Alert.objects.get(pk=alert.pk).state == Alert.State.NEW


def test_rule_pages_by_role(city, client_as):
    city_url, school_a_url = reverse("alerts:rules"), reverse("alerts:school_rules", args=[city.school_a.pk])
    for username, user in city.everyone().items():
        client = client_as(user)
        assert client.get(city_url).status_code == (200 if username in RULE_READERS else 403), username
        assert client.get(school_a_url).status_code == (200 if username in {"song_a", "liu_a"} else 404), username
        if username != "bai":
            client.post(city_url, rules_form_data(engine.DEFAULT_RULES))
    assert RuleSet.objects.filter(region=city.region).count() == 1


def test_the_bureau_saves_a_new_version(city, client_as):
    data = rules_form_data(engine.DEFAULT_RULES, note="缩短期限", ack_minutes__red=20, ack_minutes__orange=120)
    assert client_as(city.bai).post(reverse("alerts:rules"), data).status_code == 302
    assert RuleSet.objects.filter(region=city.region).latest("version").rules["ack_minutes"] == {
        "red": 20, "orange": 120, "yellow": 1440}


def test_the_alert_pages_read_in_english(city, client_as, alerts):
    client = client_as(city.liu_a)
    client.cookies["django_language"] = "en"
    page = client.get(reverse("alerts:detail", args=[alerts["chen_red"].pk]), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Red alert" in page and "Hotline risk assessment: imminent" in page and "热线" not in page
