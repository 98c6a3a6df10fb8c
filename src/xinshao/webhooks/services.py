"""Writes of webhooks: register an endpoint (its secret returned once), switch it on or off, send
a test event; and publish an alert or referral event into the outbox.

The apps where events happen call `alert_event_publish` / `referral_event_publish` inside their
own transaction: each endpoint that covers the event's school, wants the event and whose owner
still keeps it gets one pending Delivery row, committed or rolled back with the event itself.
`sending.py` sends them. Payloads carry ids, levels, states and the school, never a name, a
reason or a note: the receiver asks the API (with its own token and scope) for anything more.
"""
import secrets
import uuid
from dataclasses import dataclass
from functools import partial
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from xinshao.access import scopes
from xinshao.audit.services import audit_record
from xinshao.org.models import Region, School
from xinshao.webhooks.models import PING, Delivery, Endpoint, EndpointEvent, Event

SECRET_PREFIX = "whsec_"


@dataclass(frozen=True)
class NewEndpoint:
    endpoint: Endpoint
    secret: str  # shown once; kept encrypted to sign with, never shown again


def _url(url: str) -> str:
    """An http(s) address with a host. Private addresses and one-word host names (a school's server
    on its own network) are allowed: school networks are closed (docs/api.md, "Webhooks")."""
    url = (url or "").strip()
    parts = urlsplit(url)
    try:
        usable = parts.scheme in ("http", "https") and bool(parts.hostname) and parts.port != 0 \
            and not any(character.isspace() for character in url)
    except ValueError:  # a port that is not a number, or past 65535
        usable = False
    if not usable:
        raise ValidationError({"url": _("接收地址须是 http:// 或 https:// 开头的完整网址，如 https://sis.example.cn/xinshao。")})
    return url


def _events(events) -> list[str]:
    chosen = sorted(set(events or ()))
    if not chosen or not set(chosen) <= set(Event.values):
        raise ValidationError({"events": _("请至少选择一种事件。")})
    return chosen


def _covered(owner, covers: Region | School) -> dict:
    if isinstance(covers, Region) and scopes.webhook_regions_for(owner).filter(pk=covers.pk).exists():
        return {"region": covers}
    if isinstance(covers, School) and scopes.webhook_schools_for(owner).filter(pk=covers.pk).exists():
        return {"school": covers}
    raise ValidationError({"covers": _("只能为你管理的地区或学校登记接收地址。")})


def _changed(endpoint: Endpoint, kind: str, actor, now, request, **detail) -> None:
    EndpointEvent.objects.create(endpoint=endpoint, kind=kind, actor=actor, at=now, detail=detail)
    audit_record(actor=actor, action=f"webhooks.endpoint_{kind}", obj=endpoint, request=request, detail=detail)


@transaction.atomic
def endpoint_create(*, owner, name: str, url: str, events, covers, now=None, request=None) -> NewEndpoint:
    now = now or timezone.now()
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("请给接收地址起一个名称，说明它是哪个系统。")})
    secret = SECRET_PREFIX + secrets.token_urlsafe(32)
    endpoint = Endpoint(owner=owner, name=name[:80], url=_url(url), events=_events(events), secret=secret,
                        created_at=now, **_covered(owner, covers))
    endpoint.full_clean()
    endpoint.save()
    _changed(endpoint, "created", owner, now, request, url=endpoint.url, events=endpoint.events)
    return NewEndpoint(endpoint=endpoint, secret=secret)


@transaction.atomic
def endpoint_set_active(*, endpoint: Endpoint, actor, active: bool, now=None, request=None) -> Endpoint:
    """Switch an endpoint on or off. Off, it gets no new events, and what is still pending for it is not sent."""
    now = now or timezone.now()
    endpoint = Endpoint.objects.select_for_update().get(pk=endpoint.pk)
    if endpoint.is_active == active:
        raise ValidationError(_("这个接收地址已经是这个状态了。"))
    endpoint.is_active = active
    endpoint.save(update_fields=["is_active"])
    _changed(endpoint, "activated" if active else "deactivated", actor, now, request)
    return endpoint


def _queue(delivery_ids: list[int]) -> None:
    from xinshao.webhooks.tasks import deliver

    deliver.delay(delivery_ids)


def _payload(event: str, data: dict, now) -> dict:
    # `id` is the event's: the same for every endpoint and every retry, so a receiver can drop repeats.
    return {"id": str(uuid.uuid4()), "event": event, "occurred_at": now.isoformat(), "data": data}


@transaction.atomic
def endpoint_test_send(*, endpoint: Endpoint, actor, now=None, request=None) -> Delivery:
    """A "ping" to this endpoint alone, sent right after the commit, so its maker sees the answer."""
    now = now or timezone.now()
    delivery = Delivery.objects.create(endpoint=endpoint, event=PING, created_at=now, next_attempt_at=now,
                                       payload=_payload(PING, {"endpoint_id": endpoint.pk}, now))
    _changed(endpoint, "test_sent", actor, now, request, delivery=delivery.pk)
    transaction.on_commit(partial(_queue, [delivery.pk]), robust=True)
    return delivery


def _region_and_parents(region: Region) -> set[int]:
    found = set()
    while region is not None and region.pk not in found:
        found.add(region.pk)
        region = region.parent
    return found


def _listeners(event: str, school: School):
    """Active endpoints that want `event` and cover `school`, whose owner may still keep them."""
    candidates = Endpoint.objects.filter(is_active=True, owner__is_active=True).filter(
        Q(school=school) | Q(region_id__in=_region_and_parents(school.district))).select_related("owner")
    return [endpoint for endpoint in candidates if event in endpoint.events
            and scopes.webhook_endpoints_visible_to(endpoint.owner).filter(pk=endpoint.pk).exists()]


def event_publish(*, event: str, school: School, data: dict, now=None) -> list[Delivery]:
    """Write one pending delivery per listening endpoint, in the caller's transaction (the outbox).

    With a broker, each is queued right after the commit; in the embedded mode the periodic job
    (`webhooks-deliver-due`, every 15 s) sends them, so a slow receiver never holds up the page."""
    now = now or timezone.now()
    payload = _payload(event, {**data, "school_id": school.pk, "school_code": school.code}, now)
    deliveries = Delivery.objects.bulk_create([
        Delivery(endpoint=endpoint, event=event, payload=payload, created_at=now, next_attempt_at=now)
        for endpoint in _listeners(event, school)])
    if deliveries and not settings.CELERY_TASK_ALWAYS_EAGER:
        transaction.on_commit(partial(_queue, [delivery.pk for delivery in deliveries]), robust=True)
    return deliveries


def alert_event_publish(*, alert, event: str, now=None) -> list[Delivery]:
    return event_publish(event=event, school=alert.school, now=now, data={
        "alert_id": alert.pk, "level": alert.level, "state": alert.state, "escalation_step": alert.escalation_step})


def referral_event_publish(*, referral, event: str, now=None) -> list[Delivery]:
    case = referral.case
    return event_publish(event=event, school=case.school, now=now, data={
        "referral_id": referral.pk, "case_id": case.pk, "agency_id": referral.agency_id,
        "urgency": referral.urgency, "state": referral.state})
