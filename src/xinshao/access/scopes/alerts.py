"""Early warning: the warning chain of who sees and handles which alerts."""
from django.db.models import Q, QuerySet

from xinshao.accounts.roles import Role
from xinshao.org.models import Region, School
from xinshao.people.models import Student

from .base import _bureau_region_ids, _ids, roles_of
from .people import students_visible_to, users_in_role

ALERT_HANDLERS = frozenset({Role.PSYCH_TEACHER, Role.SCHOOL_ADMIN, Role.BUREAU_PSYCH_CENTRE})


def alerts_visible_to(user):
    """The warning chain: a school's psych teachers see all its alerts; its admin (school leader)
    sees red ones and those escalated to the school leader; the bureau psych centre sees red
    alerts city-wide and those escalated to the bureau. Nobody else sees an alert."""
    from xinshao.alerts.models import Alert, Level

    regions = _bureau_region_ids(user, {Role.BUREAU_PSYCH_CENTRE})
    q = Q(school_id__in=_ids(user, {Role.PSYCH_TEACHER}, "school"))
    q |= Q(school_id__in=_ids(user, {Role.SCHOOL_ADMIN}, "school")) & (
        Q(level=Level.RED) | Q(escalation_step__gte=Alert.Step.SCHOOL_LEADER))
    q |= Q(school__district_id__in=regions) & (Q(level=Level.RED) | Q(escalation_step__gte=Alert.Step.BUREAU))
    return Alert.objects.filter(q).select_related("student__school_class__grade", "school", "owner", "rule_set")


def can_use_alert_inbox(user) -> bool:
    return bool(roles_of(user) & ALERT_HANDLERS)


def alert_owners_at(school: School):
    """Who may own a school's alerts: its active psych teachers."""
    return users_in_role(Role.PSYCH_TEACHER, school=school)


def can_edit_city_rules(user) -> bool:
    return Role.BUREAU_ADMIN in roles_of(user)


def regions_with_rule_rights(user) -> QuerySet[Region]:
    return Region.objects.filter(id__in=_ids(user, {Role.BUREAU_ADMIN}, "region"))


def schools_with_rule_rights(user) -> QuerySet[School]:
    """Schools whose own (stricter) warning rules this user may set: the school admin and psych teacher."""
    return School.objects.filter(id__in=_ids(user, {Role.SCHOOL_ADMIN, Role.PSYCH_TEACHER}, "school"))


def can_use_rules_page(user) -> bool:
    return can_edit_city_rules(user) or schools_with_rule_rights(user).exists()


def attention_students_for(user) -> QuerySet[Student]:
    """A class teacher's attention list: their own classes' students with an open alert. The list
    shows who needs care and how closely, never scores or reasons."""
    from xinshao.alerts.models import Alert

    open_alerts = Alert.objects.filter(state__in=Alert.OPEN_STATES).values("student_id")
    return students_visible_to(user).filter(
        school_class_id__in=_ids(user, {Role.CLASS_TEACHER}, "school_class"), id__in=open_alerts)
