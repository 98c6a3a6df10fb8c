"""Every figure of the city dashboard against a count made here, for a reader who sees all (the psych
centre) and for aggregate-only readers (small cells hidden); the term filter and the comparison."""
import pytest
from django.utils import timezone

from xinshao.cases.models import Case
from xinshao.core.suppression import HIDDEN
from xinshao.dashboards.selectors import Filters, dashboard_tables
from xinshao.instruments.engine import builtin_library
from xinshao.people.models import Student

from .support import cell, seed, table


@pytest.fixture
def seeded(city):
    return seed(city)


def _band_label(band_id):
    definition = builtin_library().get("phqa", None)
    return next(b.label["zh-Hans"] for s in definition.scores if s.bands for b in s.bands.ranges if b.id == band_id)


def _in_term(moment, term):
    return term.starts_on <= timezone.localtime(moment).date() <= term.ends_on


def test_screening_coverage_and_completion_by_school(city, seeded):
    tables = dashboard_tables(city.xin, Filters(term=city.term))
    coverage = table(tables, "测评覆盖与完成")
    for school in (city.school_a, city.school_b):
        enrolled = [s for s in Student.objects.filter(school=school) if s.status == Student.Status.ENROLLED]
        screened = {r.student_id for r in seeded.results if r.campaign.term == city.term and r.student.school == school}
        not_started = {s.pk for s in seeded.a2[1:] if s.school == school}
        assert cell(coverage, school.name, "在籍学生") == str(len(enrolled))
        assert cell(coverage, school.name, "测评对象") == str(len(screened | not_started))
        assert cell(coverage, school.name, "已提交") == str(len(screened))
    assert cell(coverage, "合计", "在籍学生") == str(Student.objects.count())
    assert cell(coverage, city.school_a.name, "完成率") == f"{8 * 100 / 10:.1f}%"


def test_bands_by_school_grade_and_gender(city, seeded):
    tables = dashboard_tables(city.xin, Filters(term=city.term))
    this_term = [r for r in seeded.results if r.campaign.term == city.term]
    by_school, by_grade, by_gender = (table(tables, f"PHQA 分级分布：按{by}") for by in ("学校", "年级", "性别"))
    for band in {r.band for r in this_term}:
        label = _band_label(band)
        for school in (city.school_a, city.school_b):
            expected = sum(r.band == band and r.student.school == school for r in this_term)
            assert cell(by_school, school.name, label) == str(expected)
        for gender, word in (("F", "女"), ("M", "男")):
            assert cell(by_gender, word, label) == str(sum(r.band == band and r.student.gender == gender
                                                           for r in this_term))
        assert cell(by_grade, "初一", label) == str(sum(r.band == band for r in this_term))
    assert cell(by_school, "合计", "合计") == str(len(this_term))


def test_alerts_against_their_deadlines(city, seeded):
    tables = dashboard_tables(city.xin, Filters(term=city.term))
    responses = table(tables, "预警响应")
    now = timezone.now()
    this_term = [a for a in seeded.alerts if _in_term(a.created_at, city.term)]
    for level, word in (("red", "红色"), ("orange", "橙色"), ("yellow", "黄色")):
        mine = [a for a in this_term if a.level == level]
        assert cell(responses, word, "按时响应") == str(sum(bool(a.acknowledged_at) and a.acknowledged_at <= a.ack_due_at
                                                        for a in mine))
        assert cell(responses, word, "逾期响应") == str(sum(bool(a.acknowledged_at) and a.acknowledged_at > a.ack_due_at
                                                        for a in mine))
        assert cell(responses, word, "逾期未响应") == str(sum(not a.acknowledged_at and a.ack_due_at < now for a in mine))
        assert cell(responses, word, "期限内待响应") == str(sum(not a.acknowledged_at and a.ack_due_at >= now
                                                          for a in mine))
    assert cell(responses, "合计", "合计") == str(len(this_term))


