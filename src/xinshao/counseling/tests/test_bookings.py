"""Booking a slot, one winner per slot, the counselor's answers, reminders, and who sees a booking."""
import datetime
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from xinshao.access import scopes
from xinshao.audit.models import AuditEntry
from xinshao.cases.models import CounsellingSession
from xinshao.cases.services import case_open
from xinshao.counseling import services
from xinshao.counseling.models import Booking, BookingEvent, Slot
from xinshao.notifications.models import Notification
from xinshao.testing import build_city

from .support import MONDAY, at, full_room

NOW = at(MONDAY - datetime.timedelta(days=7), 9)
START = at(MONDAY, 14)


@pytest.fixture
def slot(city):
    room = full_room(city)
    return services.slot_publish(counselor=city.liu_a, room=room, starts_at=START, minutes=45, now=NOW)


def _book(city, slot, **kw):
    return services.booking_create(slot=slot, actor=city.chen_user, student=city.chen, now=NOW, **kw)


def test_a_student_books_an_open_slot_and_the_counselor_hears_of_it(city, slot):
    booking = _book(city, slot, reason="最近睡不好")
    assert booking.status == Booking.Status.BOOKED and booking.reason == "最近睡不好"
    assert Notification.objects.filter(recipient=city.liu_a).count() == 1
    assert BookingEvent.objects.filter(booking=booking, kind="create").exists()
    assert AuditEntry.objects.filter(action="counseling.booking_create", student_id=city.chen.pk).exists()
    assert not scopes.slots_bookable_by(city.chen_user, city.chen).filter(pk=slot.pk).exists()


def test_the_reason_is_stored_encrypted(city, slot):
    booking = _book(city, slot, reason="最近睡不好")
    with connection.cursor() as cursor:
        cursor.execute("SELECT reason FROM counseling_booking WHERE id = %s", [booking.pk])
        assert "睡不好" not in cursor.fetchone()[0]


def test_of_two_bookings_of_one_slot_the_second_is_refused(city, slot):
    _book(city, slot)
    with pytest.raises(ValidationError):
        services.booking_create(slot=slot, actor=city.chen_ma_user, student=city.chen, now=NOW)
    assert Booking.objects.filter(slot=slot).count() == 1


def test_the_database_keeps_one_active_booking_per_slot(city, slot):
    from django.db import IntegrityError, transaction

    _book(city, slot)
    with pytest.raises(IntegrityError), transaction.atomic():
        Booking.objects.create(slot=slot, student=city.chen, booked_by=city.chen_ma_user, created_at=NOW)


@pytest.mark.skipif(connection.vendor == "sqlite", reason="SQLite's shared in-memory test database refuses "
                    "concurrent writers instead of queueing them; run with DATABASE_URL pointing to PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_two_bookings_at_once_from_two_threads_one_wins():
    city = build_city()
    room = full_room(city)
    slot = services.slot_publish(counselor=city.liu_a, room=room, starts_at=START, minutes=45, now=NOW)
    outcomes = []

    def book(actor):
        try:
            services.booking_create(slot=slot, actor=actor, student=city.chen, now=NOW)
            outcomes.append("won")
        except ValidationError:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=book, args=(actor,)) for actor in (city.chen_user, city.chen_ma_user)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["refused", "won"]
    assert Booking.objects.filter(slot=slot, status__in=Booking.ACTIVE).count() == 1


def test_another_schools_student_cannot_book_or_see(city, slot):
    other = full_room(city, city.school_b)
    b_slot = services.slot_publish(counselor=city.wang_b, room=other, starts_at=START, minutes=45, now=NOW)
    with pytest.raises(ValidationError):
        services.booking_create(slot=b_slot, actor=city.chen_user, student=city.chen, now=NOW)
    with pytest.raises(ValidationError):  # a guardian books for their own child only
        services.booking_create(slot=slot, actor=city.chen_ma_user, student=city.zhou, now=NOW)
    booking = _book(city, slot, reason="私事")
    for outsider in (city.wang_b, city.zhang_a1, city.song_a, city.lin_user, city.xin, city.chen_ma_user):
        assert not scopes.bookings_visible_to(outsider).filter(pk=booking.pk).exists(), outsider


def test_the_class_teacher_and_school_admin_get_no_booking_page(city, slot, client_as):
    booking = _book(city, slot, reason="私事")
    for person in (city.zhang_a1, city.song_a, city.wang_b):
        assert client_as(person).get(f"/counseling/bookings/{booking.pk}/").status_code == 404
    response = client_as(city.song_a).get("/counseling/rooms/")
    assert "私事" not in response.content.decode() and "已预约，待确认：1" in response.content.decode()


def test_reading_a_booking_with_a_reason_is_audited(city, slot, client_as):
    booking = _book(city, slot, reason="私事")
    response = client_as(city.liu_a).get(f"/counseling/bookings/{booking.pk}/")
    assert "私事" in response.content.decode()
    assert AuditEntry.objects.filter(action="counseling.booking_read", actor_id=city.liu_a.pk, student_id=city.chen.pk).exists()


