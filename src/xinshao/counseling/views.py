"""Pages of counseling rooms and appointments (mounted at /counseling/).

Objects come only through the counseling scopes: out of sight is 404. A form with a mistake
answers 400 with the form again and stores nothing.
"""
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from xinshao.access import scopes
from xinshao.access.routes import (BUREAU, BUREAU_ADMIN, GUARDIAN, INSPECTOR, PSYCH_CENTRE, PSYCH_TEACHER,
                                   SCHOOL_ADMIN, STUDENTS, TEACHER, ANALYST, access_rule)
from xinshao.audit.services import audit_list_view, audit_record

from xinshao.core.pages import form_page, refused_flash, refused_onto
from . import forms, selectors, services
from .models import Booking, EquipmentItem, Slot, Standard

KEEPERS = SCHOOL_ADMIN | PSYCH_TEACHER
KEEPERS_OF_SCHOOL = (SCHOOL_ADMIN.of_school, PSYCH_TEACHER.of_school)
COUNSELORS = PSYCH_TEACHER | PSYCH_CENTRE
BOOKERS = STUDENTS | GUARDIAN | TEACHER
BOOKING_PEOPLE = (PSYCH_TEACHER.of_school, PSYCH_CENTRE.own, STUDENTS.own, GUARDIAN.own, TEACHER.own)


def _require(allowed: bool) -> None:
    if not allowed:
        raise Http404


# Rooms ---------------------------------------------------------------------------------------

@access_rule(allow=KEEPERS)
@require_http_methods(["GET"])
def rooms(request):
    _require(scopes.can_keep_rooms(request.user))
    kept = scopes.rooms_kept_by(request.user).prefetch_related("equipment", "hours", "staff")
    standard, required = Standard.current(), list(EquipmentItem.objects.filter(is_active=True))
    checks = [selectors.room_check(room, standard, required) for room in kept]
    counts = selectors.booking_counts(kept)
    return render(request, "counseling/rooms.html", {
        "checks": checks, "standard": standard,
        "counts": [(label, counts.get(value, 0)) for value, label in Booking.Status.choices]})


@access_rule(allow=KEEPERS)
@require_http_methods(["GET", "POST"])
def room_new(request):
    _require(scopes.can_keep_rooms(request.user))
    schools = {a.school for a in scopes.assignments(request.user) if a.school_id and a.role in KEEPERS.roles}
    if not schools:
        raise Http404
    school = sorted(schools, key=lambda s: s.pk)[0]
    form = forms.RoomForm(request.POST or None, school=school)
    if request.method == "POST" and form.is_valid():
        room = refused_onto(form, lambda: services.room_save(actor=request.user, school=school, **form.cleaned_data))
        if room is not None:
            messages.success(request, _("辅导室已保存，请填写开放时间。"))
            return redirect("counseling:room_edit", room_id=room.pk)
    return form_page(request, "counseling/room_form.html", {"form": form, "school": school, "room": None})


@access_rule(allow=KEEPERS_OF_SCHOOL)
@require_http_methods(["GET", "POST"])
def room_edit(request, room_id):
    room = get_object_or_404(scopes.rooms_kept_by(request.user), pk=room_id)
    initial = {"name": room.name, "area": room.area, "equipment": room.equipment.all(), "staff": room.staff.all()}
    form = forms.RoomForm(request.POST or None, school=room.school, initial=initial)
    if request.method == "POST" and form.is_valid():
        if refused_onto(form, lambda: services.room_save(actor=request.user, room=room, **form.cleaned_data)):
            messages.success(request, _("辅导室已保存。"))
            return redirect("counseling:room_edit", room_id=room.pk)
    return form_page(request, "counseling/room_form.html", {
        "form": form, "school": room.school, "room": room, "hours_form": forms.HoursForm()})


@access_rule(allow=KEEPERS_OF_SCHOOL, post_only=True)
@require_POST
def room_hours(request, room_id):
    room = get_object_or_404(scopes.rooms_kept_by(request.user), pk=room_id)
    if request.POST.get("remove"):
        services.hours_remove(room=room, hours_id=request.POST["remove"] if request.POST["remove"].isdigit() else 0,
                              actor=request.user)
        messages.success(request, _("开放时间已删除。"))
        return redirect("counseling:room_edit", room_id=room.pk)
    form = forms.HoursForm(request.POST)
    if form.is_valid() and refused_onto(form, lambda: services.hours_add(room=room, actor=request.user, **form.cleaned_data)):
        messages.success(request, _("开放时间已添加。"))
        return redirect("counseling:room_edit", room_id=room.pk)
    room_form = forms.RoomForm(school=room.school, initial={
        "name": room.name, "area": room.area, "equipment": room.equipment.all(), "staff": room.staff.all()})
    return form_page(request, "counseling/room_form.html", {
        "form": room_form, "school": room.school, "room": room, "hours_form": form})


