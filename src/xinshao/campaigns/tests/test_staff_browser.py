"""A school psych teacher creates a screening for her school's J1 students, opens it and prints
the class sheet, in a real browser."""
import io
from pathlib import Path

import pypdf
import pytest

from xinshao.accounts.tests.test_browser_sign_in import _sign_in
from xinshao.campaigns.codes import code_display
from xinshao.campaigns.models import Assignment, Campaign
from xinshao.testing import build_city

pytestmark = pytest.mark.browser


def test_a_psych_teacher_creates_a_screening_opens_it_and_prints_a_class_sheet(transactional_db, live_server,
                                                                                desktop_page):
    city = build_city()
    page = desktop_page
    _sign_in(page, live_server.url, "liu_a")

    page.goto(f"{live_server.url}/campaigns/")
    page.get_by_role("link", name="新建测评任务").click()
    page.get_by_label("名称").fill("初一秋季心理筛查")
    page.get_by_label("初一", exact=True).check()
    for position, (title, short) in enumerate([("青少年版患者健康问卷（PHQ-A）", "PHQA"), ("广泛性焦虑量表（GAD-7）", "GAD7"),
                                               ("自杀风险筛查问题（ASQ）", "ASQ")], start=1):
        page.get_by_label(title).check()
        page.get_by_label(f"{short} 顺序").fill(str(position))
    page.get_by_role("button", name="创建（草稿）").click()
    page.get_by_role("button", name="开始").click()
    assert page.get_by_text("测评已开始，访问码已生成。").is_visible()

    with page.expect_download() as download:
        page.get_by_role("link", name="初一1班").click()
    pdf = Path(download.value.path()).read_bytes()

    campaign = Campaign.objects.get(name="初一秋季心理筛查")
    assert [(b.instrument_id, b.min_age, b.max_age) for b in campaign.battery.all()] == [
        ("phqa", 11, 17), ("gad7", 12, None), ("asq", 8, None)]
    text = "".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(pdf)).pages)
    chen_code = Assignment.objects.get(campaign=campaign, student=city.chen).code
    assert "初一秋季心理筛查" in text and "东湖中学 初一1班" in text and "陈小雨" in text
    assert code_display(chen_code) in text and "林晓东" not in text
