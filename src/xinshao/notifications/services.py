"""Writes for notifications: creating them, reaching people through external channels, marking read.

    notify(recipients, subject=Text(...), body=Text(...), link=..., urgent=...)

makes one in-app Notification per recipient. An urgent one is also sent outside the platform:
the channels of settings.NOTIFY_EXTERNAL_CHANNELS are tried in order, each up to
NOTIFY_MAX_ATTEMPTS times with growing pauses; a channel that cannot reach the person
(skipped) or keeps failing (failed) hands over to the next, and the first that succeeds ends it.
Every channel tried is a Delivery row, so the bureau can see who was not reached.

Sending happens after the caller's transaction commits (a queued task), and again from the
periodic job `deliver_due`. Each attempt first claims its row with a conditional UPDATE, so two
processes running the job at once never send the same delivery twice.
"""
import logging
from collections.abc import Iterable
from datetime import timedelta
from functools import partial

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from xinshao.notifications.channels import channel_named
from xinshao.notifications.models import Delivery, Notification
from xinshao.notifications.texts import Text, in_default_language

logger = logging.getLogger(__name__)

# Pause after the 1st, 2nd, ... failed attempt of a channel; the last one repeats.
RETRY_BACKOFF = (timedelta(minutes=1), timedelta(minutes=5))
# How long a claimed delivery is left to its sender before another process may take it over:
# well beyond the SMS (SMS_WEBHOOK_TIMEOUT, at most 60 s) and e-mail (EMAIL_TIMEOUT) timeouts.
CLAIM_LEASE = timedelta(minutes=3)

_PENDING, _SENT = Delivery.Status.PENDING, Delivery.Status.SENT
_FAILED, _SKIPPED = Delivery.Status.FAILED, Delivery.Status.SKIPPED


def notify(recipients: Iterable, *, subject: str | Text, body: str | Text, link: str, urgent: bool, topic: str = "",
           now=None) -> list[Notification]:
    """One in-app notification per recipient; urgent ones are also sent by SMS or e-mail.

    The caller guarantees that `subject` and `body` name no student: SMS and e-mail leave the
    platform. Given as a Text (texts.py), each reader sees them in their own language; given as
    words, they are shown as written. `link` is a path on this site ("/alerts/12/"), read after signing in."""
    now = now or timezone.now()
    people = list({user.pk: user for user in recipients}.values())
    words = {"subject": in_default_language(subject), "body": in_default_language(body),
             "subject_text": subject.stored() if isinstance(subject, Text) else None,
             "body_text": body.stored() if isinstance(body, Text) else None}
    notifications = [Notification(recipient=user, topic=topic, link=link, urgent=urgent, created_at=now, **words)
                     for user in people]
    for notification in notifications:
        notification.full_clean(exclude=["recipient"])
    with transaction.atomic():
        Notification.objects.bulk_create(notifications)
        if urgent:
            due = [d.pk for n in notifications if (d := _delivery_next(notification=n, now=now, used=set()))]
            if due:
                # robust: the caller's work is committed; if queueing fails, deliver_due sends later.
                transaction.on_commit(partial(_queue, due), robust=True)
    return notifications


def _queue(delivery_ids: list[int]) -> None:
    from xinshao.notifications.tasks import deliver

    deliver.delay(delivery_ids)


def _unusable_reason(name: str, user) -> str | None:
    channel = channel_named(name)
    if channel is None:
        return _("未知渠道（检查 NOTIFY_EXTERNAL_CHANNELS）")
    if not user.is_active:
        return _("账号已停用")
    return channel.usable_for(user)


def _delivery_next(*, notification: Notification, now, used: set[str] | None = None) -> Delivery | None:
    """The next configured channel not tried yet for this notification, as a pending delivery due
    now; the unusable ones on the way are recorded as skipped with their reason."""
    if used is None:
        used = set(notification.deliveries.values_list("channel", flat=True))
    for name in settings.NOTIFY_EXTERNAL_CHANNELS:
        if name in used:
            continue
        reason = _unusable_reason(name, notification.recipient)
        if reason:
            Delivery.objects.create(notification=notification, channel=name, status=_SKIPPED, last_error=reason[:300],
                                    created_at=now)
            continue
        return Delivery.objects.create(notification=notification, channel=name, next_attempt_at=now, created_at=now)
    return None


