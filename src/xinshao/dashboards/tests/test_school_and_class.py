"""A school's dashboard (by class, with the psych teacher's lists) and a class's view."""
import pytest

from xinshao.audit.models import AuditEntry
from xinshao.core.suppression import HIDDEN
from xinshao.dashboards.selectors import Filters, dashboard_tables, students_without_care
from xinshao.records.models import IndividualPlan

from .support import cell, seed, table


@pytest.fixture
def seeded(city):
    return seed(city)


def test_the_school_dashboard_counts_by_class(city, seeded):
    tables = dashboard_tables(city.liu_a, Filters(term=city.term, school=city.school_a))
    coverage = table(tables, "测评覆盖与完成")
    assert cell(coverage, "初一1班", "在籍学生") == str(1 + len(seeded.a1))  # Chen and the seven
    assert cell(coverage, "初一1班", "已提交") == "7"
    assert (cell(coverage, "初一2班", "测评对象"), cell(coverage, "初一2班", "已提交")) == ("3", "1")
    responses = table(tables, "预警响应")
    assert cell(responses, "合计", "合计") == "4"  # school B's red alert is not this school's
    assert cell(table(tables, "预警、个案与回访"), "初一1班", "逾期回访") == "1"


def test_the_psych_teacher_sees_who_is_in_a_high_tier_without_a_case(city, seeded, client_as):
    gap = table(dashboard_tables(city.liu_a, Filters(term=city.term, school=city.school_a)), "没有个案或一生一策")
    assert [row[0] for row in gap.rows] == [seeded.gap_student.name]  # the one with a case is not listed
    assert set(students_without_care(city.school_b, city.term)) == {city.zhou}  # an open red alert counts
    IndividualPlan.objects.create(student=city.zhou, created_at=seeded.now)
    assert not students_without_care(city.school_b, city.term).exists()  # an active plan is care too
    late = table(dashboard_tables(city.liu_a, Filters(term=city.term, school=city.school_a)), "仍未确认")
    assert [row[0] for row in late.rows] == [seeded.a1[4].name]
    page = client_as(city.liu_a).get(f"/dashboards/schools/{city.school_a.pk}/").content.decode()
    assert seeded.gap_student.name in page
    entry = AuditEntry.objects.filter(action="dashboards.school.view").latest("pk")
    assert seeded.gap_student.pk in entry.detail["students"]


def test_the_school_admin_sees_the_gap_as_a_number_with_small_cells_hidden(city, seeded):
    tables = dashboard_tables(city.song_a, Filters(term=city.term, school=city.school_a))
    assert not [t for t in tables if "仍未确认" in t.title]
    assert cell(table(tables, "没有个案或一生一策"), "学生数", "人数") == HIDDEN  # one student
    assert cell(table(tables, "测评覆盖与完成"), "初一2班", "已提交") == HIDDEN
    assert dashboard_tables(city.song_a, Filters(term=city.term, school=city.school_b)) == []


def test_the_class_view_shows_completion_attention_and_actions_never_a_score(city, seeded, client_as):
    tables = dashboard_tables(city.zhang_a1, Filters(term=city.term, school_class=city.class_a1))
    completion = table(tables, "本学期测评完成情况")
    assert cell(completion, "秋季筛查", "已提交") == "7" and cell(completion, "秋季筛查", "未开始") == "0"
    attention = table(tables, "关注名单")
    assert {row[0] for row in attention.rows} == {seeded.a1[4].name, seeded.a1[5].name, seeded.a1[6].name}
    actions = table(tables, "分配给我的措施")
    assert actions.rows == ((seeded.a1[2].name, "每周与家长通一次电话",
                             actions.rows[0][2], "已逾期"),)
    page = client_as(city.zhang_a1).get(f"/dashboards/classes/{city.class_a1.pk}/").content.decode()
    for word in ("中度", "重度", "PHQ", "分级", "总分"):
        assert word not in page.replace("不显示任何测评分数和分级", "")
    assert dashboard_tables(city.qian_b1, Filters(term=city.term, school_class=city.class_a1)) == []


def test_a_filter_it_cannot_use_is_answered_with_the_form_and_no_figures(city, client_as):
    response = client_as(city.bai).get("/dashboards/city/?term=nope&kind=castle")
    assert response.status_code == 400
    assert "筛选条件有误" in response.content.decode() and "测评覆盖与完成" not in response.content.decode()


def test_tables_without_a_term_are_the_current_terms(city, seeded):
    assert dashboard_tables(city.xin, Filters()) == dashboard_tables(city.xin, Filters(term=city.term))
