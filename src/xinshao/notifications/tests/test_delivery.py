"""Urgent notifications reach people outside the platform: retries with pauses, then the next
channel, every attempt recorded. The SMS gateway is a real HTTP server on 127.0.0.1 and the
clock moves through the `now` argument; nothing sleeps."""
from datetime import timedelta

import pytest
from django.core import mail
from django.db import transaction
from django.utils import timezone

from xinshao.celery import app as celery_app
from xinshao.notifications.models import Delivery, Notification
from xinshao.notifications.services import (
    CLAIM_LEASE,
    _claim,
    deliveries_attempt_due,
    notify,
)
from xinshao.notifications.tests.conftest import TOKEN

T0 = timezone.now().replace(microsecond=0)
MINUTE = timedelta(minutes=1)
RED = {"subject": "红色预警：请立即处理", "body": "东湖中学有一条新的红色预警。", "link": "/alerts/12/",
       "urgent": True, "topic": "alert.red"}


def _sms(notification) -> Delivery:
    return notification.deliveries.get(channel="sms_webhook")


def test_a_failing_gateway_is_retried_after_one_then_five_minutes_until_it_answers(liu, sms_gateway):
    sms_gateway.failures = 2
    [notification] = notify([liu], now=T0, **RED)

    assert deliveries_attempt_due(now=T0) == 1
    sms = _sms(notification)
    assert (sms.status, sms.attempts, sms.last_error, sms.next_attempt_at) == ("pending", 1, "HTTP 500", T0 + MINUTE)

    assert deliveries_attempt_due(now=T0 + 30 * timedelta(seconds=1)) == 0, "not due before its pause is over"
    assert deliveries_attempt_due(now=T0 + MINUTE) == 1
    sms.refresh_from_db()
    assert (sms.status, sms.attempts, sms.next_attempt_at) == ("pending", 2, T0 + 6 * MINUTE)

    assert deliveries_attempt_due(now=T0 + 6 * MINUTE) == 1
    sms.refresh_from_db()
    assert (sms.status, sms.attempts, sms.sent_at, sms.next_attempt_at) == ("sent", 3, T0 + 6 * MINUTE, None)
    assert len(sms_gateway.requests) == 3
    assert not notification.deliveries.filter(channel="email").exists(), "no fall-back after a success"
    assert mail.outbox == []


def test_the_gateway_gets_the_phone_the_text_and_the_delivery_id_with_the_bearer_token(liu, sms_gateway):
    [notification] = notify([liu], now=T0, **RED)
    deliveries_attempt_due(now=T0)

    [request] = sms_gateway.requests
    assert request["json"] == {"to": "13900000001", "text": "红色预警：请立即处理\n东湖中学有一条新的红色预警。",
                               "delivery": _sms(notification).pk}
    assert request["headers"]["Authorization"] == f"Bearer {TOKEN}"
    assert request["headers"]["Content-Type"].startswith("application/json")
    assert request["path"] == "/send"
    assert _sms(notification).status == "sent"


def test_no_bearer_header_is_sent_without_a_token(liu, sms_gateway, settings):
    settings.SMS_WEBHOOK_TOKEN = ""
    notify([liu], now=T0, **RED)
    deliveries_attempt_due(now=T0)
    assert "Authorization" not in sms_gateway.requests[0]["headers"]


def test_after_the_last_failed_attempt_the_email_channel_takes_over_at_once(liu, sms_gateway):
    sms_gateway.failures = None
    [notification] = notify([liu], now=T0, **RED)
    for now in (T0, T0 + MINUTE, T0 + 6 * MINUTE):
        deliveries_attempt_due(now=now)

    sms = _sms(notification)
    assert (sms.status, sms.attempts, sms.last_error, sms.next_attempt_at) == ("failed", 3, "HTTP 500", None)
    email = notification.deliveries.get(channel="email")
    assert (email.status, email.attempts, email.sent_at) == ("sent", 1, T0 + 6 * MINUTE)
    [message] = mail.outbox
    assert message.to == ["liu@school-a.example.cn"] and message.subject == RED["subject"]
    assert RED["body"] in message.body and "/alerts/12/" in message.body
    assert len(sms_gateway.requests) == 3


