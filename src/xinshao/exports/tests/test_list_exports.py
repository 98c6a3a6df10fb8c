"""The other list pages' exports: each holds exactly the page's rows for that user, refuses those
who cannot open the page, and names its students in the download's audit entry."""
import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from xinshao.access import scopes
from xinshao.audit.models import AuditEntry
from xinshao.exports import kinds, services
from xinshao.exports.tests.test_exports import workbook_rows
from xinshao.hotline import selectors as hotline_selectors
from xinshao.hotline.tests.support import log
from xinshao.sentinel import selectors as sentinel_selectors

pytestmark = pytest.mark.django_db

# Each kind added here, with the page it is the export of.
PAGES = {"hotline_calls": "hotline:call_list", "hotline_callbacks": "hotline:callbacks",
         "attention": "sentinel:attention"}


@pytest.fixture
def calls(city):
    """A call about Chen with a call-back owed, and one from an unknown caller."""
    return [log(city, student=city.chen, school=city.school_a, risk="high",
                callback_due_at=timezone.now() + datetime.timedelta(hours=2)),
            log(city)]


def test_the_call_log_export_holds_the_pages_calls_and_names_the_students(city, export, calls, client_as):
    _response, job = export(city.xin, "hotline_calls")

    rows = workbook_rows(services.export_file(job))
    expected, _mine = hotline_selectors.call_log(city.xin, {})
    assert rows[0] == ("来电时间", "来电类型", "来电人", "学生", "风险评估", "回电", "接线员")
    assert len(rows) - 1 == expected.count() == 2
    assert {row[3] for row in rows[1:]} == {f"{city.chen.name}（{city.school_a.name}）", "身份不明"}
    assert job.student_ids == [city.chen.pk]
    client_as(city.xin).get(reverse("exports:download", args=[job.pk]))
    assert AuditEntry.objects.get(action="exports.downloaded").detail["students"] == [city.chen.pk]


def test_only_mine_carries_into_the_call_log_export(city, export, calls):
    _response, job = export(city.xin, "hotline_calls", query="mine=1")  # the centre logs no calls: ignored
    assert len(workbook_rows(services.export_file(job))) - 1 == 2
    _response, job = export(city.re, "hotline_calls", query="mine=1")
    assert len(workbook_rows(services.export_file(job))) - 1 == 2  # Re logged both


def test_the_callback_export_lists_the_open_call_backs_only(city, export, calls):
    _response, job = export(city.re, "hotline_callbacks")

    rows = workbook_rows(services.export_file(job))
    expected = hotline_selectors.callbacks_open(scopes.calls_visible_to(city.re))
    assert len(rows) - 1 == expected.count() == 1
    assert rows[1][2] == f"{city.chen.name}（{city.school_a.name}）" and job.student_ids == [city.chen.pk]


@pytest.mark.parametrize("kind", ["hotline_calls", "hotline_callbacks"])
def test_a_school_or_aggregate_only_user_is_refused_the_hotline_lists(city, export, calls, kind):
    for user in (city.liu_a, city.fen, city.song_a):
        response, job = export(user, kind)
        assert response.status_code in (400, 403) and job is None


def test_the_attention_export_is_the_class_teachers_list_with_care_words_not_levels(city, export,
                                                                                  alerts_both_sides):
    _response, job = export(city.zhang_a1, "attention")

    rows = workbook_rows(services.export_file(job))
    assert rows[0] == ("学生", "班级", "关注程度", "开始关注", "请联系")
    assert len(rows) - 1 == len(sentinel_selectors.attention_list(city.zhang_a1)) == 1
    assert rows[1][0] == city.chen.name and city.zhou.name not in str(rows)
    assert not {"red", "红", "红色"} & {str(cell) for cell in rows[1]}
    assert job.student_ids == [city.chen.pk]


def test_no_one_but_a_class_teacher_exports_the_attention_list(city, export, alerts_both_sides):
    for user in (city.liu_a, city.fen, city.song_a, city.lin_user):
        response, job = export(user, "attention")
        assert response.status_code in (400, 403) and job is None


def test_every_kinds_may_matches_its_pages_access(city):
    """Whoever cannot open the page cannot ask for its export, and whoever may ask can open it."""
    for kind_name, page in PAGES.items():
        kind = kinds.kind_named(kind_name)
        for name, user in city.everyone().items():
            client = Client()
            client.force_login(user)
            opens = client.get(reverse(page)).status_code == 200
            assert kind.may(user) == opens, (kind_name, name)
