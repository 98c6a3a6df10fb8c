"""A guardian withdraws screening consent on a phone: the page says plainly what that means,
and afterwards that the child will not take part."""
import pytest
from playwright.sync_api import expect

from xinshao.accounts.tests.test_browser_sign_in import _sign_in
from xinshao.campaigns.models import Assignment, Campaign, ConsentRecord
from xinshao.campaigns.services import TargetChoice, consent_record
from xinshao.campaigns.submissions import assignment_refusal
from xinshao.campaigns.tests.staff_support import make_campaign
from xinshao.testing import build_city

pytestmark = pytest.mark.browser


def test_a_guardian_withdraws_screening_consent_on_a_phone(transactional_db, live_server, phone_page):
    city = build_city()
    campaign = make_campaign(city, created_by=city.liu_a, school=city.school_a,
                             consent_rule=Campaign.ConsentRule.OPT_IN,
                             targets=[TargetChoice(school=city.school_a, level="J1")])
    consent_record(campaign=campaign, student=city.chen, decision=ConsentRecord.Decision.GRANTED,
                   recorded_by=city.chen_ma_user, method=ConsentRecord.Method.ONLINE)
    page = phone_page
    _sign_in(page, live_server.url, "chen_ma")
    page.goto(f"{live_server.url}/campaigns/family/")
    expect(page.get_by_text("孩子将参加本次测评。")).to_be_visible()
    expect(page.get_by_text("如果撤回同意：从此刻起孩子不再参加本次测评")).to_be_visible()

    page.get_by_role("button", name="撤回同意").click()

    expect(page.get_by_text("未获监护人同意，不参加本次测评。").first).to_be_visible()
    expect(page.get_by_role("button", name="同意参加")).to_be_visible()
    assignment = Assignment.objects.get(campaign=campaign, student=city.chen)
    assert assignment_refusal(assignment) == "not_taking_part"
    latest = ConsentRecord.objects.filter(campaign=campaign, student=city.chen).latest("id")
    assert (latest.decision, latest.withdraws, latest.method) == ("refused", True, "online")
