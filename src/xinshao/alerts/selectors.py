"""Reads for early warning: the rules that apply, who must act on an alert, and the inbox."""
import datetime
from dataclasses import dataclass

from django.db.models import Case, Min, Prefetch, QuerySet, When

from xinshao.access import scopes
from xinshao.accounts.models import User
from xinshao.accounts.roles import Role
from xinshao.alerts.models import Alert, AlertEvent, Level, RuleSet, Signal
from xinshao.campaigns.models import InstrumentResult
from xinshao.org.models import Region, School


def city_of(school: School) -> Region:
    """The top region above a school: the city whose bureau sets the default rules."""
    region = school.district
    while region.parent_id is not None:
        region = region.parent
    return region


def ancestor_region_ids(school: School) -> list[int]:
    ids, region = [], school.district
    while region is not None:
        ids.append(region.pk)
        region = region.parent
    return ids


def rule_set_latest(*, region: Region | None = None, school: School | None = None) -> RuleSet | None:
    return RuleSet.objects.filter(region=region, school=school).order_by("-version").first()


def rule_set_history(*, region: Region | None = None, school: School | None = None) -> QuerySet[RuleSet]:
    return RuleSet.objects.filter(region=region, school=school).select_related("created_by").order_by("-version")


def school_leaders(school: School) -> QuerySet[User]:
    return scopes.users_in_role(Role.SCHOOL_ADMIN, school=school)


def bureau_psych_centre_for(school: School) -> QuerySet[User]:
    return scopes.users_in_role(Role.BUREAU_PSYCH_CENTRE, region_id__in=ancestor_region_ids(school))


def who_acts_at(alert: Alert) -> list[User]:
    """The people who must act at the alert's current escalation step."""
    if alert.escalation_step == Alert.Step.OWNER and alert.owner_id:
        return [alert.owner]
    if alert.escalation_step <= Alert.Step.SCHOOL_LEADER:
        leaders = list(school_leaders(alert.school))
        if leaders:
            return leaders
    return list(bureau_psych_centre_for(alert.school))


def alert_inbox(user, *, state: str = "open", level: str = "") -> QuerySet[Alert]:
    alerts = scopes.alerts_visible_to(user)
    if state == "open":
        alerts = alerts.filter(state__in=Alert.OPEN_STATES)
    elif state:
        alerts = alerts.filter(state=state)
    if level:
        alerts = alerts.filter(level=level)
    signals = Signal.objects.exclude(level="").order_by("raised_at", "id")
    # What needs acting on first: unacknowledged before the rest, red before orange before yellow.
    urgency = Case(When(level=Level.RED, then=0), When(level=Level.ORANGE, then=1), default=2)
    waiting = Case(When(state=Alert.State.NEW, then=0), default=1)
    return (alerts.prefetch_related(Prefetch("signals", queryset=signals))
            .order_by(waiting, urgency, "ack_due_at", "-created_at"))


def alert_detail(user, alert_id: int) -> Alert | None:
    return scopes.alerts_visible_to(user).filter(pk=alert_id).first()


def alert_signals(alert: Alert) -> QuerySet[Signal]:
    return alert.signals.select_related("raised_by").order_by("raised_at", "id")


def alert_events(alert: Alert) -> QuerySet[AlertEvent]:
    return alert.events.select_related("actor").order_by("at", "id")


def alerts_overdue(now) -> QuerySet[Alert]:
    """New alerts past their deadline that can still climb the chain."""
    return Alert.objects.filter(state=Alert.State.NEW, ack_due_at__lt=now,
                                escalation_step__lt=Alert.Step.BUREAU).select_related("school__district", "owner")


# The sweep runs every minute; a result still pending after this long means it keeps failing, or
# no worker runs the sweep (alerts/screening.py logs why).
SCREENING_STALE_AFTER = datetime.timedelta(minutes=5)


@dataclass(frozen=True)
class ScreeningBacklog:
    pending: int               # student results not yet turned into signals
    stale: int                 # of those, submitted more than SCREENING_STALE_AFTER ago
    oldest_at: datetime.datetime | None


def screening_backlog(now: datetime.datetime) -> ScreeningBacklog:
    """For the system page: screening results that early warning has not taken in yet."""
    pending = InstrumentResult.objects.filter(signals_pending=True)
    late = pending.filter(submission__received_at__lt=now - SCREENING_STALE_AFTER)
    return ScreeningBacklog(pending=pending.count(), stale=late.count(),
                            oldest_at=late.aggregate(at=Min("submission__received_at"))["at"])
