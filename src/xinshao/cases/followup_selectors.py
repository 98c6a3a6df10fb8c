"""Reads for follow-ups: a case's follow-ups, and the overdue ones each level watches.

The school (its psych teachers and school admin) watches its own cases' follow-ups; the bureau
psych centre watches every school of its region. A row names the student only where the reader
may open the case (scopes.cases_visible_to); otherwise it shows the school, level and dates.
"""
import datetime
from dataclasses import dataclass

from django.db.models import QuerySet

from xinshao.access import scopes
from xinshao.accounts.roles import Role
from xinshao.cases.models import Case, FollowUp
from xinshao.org.models import Region, School

OVERDUE_WATCHERS = frozenset({Role.PSYCH_TEACHER, Role.SCHOOL_ADMIN, Role.BUREAU_PSYCH_CENTRE})


def region_subtree_ids(root_ids: set[int]) -> set[int]:
    found, frontier = set(root_ids), set(root_ids)
    while frontier:
        frontier = set(Region.objects.filter(parent_id__in=frontier).values_list("id", flat=True)) - found
        found |= frontier
    return found


def schools_in_city_of(school: School) -> QuerySet[School]:
    city = school.district
    while city.parent_id is not None:
        city = city.parent
    return School.objects.filter(district_id__in=region_subtree_ids({city.pk}))


def can_watch_overdue(user) -> bool:
    return bool(scopes.roles_of(user) & OVERDUE_WATCHERS)


def schools_watched_by(user) -> QuerySet[School]:
    """The schools whose overdue follow-ups this user watches."""
    own = {a.school_id for a in scopes.assignments(user) if a.role in (Role.PSYCH_TEACHER, Role.SCHOOL_ADMIN)}
    regions = {a.region_id for a in scopes.assignments(user) if a.role == Role.BUREAU_PSYCH_CENTRE}
    return School.objects.filter(id__in=own) | School.objects.filter(district_id__in=region_subtree_ids(regions))


def follow_ups_overdue(user, today: datetime.date) -> QuerySet[FollowUp]:
    """Planned follow-ups of open cases of the watched schools whose date has passed, oldest first."""
    return (FollowUp.objects.filter(state=FollowUp.State.PLANNED, due_on__lt=today,
                                    case__school__in=schools_watched_by(user))
            .exclude(case__state=Case.State.CLOSED)
            .select_related("case__school", "case__owner", "case__student__school_class__grade")
            .defer("outcome").order_by("due_on", "id"))


@dataclass(frozen=True)
class OverdueRow:
    follow_up: FollowUp
    days_late: int
    named: bool  # the reader may open the case: the student's name and the link are shown


def overdue_rows(user, follow_ups, today: datetime.date) -> list[OverdueRow]:
    case_ids = {f.case_id for f in follow_ups}
    visible = set(scopes.cases_visible_to(user).filter(pk__in=case_ids).values_list("pk", flat=True))
    return [OverdueRow(f, (today - f.due_on).days, f.case_id in visible) for f in follow_ups]


def case_follow_ups(case: Case, *, with_outcomes: bool) -> list[FollowUp]:
    rows = case.follow_ups.select_related("completed_by", "written_by").order_by("due_on", "id")
    return list(rows if with_outcomes else rows.defer("outcome"))
