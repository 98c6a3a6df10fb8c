"""Outgoing webhooks: endpoints that other systems register for alert and referral events, and
the outbox of deliveries to them with every attempt.

An endpoint covers one region (a bureau admin's) or one school (its admin's): it hears the events
of that region's or school's alerts and referrals and nothing else. Its signing secret is needed
in clear to sign each payload, so it is kept encrypted (core/crypto.py), not hashed, and is shown
to its maker once. A delivery is written in the transaction of the event it tells of (the outbox):
no event is sent that did not happen, and none is lost if the sender is down.
"""
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from xinshao.core.crypto import EncryptedTextField
from xinshao.core.models import EventRow


class Event(models.TextChoices):
    ALERT_RAISED = "alert.raised", _("预警产生或升级")
    ALERT_ACKNOWLEDGED = "alert.acknowledged", _("预警已确认")
    ALERT_CLOSED = "alert.closed", _("预警已关闭")
    REFERRAL_SENT = "referral.sent", _("转介已发出")
    REFERRAL_ACCEPTED = "referral.accepted", _("转介被机构接收")
    REFERRAL_DECLINED = "referral.declined", _("转介被机构拒绝")
    REFERRAL_FEEDBACK = "referral.feedback", _("机构发来反馈")


# Sent only by the test-send button, to the one endpoint; never chosen as a subscription.
PING = "ping"


class Endpoint(models.Model):
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("名称"), max_length=80)
    url = models.CharField(_("接收地址"), max_length=500)
    events = models.JSONField(_("事件"), default=list)
    region = models.ForeignKey("org.Region", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    school = models.ForeignKey("org.School", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    secret = EncryptedTextField()
    is_active = models.BooleanField(_("启用"), default=True)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["name", "id"]
        constraints = [models.CheckConstraint(
            condition=models.Q(region__isnull=True, school__isnull=False)
            | models.Q(region__isnull=False, school__isnull=True), name="webhook_endpoint_one_scope")]

    def __str__(self):
        return self.name

    @property
    def covers(self):
        return self.school or self.region


class EndpointEvent(EventRow):
    """A change of an endpoint: made, switched on or off, test-sent."""

    endpoint = models.ForeignKey(Endpoint, on_delete=models.CASCADE, related_name="changes")


class Delivery(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("待发送")
        DELIVERED = "delivered", _("已送达")
        FAILED = "failed", _("失败")

    endpoint = models.ForeignKey(Endpoint, on_delete=models.CASCADE, related_name="deliveries")
    event = models.CharField(_("事件"), max_length=30)
    payload = models.JSONField()
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField()
    delivered_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "next_attempt_at"])]


class Attempt(models.Model):
    """One try of a delivery: what the endpoint answered (or why nothing came back) and how long it took."""

    delivery = models.ForeignKey(Delivery, on_delete=models.CASCADE, related_name="attempt_log")
    number = models.PositiveSmallIntegerField()
    at = models.DateTimeField()
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    milliseconds = models.PositiveIntegerField()
    error = models.CharField(max_length=300, blank=True)
    # The pause before the next try, when there is one (exponential back-off).
    retry_in_seconds = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["number", "id"]
