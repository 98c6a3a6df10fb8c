"""The inbox shows names and reasons, so each view of it is audited like opening an alert: one entry
naming the students shown, none for a refresh showing the same rows, one when a new alert appears."""
import pytest
from django.urls import reverse

from xinshao.alerts.models import Source
from xinshao.alerts.services import signal_receive
from xinshao.audit.models import AuditEntry
from xinshao.audit.selectors import audit_chain_verify

pytestmark = pytest.mark.django_db


def _raise(student):
    return signal_receive(student=student, source=Source.GUARDIAN_CONCERN, raised_by=None,
                          facts={"concerns": ["low_mood"]}).alert


def _entries(user):
    return list(AuditEntry.objects.filter(action="alerts.inbox_viewed", actor_id=user.pk).order_by("id"))


def test_opening_and_refreshing_the_inbox_is_audited_once_per_change(city, client_as):
    _raise(city.chen)
    client = client_as(city.liu_a)

    assert client.get(reverse("alerts:inbox")).status_code == 200
    [opened] = _entries(city.liu_a)
    assert opened.detail == {"students": [city.chen.pk]} and opened.path == reverse("alerts:inbox")

    for _ in range(3):
        assert client.get(reverse("alerts:inbox_rows")).status_code == 200
    assert len(_entries(city.liu_a)) == 1

    _raise(city.lin)
    client.get(reverse("alerts:inbox_rows"))
    client.get(reverse("alerts:inbox_rows"))
    entries = _entries(city.liu_a)
    assert len(entries) == 2 and entries[-1].detail == {"students": sorted([city.chen.pk, city.lin.pk])}
    assert audit_chain_verify().ok


def test_each_reader_has_her_own_trail_and_an_empty_inbox_writes_nothing(city, client_as):
    _raise(city.zhou)
    client_as(city.liu_a).get(reverse("alerts:inbox"))
    client_as(city.wang_b).get(reverse("alerts:inbox_rows"))

    assert _entries(city.liu_a) == []  # Zhou is school B's: nothing of hers was on Liu's screen
    assert [entry.detail for entry in _entries(city.wang_b)] == [{"students": [city.zhou.pk]}]
