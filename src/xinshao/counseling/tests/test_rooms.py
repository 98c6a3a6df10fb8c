"""Rooms against the city's standard, and counselors' slots inside opening hours."""
import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from xinshao.counseling import selectors, services
from xinshao.counseling.models import EquipmentItem, Room, Slot
from xinshao.org.models import School

from .support import MONDAY, at, full_room

NOW = at(MONDAY - datetime.timedelta(days=7), 9)


def _row(table, school):
    return next(row for row in table if row.school == school)


def test_the_compliance_table_names_what_each_school_lacks(city):
    full_room(city)  # school A: everything
    small = full_room(city, city.school_b, area="12")
    small.equipment.remove(EquipmentItem.objects.get(name="沙盘"))
    small.hours.filter(weekday__in=[2, 3, 4]).delete()  # 8 h a week
    small.staff.clear()
    bare = School.objects.create(code="C001", name="北山小学", kind="primary", district=city.district_a)

    table = selectors.compliance_table(city.bai)

    assert _row(table, city.school_a).meets and _row(table, city.school_a).best.lacks == []
    lacks = _row(table, city.school_b).best.lacks
    assert not _row(table, city.school_b).meets
    assert lacks == ["面积 12.0 ㎡，不足 20.0 ㎡", "缺少：沙盘", "每周开放 8 小时，不足 10 小时", "没有值班心理教师"]
    assert _row(table, bare).best.lacks == ["没有辅导室"] and not _row(table, bare).meets
    assert sum(row.meets for row in table) == 1


def test_the_bureau_admin_changes_the_standard_and_the_table_follows(city):
    full_room(city)
    services.standard_update(min_area=Decimal("40"), min_weekly_hours=10, items=["沙盘", "新的必备项"], actor=city.bai)
    lacks = _row(selectors.compliance_table(city.bai), city.school_a).best.lacks
    assert lacks == ["面积 30.0 ㎡，不足 40.0 ㎡", "缺少：新的必备项"]


def test_only_the_bureau_and_inspectors_see_the_city_table(city):
    full_room(city)
    assert len(selectors.compliance_table(city.du)) >= 2
    assert selectors.compliance_table(city.liu_a) == []


def test_a_psych_teacher_cannot_keep_another_schools_room(city):
    services.standard_seed()
    with pytest.raises(ValidationError):
        services.room_save(actor=city.liu_a, school=city.school_b, name="越界", area=Decimal("30"), equipment=[],
                           staff=[])
    assert not Room.objects.filter(name="越界").exists()


def test_a_slot_outside_the_opening_hours_is_refused_with_a_field_error(city):
    room = full_room(city)
    with pytest.raises(ValidationError) as error:
        services.slot_publish(counselor=city.liu_a, room=room, starts_at=at(MONDAY, 16, 30), minutes=45, now=NOW)
    assert "开放时间" in error.value.message_dict["starts_at"][0]
    with pytest.raises(ValidationError):  # Saturday: closed
        services.slot_publish(counselor=city.liu_a, room=room, starts_at=at(MONDAY + datetime.timedelta(days=5), 14),
                              minutes=45, now=NOW)
    assert services.slot_publish(counselor=city.liu_a, room=room, starts_at=at(MONDAY, 16, 15), minutes=45, now=NOW)


def test_overlapping_slots_of_one_counselor_are_refused(city):
    room = full_room(city)
    services.slot_publish(counselor=city.liu_a, room=room, starts_at=at(MONDAY, 14), minutes=60, now=NOW)
    with pytest.raises(ValidationError) as error:
        services.slot_publish(counselor=city.liu_a, room=room, starts_at=at(MONDAY, 14, 30), minutes=45, now=NOW)
    assert "重叠" in error.value.message_dict["starts_at"][0]
    services.slot_publish(counselor=city.liu_a, room=room, starts_at=at(MONDAY, 15), minutes=45, now=NOW)
    assert Slot.objects.filter(counselor=city.liu_a).count() == 2


def test_a_school_psych_teacher_cannot_publish_in_another_schools_room_or_the_centre(city):
    other = full_room(city, city.school_b)
    with pytest.raises(ValidationError):
        services.slot_publish(counselor=city.liu_a, room=other, starts_at=at(MONDAY, 14), minutes=45, now=NOW)
    with pytest.raises(ValidationError):
        services.slot_publish(counselor=city.liu_a, region=city.region, starts_at=at(MONDAY, 14), minutes=45, now=NOW)


def test_weekly_slots_repeat_and_skip_weeks_that_do_not_fit(city):
    room = full_room(city)
    services.slot_publish(counselor=city.liu_a, room=room, starts_at=at(MONDAY + datetime.timedelta(weeks=1), 14),
                          minutes=45, now=NOW)
    made, skipped = services.slot_publish_weekly(counselor=city.liu_a, room=room, starts_at=at(MONDAY, 14),
                                                 minutes=45, weeks=3, now=NOW)
    assert len(made) == 2 and len(skipped) == 1


def test_the_room_pages_refuse_bad_input_with_the_form_again(city, client_as):
    room = full_room(city)
    client = client_as(city.liu_a)
    response = client.post(f"/counseling/rooms/{room.pk}/hours/", {"weekday": "0", "opens": "18:00", "closes": "17:00"})
    assert response.status_code == 400 and "结束时间要晚于开始时间" in response.content.decode()
    response = client.post("/counseling/slots/", {"place": str(room.pk), "day": "2031-03-08", "start": "14:00",
                                                  "minutes": "45", "weeks": "1"})
    assert response.status_code == 400 and "不在辅导室的开放时间内" in response.content.decode()
    assert not Slot.objects.exists()
