"""Workforce: the register of psych teachers and class teachers, certificates, trainings, designations.

The bureau (admin, psych centre, analyst) and inspectors read the region's aggregates (ratios,
certification rates). Named staff records, certificates and who still needs training are read by
the bureau admin, the psych centre and inspectors region-wide, and by a school's admin and psych
teachers for their own school; never by the analyst (aggregates only). A school's admin keeps
their own school's register and certificates; the bureau admin keeps every school's, and alone
sets targets, certificate kinds, training events, attendance, completion and designations. A
school's admin may enrol their own staff in a training. Designations are read by any staff member.
"""
from django.db.models import Q, QuerySet

from xinshao.accounts.roles import BUREAU_ROLES, Role

from .base import _bureau_region_ids, _ids, roles_of

_AGGREGATE_READERS = BUREAU_ROLES | {Role.INSPECTOR}
_NAMED_READERS = {Role.BUREAU_ADMIN, Role.BUREAU_PSYCH_CENTRE, Role.INSPECTOR}
_MANAGERS = {Role.BUREAU_ADMIN}
_SCHOOL_READERS = {Role.SCHOOL_ADMIN, Role.PSYCH_TEACHER}
_SCHOOL_KEEPERS = {Role.SCHOOL_ADMIN}
_STAFF_ROLES = _AGGREGATE_READERS | {Role.HOTLINE_OPERATOR, Role.SCHOOL_ADMIN, Role.PSYCH_TEACHER,
                                     Role.CLASS_TEACHER, Role.TEACHER}

__all__ = [
    "can_read_workforce", "can_read_named_workforce", "can_manage_workforce", "can_use_school_workforce",
    "can_read_trainings", "can_read_designations", "can_enrol_in_trainings",
    "workforce_schools_visible_to", "workforce_schools_keepable_by", "staff_visible_to", "staff_keepable_by",
    "staff_enrollable_by", "enrolments_visible_to", "training_events_visible_to", "certificates_visible_to",
    "designations_visible_to",
]


def _school_filter(user, *, region_roles, school_roles) -> Q:
    """Schools in the region of `region_roles`' assignments, or the schools of `school_roles`'."""
    q = Q(pk__in=_ids(user, school_roles, "school"))
    regions = _bureau_region_ids(user, region_roles)
    if regions:
        q |= Q(district_id__in=regions)
    return q


def can_read_workforce(user) -> bool:
    """City-wide aggregates (ratios, certification rates): the bureau and inspectors."""
    return bool(roles_of(user) & _AGGREGATE_READERS)


def can_read_named_workforce(user) -> bool:
    """Named people region-wide (who still needs training): not the analyst."""
    return bool(roles_of(user) & _NAMED_READERS)


def can_manage_workforce(user) -> bool:
    """Targets, certificate kinds, trainings, attendance, completion, imports and designations."""
    return bool(roles_of(user) & _MANAGERS)


def can_use_school_workforce(user) -> bool:
    """A school's own register: its admin and psych teachers."""
    return bool(_ids(user, _SCHOOL_READERS, "school"))


def can_read_trainings(user) -> bool:
    return can_read_workforce(user) or can_use_school_workforce(user)


def can_enrol_in_trainings(user) -> bool:
    return can_manage_workforce(user) or bool(_ids(user, _SCHOOL_KEEPERS, "school"))


def can_read_designations(user) -> bool:
    return bool(roles_of(user) & _STAFF_ROLES)


def workforce_schools_visible_to(user) -> QuerySet:
    """Schools whose workforce figures the user sees."""
    from xinshao.org.models import School

    q = _school_filter(user, region_roles=_AGGREGATE_READERS, school_roles=_SCHOOL_READERS)
    return School.objects.filter(q).select_related("district")


def workforce_schools_keepable_by(user) -> QuerySet:
    from xinshao.org.models import School

    return School.objects.filter(_school_filter(user, region_roles=_MANAGERS, school_roles=_SCHOOL_KEEPERS))


def _staff_in(schools_q: Q) -> QuerySet:
    from xinshao.org.models import School
    from xinshao.workforce.models import StaffMember

    return StaffMember.objects.filter(school__in=School.objects.filter(schools_q)).select_related(
        "school__district", "user")


def staff_visible_to(user) -> QuerySet:
    """Named staff records: the region's for the bureau admin, psych centre and inspectors; a school's
    own for its admin and psych teachers."""
    return _staff_in(_school_filter(user, region_roles=_NAMED_READERS, school_roles=_SCHOOL_READERS))


def staff_keepable_by(user) -> QuerySet:
    return _staff_in(_school_filter(user, region_roles=_MANAGERS, school_roles=_SCHOOL_KEEPERS))


def staff_enrollable_by(user) -> QuerySet:
    """Staff the user may enrol in a training: the same people they keep the register of."""
    return staff_keepable_by(user).filter(is_active=True)


def enrolments_visible_to(user) -> QuerySet:
    from xinshao.workforce.models import TrainingEnrolment

    return TrainingEnrolment.objects.filter(staff__in=staff_visible_to(user)).select_related(
        "staff__school", "event")


def certificates_visible_to(user) -> QuerySet:
    from xinshao.workforce.models import Certificate

    return Certificate.objects.filter(holder__in=staff_visible_to(user)).select_related("holder__school", "kind")


def training_events_visible_to(user) -> QuerySet:
    """Trainings are the city's: whoever reads trainings sees them all (their enrolments are scoped)."""
    from xinshao.workforce.models import TrainingEvent

    return TrainingEvent.objects.select_related("grants") if can_read_trainings(user) else \
        TrainingEvent.objects.none()


def designations_visible_to(user) -> QuerySet:
    from xinshao.workforce.models import Designation

    return Designation.objects.select_related("school__district") if can_read_designations(user) else \
        Designation.objects.none()
