"""Counseling objects for the access matrix: per side the school's room, an open slot of its psych
teacher, and a booking of another slot (side A: booked by Chen for herself)."""
import datetime

from django.utils import timezone

from xinshao.access.tests.matrix_objects import Thing
from xinshao.counseling.models import Booking, Room, Slot


def matrix_side(city, side, objects):
    school, psych = (city.school_a, city.liu_a) if side == "A" else (city.school_b, city.wang_b)
    room = Room.objects.create(school=school, name="矩阵辅导室", area=30)
    start = timezone.now() + datetime.timedelta(days=3)
    open_slot = Slot.objects.create(counselor=psych, room=room, school=school, starts_at=start, minutes=45)
    taken = Slot.objects.create(counselor=psych, room=room, school=school,
                                starts_at=start + datetime.timedelta(hours=1), minutes=45)
    if side == "A":
        booking = Booking.objects.create(slot=taken, student=city.chen, booked_by=city.chen_user, reason="矩阵",
                                         created_at=timezone.now())
        owners = frozenset({"chen_user"})
    else:
        booking = Booking.objects.create(slot=taken, student=city.zhou, booked_by=city.wang_b, reason="矩阵",
                                         created_at=timezone.now())
        owners = frozenset()
    return {
        "room_id": Thing(room.pk),
        "slot_id": Thing(open_slot.pk, owners=frozenset({psych.username})),
        "booking_id": Thing(booking.pk, owners=owners),
    }
