"""What the system writes into cases (automatic reasons in the case's record and timeline, the
notifications cases raise) is read in the reader's language; rows written before still show."""
import pytest
from django.urls import reverse
from django.utils import timezone

from xinshao.cases.models import CaseEvent
from xinshao.cases.referrals import services as referrals
from xinshao.cases.tests.referral_support import sent

pytestmark = pytest.mark.django_db


def _page(client_as, user, url: str, language: str) -> str:
    client = client_as(user)
    client.cookies["django_language"] = language
    return client.get(url, HTTP_ACCEPT_LANGUAGE=language).content.decode()


def test_the_automatic_reason_of_a_referral_reads_in_the_readers_language(city, client_as):
    referral = sent(city)
    case = referral.case
    event = case.events.get(kind="state_changed")
    assert event.reason == "已转介至明州市精神卫生中心", "stored in the default language"
    for url in (reverse("cases:detail", args=[case.pk]), reverse("cases:timeline", args=[case.pk])):
        english = _page(client_as, city.liu_a, url, "en")
        assert "Referred to 明州市精神卫生中心" in english and "已转介至" not in english, url
        assert "已转介至明州市精神卫生中心" in _page(client_as, city.liu_a, url, "zh-hans"), url


def test_a_reason_stored_as_words_before_still_shows_as_written(city, client_as):
    case = sent(city).case
    CaseEvent.objects.create(case=case, kind="state_changed", actor=city.liu_a, at=timezone.now(),
                             reason="旧的自动原因", detail={}, written_at_school=city.school_a)
    assert "旧的自动原因" in _page(client_as, city.liu_a, reverse("cases:detail", args=[case.pk]), "en")


def test_the_notifications_a_referral_raises_read_in_english(city, client_as):
    referral = sent(city)
    inbox = reverse("notifications:inbox")
    assert "New referral (Red)" in _page(client_as, city.yi, inbox, "en")
    assert "新的转介（红色）" in _page(client_as, city.yi, inbox, "zh-hans")
    referrals.referral_accept(referral=referral, actor=city.yi)
    english = _page(client_as, city.liu_a, inbox, "en")
    assert "The referral has been accepted by the agency" in english and "转介已被机构接收" not in english
