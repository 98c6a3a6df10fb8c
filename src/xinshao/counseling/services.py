"""Writes of rooms, slots and bookings. Each booking change writes an event row and an audit entry."""
import datetime
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from xinshao.access import scopes
from xinshao.audit.services import audit_record
from xinshao.notifications.services import notify
from xinshao.notifications.texts import Text

from .models import Booking, BookingEvent, EquipmentItem, OpeningHours, Room, Slot, Standard

MAX_SLOT_MINUTES = 180
DEFAULT_EQUIPMENT = ("个别辅导室", "团体辅导室", "放松/宣泄设备", "沙盘", "档案柜（带锁）", "心理测评用计算机", "图书资料",
                     "隔音/隐私保护")


def standard_seed() -> Standard:
    for position, name in enumerate(DEFAULT_EQUIPMENT):
        EquipmentItem.objects.get_or_create(name=name, defaults={"position": position})
    return Standard.current()


def standard_update(*, min_area: Decimal, min_weekly_hours: int, items: list[str], actor) -> Standard:
    standard = Standard.current()
    standard.min_area, standard.min_weekly_hours = min_area, min_weekly_hours
    standard.save()
    names = [name.strip() for name in items if name.strip()]
    with transaction.atomic():
        EquipmentItem.objects.exclude(name__in=names).update(is_active=False)
        for position, name in enumerate(names):
            EquipmentItem.objects.update_or_create(name=name, defaults={"position": position, "is_active": True})
    audit_record(actor=actor, action="counseling.standard_update", obj=standard,
                 detail={"min_area": str(min_area), "min_weekly_hours": min_weekly_hours, "items": names})
    return standard


def room_save(*, actor, school=None, room: Room | None = None, name: str, area: Decimal, equipment, staff) -> Room:
    with transaction.atomic():
        if room is None:
            room = Room(school=school)
        room.name, room.area = name, area
        room.full_clean(exclude=["school"] if school is None and room.pk is None else None)
        room.save()
        room.equipment.set(equipment)
        room.staff.set(staff)
        if not scopes.rooms_kept_by(actor).filter(pk=room.pk).exists():  # re-check inside the transaction
            raise ValidationError(_("你不能管理这所学校的辅导室。"))
    audit_record(actor=actor, action="counseling.room_save", obj=room)
    return room


def hours_add(*, room: Room, weekday: int, opens: datetime.time, closes: datetime.time, actor) -> OpeningHours:
    if closes <= opens:
        raise ValidationError({"closes": _("结束时间要晚于开始时间。")})
    if room.hours.filter(weekday=weekday, opens__lt=closes, closes__gt=opens).exists():
        raise ValidationError({"opens": _("这段时间和已有的开放时间重叠了。")})
    hours = OpeningHours.objects.create(room=room, weekday=weekday, opens=opens, closes=closes)
    audit_record(actor=actor, action="counseling.hours_add", obj=room)
    return hours


def hours_remove(*, room: Room, hours_id, actor) -> None:
    room.hours.filter(pk=hours_id).delete()
    audit_record(actor=actor, action="counseling.hours_remove", obj=room)


def _within_hours(room: Room, starts_at: datetime.datetime, minutes: int) -> bool:
    local = timezone.localtime(starts_at)
    ends = local + datetime.timedelta(minutes=minutes)
    if ends.date() != local.date():
        return False
    return room.hours.filter(weekday=local.weekday(), opens__lte=local.time(), closes__gte=ends.time()).exists()


