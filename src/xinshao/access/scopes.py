"""What each user may see and change: the one place that answers it.

Every page, service, export and API asks these selectors; an object outside them is
answered with 404, so its existence is never revealed. Rules follow DESIGN.md ("need to
know"): bureau roles see schools and aggregates, not individual students; a school's
admin and psych teacher see that school's students; a class teacher sees their classes;
a student sees themself; a guardian sees their own children.
"""
from django.db.models import Q, QuerySet

from xinshao.accounts.models import RoleAssignment
from xinshao.accounts.roles import BUREAU_ROLES, Role
from xinshao.org.models import Region, School, SchoolClass
from xinshao.people.models import Student

_REGION_ROLES = BUREAU_ROLES | {Role.INSPECTOR, Role.HOTLINE_OPERATOR}
_SCHOOL_ROLES = {Role.SCHOOL_ADMIN, Role.PSYCH_TEACHER, Role.TEACHER}
_SELF_ROLES = {Role.STUDENT, Role.PSYCH_COMMITTEE}
_ROSTER_KEEPERS = {Role.SCHOOL_ADMIN}
_STUDENT_READERS_BY_SCHOOL = {Role.SCHOOL_ADMIN, Role.PSYCH_TEACHER}


def assignments(user) -> list[RoleAssignment]:
    """The user's active role assignments, read once per request and kept on the user."""
    if not user.is_authenticated or not user.is_active:
        return []
    cached = getattr(user, "_xinshao_assignments", None)
    if cached is None:
        cached = list(
            RoleAssignment.objects.filter(user=user, is_active=True).select_related(
                "school_class", "student", "region"
            )
        )
        user._xinshao_assignments = cached
    return cached


def roles_of(user) -> set[str]:
    return {assignment.role for assignment in assignments(user)}


def _region_subtree_ids(root_ids: set[int]) -> set[int]:
    found, frontier = set(root_ids), set(root_ids)
    while frontier:
        frontier = set(Region.objects.filter(parent_id__in=frontier).values_list("id", flat=True)) - found
        found |= frontier
    return found


def _ids(user, roles, field: str) -> set[int]:
    return {getattr(a, f"{field}_id") for a in assignments(user) if a.role in roles}


def _bureau_region_ids(user, roles=_REGION_ROLES) -> set[int]:
    roots = _ids(user, roles, "region")
    return _region_subtree_ids(roots) if roots else set()


def _guardian_student_q(user) -> Q:
    guardian_ids = _ids(user, {Role.GUARDIAN}, "guardian")
    return Q(guardians__id__in=guardian_ids) if guardian_ids else Q(pk__in=[])


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


def can_verify_audit_chain(user) -> bool:
    return Role.BUREAU_ADMIN in roles_of(user)


def can_browse_instruments(user) -> bool:
    """The instrument library: those who plan screenings or read results."""
    return bool(roles_of(user) & (BUREAU_ROLES | {Role.SCHOOL_ADMIN, Role.PSYCH_TEACHER}))


def can_manage_instruments(user) -> bool:
    """Adding a custom instrument changes what the whole city may screen with."""
    return Role.BUREAU_ADMIN in roles_of(user)


# --- Screening campaigns -------------------------------------------------------------------
_CAMPAIGN_SCHOOL_MANAGERS = {Role.SCHOOL_ADMIN, Role.PSYCH_TEACHER}


def campaigns_visible_to(user):
    """Campaigns whose progress this user may follow: the bureau's for their region, a school's
    staff for campaigns their school owns or takes part in, a class teacher for their school's."""
    from xinshao.campaigns.models import Campaign

    regions = _bureau_region_ids(user, BUREAU_ROLES)
    schools = _ids(user, _CAMPAIGN_SCHOOL_MANAGERS, "school") | {
        a.school_class.school_id for a in assignments(user) if a.role == Role.CLASS_TEACHER
    }
    q = Q(region_id__in=regions) | Q(school__district_id__in=regions)
    q |= Q(school_id__in=schools) | Q(targets__school_id__in=schools)
    return Campaign.objects.filter(id__in=Campaign.objects.filter(q).values("id"))