@access_rule(allow=BUREAU | INSPECTOR)
@require_http_methods(["GET"])
def compliance(request):
    _require(scopes.can_read_room_compliance(request.user))
    table = selectors.compliance_table(request.user)
    return render(request, "counseling/compliance.html", {
        "table": table, "standard": Standard.current(), "met": sum(1 for row in table if row.meets),
        "required": EquipmentItem.objects.filter(is_active=True),
        "can_edit": scopes.can_edit_room_standard(request.user)})


@access_rule(allow=BUREAU_ADMIN, forbidden=PSYCH_CENTRE | ANALYST | INSPECTOR)
@require_http_methods(["GET", "POST"])
def standard(request):
    if not scopes.can_edit_room_standard(request.user):
        _require(scopes.can_read_room_compliance(request.user))
        raise PermissionDenied
    current = Standard.current()
    names = "\n".join(EquipmentItem.objects.filter(is_active=True).values_list("name", flat=True))
    form = forms.StandardForm(request.POST or None, initial={
        "min_area": current.min_area, "min_weekly_hours": current.min_weekly_hours, "items": names})
    if request.method == "POST" and form.is_valid():
        services.standard_update(actor=request.user, **form.cleaned_data)
        messages.success(request, _("辅导室标准已保存。"))
        return redirect("counseling:compliance")
    return form_page(request, "counseling/standard.html", {"form": form})


# Slots ---------------------------------------------------------------------------------------

@access_rule(allow=COUNSELORS)
@require_http_methods(["GET", "POST"])
def slots(request):
    _require(scopes.can_publish_slots(request.user))
    form = forms.SlotForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        made = refused_onto(form, lambda: services.slot_publish_weekly(
            counselor=request.user, starts_at=form.starts_at(), minutes=form.cleaned_data["minutes"],
            weeks=form.cleaned_data["weeks"], **form.place_kwargs()))
        if made is not None:
            slots_made, skipped = made
            messages.success(request, _("已开放 %(n)s 个时段。") % {"n": len(slots_made)})
            for moment, error in skipped:
                messages.warning(request, _("%(when)s 没有开放：%(why)s") % {
                    "when": timezone.localtime(moment).strftime("%m-%d %H:%M"), "why": " ".join(error.messages)})
            return redirect("counseling:slots")
    days = selectors.counselor_days(request.user)
    to_record = list(selectors.past_bookings_to_record(request.user))
    shown = [b.student for _, rows in days for _, b in rows if b and b.student] + [b.student for b in to_record
                                                                                  if b.student]
    audit_list_view(actor=request.user, action="counseling.slots_view", students=shown, request=request)
    return form_page(request, "counseling/slots.html", {"form": form, "days": days, "to_record": to_record})


@access_rule(allow=(PSYCH_TEACHER.own, PSYCH_CENTRE.own), post_only=True)
@require_POST
def slot_withdraw(request, slot_id):
    slot = get_object_or_404(scopes.slots_kept_by(request.user), pk=slot_id)
    if request.POST.get("confirm") != "1":
        messages.error(request, _("请用页面上的按钮撤回时段。"))
        return redirect("counseling:slots")
    refused_flash(request, lambda: services.slot_withdraw(slot=slot, actor=request.user), _("时段已撤回。"))
    return redirect("counseling:slots")


# Booking -------------------------------------------------------------------------------------

def _for_whom(request):
    """(student or None, the choices): a student books for themself, a guardian for a chosen child,
    a teacher for themself (no student)."""
    students = list(scopes.booking_students(request.user))
    wanted = request.GET.get("for") or request.POST.get("for")
    chosen = next((s for s in students if str(s.pk) == wanted), students[0] if students else None)
    return chosen, students


