"""The case timeline: one story in the order things happened, session notes only for those who
may read them (audited), the page and the PDF (real Chinese text in it), every role on both."""
import io

import pypdf
import pytest
from django.urls import reverse

from xinshao.audit.models import AuditEntry
from xinshao.cases.followups.services import followup_done
from xinshao.cases.models import FollowUp
from xinshao.cases.services import case_open
from xinshao.cases.tests.story_support import (
    DAY,
    HOUR,
    NOTES,
    psych_colleague_a,
    start,
    story_case,
)
from xinshao.cases.timeline.selectors import case_timeline

pytestmark = pytest.mark.django_db

CASE_PAGE_ROLES = {"liu_a", "wang_b", "song_a", "song_b", "zhang_a1", "qian_b1", "xin"}


@pytest.fixture
def t0():
    return start()


@pytest.fixture
def case(city, t0):
    return story_case(city, t0)


def pdf_text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages)


def test_the_story_is_in_the_order_things_happened(city, case, t0):
    entries = case_timeline(case, with_notes=True).entries
    assert [(e.at - t0, e.title) for e in entries] == [
        (0 * HOUR, "预警信号：心理委员报告"),
        (0 * HOUR, "预警：产生预警"),
        (1 * HOUR, "预警：转为个案"),
        (1 * HOUR, "开案"),
        (1 * HOUR, "关联了一条预警"),
        (1.5 * HOUR, "辅导：个别辅导，50 分钟"),
        (3 * HOUR, "安全计划（第 1 版）"),
        (4 * HOUR, "与监护人沟通：电话"),
        (5 * HOUR, "商定措施"),
        (6 * HOUR, "监护人同意转介：明州市精神卫生中心"),
        (7 * HOUR, "转介至明州市精神卫生中心"),
        (7 * HOUR, "状态变更"),
        (8 * HOUR, "机构接收了转介"),
        (1 * DAY, f"安排回访：{FollowUp.objects.get(case=case).due_on:%Y-%m-%d}"),
        (2 * DAY, "一项措施已完成"),
    ]
    assert all(e.school == "东湖中学" for e in entries) and not case_timeline(case, with_notes=False).moved


def test_each_entry_carries_what_was_written(city, case):
    entries = {e.title: e for e in case_timeline(case, with_notes=True).entries}
    signal = dict(entries["预警信号：心理委员报告"].lines)
    assert signal["补充说明"] == "他在班上说不想活了" and entries["预警信号：心理委员报告"].by == "林晓东"
    assert dict(entries["开案"].lines)["原因"] == "心理委员报告自伤言语"
    assert dict(entries["安全计划（第 1 版）"].lines)["自我调节方法"] == "听音乐，去操场跑步"
    assert dict(entries["与监护人沟通：电话"].lines)["沟通内容"] == "妈妈同意带孩子去医院评估"
    assert dict(entries["状态变更"].lines)["状态"] == "评估中 → 已转介"
    assert dict(entries["一项措施已完成"].lines)["措施"] == "课间由班主任多关注"
    assert entries["机构接收了转介"].by == "易医生"
    assert entries["辅导：个别辅导，50 分钟"].private_notes == NOTES


def test_a_follow_up_done_and_a_reminder_join_the_story(city, case, t0):
    follow_up = FollowUp.objects.get(case=case)
    FollowUp.objects.filter(pk=follow_up.pk).update(reminded_at=t0 + 2.5 * DAY)
    followup_done(follow_up=follow_up, outcome="已回到课堂，情绪平稳", actor=city.liu_a, now=t0 + 3 * DAY)
    last = case_timeline(case, with_notes=True).entries[-2:]
    assert [e.title for e in last] == [f"已提醒负责人：{follow_up.due_on:%Y-%m-%d} 的回访", "完成了一次回访"]
    assert dict(last[1].lines)["回访结果"] == "已回到课堂，情绪平稳"
    # The outcome is as private as the session notes: a reader without that right sees the date only.
    assert "回访结果" not in dict(case_timeline(case, with_notes=False).entries[-1].lines)