def campaigns_manageable_by(user):
    """Campaigns this user may change (open, pause, extend, close, print sheets): the owner's staff."""
    from xinshao.campaigns.models import Campaign

    regions = _bureau_region_ids(user, {Role.BUREAU_ADMIN})
    schools = _ids(user, _CAMPAIGN_SCHOOL_MANAGERS, "school")
    return Campaign.objects.filter(Q(region_id__in=regions) | Q(school_id__in=schools))


def regions_for_new_campaigns(user) -> QuerySet[Region]:
    return Region.objects.filter(id__in=_ids(user, {Role.BUREAU_ADMIN}, "region"))


def schools_for_new_campaigns(user) -> QuerySet[School]:
    return School.objects.filter(id__in=_ids(user, _CAMPAIGN_SCHOOL_MANAGERS, "school"))


def students_with_results_visible_to(user) -> QuerySet[Student]:
    """Students whose individual answers and scores this user may read: their school's psych
    teachers only. Class teachers see an attention list, never raw scores; the bureau sees totals."""
    return Student.objects.filter(school_id__in=_ids(user, {Role.PSYCH_TEACHER}, "school"))


def can_create_campaigns(user) -> bool:
    """A bureau admin (for their region) or a school's admin or psych teacher (for their school)."""
    return bool(roles_of(user) & ({Role.BUREAU_ADMIN} | _CAMPAIGN_SCHOOL_MANAGERS))


def can_use_campaign_pages(user) -> bool:
    """Staff with campaign duties: the bureau, those who may start a campaign, class teachers."""
    return can_view_city_overview(user) or can_create_campaigns(user) or Role.CLASS_TEACHER in roles_of(user)


def can_manage_campaign(user, campaign) -> bool:
    return campaigns_manageable_by(user).filter(pk=campaign.pk).exists()


def campaign_classes_for_sheets(user, campaign) -> QuerySet[SchoolClass]:
    """Classes whose sheets (names with access codes, which are credentials) this user may print:
    the campaign's managers, the school's admin and psych teacher (who run a city-wide screening
    in their school) and a class teacher for their own class; never a class whose students'
    names the user may not see, so the bureau prints none."""
    from xinshao.campaigns.models import Campaign

    if campaign.audience != Campaign.Audience.STUDENTS:
        return SchoolClass.objects.none()
    named = students_visible_to(user).filter(assignments__campaign=campaign).values("school_class_id")
    classes = SchoolClass.objects.filter(id__in=named)
    if not can_manage_campaign(user, campaign):
        classes = classes.filter(Q(id__in=_ids(user, {Role.CLASS_TEACHER}, "school_class"))
                                 | Q(school_id__in=_ids(user, _CAMPAIGN_SCHOOL_MANAGERS, "school")))
    return classes.select_related("school", "grade").order_by("school__code", "grade__level", "name")


def students_consent_recordable_by(user, campaign) -> QuerySet[Student]:
    """Students whose guardian's paper decision this user may record: the campaign's targeted
    students at schools where the user keeps the roster or is the psych teacher."""
    from xinshao.campaigns.rules import asks_consent
    from xinshao.campaigns.services import targeted_students

    if not asks_consent(campaign):
        return Student.objects.none()
    in_campaign = Q(assignments__campaign=campaign) | Q(pk__in=targeted_students(campaign).values("pk"))
    at_school = students_visible_to(user).filter(school__in=schools_for_new_campaigns(user))
    return at_school.filter(pk__in=Student.objects.filter(in_campaign).values("pk"))


def guardians_of(user):
    from xinshao.people.models import Guardian

    return Guardian.objects.filter(pk__in=_ids(user, {Role.GUARDIAN}, "guardian"))


def guardian_children(user) -> QuerySet[Student]:
    return students_visible_to(user).filter(guardians__in=guardians_of(user)).distinct()


def assignments_answerable_by(user):
    """The assignments this signed-in user answers themself: as a teacher, or as a student with a login."""
    from xinshao.campaigns.models import Assignment

    if not user.is_authenticated:
        return Assignment.objects.none()
    return Assignment.objects.filter(
        Q(teacher=user) | Q(student_id__in=_ids(user, _SELF_ROLES, "student"))
    ).select_related("campaign", "student", "teacher")


def help_requests_visible_to(user):
    """Teachers' requests for help after a well-being survey, with the result they unlock: the
    bureau psych centre of the region only. Nobody else ever sees a teacher's result."""
    from xinshao.campaigns.models import HelpRequest

    regions = _bureau_region_ids(user, {Role.BUREAU_PSYCH_CENTRE})
    return HelpRequest.objects.filter(
        Q(assignment__campaign__region_id__in=regions) | Q(assignment__campaign__school__district_id__in=regions)
    ).select_related("assignment__teacher", "assignment__campaign")


