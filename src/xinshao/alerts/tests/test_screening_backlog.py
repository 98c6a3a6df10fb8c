"""The bureau admin's system page says when screening results wait too long for early warning."""
import datetime

from django.urls import reverse
from django.utils import timezone

from xinshao.alerts.screening import screening_sweep
from xinshao.alerts.selectors import ScreeningBacklog, screening_backlog
from xinshao.alerts.tests.support import campaign_in, stored_result

ASQ_YES = [0, 0, 1, 0, 0]


def test_a_result_left_pending_shows_on_the_system_page_until_the_sweep_takes_it(city, client_as):
    now = timezone.now()
    stored_result(campaign_in(city), city.chen, "asq", ASQ_YES, at=now - datetime.timedelta(minutes=20))
    stored_result(campaign_in(city, name="补测"), city.lin, "asq", [0, 0, 0, 0, None], at=now)

    backlog = screening_backlog(now)
    assert (backlog.pending, backlog.stale) == (2, 1)
    page = client_as(city.bai).get(reverse("core:system_status")).content.decode()
    assert "有 1 条筛查结果提交超过 5 分钟仍未转为预警信号" in page

    screening_sweep()
    assert screening_backlog(now) == ScreeningBacklog(pending=0, stale=0, oldest_at=None)
    page = client_as(city.bai).get(reverse("core:system_status")).content.decode()
    assert "所有筛查结果都已及时转为预警信号（正在等待的：0 条" in page
