"""Homes and languages: each role's home offers its activities pages; pages read in English too."""
import pytest
from django.urls import reverse

from xinshao.activities.tests.conftest import approved


@pytest.mark.parametrize("who,offered,not_offered", [
    ("ying", ["我的进校园活动申报", "申报进校园活动"], ["进校园活动审批", "进校园活动备案查询"]),
    ("bai", ["进校园活动审批", "进校园活动备案查询", "拒绝进校记录", "教师负担与身心状况"], ["申报进校园活动"]),
    ("du", ["进校园活动审批", "拒绝进校记录"], ["教师负担与身心状况"]),
    ("gao_a", ["进校园活动备案查询", "拒绝进校记录"], ["进校园活动审批"]),
    ("chen_user", [], ["进校园活动备案查询", "拒绝进校记录"]),
])
def test_each_home_offers_the_activities_pages_its_role_may_use(client_as, city, who, offered, not_offered):
    home = client_as(getattr(city, who)).get(reverse("core:home")).content.decode()
    assert all(title in home for title in offered), who
    assert not any(title in home for title in not_offered), who


def test_the_register_reads_in_english(client_as, city):
    application = approved(city.ying, [city.school_a], by=city.bai, title="防溺水安全讲座")
    client = client_as(city.liu_a)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    page = client.get(reverse("activities:register"), {"q": application.approval_number,
                                                       "on": application.starts_on.isoformat()}).content.decode()
    assert "Approved: it may come in" in page and "Look up an activity's approval" in page
