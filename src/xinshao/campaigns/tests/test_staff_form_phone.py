"""The new-campaign form on a psych teacher's phone: it fits, and says what is wrong next to the field."""
import pytest
from playwright.sync_api import expect

from xinshao.accounts.tests.test_browser_sign_in import _sign_in
from xinshao.campaigns.models import Campaign
from xinshao.testing import build_city

pytestmark = pytest.mark.browser


def test_the_new_campaign_form_fits_a_phone_and_shows_its_own_errors_by_the_field(transactional_db, live_server,
                                                                                  phone_page):
    build_city()
    page = phone_page
    _sign_in(page, live_server.url, "liu_a")
    page.goto(f"{live_server.url}/campaigns/new/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    page.get_by_role("button", name="创建（草稿）").click()  # nothing filled in: the server answers, not the browser
    name_field = page.locator(".field", has=page.get_by_label("名称", exact=True))
    expect(name_field.get_by_text("这个字段是必填项。")).to_be_visible()
    expect(page.get_by_text("至少选择一个量表。")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert not Campaign.objects.exists()
