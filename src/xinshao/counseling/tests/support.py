"""Rooms and slots of the test city, built through the services like the pages do."""
import datetime
from decimal import Decimal

from django.utils import timezone

from xinshao.counseling import services
from xinshao.counseling.models import EquipmentItem, Room

# A Monday, well ahead of any clock the tests use.
MONDAY = datetime.date(2031, 3, 3)


def at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def full_room(city, school=None, staff=None, *, area="30") -> Room:
    """A room that meets the seeded standard: every item, Monday to Friday 13:00-17:00 (20 h), staffed."""
    services.standard_seed()
    school = school or city.school_a
    staff = staff or (city.liu_a if school == city.school_a else city.wang_b)
    room = services.room_save(actor=staff, school=school, name="阳光辅导室", area=Decimal(area),
                              equipment=EquipmentItem.objects.filter(is_active=True), staff=[staff])
    for weekday in range(5):
        services.hours_add(room=room, weekday=weekday, opens=datetime.time(13), closes=datetime.time(17), actor=staff)
    return room

