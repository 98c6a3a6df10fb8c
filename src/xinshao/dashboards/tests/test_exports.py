"""Each dashboard as an export: the same tables the page shows that user, audited when it names students."""
import openpyxl
import pytest
from django.urls import reverse

from xinshao.dashboards.selectors import Filters, dashboard_tables
from xinshao.exports import services
from xinshao.exports.models import ExportJob

from .support import seed


@pytest.fixture(autouse=True)
def _files_in_a_temporary_data_dir(settings, tmp_path):
    settings.DATA_DIR = tmp_path


@pytest.fixture
def seeded(city):
    return seed(city)


def _export(client, capture, kind: str, query: str):
    with capture(execute=True):  # the job runs when the request commits
        reply = client.post(reverse("exports:create"), {"kind": kind, "format": "xlsx", "query": query})
    return reply, ExportJob.objects.order_by("-id").first()


def _sheets(job) -> dict[str, list[tuple]]:
    book = openpyxl.load_workbook(services.export_file(job), read_only=True)
    return {sheet.title: list(sheet.iter_rows(values_only=True)) for sheet in book.worksheets}


def test_the_analysts_city_export_holds_the_pages_tables_and_no_name(city, seeded, client_as,
                                                                       django_capture_on_commit_callbacks):
    reply, job = _export(client_as(city.fen), django_capture_on_commit_callbacks, "city_dashboard", "")
    job.refresh_from_db()
    assert reply.status_code == 302 and job.state == ExportJob.State.DONE
    sheets = _sheets(job)
    expected = dashboard_tables(city.fen, Filters(term=city.term))
    assert len(sheets) == len(expected)
    cells = {str(value) for rows in sheets.values() for row in rows for value in row if value is not None}
    for table in expected:  # every shown figure, suppressed cells as the page prints them
        assert {str(value) for row in table.rows for value in row} <= cells
    assert not {student.name for student in seeded.a1} & cells and job.student_ids == []


def test_the_psych_teachers_school_export_names_the_listed_students_in_its_record(
        city, seeded, client_as, django_capture_on_commit_callbacks):
    _reply, job = _export(client_as(city.liu_a), django_capture_on_commit_callbacks, "school_dashboard",
                          f"school={city.school_a.pk}")
    job.refresh_from_db()
    assert job.state == ExportJob.State.DONE
    names = {str(value) for rows in _sheets(job).values() for row in rows for value in row}
    assert seeded.gap_student.name in names and seeded.gap_student.pk in job.student_ids


def test_another_schools_dashboard_is_refused_and_nothing_is_made(city, seeded, client_as,
                                                                   django_capture_on_commit_callbacks):
    reply, job = _export(client_as(city.liu_a), django_capture_on_commit_callbacks, "school_dashboard",
                         f"school={city.school_b.pk}")
    assert reply.status_code == 400 and job is None
    assert "无权查看它的数据看板" in reply.content.decode()
