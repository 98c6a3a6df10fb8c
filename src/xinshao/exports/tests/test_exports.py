"""Export jobs end to end: asked for from a list page, made in the background, read back."""
import io

import openpyxl
import pypdf
from django.urls import reverse

from xinshao.audit.models import AuditEntry
from xinshao.exports import kinds, services, writers
from xinshao.exports.models import ExportJob
from xinshao.people.models import Student


def workbook_rows(path) -> list[tuple]:
    sheet = openpyxl.load_workbook(path, read_only=True).worksheets[0]
    return list(sheet.iter_rows(values_only=True))


def pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(content)).pages)


def test_a_roster_export_holds_exactly_the_students_of_the_users_school(city, export):
    response, job = export(city.liu_a, "roster")

    assert response.status_code == 302 and response["Location"] == reverse("exports:detail", args=[job.pk])
    job.refresh_from_db()
    assert job.state == ExportJob.State.DONE
    rows = workbook_rows(services.export_file(job))
    numbers = {row[0] for row in rows[1:]}
    assert numbers == set(Student.objects.filter(school=city.school_a).values_list("student_number", flat=True))
    assert city.zhou.student_number not in numbers
    assert job.rows_done == len(rows) - 1
    assert set(job.student_ids) == set(Student.objects.filter(school=city.school_a).values_list("pk", flat=True))


def test_a_class_teacher_exports_only_their_class(city, export):
    _response, job = export(city.zhang_a1, "roster")

    numbers = {row[0] for row in workbook_rows(services.export_file(job))[1:]}
    assert numbers == set(Student.objects.filter(school_class=city.class_a1).values_list("student_number", flat=True))


def test_the_list_pages_filters_carry_into_the_export(city, export):
    _response, job = export(city.liu_a, "roster", query=f"school_class={city.class_a2.pk}&page=2")

    numbers = {row[0] for row in workbook_rows(services.export_file(job))[1:]}
    assert numbers == set(Student.objects.filter(school_class=city.class_a2).values_list("student_number", flat=True))


def test_a_class_out_of_sight_is_refused_with_a_message_and_no_job(city, export):
    response, job = export(city.liu_a, "roster", query=f"school_class={city.class_b1.pk}")

    assert response.status_code == 400 and job is None
    assert "所选班级不在您可查看的范围内" in response.content.decode()


def test_the_alert_export_has_the_school_psych_teachers_alerts_and_not_another_schools(city, export, alerts_both_sides):
    _response, job = export(city.liu_a, "alerts")

    rows = workbook_rows(services.export_file(job))
    assert rows[0][:3] == ("级别", "时间", "学生")
    assert [row[2] for row in rows[1:]] == [city.chen.name]
    assert job.student_ids == [city.chen.pk]


def test_the_bureau_psych_centre_exports_red_alerts_city_wide(city, export, alerts_both_sides):
    _response, job = export(city.xin, "alerts")

    names = {row[2] for row in workbook_rows(services.export_file(job))[1:]}
    assert names == {city.chen.name, city.zhou.name}


def test_the_case_export_lists_the_cases_the_user_may_open(city, export, alerts_both_sides):
    from xinshao.cases.services import case_open

    case_open(student=city.chen, level="red", reason="教师转介", actor=city.liu_a, alert=alerts_both_sides[0])
    case_open(student=city.zhou, level="red", reason="教师转介", actor=city.wang_b, alert=alerts_both_sides[1])

    _response, job = export(city.liu_a, "cases")

    assert [row[1] for row in workbook_rows(services.export_file(job))[1:]] == [city.chen.name]


def test_the_pdf_holds_the_chinese_text(city, export):
    _response, job = export(city.liu_a, "roster", "pdf")

    text = pdf_text(services.export_file(job).read_bytes())
    assert "学生名册" in text and city.chen.name in text and city.zhou.name not in text


