import pytest
from django.urls import reverse

from xinshao.access import scopes
from xinshao.audit.models import AuditEntry
from xinshao.hotline import services
from xinshao.hotline.tests.support import log
from xinshao.people.models import Student
from xinshao.testing import enrolled_student

pytestmark = pytest.mark.django_db


def test_the_operator_reads_no_school_roster(city, client_as):
    client = client_as(city.re)
    assert not scopes.students_visible_to(city.re).exists()
    roster = client.get(reverse("people:student_list"))
    assert roster.status_code in (200, 403, 404)
    assert not any(name in roster.content.decode() for name in ("陈小雨", "林晓东", "周子涵"))
    assert client.get(reverse("people:student_detail", args=[city.chen.pk])).status_code == 404


def test_the_search_answers_only_exact_matches_and_at_most_a_few(city):
    for n in range(5):
        enrolled_student(city.school_a, city.class_a2, f"A-T{n}", "李同名", "M", (2013, 1, 1))
    found = services.student_search(user=city.re, school=city.school_a, name="李同名")
    assert len(found) == scopes.SEARCH_LIMIT
    assert services.student_search(user=city.re, school=city.school_a, name="李") == []
    assert services.student_search(user=city.re, school=city.school_a) == []
    assert services.student_search(user=city.re, school=city.school_a, student_number="A2026001") == [city.chen]
    entries = AuditEntry.objects.filter(action="hotline.student_search")
    assert entries.count() == 4 and len(entries.order_by("id").first().detail["students"]) == 3


def test_school_people_cannot_search_for_calls(city):
    assert services.student_search(user=city.liu_a, school=city.school_a, name="陈小雨") == []


def test_the_operator_keeps_only_the_students_their_calls_name(city):
    assert not scopes.students_named_in_calls_visible_to(city.re).exists()
    log(city, student=city.chen, school=city.school_a)
    assert list(scopes.students_named_in_calls_visible_to(city.re)) == [city.chen]
    assert not scopes.students_visible_to(city.re).exists()


def test_school_staff_never_read_a_call_or_its_notes(city, client_as):
    call = log(city, student=city.chen, school=city.school_a, risk="imminent", notes="机密的接线记录")
    for person in (city.liu_a, city.song_a, city.zhang_a1, city.chen_user, city.chen_ma_user):
        assert not scopes.calls_visible_to(person).exists()
        assert client_as(person).get(reverse("hotline:call_detail", args=[call.pk])).status_code == 404
    alert_page = client_as(city.liu_a).get(reverse("alerts:detail", args=[call.signal.alert_id]))
    assert alert_page.status_code == 200 and "机密的接线记录" not in alert_page.content.decode()


def test_operators_and_the_centre_read_every_call_of_the_city(city, client_as):
    call = log(city, notes="记录")
    assert client_as(city.xin).get(reverse("hotline:call_detail", args=[call.pk])).status_code == 200
    assert list(scopes.calls_visible_to(city.re)) == [call]
    assert not scopes.calls_visible_to(city.bai).exists()  # the bureau admin counts calls, reads none


def test_reading_a_call_is_audited(city, client_as):
    call = log(city, student=city.chen, school=city.school_a)
    client_as(city.xin).get(reverse("hotline:call_detail", args=[call.pk]))
    entry = AuditEntry.objects.filter(action="hotline.call.view").get()
    assert entry.student_id == city.chen.pk and entry.actor_id == city.xin.pk


def test_the_operators_home_offers_what_works(city, client_as):
    page = client_as(city.re).get("/")
    text = page.content.decode()
    for name in ("hotline:call_new", "hotline:call_list", "hotline:callbacks", "hotline:statistics"):
        assert reverse(name) in text
        assert client_as(city.re).get(reverse(name)).status_code == 200
    assert reverse("people:student_list") not in text


def test_the_centres_home_offers_visits_and_statistics(city, client_as):
    text = client_as(city.xin).get("/").content.decode()
    assert reverse("hotline:visit_list") in text and reverse("hotline:statistics") in text
    assert Student.objects.count() == 3
