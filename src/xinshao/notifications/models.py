"""Notifications: an in-app inbox item per recipient, and a Delivery row per attempt to reach
that person outside the platform (SMS, e-mail).

Subjects and bodies never name a student: SMS and e-mail leave the closed platform. The
details are behind `link`, a page of this site that asks for sign-in.
"""
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _

from xinshao.notifications.channels import channel_named
from xinshao.notifications.texts import text_worded


def validate_site_path(value: str) -> None:
    """A path on this site ("/alerts/12/"), never another host: the inbox redirects to it."""
    if value and not (value.startswith("/") and url_has_allowed_host_and_scheme(value, allowed_hosts=None)):
        raise ValidationError(_("链接必须是本站的路径，例如 /alerts/12/。"))


class Notification(models.Model):
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications",
                                  verbose_name=_("接收人"))
    # What the notification is about, for callers and filters ("alert.red"); free text.
    topic = models.CharField(_("类别"), max_length=50, blank=True)
    # The words in the default language; *_text, when set, words them again in the reader's (texts.py).
    subject = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("内容"), blank=True)
    subject_text = models.JSONField(null=True, blank=True, editable=False)
    body_text = models.JSONField(null=True, blank=True, editable=False)
    link = models.CharField(_("链接"), max_length=300, blank=True, validators=[validate_site_path])
    urgent = models.BooleanField(_("紧急"), default=False)
    created_at = models.DateTimeField(_("时间"), default=timezone.now)
    read_at = models.DateTimeField(_("阅读时间"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("通知")
        verbose_name_plural = _("通知")
        indexes = [models.Index(fields=["recipient", "read_at"], name="notification_unread")]

    def __str__(self) -> str:
        return self.subject

    @property
    def subject_shown(self) -> str:
        return text_worded(self.subject_text) if self.subject_text else self.subject

    @property
    def body_shown(self) -> str:
        return text_worded(self.body_text) if self.body_text else self.body


class Delivery(models.Model):
    """One external channel's attempts to reach one recipient with one notification."""

    class Status(models.TextChoices):
        PENDING = "pending", _("待发送")
        SENT = "sent", _("已发送")
        FAILED = "failed", _("失败")
        SKIPPED = "skipped", _("未使用")

    notification = models.ForeignKey(Notification, on_delete=models.CASCADE, related_name="deliveries")
    channel = models.CharField(_("渠道"), max_length=30)
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(_("尝试次数"), default=0)
    # Why the last attempt failed, or why the channel could not be used; never the message.
    last_error = models.CharField(_("最近错误"), max_length=300, blank=True)
    # When a pending delivery may be tried (again); while one is being sent, the end of its claim.
    next_attempt_at = models.DateTimeField(_("下次尝试"), null=True, blank=True)
    sent_at = models.DateTimeField(_("发送时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("外部发送")
        verbose_name_plural = _("外部发送")
        constraints = [
            models.UniqueConstraint(fields=["notification", "channel"], name="delivery_one_per_channel"),
        ]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="delivery_due")]

    def __str__(self) -> str:
        return f"{self.channel} · {self.get_status_display()}"

    @property
    def channel_label(self) -> str:
        channel = channel_named(self.channel)
        return channel.label if channel else self.channel
