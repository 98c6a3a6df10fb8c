"""Sending the outbox: one POST per attempt, signed afresh, each attempt logged.

A delivery is claimed (its attempt counted, its next time pushed CLAIM_LEASE ahead) before the
POST, so two workers never send it at once. A 2xx answer delivers it. Anything else (another
status, a redirect, which is not followed, a refused connection, a timeout) is logged with the
status or the error and retried after FIRST_PAUSE × 2^(attempt − 1) (30 s, 1, 2, 4, 8 min); after
MAX_ATTEMPTS tries it is marked failed. Deliveries of an endpoint switched off are not sent.
"""
import json
import logging
import time
import urllib.error
import urllib.request
from collections.abc import Iterable
from datetime import timedelta

from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from xinshao.webhooks.models import PING, Attempt, Delivery
from xinshao.webhooks.signing import HEADER, signature

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 6
FIRST_PAUSE = timedelta(seconds=30)
TIMEOUT_SECONDS = 10
CLAIM_LEASE = timedelta(seconds=TIMEOUT_SECONDS * 6)
_PENDING = Delivery.Status.PENDING


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    # A receiver that redirects is misconfigured: the POST is not re-sent elsewhere; it counts as a failure.
    def redirect_request(self, *args, **kwargs):
        return None


_opener = urllib.request.build_opener(_NoRedirect)


def pause_after(attempt: int) -> timedelta:
    return FIRST_PAUSE * 2 ** (attempt - 1)


def deliveries_attempt_due(*, now=None, limit: int = 200) -> int:
    """Try every pending delivery whose time has come (the periodic job); returns attempts made."""
    now = now or timezone.now()
    due = Delivery.objects.filter(status=_PENDING, next_attempt_at__lte=now).order_by("next_attempt_at", "pk")
    return sum(_attempt(pk, now) for pk in due.values_list("pk", flat=True)[:limit])


def deliveries_attempt(*, ids: Iterable[int], now=None) -> int:
    """Try these deliveries if they are still due (right after the transaction that wrote them)."""
    now = now or timezone.now()
    return sum(_attempt(pk, now) for pk in sorted(ids))


def _post(delivery: Delivery) -> tuple[int | None, str]:
    """(the answer's status or None, what went wrong or "")."""
    body = json.dumps(delivery.payload, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()
    endpoint = delivery.endpoint
    request = urllib.request.Request(endpoint.url, method="POST", data=body, headers={
        "Content-Type": "application/json; charset=utf-8", "User-Agent": "Xinshao-Webhooks/1",
        "X-Xinshao-Event": delivery.event, "X-Xinshao-Delivery": str(delivery.pk),
        HEADER: signature(endpoint.secret, int(time.time()), body)})
    try:
        with _opener.open(request, timeout=TIMEOUT_SECONDS) as response:
            status = response.status
    except urllib.error.HTTPError as error:
        error.close()
        return error.code, f"HTTP {error.code}"
    except urllib.error.URLError as error:
        return None, f"{type(error.reason).__name__}: {error.reason}"
    except (OSError, ValueError) as error:  # timeouts and resets while reading the answer; an unusable address
        return None, f"{type(error).__name__}: {error}"
    return status, "" if 200 <= status < 300 else f"HTTP {status}"


def _claim(delivery: Delivery, now) -> bool:
    claimed = Delivery.objects.filter(pk=delivery.pk, status=_PENDING, attempts=delivery.attempts,
                                      next_attempt_at__lte=now).update(
        attempts=F("attempts") + 1, next_attempt_at=now + CLAIM_LEASE)
    delivery.attempts += 1
    return claimed == 1


def _attempt(pk: int, now) -> int:
    delivery = Delivery.objects.select_related("endpoint").filter(pk=pk).first()
    if delivery is None or delivery.status != _PENDING or delivery.next_attempt_at > now:
        return 0  # done, or being sent by another process
    rows = Delivery.objects.filter(pk=pk, status=_PENDING, attempts=delivery.attempts)
    if not delivery.endpoint.is_active and delivery.event != PING:
        rows.update(status=Delivery.Status.FAILED, next_attempt_at=None, last_error=_("接收地址已停用，没有发送。"))
        return 0
    if delivery.attempts >= MAX_ATTEMPTS:  # claimed for its last try by a process that stopped midway
        rows.update(status=Delivery.Status.FAILED, next_attempt_at=None, last_error=_("最后一次发送被中断，结果未知。"))
        return 0
    if not _claim(delivery, now):
        return 0
    started = time.monotonic()
    status, error = _post(delivery)
    milliseconds = round((time.monotonic() - started) * 1000)
    rows = Delivery.objects.filter(pk=pk, status=_PENDING, attempts=delivery.attempts)
    retry = None
    if not error:
        rows.update(status=Delivery.Status.DELIVERED, delivered_at=now, next_attempt_at=None, last_error="")
    elif delivery.attempts >= MAX_ATTEMPTS:
        rows.update(status=Delivery.Status.FAILED, next_attempt_at=None, last_error=error[:300])
    else:
        retry = pause_after(delivery.attempts)
        rows.update(next_attempt_at=now + retry, last_error=error[:300])
    if error:
        logger.warning("webhook delivery %s to endpoint %s failed (attempt %s): %s", pk, delivery.endpoint_id,
                       delivery.attempts, error)
    Attempt.objects.create(delivery=delivery, number=delivery.attempts, at=now, status_code=status,
                           milliseconds=milliseconds, error=error[:300],
                           retry_in_seconds=int(retry.total_seconds()) if retry else None)
    return 1
