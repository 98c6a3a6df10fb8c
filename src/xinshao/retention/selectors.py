"""Reads for retention's pages: the history of the policy, the runs, who has left and when their time comes."""
import datetime
from dataclasses import dataclass

from django.db.models import QuerySet

from .kinds import left_on, students_left
from .models import PolicyChange, RetentionRun

SHOWN = 100


def policy_history() -> QuerySet[PolicyChange]:
    return PolicyChange.objects.select_related("actor").order_by("-at", "-id")[:SHOWN]


def runs() -> QuerySet[RetentionRun]:
    return RetentionRun.objects.select_related("started_by")[:SHOWN]


@dataclass(frozen=True)
class Leavers:
    waiting: int                 # left, not yet anonymised
    due: int                     # of them, past their time under the policy in force
    next_on: datetime.date | None  # when the next one's time comes


def leavers(cutoff: datetime.date, months_after) -> Leavers:
    """Students who left the city's schools and their clocks; `months_after(day)` is the day the policy
    in force says a student who left on `day` is anonymised."""
    days = [left_on(student) for student in students_left()]
    later = [months_after(day) for day in days if day >= cutoff]
    return Leavers(waiting=len(days), due=sum(day < cutoff for day in days), next_on=min(later) if later else None)
