"""The yearly compliance report: every figure against counts this test makes itself."""
import io

import openpyxl
import pypdf
import pytest
from django.urls import reverse
from django.utils import timezone

from xinshao.accounts.roles import Role
from xinshao.accounts.services import break_glass_open
from xinshao.audit.models import AuditEntry
from xinshao.audit.services import audit_record
from xinshao.compliance import services
from xinshao.compliance.report import compliance_report
from xinshao.compliance.tests.support import other_city_admin, person
from xinshao.exports import services as export_services
from xinshao.exports.models import ExportJob
from xinshao.org.models import Region
from xinshao.testing import enrolled_student

YEAR = timezone.localdate().year


@pytest.fixture
def activity(city):
    """This year: Liu read Chen twice, the psych centre opened Zhou by break-glass (one audited
    read) and read her once more; a grant was approved and one refused; one incident. Last year:
    one read of Chen, which this year's report leaves out. A 16-year-old at school B."""
    enrolled_student(city.school_b, city.class_b1, "B2026009", "吴大伟", "M", (YEAR - 16, 1, 5))
    for _ in range(2):
        audit_record(actor=city.liu_a, action="records.viewed", student=city.chen)
    break_glass_open(user=city.xin, student=city.zhou, reason="热线来电称有自伤风险")
    audit_record(actor=city.xin, action="records.viewed", student=city.zhou)
    old = AuditEntry(at=timezone.now().replace(year=YEAR - 1), actor_id=city.liu_a.pk, actor_label="liu_a",
                     action="records.viewed", student_id=city.chen.pk)
    old.content_hash = old.compute_content_hash()
    old.save()
    newcomer = person("xu_new")
    services.access_approve(access_request=services.access_request(
        requested_by=city.song_a, user=newcomer, role=Role.PSYCH_TEACHER, unit=city.school_a, reason="兼职"),
        actor=city.bai)
    services.access_refuse(access_request=services.access_request(
        requested_by=city.song_b, user=newcomer, role=Role.PSYCH_TEACHER, unit=city.school_b, reason="兼职"),
        actor=city.bai, note="已在东湖中学任职")
    services.incident_report(actor=city.bai, region=city.region, title="名单误发到家长群", description="误发",
                             discovered_at=timezone.now(), affected_count=42, data_kinds=["identity"])
    return city


def test_the_report_counts_what_is_held_who_read_it_grants_and_incidents(activity):
    city = activity
    report = compliance_report(region=city.region, year=YEAR)
    summary, held, by_role, by_school, incidents = report.tables

    assert report.figure(1, "学生") == 4
    under_14 = next(row for row in held.rows if row[0].startswith("其中未满14周岁"))
    assert under_14[1] == 3  # Chen, Lin, Zhou were born in 2013; Wu is 16
    assert report.figure(1, "预警") == 0 and report.figure(1, "个案") == 0
    # Reads of this year: Liu 2 (Chen); Xin 2 (Zhou: break-glass and a read).
    assert report.figure(0, "审计记录的查看次数") == 4
    assert report.figure(0, "查看过学生信息的人数") == 2
    assert report.figure(0, "紧急访问次数") == 1
    assert report.figure(0, "批准的访问授权") == 1 and report.figure(0, "拒绝的访问授权申请") == 1
    assert report.figure(0, "撤销的访问授权") == 0
    assert report.figure(0, "个人信息安全事件") == 1 and report.figure(0, "事件涉及学生人次") == 42
    assert report.figure(0, "未按期上报的事件") == 0
    assert sorted(by_role.rows) == [["学校心理教师", 2, 1], ["教育局心理中心", 2, 1]]
    assert sorted(by_school.rows) == [["东湖中学", 2, 1], ["西山中学", 2, 1]]
    assert [row[0] for row in incidents.rows] == ["名单误发到家长群"]


def test_a_district_report_holds_only_its_own_schools(activity):
    city = activity
    report = compliance_report(region=city.district_a, year=YEAR)
    assert report.figure(1, "学生") == 2 and report.figure(0, "审计记录的查看次数") == 2
    assert report.tables[3].rows == [["东湖中学", 2, 1]]
    assert report.figure(0, "个人信息安全事件") == 0  # registered for the city
    last_year = compliance_report(region=city.region, year=YEAR - 1)
    assert last_year.figure(0, "审计记录的查看次数") == 1


def test_the_page_is_for_the_bureau_admin_of_the_region(activity, client_as):
    city = activity
    url = reverse("compliance:report") + f"?year={YEAR}&region={city.region.pk}"
    page = client_as(city.bai).get(url)
    assert page.status_code == 200 and "东湖中学" in page.content.decode() and "导出 PDF" in page.content.decode()
    assert AuditEntry.objects.filter(action="compliance.report_viewed", actor_id=city.bai.pk).count() == 1
    assert client_as(city.fen).get(url).status_code == 403
    other = Region.objects.get(pk=city.region.pk)
    assert client_as(other_city_admin()).get(reverse("compliance:report") + f"?year={YEAR}&region={other.pk}"
                                             ).status_code == 400


@pytest.fixture
def export(client_as, django_capture_on_commit_callbacks, settings, tmp_path):
    settings.DATA_DIR = tmp_path

    def ask(user, file_format, query):
        with django_capture_on_commit_callbacks(execute=True):
            client_as(user).post(reverse("exports:create"), {"kind": "compliance_report", "format": file_format,
                                                             "query": query})
        return ExportJob.objects.filter(requested_by=user).order_by("-id").first()
    return ask


def test_the_report_exports_to_excel_and_to_a_pdf_in_chinese(activity, export):
    city = activity
    query = f"year={YEAR}&region={city.region.pk}"
    job = export(city.bai, "xlsx", query)
    assert job.state == ExportJob.State.DONE
    rows = list(openpyxl.load_workbook(export_services.export_file(job), read_only=True).worksheets[0]
                .iter_rows(values_only=True))
    assert ("审计记录的查看次数", 4) in rows
    job = export(city.bai, "pdf", query)
    assert job.state == ExportJob.State.DONE
    content = export_services.export_file(job).read_bytes()
    text = "\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(content)).pages)
    assert "紧急访问次数" in text and "东湖中学" in text and "名单误发到家长群" in text


def test_an_export_for_a_region_outside_the_users_is_refused(activity, export):
    job = export(other_city_admin(), "xlsx", f"year={YEAR}&region={activity.region.pk}")
    assert job is None

