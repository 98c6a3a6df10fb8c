"""Adopting a local norm table for scoring: each result records the table it was placed in."""
import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from xinshao.alerts.screening import screening_sweep
from xinshao.campaigns.models import InstrumentResult
from xinshao.core.numbers import plain_number
from xinshao.norms.models import NormTable, NormTableEvent, ResultNorm
from xinshao.norms.services import norm_table_adopt, norm_table_compute, norm_table_retire
from xinshao.norms.tests.conftest import answer, gad7_campaign
from xinshao.testing import enrolled_student


def _percentile(table: NormTable, grade: str, gender: str, total: float) -> float | None:
    """The rank of the highest listed score not above the total, read straight off the stored table."""
    group = next(g for g in table.groups if (g["grade"], g["gender"]) == (grade, gender))
    ranks = [rank for score, rank in group["percentiles"] if score <= total]
    return ranks[-1] if ranks else None


@pytest.fixture
def table(city, sample):
    return norm_table_compute(region=city.region, term=city.term, instrument_id="gad7", version="1.0.0")


def _adopt(table, actor, capture):
    with capture(execute=True):  # the background placing of stored results runs after the commit
        return norm_table_adopt(actor=actor, table=table)


def test_adopting_places_every_stored_result_of_a_published_group(city, table, django_capture_on_commit_callbacks):
    _adopt(table, city.bai, django_capture_on_commit_callbacks)
    placed = ResultNorm.objects.select_related("result__student")
    # Ten girls of 初一 make a published group; the four boys are too few, so their results stay unplaced.
    assert placed.count() == 10 and {norm.gender for norm in placed} == {"F"}
    for norm in placed:
        assert norm.norm_table_id == table.pk and norm.grade == "J1"
        assert norm.percentile == _percentile(table, "J1", "F", norm.result.total)
    assert list(NormTableEvent.objects.filter(table=table).values_list("kind", flat=True)) == ["adopted"]


def test_a_result_arriving_after_adoption_records_the_table_when_it_is_processed(
        city, table, django_capture_on_commit_callbacks, client_as):
    _adopt(table, city.bai, django_capture_on_commit_callbacks)
    newcomer = enrolled_student(city.school_a, city.class_a1, "N900", "新同学", "F", (2013, 3, 3))
    answer(gad7_campaign(city, "补测"), newcomer, [2, 2, 1, 2, 1, 2, 2, 0])
    screening_sweep()
    result = InstrumentResult.objects.get(student=newcomer)
    assert result.norm.norm_table == table
    assert result.norm.percentile == _percentile(table, "J1", "F", result.total) and result.total == 12
    record = client_as(city.liu_a).get(reverse("records:student", args=[newcomer.pk])).content.decode()
    assert f"P{plain_number(result.norm.percentile)}<" in record


def test_adopting_a_newer_table_retires_the_one_in_use_and_keeps_what_it_placed(
        city, table, django_capture_on_commit_callbacks):
    _adopt(table, city.bai, django_capture_on_commit_callbacks)
    newer = _adopt(norm_table_compute(region=city.region, term=city.term, instrument_id="gad7", version="1.0.0"),
                   city.bai, django_capture_on_commit_callbacks)
    table.refresh_from_db()
    assert table.retired_at is not None and not table.in_use and newer.in_use
    assert ResultNorm.objects.filter(norm_table=table).count() == 10  # the record of what each result used stays
    assert list(table.events.values_list("kind", flat=True)) == ["adopted", "retired"]


def test_a_retired_table_places_nothing_new(city, table, django_capture_on_commit_callbacks):
    _adopt(table, city.bai, django_capture_on_commit_callbacks)
    norm_table_retire(actor=city.bai, table=table)
    newcomer = enrolled_student(city.school_a, city.class_a1, "N901", "又一位新同学", "F", (2013, 4, 4))
    answer(gad7_campaign(city, "补测"), newcomer, [1] * 8)
    screening_sweep()
    assert not ResultNorm.objects.filter(result__student=newcomer).exists()


def test_a_table_with_every_group_withheld_cannot_be_adopted(city, table):
    table.withheld, table.groups = table.groups + table.withheld, []
    table.save()
    with pytest.raises(ValidationError, match="不能用于计分"):
        norm_table_adopt(actor=city.bai, table=table)
    assert not NormTable.objects.filter(adopted_at__isnull=False).exists()


def test_the_bureau_admin_adopts_from_the_page_and_an_analyst_may_not(
        city, table, client_as, django_capture_on_commit_callbacks):
    analyst = client_as(city.fen)
    assert analyst.post(reverse("norms:adopt", args=[table.pk])).status_code == 403
    assert "采用为计分常模" not in analyst.get(reverse("norms:detail", args=[table.pk])).content.decode()
    admin = client_as(city.bai)
    with django_capture_on_commit_callbacks(execute=True):
        admin.post(reverse("norms:adopt", args=[table.pk]))
    reply = admin.get(reverse("norms:detail", args=[table.pk]))
    assert "已采用为计分常模" in reply.content.decode() and "10 个结果按这张表计了百分位" in reply.content.decode()
    assert admin.post(reverse("norms:adopt", args=[table.pk]), follow=True).content.decode().count("已经在用于计分") == 1
