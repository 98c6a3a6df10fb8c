"""Reads for notifications. A user's inbox is theirs alone; the delivery log is for bureau admins."""
from django.core.exceptions import ValidationError
from django.db.models import Count, Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _

from xinshao.access import scopes
from xinshao.notifications.models import Delivery, Notification, validate_site_path


def notifications_of(user) -> QuerySet[Notification]:
    if not user.is_authenticated:
        return Notification.objects.none()
    return Notification.objects.filter(recipient=user)


def destination_of(notification: Notification) -> str:
    """Where opening the notification leads: its link, checked again so that the inbox can never
    send anyone to another site; the inbox itself when there is none."""
    try:
        validate_site_path(notification.link)
    except ValidationError:
        return reverse("notifications:inbox")
    return notification.link or reverse("notifications:inbox")


def unread_counts(user) -> dict[str, int]:
    return notifications_of(user).aggregate(
        unread=Count("id", filter=Q(read_at__isnull=True)),
        urgent=Count("id", filter=Q(read_at__isnull=True, urgent=True)),
    )


# Spoken by screen readers and shown on hover; badge.js fills in the same texts as counts change.
def badge_labels() -> dict[str, str]:
    return {"none": _("没有未读通知"), "some": _("{n} 条未读通知"), "urgent": _("{n} 条未读通知，其中 {m} 条紧急")}


def badge_label(counts: dict[str, int]) -> str:
    labels = badge_labels()
    text = labels["urgent"] if counts["urgent"] else labels["some"] if counts["unread"] else labels["none"]
    return text.replace("{n}", str(counts["unread"])).replace("{m}", str(counts["urgent"]))


def deliveries_watched_by(user, *, status: str = "") -> QuerySet[Delivery]:
    """Recent deliveries with their recipient; the message itself is not even read."""
    if not scopes.can_watch_deliveries(user):
        return Delivery.objects.none()
    deliveries = Delivery.objects.select_related("notification__recipient").defer(
        "notification__subject", "notification__body", "notification__link")
    return deliveries.filter(status=status) if status else deliveries


def delivery_status_counts(user) -> list[dict]:
    """How many deliveries are in each status, every status listed (one grouped query)."""
    rows = deliveries_watched_by(user).order_by().values("status").annotate(n=Count("id"))
    found = {row["status"]: row["n"] for row in rows}
    return [{"status": value, "label": label, "n": found.get(value, 0)} for value, label in Delivery.Status.choices]