def test_the_number_of_attempts_is_a_setting(liu, sms_gateway, settings):
    settings.NOTIFY_MAX_ATTEMPTS = 1
    sms_gateway.failures = None
    [notification] = notify([liu], now=T0, **RED)
    deliveries_attempt_due(now=T0)
    assert _sms(notification).status == "failed" and len(mail.outbox) == 1


def test_a_user_without_a_phone_is_skipped_with_the_reason_and_reached_by_email(liu, sms_gateway):
    liu.phone = ""
    liu.save(update_fields=["phone"])
    [notification] = notify([liu], now=T0, **RED)

    sms = _sms(notification)
    assert (sms.status, sms.attempts, sms.last_error) == ("skipped", 0, "用户没有登记手机号")
    assert deliveries_attempt_due(now=T0) == 1
    assert notification.deliveries.get(channel="email").status == "sent"
    assert len(mail.outbox) == 1 and sms_gateway.requests == []


def test_without_a_gateway_address_sms_is_skipped(liu, settings):
    settings.SMS_WEBHOOK_URL = ""
    [notification] = notify([liu], now=T0, **RED)
    assert _sms(notification).last_error == "未配置短信网关"


def test_when_no_channel_can_reach_the_person_all_is_recorded_and_the_inbox_item_stays(city, sms_gateway):
    [notification] = notify([city.wang_b], now=T0, **RED)  # neither phone nor e-mail

    rows = {d.channel: (d.status, d.last_error) for d in notification.deliveries.all()}
    assert rows == {"sms_webhook": ("skipped", "用户没有登记手机号"), "email": ("skipped", "用户没有登记邮箱")}
    assert deliveries_attempt_due(now=T0 + 10 * MINUTE) == 0
    assert Notification.objects.get(pk=notification.pk).recipient == city.wang_b
    assert sms_gateway.requests == [] and mail.outbox == []


def test_a_deactivated_account_gets_no_sms_or_email(liu, sms_gateway):
    liu.is_active = False
    liu.save(update_fields=["is_active"])
    [notification] = notify([liu], now=T0, **RED)
    assert set(notification.deliveries.values_list("status", "last_error")) == {("skipped", "账号已停用")}


def test_a_phone_removed_before_the_retry_hands_over_to_email(liu, sms_gateway):
    sms_gateway.failures = None
    [notification] = notify([liu], now=T0, **RED)
    deliveries_attempt_due(now=T0)
    liu.phone = ""
    liu.save(update_fields=["phone"])
    deliveries_attempt_due(now=T0 + MINUTE)
    assert _sms(notification).status == "skipped" and len(mail.outbox) == 1


def test_a_redirect_or_an_unreachable_gateway_counts_as_a_failure(liu, sms_gateway, settings):
    sms_gateway.failures, sms_gateway.fail_status = None, 302
    [first] = notify([liu], now=T0, **RED)
    deliveries_attempt_due(now=T0)
    assert _sms(first).last_error == "HTTP 302" and len(sms_gateway.requests) == 1, "the redirect is not followed"

    settings.SMS_WEBHOOK_URL = "http://127.0.0.1:9/closed"
    [second] = notify([liu], now=T0, **RED)
    deliveries_attempt_due(now=T0)
    sms = _sms(second)
    assert sms.status == "pending" and sms.attempts == 1 and "ConnectionRefusedError" in sms.last_error


def test_channels_are_tried_in_the_configured_order(liu, sms_gateway, settings):
    settings.NOTIFY_EXTERNAL_CHANNELS = ["email", "sms_webhook"]
    [notification] = notify([liu], now=T0, **RED)
    deliveries_attempt_due(now=T0)
    assert list(notification.deliveries.values_list("channel", "status")) == [("email", "sent")]
    assert sms_gateway.requests == []


def test_an_unknown_channel_in_the_settings_is_recorded_and_passed_over(liu, sms_gateway, settings):
    settings.NOTIFY_EXTERNAL_CHANNELS = ["pigeon", "sms_webhook"]
    [notification] = notify([liu], now=T0, **RED)
    assert notification.deliveries.get(channel="pigeon").status == "skipped"
    deliveries_attempt_due(now=T0)
    assert _sms(notification).status == "sent"


