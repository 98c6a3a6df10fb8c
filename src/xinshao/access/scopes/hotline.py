"""The city hotline and walk-in centre: calls, visits, the student search, the topic taxonomy.

Decided (docs/hotline.md): every hotline operator of the city reads all the city's calls, because
a shift hands over the open call-backs of everyone; only the operator who logged a call changes
it, while any operator may record a call-back done. The bureau's psych centre reads every call and
keeps the walk-in visits. Nobody at a school reads a call or an operator's notes: the school sees
only the alert (and the case entry) a risky call raises. An operator sees no school roster: the
student search answers at most a few exact matches, and afterwards the operator reaches a student
only through the calls that name them.
"""
from django.db.models import Q, QuerySet

from xinshao.accounts.roles import Role
from xinshao.people.models import Student

from .base import _bureau_region_ids, _ids, roles_of
from .people import schools_visible_to

_CALL_READERS = {Role.HOTLINE_OPERATOR, Role.BUREAU_PSYCH_CENTRE}
_TOPIC_KEEPERS = {Role.BUREAU_ADMIN, Role.BUREAU_PSYCH_CENTRE}
_STATISTICS_READERS = {Role.BUREAU_ADMIN, Role.BUREAU_PSYCH_CENTRE, Role.HOTLINE_OPERATOR}
SEARCH_LIMIT = 3


def can_log_calls(user) -> bool:
    return Role.HOTLINE_OPERATOR in roles_of(user)


def can_read_calls(user) -> bool:
    return bool(roles_of(user) & _CALL_READERS)


def calls_visible_to(user):
    """Calls of the regions the user works for as an operator or in the psych centre."""
    from xinshao.hotline.models import Call

    return Call.objects.filter(region_id__in=_bureau_region_ids(user, _CALL_READERS)).select_related(
        "operator", "student__school", "school", "follow_up_of")


def can_change_call(user, call) -> bool:
    return can_log_calls(user) and call.operator_id == user.pk and \
        calls_visible_to(user).filter(pk=call.pk).exists()


def can_record_callback(user, call) -> bool:
    return can_log_calls(user) and calls_visible_to(user).filter(pk=call.pk).exists()


def hotline_student_matches(user, *, school, name: str = "", student_number: str = "") -> list[Student]:
    """The students a caller may mean: exact name or exact student number, within one school of the
    user's region, at most SEARCH_LIMIT of them. No partial matches, no list of a school."""
    name, student_number = (name or "").strip(), (student_number or "").strip()
    if school is None or not (name or student_number) or not can_search_students_for_calls(user):
        return []
    if not schools_visible_to(user).filter(pk=school.pk).exists():
        return []
    q = Q()
    if student_number:
        q &= Q(student_number=student_number)
    if name:
        q &= Q(name=name)
    found = Student.objects.filter(q, school=school, status=Student.Status.ENROLLED).select_related(
        "school", "school_class__grade")
    return list(found.order_by("id")[:SEARCH_LIMIT])


def can_search_students_for_calls(user) -> bool:
    return bool(roles_of(user) & _CALL_READERS)


def students_named_in_calls_visible_to(user) -> QuerySet[Student]:
    """What the hotline keeps of a student it found: the calls and visits that name them."""
    from xinshao.hotline.models import Call, Visit

    calls = Call.objects.filter(region_id__in=_bureau_region_ids(user, _CALL_READERS), student__isnull=False)
    visits = Visit.objects.filter(region_id__in=_bureau_region_ids(user, {Role.BUREAU_PSYCH_CENTRE}))
    return Student.objects.filter(Q(id__in=calls.values("student_id")) | Q(hotline_visits__in=visits)).distinct()


def can_keep_visits(user) -> bool:
    return Role.BUREAU_PSYCH_CENTRE in roles_of(user)


def visits_visible_to(user):
    from xinshao.hotline.models import Visit

    return Visit.objects.filter(region_id__in=_bureau_region_ids(user, {Role.BUREAU_PSYCH_CENTRE})).select_related(
        "counselor", "follow_up_of")


def centre_counselors(user):
    """Whom a visit may name as the counselor: the psych centre staff of the user's region."""
    from xinshao.accounts.models import User

    regions = _bureau_region_ids(user, {Role.BUREAU_PSYCH_CENTRE})
    return User.objects.filter(is_active=True, role_assignments__is_active=True,
                               role_assignments__role=Role.BUREAU_PSYCH_CENTRE,
                               role_assignments__region_id__in=regions).distinct().order_by("display_name", "id")


def can_edit_topics(user) -> bool:
    return bool(roles_of(user) & _TOPIC_KEEPERS)


def can_read_hotline_statistics(user) -> bool:
    return bool(roles_of(user) & _STATISTICS_READERS)


def hotline_statistics_calls(user):
    """The calls a statistics page counts: the city's for the centre and the bureau admin, an
    operator's own for the operator."""
    from xinshao.hotline.models import Call

    if roles_of(user) & _TOPIC_KEEPERS:
        return Call.objects.filter(region_id__in=_bureau_region_ids(user, _TOPIC_KEEPERS))
    return Call.objects.filter(region_id__in=_bureau_region_ids(user, {Role.HOTLINE_OPERATOR}), operator_id=user.pk)


def hotline_statistics_visits(user):
    from xinshao.hotline.models import Visit

    if roles_of(user) & _TOPIC_KEEPERS:
        return Visit.objects.filter(region_id__in=_bureau_region_ids(user, _TOPIC_KEEPERS))
    return Visit.objects.none()


def hotline_region_of(user):
    """The region a new call or visit belongs to: the user's own assignment's."""
    ids = _ids(user, _CALL_READERS, "region")
    return min(ids) if ids else None