@access_rule(allow=BOOKERS)
@require_http_methods(["GET"])
def book(request):
    _require(scopes.can_book_counseling(request.user))
    student, students = _for_whom(request)
    open_slots = scopes.slots_bookable_by(request.user, student).filter(starts_at__gt=timezone.now()).order_by(
        "starts_at")[:200]
    counselors = {}
    for slot in open_slots:
        key = "centre" if slot.is_centre else str(slot.counselor_id)
        counselors.setdefault(key, {"key": key, "slot": slot, "slots": []})["slots"].append(slot)
    groups = sorted(counselors.values(), key=lambda group: group["key"] == "centre")  # own school first
    chosen = request.GET.get("counselor") or (groups[0]["key"] if groups else "")
    return render(request, "counseling/book.html", {
        "student": student, "students": students, "groups": groups, "chosen": chosen,
        "shown": counselors.get(chosen)})


def _bookable(request, slot_id):
    student, _students = _for_whom(request)
    return get_object_or_404(scopes.slots_bookable_by(request.user, student), pk=slot_id), student


@access_rule(allow=(STUDENTS.of_school, GUARDIAN.of_school))
@require_http_methods(["GET", "POST"])
def book_slot(request, slot_id):
    slot, student = _bookable(request, slot_id)
    form = forms.BookForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        booking = refused_onto(form, lambda: services.booking_create(slot=slot, actor=request.user, student=student,
                                                              reason=form.cleaned_data["reason"], request=request))
        if booking is not None:
            messages.success(request, _("预约成功，老师确认后会通知你。"))
            return redirect("counseling:my_bookings")
    return form_page(request, "counseling/book_slot.html", {"form": form, "slot": slot, "student": student})


@access_rule(allow=BOOKERS)
@require_http_methods(["GET"])
def my_bookings(request):
    _require(scopes.can_book_counseling(request.user))
    return render(request, "counseling/my_bookings.html", {"bookings": selectors.my_bookings(request.user)})


@access_rule(allow=BOOKING_PEOPLE)
@require_http_methods(["GET"])
def booking(request, booking_id):
    booking = get_object_or_404(scopes.bookings_visible_to(request.user), pk=booking_id)
    reads_reason = scopes.can_read_booking_reason(request.user, booking)
    if reads_reason and (booking.reason or booking.notes):
        audit_record(actor=request.user, action="counseling.booking_read", student=booking.student, obj=booking,
                     request=request)
    counselor = scopes.can_act_as_counselor(request.user, booking)
    other_slots = []
    if counselor and booking.is_active:
        taken = Booking.objects.filter(status__in=Booking.ACTIVE).values("slot_id")
        other_slots = Slot.objects.filter(counselor_id=booking.slot.counselor_id, withdrawn=False,
                                          starts_at__gt=timezone.now()).exclude(id__in=taken)[:50]
    return render(request, "counseling/booking.html", {
        "booking": booking, "reads_reason": reads_reason, "counselor": counselor, "other_slots": other_slots,
        "past": booking.slot.starts_at <= timezone.now(), "events": booking.events.select_related("actor")})


@access_rule(allow=BOOKING_PEOPLE, post_only=True)
@require_POST
def booking_act(request, booking_id):
    booking = get_object_or_404(scopes.bookings_visible_to(request.user), pk=booking_id)
    form = forms.CounselorActForm(request.POST)
    action = request.POST.get("action", "")
    data = form.cleaned_data if form.is_valid() else {}
    common = {"booking": booking, "actor": request.user, "request": request}
    calls = {
        "confirm": lambda: services.booking_confirm(**common),
        "cancel": lambda: services.booking_cancel(reason=data.get("reason") or "", **common),
        "no_show": lambda: services.booking_no_show(**common),
        "attended": lambda: services.booking_attended(notes=data.get("notes") or "", **common),
        "open_case": lambda: services.booking_open_case(level=request.POST.get("level", ""), **common),
        "reschedule": lambda: services.booking_reschedule(
            to_slot=get_object_or_404(scopes.slots_kept_by(request.user) if booking.slot.counselor_id == request.user.pk
                                      else Slot.objects.filter(counselor_id=booking.slot.counselor_id),
                                      pk=data.get("to_slot") or 0), **common),
    }
    done = {"confirm": _("预约已确认，预约人会收到通知。"), "cancel": _("预约已取消。"), "no_show": _("已记录为未到。"),
            "attended": _("已记录到访。"), "reschedule": _("预约已改时间，预约人会收到通知。"),
            "open_case": _("已开案，这次辅导已记入个案。")}
    if action not in calls or not form.is_valid():
        messages.error(request, _("请用页面上的按钮处理预约。"))
    else:
        refused_flash(request, calls[action], done[action])
    return redirect("counseling:booking", booking_id=booking.pk)
