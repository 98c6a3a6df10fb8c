"""A committee member reports a classmate on a phone; the psych teacher, with her inbox already
open, sees the alert appear without reloading and acknowledges it."""
import datetime
import re

import pytest
from playwright.sync_api import expect

from xinshao.accounts.tests.test_browser_sign_in import _sign_in
from xinshao.alerts.models import Alert
from xinshao.people.models import Enrolment, Student
from xinshao.testing import build_city

pytestmark = pytest.mark.browser


def test_a_committee_report_appears_in_the_psych_teachers_open_inbox_and_is_acknowledged(
        transactional_db, live_server, phone_page, desktop_page):
    city = build_city()
    classmate = Student.objects.create(school=city.school_a, school_class=city.class_a2, student_number="A2026003",
                                       name="王小明", gender="M", birth_date=datetime.date(2013, 1, 9))
    Enrolment.objects.create(student=classmate, school=city.school_a, school_class=city.class_a2,
                             started_on=datetime.date(2026, 9, 1))

    inbox = desktop_page
    _sign_in(inbox, live_server.url, "liu_a")
    inbox.goto(f"{live_server.url}/alerts/")
    expect(inbox.get_by_text("没有符合条件的预警。")).to_be_visible()

    phone = phone_page
    _sign_in(phone, live_server.url, "lin")
    phone.goto(f"{live_server.url}/care/report/")
    phone.get_by_label("同学的姓名").fill("王小明")
    phone.get_by_label("说过不想活、想伤害自己，或写过类似的话").check()
    phone.get_by_label("你注意到了什么（可不填）").fill("他这几天说活着没意思。")
    phone.get_by_role("button", name="提交").click()
    expect(phone.get_by_role("heading", name=re.compile("已收到"))).to_be_visible()
    assert "王小明" not in phone.content()

    row = inbox.locator("tr", has_text="王小明")
    expect(row).to_be_visible(timeout=15_000)  # the rows refresh every 5 s; no reload
    expect(row).to_contain_text("红色预警")
    expect(inbox.get_by_role("status")).to_contain_text("有新的预警")
    expect(inbox.locator(".notify-badge")).to_have_text("1", timeout=20_000)  # the header's count, polled
    row.get_by_role("link", name="王小明").click()
    expect(inbox.get_by_text("他这几天说活着没意思。")).to_be_visible()
    inbox.get_by_role("button", name="确认收到").click()
    expect(inbox.get_by_text("已确认，请尽快跟进。")).to_be_visible()

    alert = Alert.objects.get(student=classmate)
    assert alert.state == Alert.State.ACKNOWLEDGED and alert.acknowledged_by == city.liu_a
