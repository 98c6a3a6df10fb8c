"""Every role on each notification page: a user sees only their own notifications (another
user's item is 404), and only the bureau admin sees the delivery log."""
from datetime import timedelta
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse
from django.utils import timezone

from xinshao.notifications.models import Notification
from xinshao.notifications.services import deliveries_attempt_due, notify

EVERYONE = ["bai", "xin", "fen", "du", "re", "song_a", "song_b", "liu_a", "wang_b", "zhang_a1", "qian_b1",
            "lin_user", "chen_user", "chen_ma_user", "yi", "gao_a"]
T0 = timezone.now().replace(microsecond=0)


def _note(user, subject="新的预警", *, urgent=False, minutes_ago=0, link="/alerts/12/") -> Notification:
    [notification] = notify([user], subject=subject, body="请登录查看。", link=link, urgent=urgent,
                            now=T0 - timedelta(minutes=minutes_ago))
    return notification


@pytest.fixture
def each_has_one(city):
    """Every named person has one unread notification of their own."""
    return {name: _note(user, f"给{name}的通知") for name, user in city.everyone().items()}


@pytest.mark.parametrize("username", EVERYONE)
def test_every_role_sees_only_its_own_notifications(city, client_as, each_has_one, username):
    client = client_as(getattr(city, username))
    inbox = client.get(reverse("notifications:inbox"))
    body = inbox.content.decode()
    assert inbox.status_code == 200
    assert f"给{username}的通知" in body
    assert [name for name in EVERYONE if name != username and f"给{name}的通知" in body] == []

    counts = client.get(reverse("notifications:unread"))
    assert counts.status_code == 200 and counts.json() == {"unread": 1, "urgent": 0}

    other = "bai" if username != "bai" else "liu_a"
    assert client.get(reverse("notifications:open", args=[each_has_one[other].pk])).status_code == 404
    own = client.get(reverse("notifications:open", args=[each_has_one[username].pk]))
    assert own.status_code == 302 and own["Location"] == "/alerts/12/"

    assert client.post(reverse("notifications:read_all")).status_code == 302

    deliveries = client.get(reverse("notifications:deliveries"))
    assert deliveries.status_code == (200 if username == "bai" else 403)


def test_anonymous_visitors_are_sent_to_sign_in(city, client, each_has_one):
    for url in (reverse("notifications:inbox"), reverse("notifications:unread"), reverse("notifications:deliveries"),
                reverse("notifications:open", args=[each_has_one["liu_a"].pk])):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], url
    assert client.post(reverse("notifications:read_all")).status_code == 302
    assert Notification.objects.filter(read_at__isnull=False).count() == 0


def test_opening_someone_elses_notification_does_not_mark_it_read(city, client_as):
    note = _note(city.liu_a)
    client_as(city.wang_b).get(reverse("notifications:open", args=[note.pk]))
    note.refresh_from_db()
    assert note.read_at is None


def test_the_inbox_lists_newest_first_marks_unread_and_links_through_the_open_view(city, client_as):
    old = _note(city.liu_a, "较早的通知", minutes_ago=30)
    new = _note(city.liu_a, "最新的红色预警", urgent=True)
    client = client_as(city.liu_a)
    client.get(reverse("notifications:open", args=[old.pk]))

    body = client.get(reverse("notifications:inbox")).content.decode()
    assert body.index("最新的红色预警") < body.index("较早的通知")
    assert body.count('<span class="tag">未读</span>') == 1 and "紧急" in body
    assert reverse("notifications:open", args=[new.pk]) in body
    assert client.get(reverse("notifications:unread")).json() == {"unread": 1, "urgent": 1}


def test_opening_marks_read_once_and_mark_all_read_clears_the_count(city, client_as):
    first = _note(city.liu_a)
    _note(city.liu_a, urgent=True)
    client = client_as(city.liu_a)
    client.get(reverse("notifications:open", args=[first.pk]))
    first.refresh_from_db()
    read_at = first.read_at
    assert read_at is not None
    client.get(reverse("notifications:open", args=[first.pk]))
    first.refresh_from_db()
    assert first.read_at == read_at, "the first reading time is kept"

    assert client.get(reverse("notifications:read_all")).status_code == 405
    response = client.post(reverse("notifications:read_all"), follow=True)
    assert "已将 1 条通知标为已读" in response.content.decode()
    assert client.get(reverse("notifications:unread")).json() == {"unread": 0, "urgent": 0}