def test_cases_referrals_follow_ups_and_calls(city, seeded):
    tables = dashboard_tables(city.xin, Filters(term=city.term))
    cases = table(tables, "未结个案")
    open_cases = [c for c in Case.objects.all() if c.state != Case.State.CLOSED]
    for state in (Case.State.ASSESSING, Case.State.FOLLOWING_UP):
        assert cell(cases, state.label, "合计") == str(sum(c.state == state for c in open_cases))
    assert cell(cases, "合计", "合计") == str(len(open_cases))
    referrals = table(tables, "等待中的转介")
    assert (cell(referrals, "等待机构答复", "等待中"), cell(referrals, "等待机构答复", "其中已逾期")) == ("1", "1")
    assert (cell(referrals, "等待机构反馈", "等待中"), cell(referrals, "等待机构反馈", "其中已逾期")) == ("1", "0")
    per_school = table(tables, "预警、个案与回访")
    assert cell(per_school, city.school_a.name, "逾期回访") == "1"  # the closed case's follow-up is not owed
    assert cell(per_school, city.school_a.name, "未结个案") == str(sum(c.school == city.school_a for c in open_cases))
    assert cell(per_school, city.school_b.name, "本学期预警") == "1"
    calls = table(tables, "心理热线来电")
    assert cell(calls, "无", city.term.name) == "2" and cell(calls, "高", city.term.name) == "1"
    assert cell(calls, "合计", city.term.name) == "3"


def test_the_term_filter_and_the_comparison(city, seeded):
    tables = dashboard_tables(city.xin, Filters(term=seeded.previous))
    assert cell(table(tables, "测评覆盖与完成"), city.school_a.name, "已提交") == "2"
    assert cell(table(tables, "预警响应"), "黄色", "按时响应") == "1"
    assert cell(table(tables, "预警响应"), "合计", "合计") == "1"
    assert cell(table(tables, "心理热线来电"), "低", seeded.previous.name) == "1"
    compared = table(dashboard_tables(city.xin, Filters(term=city.term, compare=seeded.previous)), "对比")
    assert cell(compared, "已提交", city.term.name) == "9" and cell(compared, "已提交", seeded.previous.name) == "2"
    assert cell(compared, "黄色预警", seeded.previous.name) == "1"


def test_district_and_school_kind_filters(city, seeded):
    only_b = dashboard_tables(city.xin, Filters(term=city.term, district=city.district_b))
    coverage = table(only_b, "测评覆盖与完成")
    assert [row[0] for row in coverage.rows] == [city.school_b.name, "合计"]
    none = dashboard_tables(city.xin, Filters(term=city.term, kind="primary"))
    assert [row[0] for row in table(none, "测评覆盖与完成").rows] == ["合计"]


def test_small_cells_are_hidden_from_aggregate_only_readers_and_shown_to_the_psych_centre(city, seeded):
    for reader in (city.fen, city.bai):
        tables = dashboard_tables(reader, Filters(term=city.term))
        responses = table(tables, "预警响应")
        assert cell(responses, "红色", "逾期未响应") == HIDDEN
        assert responses.note and HIDDEN in responses.note
        # Nothing hidden can be worked back out: a cell of 1 is never beside a shown row and total.
        assert cell(table(tables, "测评覆盖与完成"), city.school_b.name, "已提交") == HIDDEN
    full = dashboard_tables(city.xin, Filters(term=city.term))
    assert cell(table(full, "预警响应"), "红色", "逾期未响应") == "1"
    assert not table(full, "预警响应").note


def test_no_student_name_reaches_an_aggregate_only_reader(city, seeded, client_as):
    names = list(Student.objects.values_list("name", flat=True))
    pages = {city.fen: ["/dashboards/city/", f"/dashboards/schools/{city.school_a.pk}/"],
             city.bai: ["/dashboards/city/", f"/dashboards/schools/{city.school_a.pk}/"],
             city.song_a: [f"/dashboards/schools/{city.school_a.pk}/"]}
    for reader, urls in pages.items():
        for url in urls:
            for query in ("", f"?compare={seeded.previous.pk}", "?instrument=phqa"):
                page = client_as(reader).get(url + query).content.decode()
                assert not [name for name in names if name in page], (reader, url)


def test_the_smallest_shown_cell_is_a_setting(city, seeded, settings):
    settings.DASHBOARD_MIN_CELL = 10
    coverage = table(dashboard_tables(city.fen, Filters(term=city.term)), "测评覆盖与完成")
    assert cell(coverage, city.school_a.name, "已提交") == HIDDEN  # 8 students
    assert "10" in coverage.note
