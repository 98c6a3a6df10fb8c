"""Org units and people: regions, schools, classes, students, guardians, rosters, city overview."""
from django.db.models import Q, QuerySet

from xinshao.accounts.roles import BUREAU_ROLES, Role
from xinshao.org.models import Region, School, SchoolClass
from xinshao.people.models import Student

from .base import (_ROSTER_KEEPERS, _SCHOOL_ROLES, _SELF_ROLES, _STUDENT_READERS_BY_SCHOOL,
                   _bureau_region_ids, _guardian_student_q, _ids, roles_of)
from .break_glass import break_glass_student_ids


def regions_visible_to(user) -> QuerySet[Region]:
    return Region.objects.filter(id__in=_bureau_region_ids(user))


def schools_visible_to(user) -> QuerySet[School]:
    q = Q(district_id__in=_bureau_region_ids(user)) | Q(id__in=_ids(user, _SCHOOL_ROLES, "school"))
    q |= Q(classes__id__in=_ids(user, {Role.CLASS_TEACHER}, "school_class"))
    q |= Q(students__id__in=_ids(user, _SELF_ROLES, "student"))
    q |= Q(students__in=Student.objects.filter(_guardian_student_q(user)))
    return School.objects.filter(id__in=School.objects.filter(q).values("id"))


def classes_visible_to(user) -> QuerySet[SchoolClass]:
    bureau_regions = _bureau_region_ids(user, BUREAU_ROLES)
    q = Q(school__district_id__in=bureau_regions)
    q |= Q(school_id__in=_ids(user, _STUDENT_READERS_BY_SCHOOL, "school"))
    q |= Q(id__in=_ids(user, {Role.CLASS_TEACHER}, "school_class"))
    q |= Q(students__id__in=_ids(user, _SELF_ROLES, "student"))
    q |= Q(students__in=Student.objects.filter(_guardian_student_q(user)))
    return SchoolClass.objects.filter(id__in=SchoolClass.objects.filter(q).values("id")).select_related(
        "grade", "school"
    )


def students_visible_to(user) -> QuerySet[Student]:
    """Students whose record this user may open. Bureau roles get none: they see aggregates."""
    q = Q(school_id__in=_ids(user, _STUDENT_READERS_BY_SCHOOL, "school"))
    q |= Q(school_class_id__in=_ids(user, {Role.CLASS_TEACHER}, "school_class"))
    q |= Q(id__in=_ids(user, _SELF_ROLES, "student"))
    q |= _guardian_student_q(user)
    q |= Q(id__in=break_glass_student_ids(user))
    return Student.objects.filter(id__in=Student.objects.filter(q).values("id")).select_related(
        "school", "school_class__grade"
    )


def schools_with_roster_rights(user) -> QuerySet[School]:
    """Schools whose roster (students, classes, guardians) this user may change."""
    return School.objects.filter(id__in=_ids(user, _ROSTER_KEEPERS, "school"))


def students_changeable_by(user) -> QuerySet[Student]:
    return students_visible_to(user).filter(school__in=schools_with_roster_rights(user))


def can_import_roster(user, school: School) -> bool:
    return schools_with_roster_rights(user).filter(pk=school.pk).exists()


def can_view_city_overview(user) -> bool:
    """Aggregates for the whole region: the bureau's roles."""
    return bool(roles_of(user) & BUREAU_ROLES)


def can_browse_schools(user) -> bool:
    """The school list: region-wide roles, and a school's admin and psych teachers for their own."""
    return bool(roles_of(user) & (BUREAU_ROLES | {Role.INSPECTOR, Role.HOTLINE_OPERATOR, Role.SCHOOL_ADMIN,
                                                  Role.PSYCH_TEACHER}))


def can_see_own_classes(user) -> bool:
    return Role.CLASS_TEACHER in roles_of(user)


def can_read_roster(user) -> bool:
    """The student list by class: the staff who work with a school's or a class's students."""
    return bool(roles_of(user) & {Role.SCHOOL_ADMIN, Role.PSYCH_TEACHER, Role.CLASS_TEACHER})


def can_see_own_children(user) -> bool:
    return Role.GUARDIAN in roles_of(user)


def can_read_own_record(user) -> bool:
    """A student's own school record (a committee member is a student too)."""
    return bool(roles_of(user) & _SELF_ROLES)


def can_verify_audit_chain(user) -> bool:
    return Role.BUREAU_ADMIN in roles_of(user)


def can_watch_deliveries(user) -> bool:
    """Bureau admins keep the SMS gateway and mail server running, so they see every delivery."""
    return Role.BUREAU_ADMIN in roles_of(user)


def can_browse_instruments(user) -> bool:
    """The instrument library: those who plan screenings or read results."""
    return bool(roles_of(user) & (BUREAU_ROLES | {Role.SCHOOL_ADMIN, Role.PSYCH_TEACHER}))


def can_manage_instruments(user) -> bool:
    """Adding a custom instrument changes what the whole city may screen with."""
    return Role.BUREAU_ADMIN in roles_of(user)


def guardians_of(user):
    from xinshao.people.models import Guardian

    return Guardian.objects.filter(pk__in=_ids(user, {Role.GUARDIAN}, "guardian"))


def guardian_children(user) -> QuerySet[Student]:
    return students_visible_to(user).filter(guardians__in=guardians_of(user)).distinct()


def users_in_role(role: str, **scope):
    """Active people holding a role in a unit, e.g. users_in_role(Role.PSYCH_TEACHER, school=school) or
    users_in_role(Role.CLASS_TEACHER, school_class_id__in=ids): whom to tell, or who may own something."""
    from xinshao.accounts.models import User

    return User.objects.filter(
        is_active=True, role_assignments__is_active=True, role_assignments__role=role,
        **{f"role_assignments__{field}": value for field, value in scope.items()},
    ).distinct().order_by("id")