def test_the_unread_counts_are_never_cached(city, client_as):
    response = client_as(city.liu_a).get(reverse("notifications:unread"))
    assert "no-cache" in response["Cache-Control"] and "no-store" in response["Cache-Control"]


def test_the_inbox_pages_through_many_notifications(city, client_as):
    for minute in range(35):
        _note(city.liu_a, f"通知{minute:02d}号", minutes_ago=minute)
    client = client_as(city.liu_a)
    first = client.get(reverse("notifications:inbox")).content.decode()
    second = client.get(reverse("notifications:inbox") + "?page=2").content.decode()
    assert "通知00号" in first and "通知34号" not in first and "通知34号" in second


def test_a_link_to_another_site_is_refused_when_notifying(city):
    from django.core.exceptions import ValidationError

    for link in ("https://evil.example/", "//evil.example/x", "alerts/12/"):
        with pytest.raises(ValidationError):
            _note(city.liu_a, link=link)
    assert not Notification.objects.exists()


def test_without_a_link_opening_leads_back_to_the_inbox(city, client_as):
    note = _note(city.liu_a, link="")
    response = client_as(city.liu_a).get(reverse("notifications:open", args=[note.pk]))
    assert response["Location"] == reverse("notifications:inbox")


def test_the_header_badge_shows_the_unread_count_to_signed_in_users(city, client, client_as):
    _note(city.liu_a)
    _note(city.liu_a, urgent=True)
    body = client_as(city.liu_a).get(reverse("core:home")).content.decode()
    assert 'class="notify-link"' in body and reverse("notifications:unread") in body
    assert "2 条未读通知，其中 1 条紧急" in body and 'aria-live="polite"' in body
    assert '<script src="/static/notifications/badge.js" defer></script>' in body
    assert "<script>" not in body, "no inline script"
    assert finders.find("notifications/badge.js")


def test_the_header_badge_is_hidden_at_zero_and_absent_before_sign_in(city, client, client_as):
    assert "notify-link" not in client.get(reverse("accounts:login")).content.decode()
    body = client_as(city.chen_user).get(reverse("core:home")).content.decode()
    assert "没有未读通知" in body and 'aria-hidden="true" hidden>0</span>' in body


def test_the_badge_script_polls_every_15_seconds_only_while_the_tab_is_visible():
    script = Path(finders.find("notifications/badge.js")).read_text(encoding="utf-8")
    assert "15000" in script and "visibilitychange" in script and "http" not in script.replace("https://", "")


# --- The bureau admin's delivery log ---------------------------------------------------------

@pytest.fixture
def deliveries(city, sms_gateway, liu, settings):
    """One SMS sent to Liu; one to Wang that could not go out (no phone, no e-mail)."""
    settings.NOTIFY_EXTERNAL_CHANNELS = ["sms_webhook", "email"]
    notify([liu], subject="红色预警", body="机密内容：不要出现在发送记录里", link="/alerts/1/", urgent=True,
           topic="alert.red", now=T0)
    notify([city.wang_b], subject="红色预警", body="机密内容：不要出现在发送记录里", link="/alerts/2/", urgent=True,
           topic="alert.red", now=T0)
    deliveries_attempt_due(now=T0)


def test_the_bureau_admin_sees_every_delivery_without_the_message(city, client_as, deliveries):
    body = client_as(city.bai).get(reverse("notifications:deliveries")).content.decode()
    assert "刘心理A" in body and "王心理B" in body and "短信" in body and "用户没有登记手机号" in body
    assert "机密内容" not in body and "红色预警" not in body
    assert "已发送 1" in body and "未使用 2" in body


def test_the_delivery_log_filters_by_status(city, client_as, deliveries):
    client = client_as(city.bai)
    skipped = client.get(reverse("notifications:deliveries") + "?status=skipped").content.decode()
    assert "王心理B" in skipped and "刘心理A" not in skipped
    assert client.get(reverse("notifications:deliveries") + "?status=bogus").status_code == 404


@pytest.mark.parametrize("username", [name for name in EVERYONE if name != "bai"])
def test_only_the_bureau_admin_reaches_the_delivery_log(city, client_as, deliveries, username):
    response = client_as(getattr(city, username)).get(reverse("notifications:deliveries"))
    assert response.status_code == 403 and "用户没有登记手机号" not in response.content.decode()
