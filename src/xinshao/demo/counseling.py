"""Counseling rooms and appointments in the demo city.

Every school has a room; most meet the standard, some do not (a small room, missing
equipment, too few opening hours, nobody staffing it), so the bureau's compliance table has
something to say. The showcase schools' first psych teachers (s001.psych1, s002.psych1) and the
psych centre (psych.centre) have open slots for the next two weeks; s001.student1 and
s001.guardian1 have booked one each (the student's is confirmed), and one attended meeting in the
past has become a session record.
"""
import datetime
import random
from decimal import Decimal

from django.utils import timezone

from xinshao.accounts.models import RoleAssignment, User
from xinshao.accounts.roles import Role
from xinshao.counseling import services
from xinshao.counseling.models import Booking, EquipmentItem, OpeningHours, Room, Slot
from xinshao.org.models import Region, School

SLOT_HOURS = (14, 15, 16)        # school rooms: open 13:30-17:30 on weekdays
CENTRE_HOURS = (9, 10, 14, 15)
DAYS_AHEAD = 14


def _user(username: str) -> User | None:
    return User.objects.filter(username=username).first()


def _rooms(city: Region, rng: random.Random) -> None:
    schools = list(School.objects.filter(district__parent=city).order_by("code"))
    items = list(EquipmentItem.objects.filter(is_active=True))
    for position, school in enumerate(schools):
        staff = [a.user for a in RoleAssignment.objects.filter(role=Role.PSYCH_TEACHER, school=school, is_active=True)
                 .select_related("user").order_by("user__username")]
        kind = (position - 2) % 4 + 1 if position >= 2 else 0  # the showcase schools meet the standard
        area = Decimal(rng.choice(["12", "14", "16"])) if kind == 1 else Decimal(rng.choice(["24", "30", "36", "45"]))
        equipment = items if kind != 2 else [item for item in items if item.name not in ("沙盘", "心理测评用计算机")]
        room = Room.objects.create(school=school, name="心理辅导室", area=area)
        room.equipment.set(equipment)
        room.staff.set(staff if kind != 4 else [])
        days = range(5) if kind != 3 else range(2)
        OpeningHours.objects.bulk_create([OpeningHours(room=room, weekday=day, opens=datetime.time(13, 30),
                                                       closes=datetime.time(17, 30)) for day in days])


def _at(day: datetime.date, hour: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def _open_slots(counselor, now, rng, *, hours, room=None, region=None) -> list[Slot]:
    made = []
    for offset in range(1, DAYS_AHEAD + 1):
        day = timezone.localdate(now) + datetime.timedelta(days=offset)
        if day.weekday() >= 5:
            continue
        for hour in sorted(rng.sample(hours, k=min(2, len(hours)))):
            made.append(services.slot_publish(counselor=counselor, starts_at=_at(day, hour), minutes=45, room=room,
                                               region=region, now=now))
    return made


def seed_counseling(city: Region, now: datetime.datetime, rng: random.Random) -> None:
    services.standard_seed()
    _rooms(city, rng)
    for username in ("s001.psych1", "s002.psych1"):
        psych = _user(username)
        room = Room.objects.filter(staff=psych).first() if psych else None
        if room is None:
            continue
        slots = _open_slots(psych, now, rng, hours=SLOT_HOURS, room=room)
        if username == "s001.psych1":
            _bookings(psych, room, slots, now)
    centre = _user("psych.centre")
    if centre is not None:
        _open_slots(centre, now, rng, hours=CENTRE_HOURS, region=city)


def _bookings(psych, room, slots, now) -> None:
    student_user, guardian_user = _user("s001.student1"), _user("s001.guardian1")
    if student_user is None or len(slots) < 3:
        return
    student = student_user.role_assignments.get(role=Role.STUDENT).student
    booking = services.booking_create(slot=slots[0], actor=student_user, student=student, now=now,
                                      reason="最近晚上总是睡不着，想和老师聊聊")
    services.booking_confirm(booking=booking, actor=psych, now=now)
    if guardian_user is not None:
        guardian = guardian_user.role_assignments.get(role=Role.GUARDIAN).guardian
        child = guardian.student_links.select_related("student").first().student
        services.booking_create(slot=slots[2], actor=guardian_user, student=child, now=now,
                                reason="孩子最近不太愿意说话，想请老师帮忙看看")
    # A meeting last week, attended: it becomes a session (in the student's case, if one is open).
    past_day = timezone.localdate(now) - datetime.timedelta(days=7)
    while past_day.weekday() >= 5:
        past_day -= datetime.timedelta(days=1)
    past = Slot.objects.create(counselor=psych, room=room, school=room.school, starts_at=_at(past_day, 15), minutes=45)
    earlier = Booking.objects.create(slot=past, student=student, booked_by=student_user, created_at=now -
                                     datetime.timedelta(days=9), reason="考试前有点紧张")
    services.booking_attended(booking=earlier, actor=psych, notes="谈了考试焦虑，练习了呼吸放松，下周再约。", now=now)