def slot_publish(*, counselor, starts_at: datetime.datetime, minutes: int, room: Room | None = None,
                 region=None, now=None) -> Slot:
    """Publish one slot: in one of the counselor's school's rooms within its opening hours, or at the
    city centre (psych centre); never overlapping the counselor's other slots."""
    now = now or timezone.now()
    rooms, regions = scopes.counselor_places(counselor)
    if not 10 <= minutes <= MAX_SLOT_MINUTES:
        raise ValidationError({"minutes": _("时长请填 10 到 %(n)s 分钟。") % {"n": MAX_SLOT_MINUTES}})
    if starts_at <= now:
        raise ValidationError({"starts_at": _("请选择一个还没到的时间。")})
    if room is not None:
        if not rooms.filter(pk=room.pk).exists():
            raise ValidationError({"place": _("只能选择本校的辅导室。")})
        if not _within_hours(room, starts_at, minutes):
            raise ValidationError({"starts_at": _("这个时间不在辅导室的开放时间内，请对照开放时间重新选择。")})
        place = {"room": room, "school": room.school}
    else:
        if region is None or region.pk not in regions:
            raise ValidationError({"place": _("只有市心理中心的老师可以在中心开放时段。")})
        place = {"region": region}
    ends_at = starts_at + datetime.timedelta(minutes=minutes)
    with transaction.atomic():
        mine = Slot.objects.select_for_update().filter(counselor=counselor, withdrawn=False,
                                                       starts_at__lt=ends_at,
                                                       starts_at__gt=starts_at - datetime.timedelta(
                                                           minutes=MAX_SLOT_MINUTES))
        if any(other.ends_at > starts_at for other in mine):
            raise ValidationError({"starts_at": _("和你已开放的另一个时段重叠了。")})
        return Slot.objects.create(counselor=counselor, starts_at=starts_at, minutes=minutes, **place)


def slot_publish_weekly(*, counselor, starts_at, minutes: int, weeks: int, room=None, region=None, now=None):
    """The same slot for `weeks` weeks in a row; a week that does not fit is left out and named."""
    made, skipped = [], []
    for week in range(weeks):
        moment = starts_at + datetime.timedelta(weeks=week)
        try:
            made.append(slot_publish(counselor=counselor, starts_at=moment, minutes=minutes, room=room,
                                     region=region, now=now))
        except ValidationError as error:
            if week == 0:
                raise
            skipped.append((moment, error))
    return made, skipped


def slot_withdraw(*, slot: Slot, actor) -> Slot:
    if slot.bookings.filter(status__in=Booking.ACTIVE).exists():
        raise ValidationError(_("这个时段已有人预约，请先处理预约。"))
    slot.withdrawn = True
    slot.save(update_fields=["withdrawn"])
    return slot


def _event(booking: Booking, kind: str, actor, now, request=None, **detail) -> None:
    BookingEvent.objects.create(booking=booking, kind=kind, actor=actor, at=now)
    audit_record(actor=actor, action=f"counseling.booking_{kind}", student=booking.student, obj=booking,
                 request=request, detail=detail)


def _link(booking: Booking) -> str:
    return reverse("counseling:booking", kwargs={"booking_id": booking.pk})


def booking_create(*, slot: Slot, actor, student=None, reason: str = "", now=None, request=None) -> Booking:
    """Book an open slot. Of two bookings of one slot at the same moment exactly one wins."""
    now = now or timezone.now()
    if not scopes.slots_bookable_by(actor, student).filter(pk=slot.pk).exists():
        raise ValidationError(_("这个时段已被预约或不能预约，请选择其他时段。"))
    if slot.starts_at <= now:
        raise ValidationError(_("这个时段已经过去了。"))
    try:
        with transaction.atomic():
            Slot.objects.select_for_update().filter(pk=slot.pk).first()
            if Booking.objects.filter(slot=slot, status__in=Booking.ACTIVE).exists():
                raise IntegrityError
            booking = Booking.objects.create(slot=slot, student=student, booked_by=actor, reason=reason[:500],
                                             created_at=now)
    except IntegrityError:
        raise ValidationError(_("这个时段刚刚被别人预约了，请选择其他时段。")) from None
    _event(booking, "create", actor, now, request)
    notify([slot.counselor], subject=Text(gettext_noop("有新的辅导预约")),
           body=Text(gettext_noop("%(when)s 的时段有了新预约，请确认。"),
                     {"when": timezone.localtime(slot.starts_at).strftime("%m-%d %H:%M")}),
           link=_link(booking), urgent=False, topic="counseling", now=now)
    return booking


def _counselor_check(booking: Booking, actor) -> None:
    if not scopes.can_act_as_counselor(actor, booking):
        raise ValidationError(_("只有辅导老师可以这样处理预约。"))


