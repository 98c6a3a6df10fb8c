"""A guardian's copy of their child's data: every record of the child, nothing of another child,
downloadable only by whoever asked for it."""
import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from xinshao.alerts.models import Alert
from xinshao.alerts.services import city_rule_set
from xinshao.alerts.tests.support import campaign_in, stored_result
from xinshao.audit.models import AuditEntry
from xinshao.campaigns.models import ConsentRecord
from xinshao.cases.models import CounsellingSession, GuardianContact, SafetyPlan
from xinshao.cases.services import case_open
from xinshao.exports.models import ExportJob
from xinshao.exports.services import export_file
from xinshao.retention.copy import PARTS
from xinshao.retention.models import CopyRequest
from xinshao.sentinel.models import ConcernLevel, HomeSchoolRecord

PRIVATE = "辅导中说到的家里的事"


def _records_of_chen_and_zhou(city):
    """Chen (the guardian's child) and Zhou (another child) each with results, an alert, a consent
    and a case with a session, a safety plan and a contact with the family."""
    campaign, now = campaign_in(city), timezone.now()
    rules = city_rule_set(city.region)
    for student, psych, n in ((city.chen, city.liu_a, 2), (city.zhou, city.wang_b, 1)):
        stored_result(campaign, student, "phqa", [1] * 9)
        stored_result(campaign, student, "gad7", [1] * 7)
        Alert.objects.create(student=student, school=student.school, level="yellow", ack_due_at=now,
                             rule_set=rules, rules_used="v1", created_at=now)
        ConsentRecord.objects.create(campaign=campaign, student=student, decision="granted", recorded_by=psych)
        case = case_open(student=student, level="yellow", reason="测评结果", actor=psych)
        written = {"written_by": psych, "written_at": now, "written_at_school": student.school}
        for day in range(n):
            CounsellingSession.objects.create(case=case, held_at=now - datetime.timedelta(days=day), kind="individual",
                                              minutes=30, private_notes=PRIVATE, **written)
        SafetyPlan.objects.create(case=case, warning_signs="睡不着", coping_steps="深呼吸", people_to_contact="妈妈",
                                  professional_help="心理老师", **written)
        GuardianContact.objects.create(case=case, contacted_at=now, method="phone", what_was_said="约好周五见面",
                                       **written)
        HomeSchoolRecord.objects.create(student=student, school=student.school, author=psych, kind="home_visit",
                                        happened_on=timezone.localdate(), participants="家长", summary="家访情况",
                                        concern=ConcernLevel.SOME)


def test_a_guardian_gets_every_record_of_their_child_and_nothing_of_another(
        city, client_as, django_capture_on_commit_callbacks):
    _records_of_chen_and_zhou(city)
    client = client_as(city.chen_ma_user)
    assert client.get(reverse("retention:copies")).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("retention:copies"), {"student": city.chen.pk})
    request = CopyRequest.objects.get()
    assert (request.student, request.guardian, request.channel) == (city.chen, city.chen_ma, "portal")
    assert response.status_code == 302 and response["Location"] == reverse("exports:detail", args=[request.job_id])
    job = ExportJob.objects.get(pk=request.job_id)
    assert (job.state, job.requested_by, job.student_ids) == ("done", city.chen_ma_user, [city.chen.pk])

    workbook = load_workbook(export_file(job), read_only=True)
    sheets = workbook.worksheets
    assert len(sheets) == len(PARTS)
    text = []
    for part, sheet in zip(PARTS, sheets):
        rows = list(sheet.iter_rows(values_only=True))[1:]
        assert len(rows) == part.rows_of(city.chen).count(), part.title
        text += [str(cell) for row in rows for cell in row if cell is not None]
    counts = {str(part.title): part.rows_of(city.chen).count() for part in PARTS}
    assert {k: counts[k] for k in ("基本信息", "测评结果", "预警", "个案", "辅导", "安全计划", "与家长的沟通", "家访与家长会")} == {
        "基本信息": 1, "测评结果": 2, "预警": 1, "个案": 1, "辅导": 2, "安全计划": 1, "与家长的沟通": 1, "家访与家长会": 1}
    joined = " ".join(text)
    assert city.chen.name in joined and "深呼吸" in joined
    assert city.zhou.name not in joined and city.zhou.student_number not in joined
    assert PRIVATE not in joined  # the psych teacher's own notes are not in the copy
    assert AuditEntry.objects.filter(action="retention.copy_requested", student_id=city.chen.pk).count() == 1

    # Only the guardian who asked downloads it; the download is audited with the child named.
    assert client.get(reverse("exports:download", args=[job.pk])).status_code == 200
    assert AuditEntry.objects.get(action="exports.downloaded").detail["students"] == [city.chen.pk]
    for other in (city.liu_a, city.bai, city.chen_user):
        assert client_as(other).get(reverse("exports:download", args=[job.pk])).status_code == 404


def test_a_guardian_cannot_ask_for_another_child(city, client_as):
    response = client_as(city.chen_ma_user).post(reverse("retention:copies"), {"student": city.zhou.pk})
    assert response.status_code == 400
    assert not CopyRequest.objects.exists() and not ExportJob.objects.exists()


def test_a_school_records_a_paper_request_for_its_own_students_only(city, client_as,
                                                                     django_capture_on_commit_callbacks):
    client = client_as(city.liu_a)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("retention:copies"), {"student": city.chen.pk, "note": "陈妈妈 12月7日 书面申请"})
    request = CopyRequest.objects.get()
    assert (request.channel, request.guardian, request.requested_by) == ("paper", None, city.liu_a)
    assert ExportJob.objects.get(pk=request.job_id).state == "done"
    assert client.post(reverse("retention:copies"), {"student": city.zhou.pk}).status_code == 400
    assert CopyRequest.objects.count() == 1
    # School B's psych teacher sees no request of school A's student.
    page = client_as(city.wang_b).get(reverse("retention:copies")).content.decode()
    assert city.chen.name not in page


@pytest.mark.parametrize("person,status", [("chen_ma_user", 200), ("liu_a", 200), ("song_a", 200),
                                           ("bai", 403), ("zhang_a1", 403), ("chen_user", 403)])
def test_who_may_use_the_copy_page(city, client_as, person, status):
    assert client_as(getattr(city, person)).get(reverse("retention:copies")).status_code == status