def test_the_download_streams_the_file_and_is_audited_with_the_students_named(city, client_as, export):
    _response, job = export(city.liu_a, "roster")

    response = client_as(city.liu_a).get(reverse("exports:download", args=[job.pk]))

    assert response.status_code == 200 and response["Content-Disposition"].startswith("attachment;")
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert workbook.worksheets[0].max_row == job.rows_done + 1
    entry = AuditEntry.objects.get(action="exports.downloaded")
    assert entry.actor_id == city.liu_a.pk and entry.object_id == str(job.pk)
    assert entry.detail["kind"] == "roster" and entry.detail["rows"] == job.rows_done
    assert city.chen.pk in entry.detail["students"] and city.zhou.pk not in entry.detail["students"]


def test_another_user_gets_404_for_the_job_and_its_file(city, client_as, export):
    _response, job = export(city.liu_a, "roster")

    for name in ("detail", "progress", "download"):
        assert client_as(city.song_a).get(reverse(f"exports:{name}", args=[job.pk])).status_code == 404
    assert not AuditEntry.objects.filter(action="exports.downloaded").exists()


def test_the_progress_endpoint_tells_the_state_and_rows(city, client_as, export):
    _response, job = export(city.liu_a, "roster")

    data = client_as(city.liu_a).get(reverse("exports:progress", args=[job.pk])).json()

    assert data["state"] == "done" and data["finished"] and data["percent"] == 100
    assert data["rows_done"] == data["rows_total"] == Student.objects.filter(school=city.school_a).count()


def test_a_queued_job_shows_its_progress_page_and_waits_for_the_file(city, client_as):
    job = services.export_request(user=city.liu_a, kind_name="roster", file_format="xlsx", params={}, origin="/")
    client = client_as(city.liu_a)

    page = client.get(reverse("exports:detail", args=[job.pk])).content.decode()
    assert "exports/progress.js" in page and "排队中" in page
    assert client.get(reverse("exports:progress", args=[job.pk])).json()["finished"] is False
    assert client.get(reverse("exports:download", args=[job.pk])).status_code == 302


def test_a_failing_job_ends_failed_with_a_message_not_a_500(city, export, monkeypatch):
    def broken(user, params):
        raise RuntimeError("database went away")
        yield

    monkeypatch.setitem(kinds.KINDS, "roster", kinds.ExportKind(
        name="roster", title="学生名册", may=lambda user: True, tables=broken))

    response, job = export(city.liu_a, "roster")

    assert response.status_code == 302
    job.refresh_from_db()
    assert job.state == ExportJob.State.FAILED and "出错" in job.message and not job.file_name
    assert list(job.events.values_list("kind", flat=True)) == ["queued", "running", "failed"]


def test_a_list_too_long_for_a_pdf_fails_saying_to_use_excel(city, export, monkeypatch):
    monkeypatch.setattr(writers, "PDF_MAX_ROWS", 1)

    _response, job = export(city.liu_a, "roster", "pdf")

    job.refresh_from_db()
    assert job.state == ExportJob.State.FAILED and "Excel" in job.message


def test_running_a_job_twice_changes_nothing(city, export):
    _response, job = export(city.liu_a, "roster")
    first = ExportJob.objects.get(pk=job.pk)

    assert services.export_run(job.pk) is None
    assert ExportJob.objects.get(pk=job.pk).file_name == first.file_name


def test_a_role_with_nothing_to_export_is_refused(city, client_as):
    assert client_as(city.gao_a).get(reverse("exports:list")).status_code == 403
    assert client_as(city.chen_user).post(reverse("exports:create"), {"kind": "roster", "format": "xlsx"}
                                          ).status_code == 403


def test_the_bureau_cannot_export_a_roster(city, export):
    response, job = export(city.bai, "roster")

    assert response.status_code == 400 and job is None


