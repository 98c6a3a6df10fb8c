"""The docs page (ninja's Swagger UI) works under the site's Content-Security-Policy: its script
and styles come from this server's static files, and no CSP violation is reported."""
import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_the_docs_page_shows_every_operation_under_the_csp(live_server, desktop_page):
    violations = []
    desktop_page.on("console", lambda message: violations.append(message.text)
                    if "Content Security Policy" in message.text else None)
    desktop_page.goto(f"{live_server.url}/api/v1/docs")
    expect(desktop_page.get_by_text("/api/v1/referrals/{referral_id}/accept")).to_be_visible()
    expect(desktop_page.get_by_role("heading", name="Xinshao API")).to_be_visible()
    assert not violations
