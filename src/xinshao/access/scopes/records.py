"""The growth record's plans and handover tasks: for the psych teachers of the student's current
school, the same people who read the record (students_with_results_visible_to)."""
from django.db.models import QuerySet

from xinshao.accounts.roles import Role

from .base import _ids, roles_of
from .campaigns import students_with_results_visible_to

__all__ = ["plans_visible_to", "record_handovers_visible_to", "can_use_record_handovers"]


def plans_visible_to(user) -> QuerySet:
    from xinshao.records.models import IndividualPlan
    return IndividualPlan.objects.filter(student__in=students_with_results_visible_to(user))


def record_handovers_visible_to(user) -> QuerySet:
    """Tasks of the user's schools about students still there (a student who moved on is not theirs)."""
    from xinshao.records.models import HandoverTask
    schools = _ids(user, {Role.PSYCH_TEACHER}, "school")
    return HandoverTask.objects.filter(to_school_id__in=schools, student__school_id__in=schools)


def can_use_record_handovers(user) -> bool:
    return Role.PSYCH_TEACHER in roles_of(user)