# --- Early warning -------------------------------------------------------------------------
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


def users_in_role(role: str, **scope):
    """Active people holding a role in a unit, e.g. users_in_role(Role.PSYCH_TEACHER, school=school) or
    users_in_role(Role.CLASS_TEACHER, school_class_id__in=ids): whom to tell, or who may own something."""
    from xinshao.accounts.models import User

    return User.objects.filter(
        is_active=True, role_assignments__is_active=True, role_assignments__role=role,
        **{f"role_assignments__{field}": value for field, value in scope.items()},
    ).distinct().order_by("id")


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


def attention_students_for(user) -> QuerySet[Student]:
    """A class teacher's attention list: their own classes' students with an open alert. The list
    shows who needs care and how closely, never scores or reasons."""
    from xinshao.alerts.models import Alert

    open_alerts = Alert.objects.filter(state__in=Alert.OPEN_STATES).values("student_id")
    return students_visible_to(user).filter(
        school_class_id__in=_ids(user, {Role.CLASS_TEACHER}, "school_class"), id__in=open_alerts)


# --- Sentinel channels ---
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


def can_raise_guardian_concern(user) -> bool:
    # From the cached assignments, no query: the menu asks this on every page.
    return bool(_ids(user, {Role.GUARDIAN}, "guardian"))


# --- Case management -------------------------------------------------------------------------
def cases_visible_to(user):
    """Cases this user may open: the school's psych teachers (all of the school's cases), team
    members (their cases), the school admin (the school's red cases), the bureau psych centre
    (red cases city-wide). Partner agencies see referrals, never cases (referrals_visible_to)."""
    from xinshao.alerts.models import Level
    from xinshao.cases.models import Case

    regions = _bureau_region_ids(user, {Role.BUREAU_PSYCH_CENTRE})
    q = Q(school_id__in=_ids(user, {Role.PSYCH_TEACHER}, "school"))
    q |= Q(team__user=user) if user.is_authenticated else Q(pk__in=[])
    q |= Q(school_id__in=_ids(user, {Role.SCHOOL_ADMIN}, "school"), level=Level.RED)
    q |= Q(school__district_id__in=regions, level=Level.RED)
    return Case.objects.filter(id__in=Case.objects.filter(q).values("id")).select_related(
        "student__school_class__grade", "school", "owner")


def cases_manageable_by(user):
    """Cases this user may change: their school's psych teachers' cases (the owner and colleagues)."""
    return cases_visible_to(user).filter(school_id__in=_ids(user, {Role.PSYCH_TEACHER}, "school"))


def can_use_case_pages(user) -> bool:
    return bool(roles_of(user) & {Role.PSYCH_TEACHER, Role.SCHOOL_ADMIN, Role.BUREAU_PSYCH_CENTRE,
                                  Role.CLASS_TEACHER})


def can_read_session_notes(user, case) -> bool:
    """Private counselling notes: the case owner, psych teachers on its team, the bureau psych centre."""
    from xinshao.cases.models import CaseTeamMember

    if not user.is_authenticated:
        return False
    if case.owner_id == user.pk:
        return True
    if case.team.filter(user=user, part=CaseTeamMember.Part.PSYCH_TEACHER).exists():
        return True
    return case.school.district_id in _bureau_region_ids(user, {Role.BUREAU_PSYCH_CENTRE})


def agencies_of(user):
    from xinshao.org.models import PartnerAgency

    return PartnerAgency.objects.filter(id__in=_ids(user, {Role.CLINICIAN}, "agency"))


def referrals_visible_to(user):
    """The agency portal: referrals sent to the user's own agency, and nothing else."""
    from xinshao.cases.models import Referral

    return Referral.objects.filter(agency_id__in=_ids(user, {Role.CLINICIAN}, "agency")).select_related(
        "case__student", "case__school", "agency", "consent")


def schools_with_case_rights(user) -> QuerySet[School]:
    """Schools whose students' cases this user may open and work on: their psych teachers."""
    return School.objects.filter(id__in=_ids(user, {Role.PSYCH_TEACHER}, "school"))
