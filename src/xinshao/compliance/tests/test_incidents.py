"""The incident register: a reporting deadline in hours from discovery, a timeline of actions,
overdue incidents flagged and told to the bureau admins once."""
import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from xinshao.audit.models import AuditEntry
from xinshao.celery import app as celery_app
from xinshao.compliance import services
from xinshao.compliance.models import Incident, IncidentEvent
from xinshao.compliance.tests.support import other_city_admin, person
from xinshao.accounts.roles import Role
from xinshao.notifications.models import Notification

HOUR = datetime.timedelta(hours=1)


def _report(city, discovered_at, **extra):
    return services.incident_report(actor=city.bai, region=city.district_a, title="心理测评名单误发",
                                    description="班主任把测评名单误发到家长群", discovered_at=discovered_at,
                                    affected_count=extra.pop("affected_count", 38), data_kinds=["identity", "results"],
                                    **extra)


def test_the_deadline_is_counted_in_hours_from_discovery(city, settings):
    settings.XINSHAO_INCIDENT_REPORT_HOURS = 6
    discovered = timezone.now() - 2 * HOUR
    incident = _report(city, discovered, affected_students=[city.chen])
    assert incident.report_due_at == discovered + 6 * HOUR
    assert not incident.is_overdue(timezone.now())
    assert incident.is_overdue(discovered + 6 * HOUR + datetime.timedelta(minutes=1))
    assert list(incident.affected_students.all()) == [city.chen]


def test_the_default_deadline_is_24_hours(city):
    discovered = timezone.now()
    assert _report(city, discovered).report_due_at == discovered + 24 * HOUR


def test_bad_reports_are_refused_saying_why(city):
    with pytest.raises(ValidationError, match="发现时间不能晚于现在"):
        _report(city, timezone.now() + HOUR)
    with pytest.raises(ValidationError, match="涉及人数不能少于"):
        _report(city, timezone.now(), affected_count=0, affected_students=[city.chen])
    assert not Incident.objects.exists()


def test_the_timeline_records_each_action_once_and_closing_needs_containment(city):
    incident = _report(city, timezone.now() - HOUR)
    with pytest.raises(ValidationError, match="控制住之后"):
        services.incident_act(incident=incident, actor=city.bai, kind="closed", note="完毕")
    for kind, note in [("contained", "已撤回消息"), ("authority_reported", "已报市网信办"),
                       ("guardians_notified", "电话告知 38 位家长"), ("note", "约谈班主任")]:
        services.incident_act(incident=incident, actor=city.bai, kind=kind, note=note)
    with pytest.raises(ValidationError, match="已经记录过"):
        services.incident_act(incident=incident, actor=city.bai, kind="contained")
    services.incident_act(incident=incident, actor=city.bai, kind="closed", note="整改完成")
    with pytest.raises(ValidationError, match="事件已结束"):
        services.incident_act(incident=incident, actor=city.bai, kind="note", note="补记")
    incident.refresh_from_db()
    assert incident.contained_at and incident.authority_reported_at and incident.guardians_notified_at
    assert incident.closed_at
    assert list(incident.events.values_list("kind", flat=True)) == [
        "reported", "contained", "authority_reported", "guardians_notified", "note", "closed"]
    assert AuditEntry.objects.filter(object_type="compliance.incident", object_id=str(incident.pk)).count() == 6


def test_an_overdue_incident_is_flagged_and_told_to_the_bureau_admins_once(city, client_as):
    late = _report(city, timezone.now() - 30 * HOUR)
    reported = _report(city, timezone.now() - 30 * HOUR)
    services.incident_act(incident=reported, actor=city.bai, kind="authority_reported")
    district_admin = person("dh_admin", Role.BUREAU_ADMIN, region=city.district_a)
    school_b_district_admin = person("xs_admin", Role.BUREAU_ADMIN, region=city.district_b)

    assert services.incidents_notify_overdue() == 1
    assert services.incidents_notify_overdue() == 0
    told = set(Notification.objects.filter(topic="incident_overdue").values_list("recipient__username", flat=True))
    assert told == {"bai", district_admin.username}
    assert school_b_district_admin.username not in told
    assert late.events.filter(kind=IncidentEvent.Kind.OVERDUE_NOTIFIED).count() == 1

    page = client_as(city.bai).get(reverse("compliance:incidents")).content.decode()
    assert page.count("class=\"overdue\">逾期未上报") == 1
    detail = client_as(city.bai).get(reverse("compliance:incident", args=[late.pk])).content.decode()
    assert "已超过上报期限" in detail


def test_the_register_is_the_bureau_admins_of_the_region(city, client_as):
    incident = _report(city, timezone.now())
    assert client_as(other_city_admin()).get(reverse("compliance:incident", args=[incident.pk])).status_code == 404
    assert client_as(city.song_a).get(reverse("compliance:incidents")).status_code == 403


def test_reporting_and_acting_from_the_pages(city, client_as):
    client = client_as(city.bai)
    response = client.post(reverse("compliance:incidents"), {
        "region": city.region.pk, "title": "U 盘丢失", "description": "存有测评结果的 U 盘丢失",
        "discovered_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"), "affected_count": 2,
        "student_numbers": f"{city.chen.student_number}\n{city.zhou.student_number}", "data_kinds": ["results"]})
    incident = Incident.objects.get(title="U 盘丢失")
    assert response.status_code == 302 and set(incident.affected_students.all()) == {city.chen, city.zhou}
    response = client.post(reverse("compliance:incidents"), {
        "region": city.region.pk, "title": "x", "description": "x", "affected_count": 1,
        "discovered_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"), "student_numbers": "NOPE1",
        "data_kinds": ["results"]})
    assert response.status_code == 400 and "NOPE1" in response.content.decode()
    response = client.post(reverse("compliance:incident", args=[incident.pk]), {"kind": "contained", "note": "已找回"})
    assert response.status_code == 302
    assert client.post(reverse("compliance:incident", args=[incident.pk]), {"kind": "closed"}).status_code == 400


def test_the_overdue_job_is_on_the_schedule():
    entry = celery_app.conf.beat_schedule["compliance-notify-overdue-incidents"]
    assert entry["task"] == "xinshao.compliance.tasks.notify_overdue_incidents"
    assert entry["task"] in celery_app.tasks
