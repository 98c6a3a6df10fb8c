"""In a real browser: a student answers on a phone through a lost connection and a reload; a
teacher answers a well-being survey and sees their own result.

Screenshots for docs/respondents.md are written when XINSHAO_SCREENSHOT_DIR names a folder:
    XINSHAO_SCREENSHOT_DIR=docs/screenshots .venv/bin/pytest src/xinshao/campaigns -k respond_browser
"""
import datetime
import os
import re
from pathlib import Path

import pytest
from django.utils import timezone

from xinshao.campaigns.models import Assignment, Campaign, InstrumentResult, Submission
from xinshao.campaigns.services import (
    BatteryChoice,
    TargetChoice,
    campaign_create,
    campaign_open,
)
from xinshao.campaigns.tests.respond_support import teacher_campaign
from xinshao.testing import PASSWORD, build_city

pytestmark = pytest.mark.browser

VISIBLE = "section.screen:not([hidden])"


def _screenshot(page, name: str) -> None:
    folder = os.environ.get("XINSHAO_SCREENSHOT_DIR")
    if folder:
        page.screenshot(path=Path(folder) / f"respond-{name}.png", full_page=True)


def _student_campaign(city) -> Campaign:
    now = timezone.now()
    campaign = campaign_create(
        created_by=city.bai, name="2026秋季心理筛查", audience=Campaign.Audience.STUDENTS, term=city.term,
        opens_at=now - datetime.timedelta(hours=1), closes_at=now + datetime.timedelta(days=7),
        consent_rule=Campaign.ConsentRule.OPT_OUT, region=city.region, feedback=Campaign.Feedback.SUPPORTIVE,
        instructions="请在安静的地方独立完成，大约需要 10 分钟。",
        battery=[BatteryChoice("phqa", min_age=11), BatteryChoice("gad7"), BatteryChoice("asq")],
        targets=[TargetChoice(school=city.school_a, level="J1")],
    )
    return campaign_open(campaign=campaign, actor=city.bai)


def _answer(page, number: int, option: int = 0) -> None:
    """Choose an option of question `number` (0 = the first) and go on."""
    assert page.locator(f"{VISIBLE} h2").inner_text() == f"第 {number} / 26 题"
    page.locator(f"{VISIBLE} input[type=radio]").nth(option).check()
    page.locator(VISIBLE).get_by_role("button", name="下一题").click()


def test_a_student_answers_on_a_phone_through_a_lost_connection_and_a_reload(transactional_db, live_server,
                                                                            phone_page):
    city = build_city()
    assignment = Assignment.objects.get(campaign=_student_campaign(city), student=city.chen)
    page = phone_page
    page.goto(f"{live_server.url}/take/?code={assignment.code}")
    _screenshot(page, "code-entry")
    page.get_by_role("button", name="进入测评").click()
    page.wait_for_url(f"{live_server.url}/take/answer/")
    _screenshot(page, "intro")
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")  # the page is kept for a reload offline
    page.get_by_role("button", name="开始答题").click()

    for number in range(1, 11):
        if number == 3:
            page.locator(f"{VISIBLE} input[type=radio]").nth(1).check()
            _screenshot(page, "question")
        _answer(page, number, option=1 if number in (3, 9) else 0)  # item 9 above 0: a critical flag
    page.context.set_offline(True)
    for number in range(11, 19):
        _answer(page, number)
    assert "现在没有网络" in page.locator("#save-status").inner_text() or \
        page.locator("#save-status").inner_text() == "已保存在本机"
    _screenshot(page, "offline")

    page.reload()  # still offline: the kept page and the device's copy of the answers
    assert page.locator(f"{VISIBLE} h2").inner_text() == "第 19 / 26 题"
    page.locator(VISIBLE).get_by_role("button", name="上一题").click()
    assert page.locator(f"{VISIBLE} input[type=radio]").nth(0).is_checked()  # question 18, answered offline
    page.locator(VISIBLE).get_by_role("button", name="下一题").click()
    for number in range(19, 23):
        _answer(page, number)
    page.context.set_offline(False)
    for number in range(23, 26):  # ASQ 1–4 all no: question 5 (26) is not asked
        _answer(page, number)

    assert page.locator("[data-summary]").inner_text() == "你回答了 25 题，跳过了 0 题。"
    assert not page.get_by_role("button", name="回到跳过的第一道题").is_visible()
    _screenshot(page, "review")
    page.get_by_role("button", name="提交").dblclick()  # a double tap
    page.wait_for_url(f"{live_server.url}/take/done/")
    assert page.get_by_role("heading", level=1).inner_text() == "已提交，谢谢你"
    _screenshot(page, "done")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    submission = Submission.objects.get(assignment=assignment)
    assert Submission.objects.count() == 1 and submission.results.count() == 3
    assert submission.answers == {"phqa": [0, 0, 1, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0], "gad7": [0] * 8,
                                  "asq": [0, 0, 0, 0, None]}
    shown = [*submission.item_seconds["phqa"], *submission.item_seconds["gad7"], *submission.item_seconds["asq"][:4]]
    assert all(seconds > 0 for seconds in shown) and submission.item_seconds["asq"][4] == 0  # Q5 not asked
    flagged = InstrumentResult.objects.get(submission=submission, has_critical_flag=True)
    assert flagged.instrument_id == "phqa"
    assert page.evaluate(f"localStorage.getItem('xinshao-respond-{assignment.pk}')") is None