def deliveries_attempt_due(*, now=None, limit: int = 200) -> int:
    """Try every pending delivery whose time has come (the periodic job); returns attempts made."""
    now = now or timezone.now()
    due = Delivery.objects.filter(status=_PENDING, next_attempt_at__lte=now).order_by("next_attempt_at", "pk")
    return sum(_attempt_with_fallbacks(pk, now) for pk in due.values_list("pk", flat=True)[:limit])


def deliveries_attempt(*, ids: Iterable[int], now=None) -> int:
    """Try these deliveries if they are still due (right after notify commits)."""
    now = now or timezone.now()
    return sum(_attempt_with_fallbacks(pk, now) for pk in sorted(ids))


def _attempt_with_fallbacks(pk: int, now) -> int:
    """Attempt one delivery, then at once any channel it hands over to; returns sends tried."""
    tried = 0
    while pk is not None:
        tried_now, pk = _attempt(pk, now)
        tried += tried_now
    return tried


def _attempt(pk: int, now) -> tuple[int, int | None]:
    """(1 if a send was tried else 0, the id of the delivery to try next or None)."""
    delivery = Delivery.objects.select_related("notification__recipient").filter(pk=pk).first()
    if delivery is None or delivery.status != _PENDING or delivery.next_attempt_at > now:
        return 0, None  # done, or being sent by another process
    if delivery.attempts >= settings.NOTIFY_MAX_ATTEMPTS:
        # Claimed for its last attempt by a process that stopped before recording the result.
        return 0, _close(delivery, _FAILED, _("最后一次发送被中断，结果未知"), now)
    reason = _unusable_reason(delivery.channel, delivery.notification.recipient)
    if reason:
        return 0, _close(delivery, _SKIPPED, reason, now)
    if not _claim(delivery, now):
        return 0, None
    try:
        channel_named(delivery.channel).send(delivery)
    except Exception as error:  # any failure of the outside world is recorded and retried
        logger.warning("delivery %s via %s failed (attempt %s): %s", delivery.pk, delivery.channel,
                       delivery.attempts, error)
        return 1, _record_failure(delivery, str(error) or type(error).__name__, now)
    Delivery.objects.filter(pk=delivery.pk, attempts=delivery.attempts).update(
        status=_SENT, sent_at=now, next_attempt_at=None)
    return 1, None


def _claim(delivery: Delivery, now) -> bool:
    """Take the delivery for one attempt; False when another process took it first."""
    claimed = Delivery.objects.filter(pk=delivery.pk, status=_PENDING, attempts=delivery.attempts,
                                      next_attempt_at__lte=now).update(
        attempts=F("attempts") + 1, next_attempt_at=now + CLAIM_LEASE)
    delivery.attempts += 1
    return claimed == 1


def _record_failure(delivery: Delivery, error: str, now) -> int | None:
    if delivery.attempts >= settings.NOTIFY_MAX_ATTEMPTS:
        return _close(delivery, _FAILED, error, now, claimed=True)
    pause = RETRY_BACKOFF[min(delivery.attempts, len(RETRY_BACKOFF)) - 1]
    Delivery.objects.filter(pk=delivery.pk, status=_PENDING, attempts=delivery.attempts).update(
        last_error=error[:300], next_attempt_at=now + pause)
    return None


@transaction.atomic
def _close(delivery: Delivery, status: str, error: str, now, *, claimed: bool = False) -> int | None:
    """End a channel (failed or skipped) and open the next one; returns the next delivery's id.

    Only the process whose conditional UPDATE changes the row goes on to the next channel."""
    rows = Delivery.objects.filter(pk=delivery.pk, status=_PENDING, attempts=delivery.attempts)
    if not claimed:
        rows = rows.filter(next_attempt_at__lte=now)
    if not rows.update(status=status, last_error=error[:300], next_attempt_at=None):
        return None
    following = _delivery_next(notification=delivery.notification, now=now)
    return following.pk if following else None


def notification_mark_read(*, notification: Notification, now=None) -> Notification:
    if notification.read_at is None:
        notification.read_at = now or timezone.now()
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(read_at=notification.read_at)
    return notification


def notifications_mark_all_read(*, user, now=None) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(read_at=now or timezone.now())
