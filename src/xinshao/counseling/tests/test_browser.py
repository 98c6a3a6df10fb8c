"""In a real browser on a phone-sized page: a student books an appointment with their psych teacher."""
import datetime

import pytest
from django.utils import timezone

from xinshao.accounts.tests.test_browser_sign_in import _sign_in
from xinshao.counseling import services
from xinshao.counseling.models import Booking, OpeningHours
from xinshao.testing import build_city

from .support import full_room

pytestmark = pytest.mark.browser

PHONE_WIDTH = 390


def test_a_student_books_an_appointment_on_a_phone(transactional_db, live_server, phone_page):
    city = build_city()
    room = full_room(city)
    start = timezone.localtime() + datetime.timedelta(days=2)
    start = start.replace(hour=14, minute=0, second=0, microsecond=0)
    room.hours.all().delete()
    for weekday in range(7):  # open every day, whatever day the test runs
        OpeningHours.objects.create(room=room, weekday=weekday, opens=datetime.time(8), closes=datetime.time(18))
    slot = services.slot_publish(counselor=city.liu_a, room=room, starts_at=start, minutes=45)

    page = phone_page
    _sign_in(page, live_server.url, "chen")
    page.locator("main").get_by_role("link", name="预约心理老师").click()
    page.wait_for_url(f"{live_server.url}/counseling/book/")
    page.get_by_role("link", name="刘心理A").click()
    page.locator("ul.slots a").first.click()
    page.get_by_label("想聊的事（可不填）").fill("最近考试压力有点大")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE_WIDTH
    page.get_by_role("button", name="预约").click()
    page.wait_for_url(f"{live_server.url}/counseling/mine/")
    assert "已预约，待确认" in page.locator("main").inner_text()
    booking = Booking.objects.get(slot=slot)
    assert booking.student == city.chen and booking.reason == "最近考试压力有点大"

    page.get_by_role("link", name="查看或取消").click()
    page.get_by_role("button", name="取消这个预约").click()
    assert Booking.objects.get(pk=booking.pk).status == Booking.Status.CANCELLED
