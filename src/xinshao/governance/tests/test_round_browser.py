"""In a real browser, one inspection round: the inspector plans it and records a finding, the
school uploads evidence and submits, the inspector signs the rectification off."""
import pytest
from django.utils import timezone

from xinshao.governance.checklist_seed import seed_checklist
from xinshao.governance.models import InspectionRound, Rectification
from xinshao.testing import PASSWORD, build_city

from .conftest import PDF

pytestmark = pytest.mark.browser


def _sign_in(page, base, username):
    page.context.clear_cookies()
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(f"{base}/")


def test_one_inspection_round_from_plan_to_sign_off(transactional_db, live_server, desktop_page):
    city = build_city()
    seed_checklist()
    page, base = desktop_page, live_server.url
    today = timezone.localdate()

    _sign_in(page, base, "du")
    page.get_by_role("link", name="督查轮次").first.click()
    page.get_by_role("link", name="新建年度计划").click()
    page.get_by_label("名称").fill(f"{today.year} 年度督查计划")
    page.get_by_role("button", name="保存").click()
    page.get_by_role("link", name="新建督查轮次").click()
    page.get_by_label("督查计划").select_option(label=f"{today.year} 年度督查计划")
    page.get_by_label("轮次名称").fill("第一轮督查")
    page.get_by_label("开始日期").fill(today.isoformat())
    page.get_by_label("结束日期").fill(today.replace(day=28).isoformat() if today.day < 28 else today.isoformat())
    page.get_by_label("督查清单").select_option(label="学校心理健康服务督查清单")
    page.get_by_label("区县").select_option(label=city.district_a.name)
    page.locator("input[name=inspectors]").first.check()
    page.get_by_role("button", name="保存").click()
    page.get_by_role("button", name="开始本轮督查").click()
    round_ = InspectionRound.objects.get(name="第一轮督查")
    assert round_.state == InspectionRound.State.IN_PROGRESS

    page.get_by_role("link", name=city.school_a.name).click()
    page.get_by_role("link", name="记录督查结果").click()
    items = list(round_.items.all())
    for item in items:
        page.locator(f"input[name=result_{item.pk}][value={'not_met' if item == items[0] else 'meets'}]").check()
    page.locator(f"textarea[name=note_{items[0].pk}]").fill("初二年级课表没有心理健康教育课")
    page.get_by_label("完成日期").fill(today.isoformat())
    page.get_by_role("button", name="保存督查结果").click()
    page.get_by_role("link", name="提出整改").click()
    page.get_by_label("整改要求").fill("初二年级每两周开设一节心理健康教育课")
    page.get_by_role("button", name="提出整改").click()
    rectification = Rectification.objects.get()
    assert rectification.school == city.school_a and rectification.state == Rectification.State.OPEN

    _sign_in(page, base, "liu_a")
    page.get_by_role("link", name="本校整改事项").first.click()
    page.get_by_role("link", name=items[0].text).click()
    page.get_by_label("整改材料").set_input_files(files=[{"name": "新课表.pdf", "mimeType": "application/pdf",
                                                          "buffer": PDF}])
    page.get_by_role("button", name="上传文件").click()
    assert page.get_by_role("link", name="新课表.pdf").is_visible()
    page.get_by_label("整改说明").fill("已调整课表，初二每两周一节心理健康教育课。")
    page.get_by_role("button", name="提交审核").click()
    assert page.get_by_text("已提交审核。").is_visible()

    _sign_in(page, base, "du")
    page.get_by_role("link", name="待审核整改").first.click()
    page.get_by_role("link", name=items[0].text).click()
    page.get_by_label("通过").check()
    page.get_by_role("button", name="保存审核结果").click()
    assert page.get_by_text("审核结果已保存。").is_visible()
    rectification.refresh_from_db()
    assert rectification.state == Rectification.State.SIGNED_OFF
    assert list(rectification.events.values_list("kind", flat=True)) == [
        "rectification_open", "evidence_add", "rectification_submit", "rectification_sign_off"]
