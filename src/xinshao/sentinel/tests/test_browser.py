"""In a real browser on a phone-sized page: a student checks in and uses the self-help corner."""
import pytest
from playwright.sync_api import expect

from xinshao.alerts.models import Signal, Source
from xinshao.sentinel.models import SelfCheckIn
from xinshao.accounts.tests.test_browser_sign_in import _sign_in
from xinshao.testing import build_city

pytestmark = pytest.mark.browser

PHONE_WIDTH = 390


def _fits_the_phone(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= PHONE_WIDTH


def test_a_student_checks_in_on_a_phone_and_asks_to_talk(transactional_db, live_server, phone_page):
    city = build_city()
    page = phone_page
    _sign_in(page, live_server.url, "chen")
    page.locator("main").get_by_role("link", name="心情打卡").click()
    page.wait_for_url(f"{live_server.url}/care/checkin/")
    assert _fits_the_phone(page)
    page.get_by_role("button", name="提交").click()  # nothing chosen: a calm message, nothing stored
    assert page.get_by_role("alert").is_visible() and SelfCheckIn.objects.count() == 0

    page.get_by_label("有点低落").check()
    page.get_by_role("group", name="最近觉得压力大吗？").get_by_label("比较大").check()
    page.get_by_label("我想和心理老师聊聊").check()
    page.get_by_label("还想说点什么吗（可不填）").fill("快考试了，有点睡不着。")
    page.get_by_role("button", name="提交").click()
    page.wait_for_url(f"{live_server.url}/care/checkin/thanks/")
    assert page.get_by_role("heading", level=1).inner_text() == "谢谢你的打卡"
    assert "心理老师会尽快联系你" in page.get_by_role("status").inner_text()
    assert _fits_the_phone(page)

    signal = Signal.objects.get()
    assert (signal.student, signal.source) == (city.chen, Source.SELF_CHECKIN)
    assert {k: signal.facts[k] for k in ("mood", "stress", "wants_talk")} == {"mood": 2, "stress": 4,
                                                                              "wants_talk": True}
    page.get_by_role("link", name="回到心情打卡").click()
    history = page.get_by_role("region", name="我最近的打卡").inner_text()
    assert "心情：有点低落" in history and "压力：比较大" in history


def test_the_self_help_corner_guides_breathing_and_stays_still_for_reduced_motion(transactional_db, live_server,
                                                                                  phone_page):
    city = build_city()
    page = phone_page
    _sign_in(page, live_server.url, "chen")
    page.locator("main").get_by_role("link", name="自助角").click()
    page.wait_for_url(f"{live_server.url}/care/self-help/")
    assert _fits_the_phone(page)
    talk = page.get_by_role("region", name="可以找谁聊聊").inner_text()
    assert city.zhang_a1.display_name in talk and city.liu_a.display_name in talk and "12356" in talk

    start = page.get_by_role("button", name="开始练习")
    start.focus()
    page.keyboard.press("Enter")  # usable from the keyboard
    prompt = page.locator("[data-prompt]")
    assert prompt.inner_text() == "吸气" and prompt.get_attribute("aria-live") == "polite"
    expect(prompt).to_have_text("屏住", timeout=6000)  # not wait_for_function: the page's CSP forbids eval
    circle = page.locator(".breath-circle")
    assert circle.evaluate("el => getComputedStyle(el).transitionDuration") == "4s"
    page.get_by_role("button", name="停止").click()
    assert page.get_by_role("button", name="开始练习").is_visible()

    page.emulate_media(reduced_motion="reduce")
    page.reload()
    page.get_by_role("button", name="开始练习").click()
    assert prompt.inner_text() == "吸气"
    assert circle.evaluate("el => getComputedStyle(el).transform") == "none"
    assert circle.evaluate("el => getComputedStyle(el).transitionDuration") == "0s"
    # The same steps are there as text for anyone who prefers reading to an animation.
    assert page.get_by_text("用鼻子慢慢吸气，心里数 1、2、3、4。").is_visible()
