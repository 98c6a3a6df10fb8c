"""Reads for case pages: the lists each role works from."""
from django.db.models import Exists, OuterRef, Q, QuerySet

from xinshao.access import scopes
from xinshao.alerts.models import Level
from xinshao.cases.models import AgreedAction, Case, CaseEvent, SafetyPlan


def _without_active_plan(cases: QuerySet[Case]) -> QuerySet[Case]:
    """A high-tier case with neither a safety plan nor an open agreed action: nobody has a plan yet."""
    plan = SafetyPlan.objects.filter(case=OuterRef("pk"))
    open_action = AgreedAction.objects.filter(case=OuterRef("pk"), done_at__isnull=True)
    return cases.filter(level__in=[Level.RED, Level.ORANGE]).exclude(Exists(plan)).exclude(Exists(open_action))


def case_list(user, *, view: str = "", state: str = "open", level: str = "") -> QuerySet[Case]:
    cases = scopes.cases_visible_to(user)
    if view == "mine":
        cases = cases.filter(Q(owner=user) | Q(team__user=user)).distinct()
    if state == "open":
        cases = cases.exclude(state=Case.State.CLOSED)
    elif state:
        cases = cases.filter(state=state)
    if level:
        cases = cases.filter(level=level)
    if view == "no_plan":
        cases = _without_active_plan(cases.exclude(state=Case.State.CLOSED))
    return cases.order_by("state", "-opened_at")


def case_events(case: Case) -> QuerySet[CaseEvent]:
    return case.events.select_related("actor").order_by("at", "id")

