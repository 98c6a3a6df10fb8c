"""What the system writes in a notification is read in the reader's language; SMS and e-mail get
the default language; notifications stored as plain words still show as written."""
import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_noop

from xinshao.alerts.models import Source
from xinshao.alerts.services import signal_receive
from xinshao.notifications.channels import message_text
from xinshao.notifications.models import Notification
from xinshao.notifications.services import notify
from xinshao.notifications.texts import Text

pytestmark = pytest.mark.django_db


def _inbox(client_as, user, language: str) -> str:
    client = client_as(user)
    client.cookies["django_language"] = language
    return client.get(reverse("notifications:inbox"), HTTP_ACCEPT_LANGUAGE=language).content.decode()


def test_the_same_alert_notification_reads_in_chinese_and_in_english(city, client_as):
    signal_receive(student=city.chen, source=Source.HOTLINE_CALL, raised_by=None, facts={"risk": "imminent"})
    notification = Notification.objects.get(recipient=city.liu_a, topic="alert")

    chinese, english = _inbox(client_as, city.liu_a, "zh-hans"), _inbox(client_as, city.liu_a, "en")
    assert "新的红色预警" in chinese and "东湖中学有一条红色预警需要在" in chinese
    assert "New Red alert" in english and "An alert at 东湖中学 (Red alert) must be acknowledged by" in english
    assert "新的红色预警" not in english and "需要在" not in english
    assert notification.subject == "新的红色预警", "SMS and e-mail send the default language"


def test_words_stored_before_texts_existed_still_show_as_written(city, client_as):
    Notification.objects.create(recipient=city.liu_a, subject="旧的通知标题", body="旧的通知内容", link="/alerts/")
    assert "旧的通知标题" in _inbox(client_as, city.liu_a, "en") and "旧的通知内容" in _inbox(client_as, city.liu_a, "en")


def test_a_text_written_while_english_is_active_is_kept_in_the_default_language_for_sms(city):
    with translation.override("en"):
        [notification] = notify([city.liu_a], subject=Text(gettext_noop("回访已逾期")),
                                body=Text(gettext_noop("新的%(level)s"), {"level": Text("红色预警")}),
                                link="/cases/", urgent=True)
    assert message_text(notification) == "回访已逾期\n新的红色预警"
    with translation.override("en"):
        assert (notification.subject_shown, notification.body_shown) == ("Follow-up overdue", "New Red alert")


def test_a_translation_that_does_not_fit_its_values_falls_back_to_the_written_words(city, monkeypatch):
    [notification] = notify([city.liu_a], subject=Text("%(what)s已逾期", {"what": "回访"}), body="", link="",
                            urgent=False)
    # A catalogue whose translator mistyped the placeholder.
    monkeypatch.setattr("xinshao.notifications.texts.gettext", lambda msgid: "%(wht)s overdue")
    assert notification.subject_shown == "回访已逾期"