def test_non_urgent_notifications_stay_in_the_inbox(liu, sms_gateway):
    [notification] = notify([liu], now=T0, **{**RED, "urgent": False})
    assert not notification.deliveries.exists()
    assert deliveries_attempt_due(now=T0) == 0 and sms_gateway.requests == [] and mail.outbox == []


def test_an_urgent_notification_is_sent_as_soon_as_the_callers_transaction_commits(
        liu, sms_gateway, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        [notification] = notify([liu], **RED)
        assert sms_gateway.requests == [], "nothing leaves before the caller's data is committed"
    assert len(sms_gateway.requests) == 1 and _sms(notification).status == "sent"


def test_a_rolled_back_caller_sends_nothing(liu, sms_gateway, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RuntimeError), transaction.atomic():
            notify([liu], **RED)
            raise RuntimeError("the alert could not be saved")
    assert callbacks == [] and sms_gateway.requests == [] and not Notification.objects.exists()


def test_the_periodic_job_retries_due_deliveries(liu, sms_gateway):
    sms_gateway.failures = 1
    [notification] = notify([liu], now=timezone.now() - 2 * MINUTE, **RED)
    deliveries_attempt_due(now=timezone.now() - 2 * MINUTE)
    assert celery_app.conf.beat_schedule["notifications-deliver-due"] == {
        "task": "xinshao.notifications.tasks.deliver_due", "schedule": 30.0}
    celery_app.loader.import_default_modules()
    assert celery_app.tasks["xinshao.notifications.tasks.deliver_due"].apply().get() == 1
    assert _sms(notification).status == "sent"


def test_a_delivery_claimed_by_another_process_is_not_sent_again(liu, sms_gateway):
    [notification] = notify([liu], now=T0, **RED)
    assert _claim(_sms(notification), T0), "another process took it and is sending"
    assert deliveries_attempt_due(now=T0) == 0
    assert deliveries_attempt_due(now=T0 + CLAIM_LEASE - timedelta(seconds=1)) == 0
    assert sms_gateway.requests == []


def test_a_claim_whose_sender_died_is_taken_over_after_the_lease(liu, sms_gateway, settings):
    [notification] = notify([liu], now=T0, **RED)
    _claim(_sms(notification), T0)
    assert deliveries_attempt_due(now=T0 + CLAIM_LEASE) == 1
    sms = _sms(notification)
    assert (sms.status, sms.attempts) == ("sent", 2) and len(sms_gateway.requests) == 1


def test_a_last_attempt_interrupted_is_failed_and_the_next_channel_used(liu, sms_gateway, settings):
    settings.NOTIFY_MAX_ATTEMPTS = 1
    [notification] = notify([liu], now=T0, **RED)
    _claim(_sms(notification), T0)
    deliveries_attempt_due(now=T0 + CLAIM_LEASE)
    sms = _sms(notification)
    assert (sms.status, sms.last_error) == ("failed", "最后一次发送被中断，结果未知")
    assert sms_gateway.requests == [] and len(mail.outbox) == 1


def test_each_recipient_gets_one_notification_and_their_own_deliveries(city, liu, sms_gateway):
    city.song_a.phone = "13900000002"
    city.song_a.save(update_fields=["phone"])
    notifications = notify([liu, city.song_a, liu], now=T0, **RED)
    assert [n.recipient for n in notifications] == [liu, city.song_a]
    assert deliveries_attempt_due(now=T0) == 2
    assert sorted(r["json"]["to"] for r in sms_gateway.requests) == ["13900000001", "13900000002"]


def test_a_process_that_read_the_delivery_before_another_sent_it_cannot_claim_it(liu, sms_gateway):
    [notification] = notify([liu], now=T0, **RED)
    seen_by_the_slower_process = _sms(notification)
    deliveries_attempt_due(now=T0)
    assert not _claim(seen_by_the_slower_process, T0)
    assert len(sms_gateway.requests) == 1