def test_a_student_without_javascript_is_told_calmly_what_is_needed(transactional_db, live_server, chromium):
    city = build_city()
    assignment = Assignment.objects.get(campaign=_student_campaign(city), student=city.chen)
    context = chromium.new_context(java_script_enabled=False, viewport={"width": 390, "height": 844},
                                   locale="zh-CN")
    page = context.new_page()
    page.goto(f"{live_server.url}/take/?code={assignment.code}")
    page.get_by_role("button", name="进入测评").click()
    assert "需要浏览器开启 JavaScript" in page.locator("main").inner_text()
    assert not page.get_by_role("radio").first.is_visible()
    context.close()


def test_a_teacher_answers_a_well_being_survey_and_sees_her_own_result(transactional_db, live_server, phone_page):
    city = build_city()
    teacher_campaign(city, "pss10", "phq9")
    page = phone_page
    page.goto(f"{live_server.url}/take/mine/")
    page.get_by_label("用户名").fill("gao_a")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(re.compile(r".*/take/mine/$"))
    page.get_by_role("link", name=re.compile("2026教师心理健康自评")).click()
    page.get_by_role("button", name="开始答题").click()
    for number in range(1, 21):
        assert page.locator(f"{VISIBLE} h2").inner_text() == f"第 {number} / 20 题"
        if number == 5:  # "next" without a choice asks gently; skipping is always allowed
            page.locator(VISIBLE).get_by_role("button", name="下一题").click()
            assert page.locator(f"{VISIBLE} .hint").is_visible()
            page.locator(VISIBLE).get_by_role("button", name="不想回答，跳过这题").click()
            continue
        page.locator(f"{VISIBLE} input[type=radio]").nth(1).check()
        page.locator(VISIBLE).get_by_role("button", name="下一题").click()
    assert page.locator("[data-summary]").inner_text() == "你回答了 19 题，跳过了 1 题。"
    page.get_by_role("button", name="回到跳过的第一道题").click()
    assert page.locator(f"{VISIBLE} h2").inner_text() == "第 5 / 20 题"
    page.locator(f"{VISIBLE} input[type=radio]").nth(1).check()
    for _ in range(5, 21):
        page.locator(VISIBLE).get_by_role("button", name="下一题").click()
    assert page.locator("[data-summary]").inner_text() == "你回答了 20 题，跳过了 0 题。"
    page.get_by_role("button", name="提交").click()
    page.wait_for_url(re.compile(r".*/take/mine/\d+/result/$"))
    assert page.get_by_role("heading", level=1).inner_text() == "我的结果"
    assert page.get_by_text("只有你自己能看到").is_visible()
    assert page.get_by_role("button", name="向市心理中心求助").is_visible()
    _screenshot(page, "teacher-result")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert InstrumentResult.objects.filter(teacher=city.gao_a).count() == 2