def test_completion_by_school_and_class_hides_small_cells(city, export, school_campaign):
    _response, job = export(city.bai, "completion", query=f"campaign={school_campaign.pk}")

    rows = workbook_rows(services.export_file(job))
    assert rows[0][:4] == ("学校", "年级", "班级", "对象人数")
    assert any(row[0] == city.school_a.name and row[2] for row in rows[1:])
    # Classes of two or three students: the bureau sees their counts hidden, as on the progress page.
    class_rows = [row for row in rows[1:] if row[2]]
    assert class_rows and all(row[3] == "*" for row in class_rows)
    assert not job.student_ids


def test_completion_of_a_campaign_out_of_sight_is_refused(city, export, school_campaign):
    response, job = export(city.wang_b, "completion", query=f"campaign={school_campaign.pk}")

    assert response.status_code == 400 and job is None


def test_a_whole_schools_code_sheets_come_as_one_pdf_with_every_class(city, export, school_campaign):
    response, job = export(city.liu_a, "school_sheets", "pdf",
                           query=f"campaign={school_campaign.pk}&school={city.school_a.pk}")

    job.refresh_from_db()
    assert job.state == ExportJob.State.DONE and job.rows_done == job.rows_total == 2
    pages = [page.extract_text() for page in pypdf.PdfReader(services.export_file(job)).pages]
    assert len(pages) == 2 and city.chen.name in pages[0] and city.lin.name in pages[1]
    assert AuditEntry.objects.filter(action="campaign.sheets_print", actor_id=city.liu_a.pk).count() == 2
    assert city.chen.pk in job.student_ids


def test_school_sheets_are_not_for_another_schools_psych_teacher(city, export, school_campaign):
    response, job = export(city.wang_b, "school_sheets", "pdf",
                           query=f"campaign={school_campaign.pk}&school={city.school_a.pk}")

    assert response.status_code == 400 and job is None


def test_school_sheets_come_only_as_pdf(city, export, school_campaign):
    response, job = export(city.liu_a, "school_sheets", "xlsx",
                           query=f"campaign={school_campaign.pk}&school={city.school_a.pk}")

    assert response.status_code == 400 and job is None


def test_expired_files_are_removed(city, export):
    import datetime

    from django.utils import timezone

    _response, job = export(city.liu_a, "roster")
    path = services.export_file(job)

    assert services.exports_expire(timezone.now() + datetime.timedelta(days=2)) == 1
    job.refresh_from_db()
    assert job.state == ExportJob.State.EXPIRED and not path.exists()


def test_a_dashboards_own_table_shape_exports_as_is():
    class DashboardTable:
        title, columns, rows = "学校概况", ["学校", "学生数"], [["东湖中学", 12]]

    table = kinds.as_table(DashboardTable())
    assert (table.title, table.columns, list(table.rows), table.count) == ("学校概况", ["学校", "学生数"],
                                                                         [["东湖中学", 12]], 1)


def test_the_job_list_shows_the_users_jobs_only(city, client_as, export):
    _response, own = export(city.liu_a, "roster")
    _response, colleagues = export(city.song_a, "roster")

    page = client_as(city.liu_a).get(reverse("exports:list")).content.decode()
    assert reverse("exports:detail", args=[own.pk]) in page
    assert reverse("exports:detail", args=[colleagues.pk]) not in page


def test_the_list_pages_offer_the_buttons_to_those_who_may_export(city, client_as, school_campaign):
    liu = client_as(city.liu_a)
    for url in (reverse("alerts:inbox"), reverse("cases:list"), reverse("people:student_list"),
                reverse("campaigns:progress", args=[school_campaign.pk])):
        page = liu.get(url).content.decode()
        assert "导出 Excel" in page and "导出 PDF" in page and reverse("exports:create") in page, url
    detail = liu.get(reverse("campaigns:detail", args=[school_campaign.pk])).content.decode()
    assert 'value="school_sheets"' in detail and f"school={city.school_a.pk}" in detail
    assert "导出 Excel" not in client_as(city.chen_user).get(reverse("people:student_list")).content.decode()
