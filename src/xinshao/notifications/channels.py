"""External channels: the ways an urgent notification reaches a person outside the platform.

A channel is a Channel subclass registered under its `name`; settings.NOTIFY_EXTERNAL_CHANNELS
lists the names to try, in order. Another app adds one with:

    @register
    class WeComChannel(Channel):
        name = "wecom"
        label = _("企业微信")
        def usable_for(self, user): return None if user.wecom_id else _("用户没有绑定企业微信")
        def send(self, delivery): ...  # raise on any failure

`send` must raise when the message may not have arrived (services.py records the error and
retries); it must never put the message itself into the exception text.
"""
import json
from abc import ABC, abstractmethod
import urllib.error
import urllib.request

from django.conf import settings
from django.core.mail import send_mail
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


class DeliveryFailed(Exception):
    """A send that did not go through; the text is stored as the delivery's last error."""


class Channel(ABC):
    name: str = ""
    label = ""

    @abstractmethod
    def usable_for(self, user) -> str | None:
        """None when this channel can reach the user, else the reason it cannot."""

    @abstractmethod
    def send(self, delivery) -> None:
        """Send the delivery's message; raise DeliveryFailed (or any error) when it may not have arrived."""


_REGISTRY: dict[str, Channel] = {}


def register(channel_class: type[Channel]) -> type[Channel]:
    if not channel_class.name:
        raise ValueError(f"{channel_class.__name__} has no name")
    _REGISTRY[channel_class.name] = channel_class()
    return channel_class


def channel_named(name: str) -> Channel | None:
    return _REGISTRY.get(name)


def channel_names() -> list[str]:
    return sorted(_REGISTRY)


def message_text(notification) -> str:
    return f"{notification.subject}\n{notification.body}" if notification.body else notification.subject


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    # A redirect is the gateway's misconfiguration: following it would re-send the message as a
    # GET (or to another host); it counts as a failure instead.
    def redirect_request(self, *args, **kwargs):
        return None


_opener = urllib.request.build_opener(_NoRedirects)


@register
class SmsWebhook(Channel):
    """POSTs {"to", "text", "delivery"} as JSON to the SMS gateway at settings.SMS_WEBHOOK_URL.

    `delivery` stays the same across retries, so the gateway can drop a repeat of a message
    whose answer we did not receive."""

    name = "sms_webhook"
    label = gettext_lazy("短信")

    def usable_for(self, user) -> str | None:
        if not settings.SMS_WEBHOOK_URL:
            return _("未配置短信网关")
        if not user.phone:
            return _("用户没有登记手机号")
        return None

    def send(self, delivery) -> None:
        notification = delivery.notification
        payload = {"to": notification.recipient.phone, "text": message_text(notification), "delivery": delivery.pk}
        headers = {"Content-Type": "application/json; charset=utf-8"}
        if settings.SMS_WEBHOOK_TOKEN:
            headers["Authorization"] = f"Bearer {settings.SMS_WEBHOOK_TOKEN}"
        request = urllib.request.Request(settings.SMS_WEBHOOK_URL, method="POST", headers=headers,
                                         data=json.dumps(payload, ensure_ascii=False).encode())
        try:
            with _opener.open(request, timeout=settings.SMS_WEBHOOK_TIMEOUT) as response:
                status = response.status
        except urllib.error.HTTPError as error:
            error.close()
            raise DeliveryFailed(f"HTTP {error.code}") from None
        except urllib.error.URLError as error:
            raise DeliveryFailed(f"{type(error.reason).__name__}: {error.reason}") from None
        except OSError as error:  # timeouts and resets while reading the answer
            raise DeliveryFailed(f"{type(error).__name__}: {error}") from None
        if not 200 <= status < 300:
            raise DeliveryFailed(f"HTTP {status}")


@register
class Email(Channel):
    name = "email"
    label = gettext_lazy("电子邮件")

    def usable_for(self, user) -> str | None:
        return None if user.email else _("用户没有登记邮箱")

    def send(self, delivery) -> None:
        notification = delivery.notification
        send_mail(notification.subject, email_text(notification), settings.DEFAULT_FROM_EMAIL,
                  [notification.recipient.email], fail_silently=False)


def email_text(notification) -> str:
    lines = [notification.body] if notification.body else []
    if notification.link:
        lines += ["", _("请登录心哨查看：%(link)s") % {"link": settings.NOTIFY_SITE_URL + notification.link}]
    lines += ["", _("这封邮件由心哨自动发送，请勿回复。")]
    return "\n".join(lines).strip() + "\n"
