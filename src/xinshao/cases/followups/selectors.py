"""Reads for follow-ups: a case's follow-ups, and the overdue ones each level watches.

Who watches which schools is scopes.schools_watching_follow_ups. A row names the student only where the reader
may open the case (scopes.cases_visible_to); otherwise it shows the school, level and dates.
"""
import datetime
from dataclasses import dataclass

from django.db.models import QuerySet

from xinshao.access import scopes
from xinshao.cases.models import Case, FollowUp

def follow_ups_overdue(user, today: datetime.date) -> QuerySet[FollowUp]:
    """Planned follow-ups of open cases of the watched schools whose date has passed, oldest first."""
    return (FollowUp.objects.filter(state=FollowUp.State.PLANNED, due_on__lt=today,
                                    case__school__in=scopes.schools_watching_follow_ups(user))
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
