"""The growth record: a student's results over time, reliable change from the city's own norms,
alerts and cases; raw scores for the school's psych teachers only, every reading audited."""
import math

import pytest
from django.utils import timezone

from xinshao.audit.models import AuditEntry
from xinshao.norms.models import NormTable
from xinshao.norms.tests.conftest import GAD7_ITEMS, answer, gad7_campaign


@pytest.fixture
def chen_twice(city):
    """Chen answered GAD-7 twice: 4 in autumn, 15 at the retest."""
    answer(gad7_campaign(city, "秋季测评"), city.chen, [1, 1, 1, 1, 0, 0, 0] + [0] * (GAD7_ITEMS - 7))
    answer(gad7_campaign(city, "复测"), city.chen, [3, 3, 2, 2, 2, 2, 1] + [0] * (GAD7_ITEMS - 7))


def _norms(city, *, alpha: float, sd: float) -> NormTable:
    return NormTable.objects.create(
        region=city.region, term=city.term, instrument_id="gad7", instrument_version="1.0.0",
        computed_at=timezone.now(), respondents=200, complete=200, alpha=alpha,
        groups=[{"grade": "J1", "gender": "F", "n": 100, "mean": 5.0, "sd": sd, "percentiles": [[0, 5.0]]},
                {"grade": "J1", "gender": "M", "n": 100, "mean": 5.0, "sd": sd, "percentiles": [[0, 5.0]]}])


def test_the_psych_teacher_sees_each_result_and_whether_the_change_is_reliable(city, chen_twice, client_as):
    _norms(city, alpha=0.9, sd=4.0)
    page = client_as(city.liu_a).get(f"/records/students/{city.chen.pk}/")
    html = page.content.decode()
    assert page.status_code == 200
    pooled = math.sqrt(2 * 99 * 4.0 ** 2 / 199)  # two groups of 100, same mean, SD 4
    expected = round((15 - 4) / (math.sqrt(2) * pooled * math.sqrt(1 - 0.9)), 2)
    assert f"RCI = {expected}" in html and "明显上升" in html
    assert "<svg" in html and "查看数据表" in html          # the chart, and its numbers as a table
    assert html.count("秋季测评") >= 1 and "复测" in html
    entry = AuditEntry.objects.get(action="records.growth_record_viewed")
    assert entry.student_id == city.chen.pk and entry.detail["results"] == 2


def test_without_local_norms_the_change_is_shown_without_a_verdict(city, chen_twice, client_as):
    html = client_as(city.liu_a).get(f"/records/students/{city.chen.pk}/").content.decode()
    assert "还没有这个量表的本地常模" in html and "RCI" not in html
    assert "4 → 15" in html


@pytest.mark.parametrize("person,status", [
    ("zhang_a1", 403), ("song_a", 403), ("chen_user", 403), ("chen_ma_user", 403),  # see Chen, not her scores
    ("wang_b", 404), ("lin_user", 404), ("xin", 404), ("bai", 404),
])
def test_only_the_schools_psych_teachers_read_raw_scores(city, chen_twice, client_as, person, status):
    assert client_as(getattr(city, person)).get(f"/records/students/{city.chen.pk}/").status_code == status
    assert not AuditEntry.objects.filter(action="records.growth_record_viewed").exists()


def test_the_student_page_links_the_record_for_the_psych_teacher_only(city, client_as):
    assert f"/records/students/{city.chen.pk}/" in client_as(city.liu_a).get(
        f"/students/{city.chen.pk}/").content.decode()
    assert "/records/students/" not in client_as(city.zhang_a1).get(f"/students/{city.chen.pk}/").content.decode()
