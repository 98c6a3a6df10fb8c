"""In a real browser: an operator logs a live call with the keyboard alone (no clicks)."""
import re

import pytest
from playwright.sync_api import expect

from xinshao.hotline.models import Call, Topic
from xinshao.testing import PASSWORD, build_city

pytestmark = pytest.mark.browser


def test_an_operator_logs_a_call_by_keyboard_alone(transactional_db, live_server, desktop_page):
    city = build_city()
    # The topics the migration seeds are gone once an earlier transactional test has flushed the
    # database, so the test sets its own taxonomy (the first topic is the one it ticks).
    for position, name in enumerate(["学业压力", "人际关系", "其他"], start=1):
        Topic.objects.get_or_create(name=name, defaults={"position": position})
    Topic.objects.exclude(name__in=["学业压力", "人际关系", "其他"]).update(is_active=False)
    topics = Topic.objects.filter(is_active=True).count()
    page = desktop_page
    page.goto(f"{live_server.url}/accounts/login/?next=/hotline/calls/new/")
    keys = page.keyboard
    # Autofocus lands after load; on a busy machine keystrokes sent earlier go nowhere.
    expect(page.locator("input[name=username]")).to_be_focused()
    keys.type("re")
    keys.press("Tab")
    keys.type(PASSWORD)
    keys.press("Enter")
    page.wait_for_url(f"{live_server.url}/hotline/calls/new/")

    expect(page.locator("input[name=call_type]").first).to_be_focused()
    keys.press("Space")       # call type has the focus: 求助
    keys.press("Tab")         # channel: 电话 already chosen
    keys.press("Tab")         # caller: the first is focused ...
    keys.press("ArrowDown")   # ... and the arrow chooses 家长/监护人
    keys.press("Tab")
    keys.type("12")           # minutes
    keys.press("Tab")         # urgency: 一般 already chosen
    keys.press("Tab")         # risk: 无 chosen; three steps to 高
    for _ in range(3):
        keys.press("ArrowRight")
    keys.press("Tab")         # the first topic, 学业压力
    keys.press("Space")
    for _ in range(topics):   # past the other topics to the school
        keys.press("Tab")
    keys.press("ArrowDown")   # the first school of the city: 东湖中学
    keys.press("Tab")
    keys.type("陈小雨")
    keys.press("Enter")
    page.wait_for_url(re.compile(r".*/hotline/calls/\d+/$"))

    call = Call.objects.get()
    assert (call.call_type, call.channel, call.caller_type, call.duration_minutes, call.risk) == \
        ("help", "phone", "guardian", 12, "high")
    assert [t.name for t in call.topics.all()] == ["学业压力"]
    assert call.student.pk == city.chen.pk and call.operator.pk == city.re.pk
    assert call.signal.alert.level == "orange"
    assert "来电详情" in page.content()