def test_without_the_right_the_notes_are_not_even_read(city, case):
    session = next(e for e in case_timeline(case, with_notes=False).entries if e.kind == "session")
    assert session.private_notes is None


# --- the page and the PDF --------------------------------------------------------------------

def _expected(username, allowed, visible):
    if username in allowed:
        return 200
    if username in visible:
        return 403
    return 404  # out of sight, whatever the role: as for a case that does not exist


@pytest.mark.parametrize("route", ["timeline", "timeline_pdf"])
def test_every_role_on_the_timeline_and_its_pdf(city, client_as, case, route):
    url = reverse(f"cases:{route}", args=[case.pk])
    # The case's psych staff and the bureau psych centre; the team's class teacher and school
    # leader see the case but not its whole story (403); the other school never learns of it (404).
    for username, user in city.everyone().items():
        expected = _expected(username, {"liu_a", "xin"}, {"zhang_a1", "song_a"})
        assert client_as(user).get(url).status_code == expected, username


def test_a_yellow_case_is_not_the_bureaus_to_read(city, client_as):
    case = case_open(student=city.zhou, level="yellow", reason="情绪低落两周", actor=city.wang_b)
    assert client_as(city.xin).get(reverse("cases:timeline", args=[case.pk])).status_code == 404
    assert client_as(city.wang_b).get(reverse("cases:timeline", args=[case.pk])).status_code == 200


def test_the_page_shows_the_notes_to_the_owner_and_records_each_read(city, client_as, case):
    response = client_as(city.liu_a).get(reverse("cases:timeline", args=[case.pk]))
    page = response.content.decode()
    assert NOTES in page and "他在班上说不想活了" in page and reverse("cases:timeline_pdf", args=[case.pk]) in page
    assert page.index("预警信号：心理委员报告") < page.index("开案") < page.index("一项措施已完成")
    assert AuditEntry.objects.filter(action="cases.timeline_viewed", actor_label="liu_a",
                                     student_id=city.chen.pk).count() == 1
    [read] = AuditEntry.objects.filter(action="cases.session_notes_read", actor_label="liu_a")
    assert read.detail == {"via": "cases.timeline_viewed"} and read.student_id == city.chen.pk


def test_a_psych_colleague_off_the_team_reads_the_story_without_notes_and_cannot_print(city, client_as, case):
    he = psych_colleague_a(city)
    response = client_as(he).get(reverse("cases:timeline", args=[case.pk]))
    page = response.content.decode()
    assert response.status_code == 200 and NOTES not in page and "辅导记录保密" in page
    assert reverse("cases:timeline_pdf", args=[case.pk]) not in page
    assert not AuditEntry.objects.filter(action="cases.session_notes_read", actor_label="he_a").exists()
    assert AuditEntry.objects.filter(action="cases.timeline_viewed", actor_label="he_a").exists()
    assert client_as(he).get(reverse("cases:timeline_pdf", args=[case.pk])).status_code == 403


def test_the_pdf_holds_the_whole_story_in_chinese_and_each_print_is_audited(city, client_as, case):
    response = client_as(city.xin).get(reverse("cases:timeline_pdf", args=[case.pk]))
    assert response["Content-Type"] == "application/pdf" and "no-store" in response["Cache-Control"]
    assert response["Content-Disposition"] == f'attachment; filename="case-{case.pk}-timeline.pdf"'
    text = pdf_text(response.content)
    for words in ("个案时间线", "陈小雨", "东湖中学", "预警信号：心理委员报告", "转介至明州市精神卫生中心",
                  "妈妈同意带孩子去医院评估", "辅导记录（保密）", "最近两周睡眠差", "打印人：辛主任"):
        assert words in text.replace("\n", ""), words
    assert text.index("心理委员报告") < text.index("一项措施已完成")
    assert AuditEntry.objects.filter(action="cases.timeline_printed", actor_label="xin",
                                     student_id=city.chen.pk).count() == 1
    assert AuditEntry.objects.filter(action="cases.session_notes_read", actor_label="xin").count() == 1
