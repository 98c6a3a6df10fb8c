"""Local norms from a term's results: who is counted, the percentiles and reliability stored, the
page and the command."""
import statistics

import pytest
from django.core.management import CommandError, call_command

from xinshao.audit.models import AuditEntry
from xinshao.instruments.engine import NormTable as EngineTable
from xinshao.norms.models import NormTable
from xinshao.norms.services import norm_table_compute
from xinshao.norms.tests.conftest import GAD7_ITEMS, answer, gad7_campaign
from xinshao.testing import enrolled_student


def _mid_rank(totals: list[int], score: int) -> float:
    below, equal = sum(t < score for t in totals), sum(t == score for t in totals)
    return round(100 * (below + equal / 2) / len(totals), 1)


def test_norms_are_computed_per_grade_and_gender_and_small_groups_are_withheld(city, sample):
    table = norm_table_compute(region=city.region, term=city.term, instrument_id="gad7", version="1.0.0", actor=city.bai)
    assert table.respondents == 14
    [girls] = table.groups
    assert (girls["grade"], girls["gender"], girls["n"]) == ("J1", "F", 10)
    assert girls["mean"] == pytest.approx(statistics.mean(sample["F"]), abs=0.01)
    assert girls["sd"] == pytest.approx(statistics.stdev(sample["F"]), abs=0.01)
    assert girls["percentiles"] == [[score, _mid_rank(sample["F"], score)] for score in sorted(set(sample["F"]))]
    assert table.withheld == [{"grade": "J1", "gender": "M", "n": 4}]
    assert AuditEntry.objects.filter(action="norms.table_computed", object_id=str(table.pk)).exists()


def test_the_stored_table_scores_a_result_through_the_engine(city, sample):
    table = norm_table_compute(region=city.region, term=city.term, instrument_id="gad7", version="1.0.0")
    median = sorted(sample["F"])[len(sample["F"]) // 2]
    engine = EngineTable({"instrument": "gad7", "score": "total", "source": "test", "groups": table.groups})
    looked_up = engine.lookup({"instrument": "gad7", "total": median}, grade="J1", gender="F")
    assert looked_up["percentile"] == _mid_rank(sample["F"], median)


def test_reliability_comes_from_complete_answers(city, sample):
    table = norm_table_compute(region=city.region, term=city.term, instrument_id="gad7", version="1.0.0")
    assert table.complete == 14
    columns = list(zip(*sample["items"]))
    totals = [sum(row) for row in sample["items"]]
    expected = 7 / 6 * (1 - sum(statistics.variance(column) for column in columns) / statistics.variance(totals))
    assert table.alpha == pytest.approx(expected) and table.alpha > 0.9
    assert [entry["item"] for entry in table.item_rest] == [f"gad7_{n}" for n in range(1, 8)]


def test_each_student_counts_once_with_their_latest_result_and_invalid_ones_not_at_all(city, sample, settings):
    again = gad7_campaign(city, "复测")
    answer(again, city.chen, [3] * GAD7_ITEMS)            # Chen's latest: 21
    hasty = enrolled_student(city.school_a, city.class_a1, "N900", "匆忙", "F", (2013, 6, 6))
    first = gad7_campaign(city, "第三次")
    answer(first, hasty, [0] * GAD7_ITEMS, seconds=0)             # far too fast: not a valid result
    table = norm_table_compute(region=city.region, term=city.term, instrument_id="gad7", version="1.0.0")
    girls = sample["F"][1:] + [21]
    assert table.respondents == 14
    assert table.groups[0]["n"] == 10
    assert table.groups[0]["mean"] == pytest.approx(statistics.mean(girls), abs=0.01)


def test_a_term_without_results_is_refused_in_words(city):
    with pytest.raises(Exception, match="没有这个量表的有效作答"):
        norm_table_compute(region=city.region, term=city.term, instrument_id="gad7", version="1.0.0")
    assert not NormTable.objects.exists()


def test_the_bureau_admin_computes_from_the_page_and_everyone_in_the_bureau_reads_it(city, sample, client_as):
    admin = client_as(city.bai)
    page = admin.get("/norms/")
    assert page.status_code == 200 and "gad7 1.0.0" in page.content.decode()
    response = admin.post("/norms/", {"term": city.term.pk, "instrument": "gad7 1.0.0"})
    table = NormTable.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/norms/{table.pk}/"
    detail = client_as(city.fen).get(f"/norms/{table.pk}/").content.decode()
    assert "人数不足，未发布" in detail and f"α = {table.alpha:.2f}" in detail
    analyst_list = client_as(city.fen).get("/norms/").content.decode()
    assert "计算常模" not in analyst_list and f"/norms/{table.pk}/" in analyst_list
    assert client_as(city.fen).post("/norms/", {"term": city.term.pk, "instrument": "gad7 1.0.0"}).status_code == 403
    assert client_as(city.liu_a).get("/norms/").status_code == 403


def test_an_instrument_not_answered_that_term_is_refused_on_the_form(city, sample, client_as):
    response = client_as(city.bai).post("/norms/", {"term": city.term.pk, "instrument": "phq9 1.0.0"})
    assert response.status_code == 400
    assert not NormTable.objects.exists()


def test_the_command_computes_every_instrument_of_the_term(city, sample, capsys):
    call_command("compute_norms", "--term", city.term.name, "--region", city.region.code)
    assert NormTable.objects.filter(instrument_id="gad7").count() == 1
    assert "gad7 1.0.0" in capsys.readouterr().out


def test_the_command_names_an_unknown_term(city):
    with pytest.raises(CommandError, match="没有名为 2030 的学期") as refused:
        call_command("compute_norms", "--term", "2030")
    assert refused.value.returncode == 2