def _tell_booker(booking: Booking, subject: str, body: str, now, **values) -> None:
    notify([booking.booked_by], subject=Text(subject), body=Text(body, values), link=_link(booking), urgent=False,
           topic="counseling", now=now)


def booking_confirm(*, booking: Booking, actor, now=None, request=None) -> Booking:
    now = now or timezone.now()
    _counselor_check(booking, actor)
    if booking.status != Booking.Status.BOOKED:
        raise ValidationError(_("这个预约现在不能确认。"))
    booking.status = Booking.Status.CONFIRMED
    booking.save(update_fields=["status", "updated_at"])
    _event(booking, "confirm", actor, now, request)
    _tell_booker(booking, gettext_noop("你的辅导预约已确认"), gettext_noop("%(when)s 的辅导预约已确认。"), now,
                 when=timezone.localtime(booking.slot.starts_at).strftime("%m-%d %H:%M"))
    return booking


def booking_cancel(*, booking: Booking, actor, reason: str = "", now=None, request=None) -> Booking:
    """The counselor cancels (a reason is needed; the booker is told) or the booker cancels."""
    now = now or timezone.now()
    if not booking.is_active:
        raise ValidationError(_("这个预约已经结束或取消了。"))
    as_counselor = scopes.can_act_as_counselor(actor, booking)
    if not as_counselor and not scopes.can_cancel_own_booking(actor, booking):
        raise ValidationError(_("你不能取消这个预约。"))
    if as_counselor and not reason.strip():
        raise ValidationError({"reason": _("请写一句取消的原因，预约人会收到通知。")})
    booking.status, booking.cancel_reason = Booking.Status.CANCELLED, reason.strip()[:300]
    booking.save(update_fields=["status", "cancel_reason", "updated_at"])
    _event(booking, "cancel", actor, now, request, by="counselor" if as_counselor else "booker")
    when = timezone.localtime(booking.slot.starts_at).strftime("%m-%d %H:%M")
    if as_counselor:
        _tell_booker(booking, gettext_noop("你的辅导预约已取消"),
                     gettext_noop("很抱歉，%(when)s 的辅导预约已由老师取消，可以重新预约其他时段。"), now, when=when)
    else:
        notify([booking.slot.counselor], subject=Text(gettext_noop("有一个辅导预约被取消")),
               body=Text(gettext_noop("%(when)s 的预约已由预约人取消。"), {"when": when}), link=_link(booking),
               urgent=False, topic="counseling", now=now)
    return booking


def booking_reschedule(*, booking: Booking, to_slot: Slot, actor, now=None, request=None) -> Booking:
    """Move a booking to another open slot of the same counselor."""
    now = now or timezone.now()
    _counselor_check(booking, actor)
    if not booking.is_active:
        raise ValidationError(_("这个预约已经结束或取消了。"))
    if to_slot.counselor_id != booking.slot.counselor_id or to_slot.withdrawn or to_slot.starts_at <= now:
        raise ValidationError({"to_slot": _("只能改到同一位老师还没到的开放时段。")})
    try:
        with transaction.atomic():
            Slot.objects.select_for_update().filter(pk=to_slot.pk).first()
            if Booking.objects.filter(slot=to_slot, status__in=Booking.ACTIVE).exists():
                raise IntegrityError
            old = booking.slot
            booking.slot, booking.reminded_at = to_slot, None
            booking.save(update_fields=["slot", "reminded_at", "updated_at"])
    except IntegrityError:
        raise ValidationError({"to_slot": _("这个时段已被预约了。")}) from None
    _event(booking, "reschedule", actor, now, request, from_slot=old.pk, to_slot=to_slot.pk)
    _tell_booker(booking, gettext_noop("你的辅导预约改了时间"), gettext_noop("辅导预约改到了 %(when)s。"), now,
                 when=timezone.localtime(to_slot.starts_at).strftime("%m-%d %H:%M"))
    return booking