def test_the_counselor_cancels_with_a_reason_and_the_booker_is_told(city, slot):
    booking = _book(city, slot)
    with pytest.raises(ValidationError):
        services.booking_cancel(booking=booking, actor=city.liu_a, reason=" ", now=NOW)
    services.booking_cancel(booking=booking, actor=city.liu_a, reason="临时有会", now=NOW)
    assert Booking.objects.get(pk=booking.pk).status == Booking.Status.CANCELLED
    assert Notification.objects.filter(recipient=city.chen_user).count() == 1
    assert scopes.slots_bookable_by(city.chen_user, city.chen).filter(pk=slot.pk).exists()  # open again


def test_the_booker_cancels_their_own_booking(city, slot):
    booking = _book(city, slot)
    services.booking_cancel(booking=booking, actor=city.chen_user, now=NOW)
    assert Booking.objects.get(pk=booking.pk).status == Booking.Status.CANCELLED
    with pytest.raises(ValidationError):
        services.booking_cancel(booking=booking, actor=city.chen_user, now=NOW)


def test_the_counselor_confirms_and_reschedules_to_another_open_slot(city, slot):
    later = services.slot_publish(counselor=city.liu_a, room=slot.room, starts_at=at(MONDAY, 15), minutes=45, now=NOW)
    booking = _book(city, slot)
    services.booking_confirm(booking=booking, actor=city.liu_a, now=NOW)
    services.booking_reschedule(booking=booking, to_slot=later, actor=city.liu_a, now=NOW)
    booking.refresh_from_db()
    assert booking.slot == later and booking.status == Booking.Status.CONFIRMED
    assert scopes.slots_bookable_by(city.chen_user, city.chen).filter(pk=slot.pk).exists()
    with pytest.raises(ValidationError):  # a student cannot confirm
        services.booking_confirm(booking=booking, actor=city.chen_user, now=NOW)


def test_no_show_only_after_the_time(city, slot):
    booking = _book(city, slot)
    with pytest.raises(ValidationError):
        services.booking_no_show(booking=booking, actor=city.liu_a, now=NOW)
    services.booking_no_show(booking=booking, actor=city.liu_a, now=START + datetime.timedelta(hours=1))
    assert Booking.objects.get(pk=booking.pk).status == Booking.Status.NO_SHOW


def test_an_attended_booking_becomes_a_session_of_the_open_case(city, slot):
    booking = _book(city, slot)
    case = case_open(student=city.chen, level="yellow", reason="测评后跟进", actor=city.liu_a, now=NOW)
    after = START + datetime.timedelta(hours=1)
    services.booking_attended(booking=booking, actor=city.liu_a, notes="聊了睡眠和考试压力", now=after)
    booking.refresh_from_db()
    session = CounsellingSession.objects.get(case=case)
    assert booking.status == Booking.Status.ATTENDED and booking.session_id == session.pk
    assert session.private_notes == "聊了睡眠和考试压力" and session.minutes == 45 and booking.notes == ""


def test_without_a_case_the_notes_stay_with_the_booking(city, slot):
    booking = _book(city, slot)
    services.booking_attended(booking=booking, actor=city.liu_a, notes="初次来访", now=START + datetime.timedelta(hours=1))
    booking.refresh_from_db()
    assert booking.notes == "初次来访" and booking.session_id is None and not CounsellingSession.objects.exists()


def test_reminders_go_once_a_day_ahead(city, slot):
    booking = _book(city, slot)
    assert services.reminders_send(now=START - datetime.timedelta(hours=30)) == 0
    assert services.reminders_send(now=START - datetime.timedelta(hours=23)) == 1
    assert services.reminders_send(now=START - datetime.timedelta(hours=22)) == 0
    reminders = Notification.objects.filter(subject__contains="提醒")
    assert sorted(n.recipient_id for n in reminders) == sorted([city.chen_user.pk, city.liu_a.pk])
    booking.refresh_from_db()
    assert booking.reminded_at == START - datetime.timedelta(hours=23)


def test_a_teacher_books_the_city_centre_for_themself(city):
    centre = services.slot_publish(counselor=city.xin, region=city.region, starts_at=START, minutes=50, now=NOW)
    assert list(scopes.slots_bookable_by(city.gao_a)) == [centre]
    booking = services.booking_create(slot=centre, actor=city.gao_a, now=NOW)
    assert booking.student is None
    assert scopes.bookings_visible_to(city.xin).filter(pk=booking.pk).exists()
    assert not scopes.bookings_visible_to(city.liu_a).filter(pk=booking.pk).exists()


def test_a_student_sees_the_city_centre_and_their_own_school(city, slot):
    centre = services.slot_publish(counselor=city.xin, region=city.region, starts_at=START, minutes=50, now=NOW)
    assert set(scopes.slots_bookable_by(city.chen_user, city.chen)) == {slot, centre}
    assert Slot.objects.count() == 2


def test_the_counselor_opens_a_case_from_an_attended_booking(city, slot, client_as):
    booking = _book(city, slot)
    after = START + datetime.timedelta(hours=1)
    services.booking_attended(booking=booking, actor=city.liu_a, notes="初次来访", now=after)
    case = services.booking_open_case(booking=booking, actor=city.liu_a, level="yellow", now=after)
    booking.refresh_from_db()
    session = CounsellingSession.objects.get(case=case)
    assert case.student == city.chen and booking.session_id == session.pk and session.private_notes == "初次来访"
    assert booking.notes == ""
    with pytest.raises(ValidationError):  # once only
        services.booking_open_case(booking=booking, actor=city.liu_a, level="yellow", now=after)
