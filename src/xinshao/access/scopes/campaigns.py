"""Screening campaigns: which a user follows or manages, whose sheets and consent they handle."""
from django.db.models import Q, QuerySet

from xinshao.accounts.roles import BUREAU_ROLES, Role
from xinshao.org.models import Region, School, SchoolClass
from xinshao.people.models import Student

from .base import _SELF_ROLES, _bureau_region_ids, _ids, assignments, roles_of
from .break_glass import break_glass_student_ids
from .people import can_view_city_overview, students_visible_to

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
    return Student.objects.filter(Q(school_id__in=_ids(user, {Role.PSYCH_TEACHER}, "school"))
                                  | Q(id__in=break_glass_student_ids(user)))


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


def assignments_answerable_by(user):
    """The assignments this signed-in user answers themself: as a teacher, or as a student with a login."""
    from xinshao.campaigns.models import Assignment

    if not user.is_authenticated:
        return Assignment.objects.none()
    return Assignment.objects.filter(
        Q(teacher=user) | Q(student_id__in=_ids(user, _SELF_ROLES, "student"))
    ).select_related("campaign", "student", "teacher")


def can_answer_questionnaires(user) -> bool:
    """Who is ever assigned a questionnaire: students, and school staff for the teachers' surveys."""
    return bool(roles_of(user) & (_SELF_ROLES | {Role.TEACHER, Role.CLASS_TEACHER, Role.PSYCH_TEACHER,
                                                 Role.SCHOOL_ADMIN}))


def can_answer_family_consent(user) -> bool:
    return Role.GUARDIAN in roles_of(user)


def can_read_teacher_help_requests(user) -> bool:
    """Teachers' help requests go to the city psych centre only, never to their school."""
    return Role.BUREAU_PSYCH_CENTRE in roles_of(user)


def help_requests_visible_to(user):
    """Teachers' requests for help after a well-being survey, with the result they unlock: the
    bureau psych centre of the region only. Nobody else ever sees a teacher's result."""
    from xinshao.campaigns.models import HelpRequest

    regions = _bureau_region_ids(user, {Role.BUREAU_PSYCH_CENTRE})
    return HelpRequest.objects.filter(
        Q(assignment__campaign__region_id__in=regions) | Q(assignment__campaign__school__district_id__in=regions)
    ).select_related("assignment__teacher", "assignment__campaign")
