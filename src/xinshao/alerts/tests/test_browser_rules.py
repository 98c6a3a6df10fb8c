"""A school psych teacher makes one rule stricter on her phone."""
import pytest
from playwright.sync_api import expect

from xinshao.accounts.tests.test_browser_sign_in import _sign_in
from xinshao.alerts.models import RuleSet
from xinshao.testing import build_city

pytestmark = pytest.mark.browser


def test_the_school_rules_form_fits_a_phone_and_saves_a_stricter_rule(transactional_db, live_server, phone_page):
    city = build_city()
    page = phone_page
    _sign_in(page, live_server.url, "liu_a")
    page.goto(f"{live_server.url}/alerts/rules/school/{city.school_a.pk}/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    confirm = page.locator("fieldset", has_text="确认期限（分钟）")
    confirm.get_by_label("红色").fill("60")
    page.get_by_label("修改说明").fill("放宽")
    page.get_by_role("button", name="保存为新版本").click()
    expect(confirm.get_by_text("比全市规则（30）宽松")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    confirm.get_by_label("红色").fill("15")
    page.get_by_role("button", name="保存为新版本").click()
    expect(page.get_by_text("规则已保存为第 1 版")).to_be_visible()
    assert RuleSet.objects.get(school=city.school_a).rules["ack_minutes"]["red"] == 15
