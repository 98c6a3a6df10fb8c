"""Case management: which cases a user may open, change and read in full; referrals to agencies.

A case page asks cases_visible_to (out of it: 404, as for an id that does not exist) and then a
capability of this module (without it: 403); the case services ask can_change_case again inside
their transaction. Nothing in cases/ decides access by itself.
"""
from django.db.models import Q, QuerySet

from xinshao.accounts.roles import Role
from xinshao.org.models import School

from .base import _bureau_region_ids, _ids, assignments, region_subtree_ids, roles_of

# Who watches overdue follow-ups: a school's psych teachers and admin, the bureau psych centre.
_OVERDUE_WATCHERS_AT_SCHOOL = {Role.PSYCH_TEACHER, Role.SCHOOL_ADMIN}


def cases_visible_to(user):
    """Cases this user may open: the school's psych teachers (all of the school's cases), team
    members (their cases: psych staff and the student's class teacher), the school admin (the
    school's cases while they are red), the bureau psych centre (red cases city-wide). Leaders
    read by level, not by team, so a case raised to red appears and one lowered from red leaves.
    Partner agencies see referrals, never cases (referrals_visible_to)."""
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


def can_change_case(user, case) -> bool:
    return user is not None and cases_manageable_by(user).filter(pk=case.pk).exists()


def can_use_case_pages(user) -> bool:
    """The case list: those who may open some case."""
    return bool(roles_of(user) & {Role.PSYCH_TEACHER, Role.SCHOOL_ADMIN, Role.BUREAU_PSYCH_CENTRE,
                                  Role.CLASS_TEACHER})


def can_read_case_clinical(user, case) -> bool:
    """The psych staff's side of a case: the scores and reasons that opened it, its alerts' reasons,
    the reasons given for its changes, follow-up outcomes and the whole story (timeline). A class
    teacher on the team sees who needs care and how closely, never this."""
    return can_change_case(user, case) or can_read_case_notes(user, case)


def can_read_case_notes(user, case) -> bool:
    """Private counselling notes (and what carries them: the printed timeline, the closure review,
    referral reasons, diagnosis summaries): the case owner, psych teachers on its team, the bureau
    psych centre."""
    from xinshao.cases.models import CaseTeamMember

    if not user.is_authenticated:
        return False
    if case.owner_id == user.pk:
        return True
    if case.team.filter(user=user, part=CaseTeamMember.Part.PSYCH_TEACHER).exists():
        return True
    return case.school.district_id in _bureau_region_ids(user, {Role.BUREAU_PSYCH_CENTRE})


def can_use_agency_portal(user) -> bool:
    return bool(_ids(user, {Role.CLINICIAN}, "agency"))


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


def can_watch_overdue_follow_ups(user) -> bool:
    return bool(roles_of(user) & (_OVERDUE_WATCHERS_AT_SCHOOL | {Role.BUREAU_PSYCH_CENTRE}))


def schools_watching_follow_ups(user) -> QuerySet[School]:
    """The schools whose overdue follow-ups this user watches (named only where the case is visible)."""
    own = {a.school_id for a in assignments(user) if a.role in _OVERDUE_WATCHERS_AT_SCHOOL}
    regions = {a.region_id for a in assignments(user) if a.role == Role.BUREAU_PSYCH_CENTRE}
    return School.objects.filter(Q(id__in=own) | Q(district_id__in=region_subtree_ids(regions)))


def schools_keeping_case_records(user) -> QuerySet[School]:
    """The schools whose own writing in a case this user reads after the case left: their psych
    teachers and admin."""
    return School.objects.filter(id__in=_ids(user, {Role.PSYCH_TEACHER, Role.SCHOOL_ADMIN}, "school"))


def cases_that_left(user):
    """Cases handed over from the user's schools to another school (and not back since): every one
    for the old school's psych teachers, the red ones for its admin (as for the school's own cases)."""
    from xinshao.alerts.models import Level
    from xinshao.cases.models import Case

    schools = schools_keeping_case_records(user)
    left = (Q(handovers__from_school_id__in=_ids(user, {Role.PSYCH_TEACHER}, "school"))
            | Q(handovers__from_school_id__in=_ids(user, {Role.SCHOOL_ADMIN}, "school"), level=Level.RED))
    return (Case.objects.filter(left).exclude(school__in=schools).distinct()
            .select_related("student__school_class__grade", "school", "owner").order_by("-updated_at", "-id"))


def can_read_school_case_notes(user, school: School) -> bool:
    """Session notes a school wrote in a case that has left it: that school's psych teachers only."""
    return schools_with_case_rights(user).filter(pk=school.pk).exists()
