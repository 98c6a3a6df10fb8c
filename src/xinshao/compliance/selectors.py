"""Reads of compliance/: sign-in lock-outs (django-axes), access history, incidents."""
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from axes.models import AccessAttempt
from xinshao.access import scopes
from xinshao.compliance.models import AccessRequest, Incident


def _locking_attempts(now):
    """Attempts that lock their user name now: AXES_FAILURE_LIMIT failures, cool-off not over."""
    cooloff = timedelta(hours=settings.AXES_COOLOFF_TIME)
    return AccessAttempt.objects.filter(failures_since_start__gte=settings.AXES_FAILURE_LIMIT).filter(
        Q(expiration__expires_at__gt=now) | Q(expiration__isnull=True, attempt_time__gte=now - cooloff))


def is_locked_out(username: str, *, now=None) -> bool:
    return _locking_attempts(now or timezone.now()).filter(username=username).exists()


@dataclass(frozen=True)
class LockedAccount:
    user: object
    since: object
    addresses: list[str]


def locked_accounts_for(user, *, now=None) -> list[LockedAccount]:
    """Accounts locked out now that this user looks after (scopes.people_followed_by)."""
    attempts = list(_locking_attempts(now or timezone.now()).order_by("attempt_time"))
    people = {person.username: person for person in scopes.people_followed_by(user).filter(
        username__in={attempt.username for attempt in attempts})}
    found: dict[str, LockedAccount] = {}
    for attempt in attempts:
        if attempt.username in people:
            entry = found.setdefault(attempt.username, LockedAccount(people[attempt.username], attempt.attempt_time, []))
            entry.addresses.append(attempt.ip_address or "")
    return list(found.values())


def pending_requests_for(user):
    return scopes.access_requests_decidable_by(user).filter(state=AccessRequest.State.PENDING).order_by("requested_at")


def access_history(requests):
    """Requests with their events, newest first."""
    return requests.prefetch_related("events__actor").order_by("-requested_at", "-id")


def incidents_for(user, *, now=None) -> list[Incident]:
    now = now or timezone.now()
    incidents = list(scopes.incidents_visible_to(user))
    for incident in incidents:
        incident.overdue = incident.is_overdue(now)
    return incidents