def booking_no_show(*, booking: Booking, actor, now=None, request=None) -> Booking:
    now = now or timezone.now()
    _counselor_check(booking, actor)
    if not booking.is_active or booking.slot.starts_at > now:
        raise ValidationError(_("预约时间到了以后才能记录未到。"))
    booking.status = Booking.Status.NO_SHOW
    booking.save(update_fields=["status", "updated_at"])
    _event(booking, "no_show", actor, now, request)
    return booking


def booking_attended(*, booking: Booking, actor, notes: str = "", kind: str = "individual", now=None,
                     request=None) -> Booking:
    """The student came. With an open case the meeting becomes a session of that case; otherwise
    the notes are kept with the booking (encrypted) and the counselor may open a case from it."""
    from xinshao.cases.intervention.services import session_record
    from xinshao.cases.models import Case

    now = now or timezone.now()
    _counselor_check(booking, actor)
    if not booking.is_active or booking.slot.starts_at > now:
        raise ValidationError(_("预约时间到了以后才能记录到访。"))
    with transaction.atomic():
        case = None
        if booking.student_id is not None:
            case = Case.objects.filter(student_id=booking.student_id).exclude(state=Case.State.CLOSED).first()
        if case is not None and scopes.can_change_case(actor, case):
            session = session_record(case=case, actor=actor, held_at=booking.slot.starts_at, kind=kind,
                                     minutes=booking.slot.minutes, private_notes=notes, now=now, request=request)
            booking.session_id = session.pk
        else:
            booking.notes = notes.strip()
        booking.status = Booking.Status.ATTENDED
        booking.save(update_fields=["status", "notes", "session_id", "updated_at"])
        _event(booking, "attended", actor, now, request, session=booking.session_id or "")
    return booking


def booking_open_case(*, booking: Booking, actor, level: str, now=None, request=None):
    """After an attended meeting with no open case: open one (cases.services.case_open) and keep the
    meeting's notes as its first session."""
    from xinshao.cases.intervention.services import session_record
    from xinshao.cases.services import case_open

    now = now or timezone.now()
    _counselor_check(booking, actor)
    if booking.status != Booking.Status.ATTENDED or booking.student is None or booking.session_id:
        raise ValidationError(_("只有已到访、还没记入个案的学生预约可以开案。"))
    with transaction.atomic():
        case = case_open(student=booking.student, level=level, reason=_("辅导预约后开案"), actor=actor, now=now,
                         request=request)
        session = session_record(case=case, actor=actor, held_at=booking.slot.starts_at, kind="individual",
                                 minutes=booking.slot.minutes, private_notes=booking.notes, now=now, request=request)
        booking.session_id, booking.notes = session.pk, ""
        booking.save(update_fields=["session_id", "notes", "updated_at"])
        _event(booking, "open_case", actor, now, request, case=case.pk)
    return case


def reminder_hours() -> int:
    return int(getattr(settings, "COUNSELING_REMINDER_HOURS", 24))


def reminders_send(*, now=None, hours: int | None = None) -> int:
    """Tell booker and counselor once about each active booking starting within `hours`."""
    now = now or timezone.now()
    horizon = now + datetime.timedelta(hours=hours if hours is not None else reminder_hours())
    sent = 0
    due = Booking.objects.filter(status__in=Booking.ACTIVE, reminded_at__isnull=True, slot__starts_at__gt=now,
                                 slot__starts_at__lte=horizon).select_related("slot__counselor", "booked_by")
    for booking in due:
        with transaction.atomic():
            claimed = Booking.objects.filter(pk=booking.pk, reminded_at__isnull=True).update(reminded_at=now)
            if not claimed:
                continue
            when = timezone.localtime(booking.slot.starts_at).strftime("%m-%d %H:%M")
            notify([booking.booked_by, booking.slot.counselor], subject=Text(gettext_noop("辅导预约提醒")),
                   body=Text(gettext_noop("提醒：%(when)s 有一个辅导预约。"), {"when": when}), link=_link(booking),
                   urgent=False, topic="counseling", now=now)
            BookingEvent.objects.create(booking=booking, kind="reminded", actor=None, at=now)
            sent += 1
    return sent
