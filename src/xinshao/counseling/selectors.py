"""Reads: the city's room compliance table, a counselor's days, a booker's bookings."""
import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from xinshao.access import scopes

from .models import Booking, EquipmentItem, Room, Standard


@dataclass
class RoomCheck:
    room: Room | None
    lacks: list[str] = field(default_factory=list)
    weekly_hours: float = 0

    @property
    def meets(self) -> bool:
        return self.room is not None and not self.lacks


@dataclass
class SchoolCompliance:
    school: object
    best: RoomCheck
    rooms: int

    @property
    def meets(self) -> bool:
        return self.best.meets


def room_check(room: Room, standard: Standard, required: list[EquipmentItem]) -> RoomCheck:
    lacks = []
    if room.area < standard.min_area:
        lacks.append(_("面积 %(area)s ㎡，不足 %(min)s ㎡") % {"area": room.area, "min": standard.min_area})
    have = {item.pk for item in room.equipment.all()}
    missing = [item.name for item in required if item.pk not in have]
    if missing:
        lacks.append(_("缺少：%(items)s") % {"items": "、".join(missing)})
    hours = sum(h.minutes for h in room.hours.all()) / 60
    if hours < standard.min_weekly_hours:
        lacks.append(_("每周开放 %(h)s 小时，不足 %(min)s 小时") % {"h": f"{hours:g}", "min": standard.min_weekly_hours})
    if not room.staff.all():
        lacks.append(_("没有值班心理教师"))
    return RoomCheck(room=room, lacks=lacks, weekly_hours=hours)


def compliance_table(user) -> list[SchoolCompliance]:
    """Every school the user oversees: does its best room meet the standard, and what it lacks."""
    standard = Standard.current()
    required = list(EquipmentItem.objects.filter(is_active=True))
    rooms = Room.objects.prefetch_related("equipment", "hours", "staff")
    schools = scopes.compliance_schools(user).select_related("district").prefetch_related(
        Prefetch("counseling_rooms", queryset=rooms)).order_by("district__name", "code")
    table = []
    for school in schools:
        checks = [room_check(room, standard, required) for room in school.counseling_rooms.all()]
        best = min(checks, key=lambda c: len(c.lacks)) if checks else RoomCheck(None, [_("没有辅导室")])
        table.append(SchoolCompliance(school=school, best=best, rooms=len(checks)))
    return table


def booking_counts(rooms) -> dict:
    """Counts only, for the school admin: bookings of the school's rooms by status."""
    rows = Booking.objects.filter(slot__room__in=rooms).values("status").annotate(n=Count("id"))
    return {row["status"]: row["n"] for row in rows}


def counselor_days(user, *, today=None, days: int = 14):
    """The counselor's slots from today on, by day, each with its active (or last) booking."""
    today = today or timezone.localdate()
    start = timezone.make_aware(datetime.datetime.combine(today, datetime.time.min))
    slots = scopes.slots_kept_by(user).filter(starts_at__gte=start, withdrawn=False,
                                             starts_at__lt=start + datetime.timedelta(days=days)).prefetch_related(
        Prefetch("bookings", queryset=Booking.objects.select_related("student", "booked_by").order_by("-created_at")))
    by_day: dict = {}
    for slot in slots:
        by_day.setdefault(timezone.localtime(slot.starts_at).date(), []).append(
            (slot, next(iter(slot.bookings.all()), None)))
    return sorted(by_day.items())


def past_bookings_to_record(user):
    """The counselor's bookings whose time has passed and which still wait for 到访/未到."""
    return scopes.bookings_visible_to(user).filter(Q(slot__counselor_id=user.pk), status__in=Booking.ACTIVE,
                                                   slot__starts_at__lt=timezone.now())


def my_bookings(user):
    return scopes.bookings_visible_to(user).filter(Q(booked_by_id=user.pk) | Q(
        student__in=scopes.booking_students(user))).order_by("-slot__starts_at")
