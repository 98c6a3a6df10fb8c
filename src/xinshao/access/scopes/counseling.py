"""Counseling rooms, slots and bookings.

Decided (docs/counseling.md): a school's psych teachers and its admin keep its rooms; the bureau
and inspectors read the city's compliance table. A counselor (school psych teacher, or the
bureau's psych centre for the city centre) keeps their own slots. A student books their own
school's counselors and the city centre; a guardian books for their own child; a teacher books
the city centre for themself. A booking and its reason are for the booker, the counselor and the
psych teachers of the slot's school; the student's class teacher sees nothing of it, and the
school admin sees counts only (rooms page).
"""
from django.db.models import Q

from xinshao.accounts.roles import Role
from xinshao.org.models import Region

from .base import _bureau_region_ids, _guardian_student_q, _ids, roles_of

_ROOM_KEEPERS = {Role.PSYCH_TEACHER, Role.SCHOOL_ADMIN}
_COMPLIANCE_READERS = {Role.BUREAU_ADMIN, Role.BUREAU_PSYCH_CENTRE, Role.BUREAU_ANALYST, Role.INSPECTOR}
_COUNSELORS = {Role.PSYCH_TEACHER, Role.BUREAU_PSYCH_CENTRE}
_BOOKERS = {Role.STUDENT, Role.PSYCH_COMMITTEE, Role.GUARDIAN, Role.TEACHER}


def can_keep_rooms(user) -> bool:
    return bool(roles_of(user) & _ROOM_KEEPERS)


def rooms_kept_by(user):
    from xinshao.counseling.models import Room

    return Room.objects.filter(school_id__in=_ids(user, _ROOM_KEEPERS, "school")).select_related("school")


def can_read_room_compliance(user) -> bool:
    return bool(roles_of(user) & _COMPLIANCE_READERS)


def compliance_schools(user):
    from xinshao.org.models import School

    return School.objects.filter(district_id__in=_bureau_region_ids(user, _COMPLIANCE_READERS))


def can_edit_room_standard(user) -> bool:
    return Role.BUREAU_ADMIN in roles_of(user)


def can_publish_slots(user) -> bool:
    return bool(roles_of(user) & _COUNSELORS)


def counselor_places(user) -> tuple:
    """Where the user may hold slots: their schools' rooms, and the regions of their psych centre."""
    return rooms_of_psych_teacher(user), _ids(user, {Role.BUREAU_PSYCH_CENTRE}, "region")


def rooms_of_psych_teacher(user):
    from xinshao.counseling.models import Room

    return Room.objects.filter(school_id__in=_ids(user, {Role.PSYCH_TEACHER}, "school")).select_related("school")


def slots_kept_by(user):
    from xinshao.counseling.models import Slot

    if not can_publish_slots(user):
        return Slot.objects.none()
    return Slot.objects.filter(counselor_id=user.pk).select_related("room", "school", "region")


def can_book_counseling(user) -> bool:
    return bool(roles_of(user) & _BOOKERS)


def _ancestor_region_ids(region_ids) -> set[int]:
    found, frontier = set(), set(region_ids)
    while frontier:
        found |= frontier
        frontier = set(Region.objects.filter(id__in=frontier, parent__isnull=False)
                       .values_list("parent_id", flat=True)) - found
    return found


def booking_students(user):
    """Whom the user may book for: a student themself, a guardian's children. Teachers book for
    themselves (no student)."""
    from xinshao.people.models import Student

    q = Q(id__in=_ids(user, {Role.STUDENT, Role.PSYCH_COMMITTEE}, "student")) | _guardian_student_q(user)
    return Student.objects.filter(q, status=Student.Status.ENROLLED).select_related("school__district").distinct()


def slots_bookable_by(user, student=None):
    """Open future slots the user may book: for a student, the counselors of the student's school and
    the city centre above it; for a teacher (no student), the city centre above their school."""
    from xinshao.counseling.models import Booking, Slot
    from xinshao.org.models import School

    if student is not None:
        if not booking_students(user).filter(pk=student.pk).exists():
            return Slot.objects.none()
        school_ids = {student.school_id}
        q = Q(school_id=student.school_id, room__isnull=False)
    else:
        school_ids = _ids(user, {Role.TEACHER}, "school")
        q = Q(pk__in=[])
    districts = School.objects.filter(id__in=school_ids).values_list("district_id", flat=True)
    q |= Q(room__isnull=True, region_id__in=_ancestor_region_ids(set(districts)))
    taken = Booking.objects.filter(status__in=Booking.ACTIVE).values("slot_id")
    return Slot.objects.filter(q, withdrawn=False).exclude(id__in=taken).select_related(
        "counselor", "room", "school", "region")


def bookings_visible_to(user):
    """Bookings the user made, bookings about them (a student), the user's own slots' bookings and
    those of the schools where the user is a psych teacher."""
    from xinshao.counseling.models import Booking

    if not user.is_authenticated:
        return Booking.objects.none()
    q = Q(booked_by_id=user.pk) | Q(slot__counselor_id=user.pk)
    q |= Q(student_id__in=_ids(user, {Role.STUDENT, Role.PSYCH_COMMITTEE}, "student"))
    q |= Q(slot__school_id__in=_ids(user, {Role.PSYCH_TEACHER}, "school"), slot__room__isnull=False)
    return Booking.objects.filter(q).select_related("slot__counselor", "slot__room", "slot__school", "student",
                                                    "booked_by")


def can_act_as_counselor(user, booking) -> bool:
    """Confirm, reschedule, cancel, record attendance: the slot's counselor, or a psych teacher of
    the slot's school."""
    slot = booking.slot
    if slot.counselor_id == user.pk:
        return True
    return slot.room_id is not None and slot.school_id in _ids(user, {Role.PSYCH_TEACHER}, "school")


def can_read_booking_reason(user, booking) -> bool:
    return booking.booked_by_id == user.pk or can_act_as_counselor(user, booking)


def can_cancel_own_booking(user, booking) -> bool:
    return booking.booked_by_id == user.pk or booking.student_id in _ids(
        user, {Role.STUDENT, Role.PSYCH_COMMITTEE}, "student")
