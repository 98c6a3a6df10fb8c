"""The whole loop in a real browser: a red alert becomes a case; a referral is accepted and answered in
the agency portal; two follow-ups; closure; the timeline tells the story in order."""
import pytest
from django.utils import timezone
from playwright.sync_api import expect

from xinshao.accounts.tests.test_browser_sign_in import _sign_in
from xinshao.alerts.models import Source
from xinshao.alerts.services import signal_receive
from xinshao.cases.models import Case, FollowUp, Referral
from xinshao.partners.tests.support import agreement_in_force
from xinshao.testing import build_city

pytestmark = pytest.mark.browser


def _state_to(page, label: str, reason: str) -> None:
    page.get_by_label("改为").select_option(label=label)
    page.locator("#state-reason").fill(reason)
    page.get_by_role("button", name="更新状态").click()


def _record_follow_up(page, outcome: str) -> None:
    page.get_by_role("link", name="记录回访结果").first.click()
    page.get_by_label("回访结果（学生目前的状况、是否需要继续关注）").fill(outcome)
    page.get_by_role("button", name="保存回访结果").click()


def test_a_red_alert_goes_through_a_case_a_referral_follow_ups_and_closure(transactional_db, live_server,
                                                                           desktop_page, chromium):
    city = build_city()
    agreement_in_force(agency=city.agency, schools=[city.school_a], actor=city.bai)
    alert = signal_receive(student=city.chen, source=Source.HOTLINE_CALL, raised_by=city.re,
                           facts={"risk": "imminent"}, note="来电称孩子说不想活了").alert
    today = timezone.localdate().isoformat()
    school = desktop_page
    _sign_in(school, live_server.url, "liu_a")

    school.goto(f"{live_server.url}/alerts/{alert.pk}/")
    school.get_by_role("link", name="转为个案").click()
    school.get_by_role("button", name="建立个案").click()
    expect(school.get_by_text("个案已建立。")).to_be_visible()
    case = Case.objects.get()

    school.get_by_role("link", name="记录转介同意").click()
    school.locator("#id_guardian").select_option(label="陈妈妈")
    school.get_by_label("同意日期").fill(today)
    school.get_by_label("监护人同意机构把诊断摘要反馈给学校").check()
    school.get_by_role("button", name="保存同意记录").click()
    school.get_by_role("link", name="发起转介").click()
    school.get_by_label("转介原因与需要机构知道的情况").fill("热线评估紧急风险，校内安全评估后建议专科诊断。")
    school.get_by_role("button", name="发出转介").click()
    expect(school.locator("h1")).to_contain_text("已转介")

    agency_context = chromium.new_context(viewport={"width": 1280, "height": 800}, locale="zh-CN")
    agency = agency_context.new_page()
    _sign_in(agency, live_server.url, "yi")
    agency.goto(f"{live_server.url}/agency/")
    agency.get_by_role("link", name="查看").click()
    expect(agency.get_by_text("热线评估紧急风险")).to_be_visible()
    expect(agency.get_by_text("来电称孩子说不想活了")).to_have_count(0)  # the case's own notes stay at school
    agency.get_by_role("button", name="接收", exact=True).click()
    agency.get_by_label("就诊日期").fill(today)
    agency.get_by_role("button", name="保存就诊日期").click()
    agency.get_by_label("诊断摘要").fill("中度抑郁发作，无需住院。")
    agency.get_by_label("给学校的建议").fill("每周校内辅导，两周后复诊。")
    agency.get_by_role("button", name="发送反馈").click()
    agency_context.close()
    assert Referral.objects.get().state == Referral.State.FEEDBACK_RECEIVED

    school.goto(f"{live_server.url}/cases/{case.pk}/")
    school.get_by_role("button", name="已阅反馈，完成转介").click()
    for _time in range(2):
        school.get_by_role("link", name="安排回访").click()
        school.get_by_label("回访日期").fill(today)
        school.get_by_role("button", name="安排回访").click()
    _state_to(school, "回访中", "专科反馈已收到，进入回访")
    _record_follow_up(school, "情绪平稳，按时复诊。")
    _record_follow_up(school, "已恢复正常上课，家长反馈良好。")
    assert FollowUp.objects.filter(state=FollowUp.State.DONE).count() == 2

    school.get_by_label("结案评估（目前状况、风险是否解除、后续安排）").fill("专科诊断与校内辅导后风险解除，两次回访稳定，结案。")
    school.get_by_role("button", name="结案", exact=True).click()
    expect(school.get_by_text("个案已结案。")).to_be_visible()
    assert Case.objects.get().state == Case.State.CLOSED

    school.get_by_role("link", name="时间线").click()
    story = school.locator("main").inner_text()
    position = story.find("时间线")
    for step in ["热线评估风险", "开案", "转介", "中度抑郁发作", "情绪平稳，按时复诊。", "已恢复正常上课", "结案"]:
        position = story.find(step, position + 1)
        assert position != -1, f"{step} missing or out of order in the timeline"
