"""Test helpers: an endpoint, a red alert at school A (Chen)."""
from xinshao.alerts.models import Source
from xinshao.alerts.services import signal_receive
from xinshao.webhooks.models import Event
from xinshao.webhooks.services import endpoint_create

ALERT_EVENTS = [Event.ALERT_RAISED, Event.ALERT_ACKNOWLEDGED, Event.ALERT_CLOSED]


def make_endpoint(owner, covers, url, events=ALERT_EVENTS):
    return endpoint_create(owner=owner, name="学籍系统", url=url, events=events, covers=covers)


def red_alert(city):
    return signal_receive(student=city.chen, source=Source.TEACHER_REFERRAL, raised_by=city.zhang_a1,
                          facts={"concerns": ["self_harm_talk"]}, note="说过不想活了").alert
