"""The bureau's audit search and unusual access report."""
from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from xinshao.accounts.services import unusual_access_report
from xinshao.audit.models import AuditEntry
from xinshao.audit.services import audit_record
from xinshao.notifications.models import Notification


def _reads(city):
    audit_record(actor=city.liu_a, action="records.growth_record_viewed", student=city.chen, obj=city.chen)
    audit_record(actor=city.liu_a, action="records.growth_record_viewed", student=city.lin, obj=city.lin)
    audit_record(actor=city.wang_b, action="records.growth_record_viewed", student=city.zhou, obj=city.zhou)


def _rows(body: str) -> int:
    return body.count("<tr><td>")


def test_who_looked_at_this_student(city, client_as):
    _reads(city)
    body = client_as(city.bai).get(reverse("audit:search"), {"student": city.chen.student_number}).content.decode()
    assert _rows(body) == 1 and city.liu_a.username in body and "共 1 条记录" in body


def test_what_did_this_user_look_at(city, client_as):
    _reads(city)
    body = client_as(city.xin).get(reverse("audit:search"), {"username": "liu_a"}).content.decode()
    assert _rows(body) == 2 and city.wang_b.username not in body


def test_date_range_and_searching_is_audited(city, client_as):
    _reads(city)
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    client = client_as(city.bai)
    body = client.get(reverse("audit:search"), {"username": "liu_a", "since": tomorrow}).content.decode()
    assert "共 0 条记录" in body
    entry = AuditEntry.objects.filter(action="audit.search_viewed", actor_id=city.bai.pk).get()
    assert entry.detail["username"] == "liu_a"


def test_a_search_needs_a_student_or_a_user(city, client_as):
    response = client_as(city.bai).get(reverse("audit:search"), {"since": "2026-01-01"})
    assert response.status_code == 400 and "至少一项" in response.content.decode()


def test_a_school_cannot_search_the_audit(city, client_as):
    assert client_as(city.song_a).get(reverse("audit:search")).status_code == 403
    assert client_as(city.fen).get(reverse("audit:unusual")).status_code == 403


def test_the_unusual_report_lists_who_read_more_students_than_the_threshold(city, client_as, settings):
    settings.XINSHAO_UNUSUAL_ACCESS_STUDENTS = 1
    _reads(city)
    body = client_as(city.bai).get(reverse("audit:unusual")).content.decode()
    assert city.liu_a.username in body and city.wang_b.username not in body


def test_the_morning_report_tells_the_bureau_about_yesterday(city, settings):
    settings.XINSHAO_UNUSUAL_ACCESS_STUDENTS = 1
    _reads(city)
    tomorrow = timezone.now() + timedelta(days=1)
    assert unusual_access_report(now=tomorrow) == 2
    told = Notification.objects.filter(topic="unusual_access")
    assert {n.recipient for n in told} == {city.bai, city.xin} and "1 人" in told.first().body
    assert unusual_access_report(now=timezone.now()) == 0
