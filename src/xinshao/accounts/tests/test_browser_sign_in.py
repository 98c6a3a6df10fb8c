"""A person signs in on a phone and on a PC, sees their role's home page, switches language."""
import pytest

from xinshao.testing import PASSWORD, build_city

pytestmark = pytest.mark.browser


def _sign_in(page, base_url, username):
    page.goto(f"{base_url}/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(f"{base_url}/")


def test_a_class_teacher_signs_in_on_a_phone_and_reaches_her_class(transactional_db, live_server, phone_page):
    city = build_city()
    _sign_in(phone_page, live_server.url, "zhang_a1")
    assert phone_page.get_by_role("heading", level=1).inner_text() == "您好，张班主任"
    phone_page.get_by_role("link", name="我的班级").first.click()
    assert phone_page.get_by_role("link", name=city.chen.name).is_visible()
    assert phone_page.get_by_text(city.lin.name).count() == 0
    # Nothing on the page is wider than the phone.
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 390


def test_a_psych_teacher_signs_in_switches_to_english_and_signs_out(transactional_db, live_server, desktop_page):
    build_city()
    page = desktop_page
    _sign_in(page, live_server.url, "liu_a")
    assert page.get_by_text("学校心理教师").is_visible()
    page.get_by_label("语言").select_option("en")
    page.get_by_role("button", name="切换").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", level=1).inner_text() == "Hello, 刘心理A"
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url(f"{live_server.url}/accounts/login/")
    assert page.get_by_role("heading", level=1).inner_text() == "Sign in to Xinshao"
