"""Reads of the hotline and the centre. Pages pass in the scoped querysets from xinshao.access.scopes."""
import datetime
from dataclasses import dataclass

from django.db.models import Count, Q
from django.db.models.functions import TruncMonth
from django.utils import timezone

from xinshao.hotline.models import Call, CallerType, CallType, Risk, Topic, Visit, VisitOutcome

# Outcomes that end the centre's work with a family: it leaves the counselor's caseload.
CLOSING_OUTCOMES = (VisitOutcome.CLOSED, VisitOutcome.REFERRED, VisitOutcome.SCHOOL)


def call_thread(calls, call: Call) -> list[Call]:
    """The first call and its follow-ups, oldest first, within what the reader may see."""
    root = call.thread_root
    return list(calls.filter(Q(pk=root.pk) | Q(follow_up_of_id=root.pk)).order_by("started_at", "id"))


def call_log(user, query) -> tuple:
    """The call log page's calls for its query string (mine=1: only the operator's own), and whether
    only the user's own were asked for; the export of the page reads the same."""
    from xinshao.access import scopes

    calls = scopes.calls_visible_to(user).defer("notes", "caller_description", "callback_outcome")
    mine = query.get("mine") == "1" and scopes.can_log_calls(user)
    return (calls.filter(operator=user) if mine else calls), mine


def callbacks_open(calls):
    """Open call-backs, overdue first (the earliest due at the top)."""
    return calls.filter(callback_due_at__isnull=False, callback_done_at__isnull=True).order_by("callback_due_at", "id")


def visit_thread(visits, visit: Visit) -> list[Visit]:
    root = visit.thread_root
    return list(visits.filter(Q(pk=root.pk) | Q(follow_up_of_id=root.pk)).order_by("visited_at", "id"))


@dataclass(frozen=True)
class Family:
    first: Visit
    last: Visit
    visits: int

    @property
    def next_visit_on(self):
        return self.last.next_visit_on

    @property
    def overdue(self) -> bool:
        return self.next_visit_on is not None and self.next_visit_on < timezone.localdate()


def caseload(visits, counselor) -> list[Family]:
    """A counselor's open families: threads whose latest visit they saw and that no visit ended;
    next visits overdue first, then due soonest, then families with no date set."""
    threads: dict[int, list[Visit]] = {}
    for visit in visits.defer("notes").order_by("visited_at", "id"):
        threads.setdefault(visit.follow_up_of_id or visit.pk, []).append(visit)
    families = [Family(thread[0], thread[-1], len(thread)) for thread in threads.values()
                if thread[-1].counselor_id == counselor.pk and thread[-1].outcome not in CLOSING_OUTCOMES]
    far = datetime.date.max
    return sorted(families, key=lambda f: (f.next_visit_on or far, f.first.pk))


# --- statistics ------------------------------------------------------------------------------

@dataclass(frozen=True)
class Figure:
    title: str
    rows: list[tuple[str, int]]

    @property
    def total(self) -> int:
        return sum(n for _label, n in self.rows)

    @property
    def widest(self) -> int:
        return max([n for _label, n in self.rows] or [0]) or 1


def _by_choice(calls, field: str, choices) -> list[tuple[str, int]]:
    counts = dict(calls.values_list(field).annotate(n=Count("id")))
    return [(str(label), counts.get(value, 0)) for value, label in choices]


def by_month(queryset, field: str) -> list[tuple[str, int]]:
    rows = (queryset.annotate(month=TruncMonth(field)).values_list("month").annotate(n=Count("id")).order_by("month"))
    return [(month.strftime("%Y-%m"), n) for month, n in rows]


def by_topic(queryset, related: str) -> list[tuple[str, int]]:
    counts = dict(queryset.values_list("topics").annotate(n=Count("id")))
    return [(topic.name, counts.get(topic.pk, 0)) for topic in Topic.objects.all() if counts.get(topic.pk) or
            topic.is_active]


def call_figures(calls) -> dict[str, list[tuple[str, int]]]:
    return {
        "month": by_month(calls, "started_at"),
        "topic": by_topic(calls, "calls"),
        "caller_type": _by_choice(calls, "caller_type", CallerType.choices),
        "risk": _by_choice(calls, "risk", Risk.choices),
        "call_type": _by_choice(calls, "call_type", CallType.choices),
    }


def visit_figures(visits) -> dict[str, list[tuple[str, int]]]:
    return {"month": by_month(visits, "visited_at"), "topic": by_topic(visits, "visits"),
            "families": visits.filter(follow_up_of__isnull=True).count()}
