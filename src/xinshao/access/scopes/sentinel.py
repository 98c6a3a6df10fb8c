"""Sentinel channels: check-ins, committee reports, home-school records."""
from django.db.models import Q, QuerySet

from xinshao.accounts.roles import Role
from xinshao.people.models import Student

from .base import _SELF_ROLES, _ids, roles_of
from .people import students_visible_to

_CLASS_MEMBERS_STILL_IN_CLASS = (Student.Status.ENROLLED, Student.Status.SUSPENDED)


def own_student_records(user) -> QuerySet[Student]:
    """The student record(s) a student or committee member signs in as: check-ins are about themself."""
    return Student.objects.filter(id__in=_ids(user, _SELF_ROLES, "student")).select_related("school", "school_class")


def can_check_in(user) -> bool:
    return bool(_ids(user, _SELF_ROLES, "student"))


def can_report_as_committee(user) -> bool:
    return bool(_ids(user, {Role.PSYCH_COMMITTEE}, "student"))


def classmates_reportable_by(user) -> QuerySet[Student]:
    """Whom a psych committee member may report about: enrolled classmates of their own class, found
    by name on the server only. The member is never shown this list."""
    own = Student.objects.filter(id__in=_ids(user, {Role.PSYCH_COMMITTEE}, "student"))
    return Student.objects.filter(school_class_id__in=own.values("school_class_id"),
                                  status=Student.Status.ENROLLED).exclude(id__in=own.values("id"))


def can_keep_home_school_records(user) -> bool:
    """Home visits, parent meetings and referrals are a class teacher's duty for their own class."""
    return Role.CLASS_TEACHER in roles_of(user)


def students_recordable_by(user) -> QuerySet[Student]:
    """Students a class teacher may write a home-school record or a referral about: their own classes'."""
    return students_visible_to(user).filter(
        school_class_id__in=_ids(user, {Role.CLASS_TEACHER}, "school_class"),
        status__in=_CLASS_MEMBERS_STILL_IN_CLASS)


def home_school_records_visible_to(user):
    """A home visit or parent meeting record: its author while still a class teacher, and the psych
    teachers of the school it was written at. Nobody else, not even another class teacher."""
    from xinshao.sentinel.models import HomeSchoolRecord

    q = Q(school_id__in=_ids(user, {Role.PSYCH_TEACHER}, "school"))
    if can_keep_home_school_records(user):
        q |= Q(author_id=user.pk)
    return HomeSchoolRecord.objects.filter(q).select_related("student__school_class__grade", "author", "school")


def can_read_school_home_school_records(user) -> bool:
    return Role.PSYCH_TEACHER in roles_of(user)


def can_see_attention_list(user) -> bool:
    return Role.CLASS_TEACHER in roles_of(user)


def can_use_self_help(user) -> bool:
    """The self-help corner is for students and their families."""
    return bool(roles_of(user) & (_SELF_ROLES | {Role.GUARDIAN}))


def can_raise_guardian_concern(user) -> bool:
    # From the cached assignments, no query: the menu asks this on every page.
    return bool(_ids(user, {Role.GUARDIAN}, "guardian"))
