"""The pages: evidence upload errors, who sees what, and the homes of the inspector and the school."""
import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from xinshao.governance import services
from xinshao.governance.models import Evidence, Result, SchoolVisit

from .conftest import PDF

pytestmark = pytest.mark.django_db


def _open(city, round_, school):
    visit = SchoolVisit.objects.get(round=round_, school=school)
    item = round_.items.first()
    services.visit_record(visit=visit, results={item.pk: (Result.PARTLY, "")}, actor=city.du)
    return services.rectification_open(finding=visit.findings.get(item=item), requirement="整改",
                                       deadline=timezone.localdate() + datetime.timedelta(days=10), actor=city.du)


def _login(client, user):
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")


def _upload(client, item, name, content):
    return client.post(reverse("governance:rectification_evidence", args=[item.pk]),
                       {"file": SimpleUploadedFile(name, content)})


def _stored_files(media):
    return [path for path in media.rglob("*") if path.is_file()] if media.exists() else []


@pytest.mark.parametrize("name,content,words", [
    ("课表.exe", b"MZ\x90\x00", "只能上传"),
    ("课表.pdf", b"MZ\x90\x00 not a pdf", "不符"),
    ("空.pdf", b"", "空的"),
])
def test_a_bad_file_is_refused_next_to_the_field_and_nothing_is_stored(city, client, inspection_round, _media,
                                                                        name, content, words):
    item = _open(city, inspection_round, city.school_a)
    _login(client, city.liu_a)
    response = _upload(client, item, name, content)
    assert response.status_code == 400
    assert words in response.context["evidence_form"].errors["file"][0]
    assert not Evidence.objects.exists() and not _stored_files(_media)


def test_a_file_over_the_limit_is_refused(city, client, inspection_round, settings, _media):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 2048
    item = _open(city, inspection_round, city.school_a)
    _login(client, city.liu_a)
    response = _upload(client, item, "大文件.pdf", b"%PDF" + b"0" * 4096)
    assert response.status_code == 400 and "文件太大" in response.context["evidence_form"].errors["file"][0]
    assert not Evidence.objects.exists() and not _stored_files(_media)


def test_a_good_file_is_stored_and_read_back_only_within_scope(city, client, inspection_round, _media):
    item = _open(city, inspection_round, city.school_a)
    _login(client, city.song_a)
    response = _upload(client, item, "课表.pdf", PDF)
    assert response.status_code == 302
    evidence = Evidence.objects.get()
    assert evidence.file_name == "课表.pdf" and len(_stored_files(_media)) == 1
    assert "课表" not in evidence.file.name  # stored under a name of our own
    url = reverse("governance:evidence_file", args=[evidence.pk])
    assert b"".join(client.get(url).streaming_content) == PDF
    for outsider in (city.wang_b, city.song_b, city.zhang_a1, city.chen_user, city.chen_ma_user, city.re):
        _login(client, outsider)
        assert client.get(url).status_code == 404
    _login(client, city.fen)
    assert client.get(url).status_code == 200  # the analyst reads


def test_school_a_never_sees_school_b_items(city, client, inspection_round):
    item_a, item_b = _open(city, inspection_round, city.school_a), _open(city, inspection_round, city.school_b)
    _login(client, city.liu_a)
    page = client.get(reverse("governance:school_items"))
    assert list(page.context["items"]) == [item_a]
    assert client.get(reverse("governance:rectification_detail", args=[item_b.pk])).status_code == 404
    visit_b = SchoolVisit.objects.get(round=inspection_round, school=city.school_b)
    assert client.get(reverse("governance:visit_detail", args=[visit_b.pk])).status_code == 404
    assert client.get(reverse("governance:round_detail", args=[inspection_round.pk])).status_code == 404
    for person in (city.zhang_a1, city.chen_user, city.chen_ma_user, city.lin_user, city.gao_a):
        _login(client, person)
        assert client.get(reverse("governance:rectification_detail", args=[item_a.pk])).status_code == 404
        assert client.get(reverse("governance:school_items")).status_code == 403


def test_the_inspector_signs_off_on_the_page(city, client, inspection_round):
    item = _open(city, inspection_round, city.school_a)
    _login(client, city.liu_a)
    client.post(reverse("governance:rectification_evidence", args=[item.pk]),
                {"file": SimpleUploadedFile("课表.pdf", PDF)})
    assert client.post(reverse("governance:rectification_submit", args=[item.pk]), {"note": "已开课"}).status_code == 302
    _login(client, city.du)
    pending = client.get(reverse("governance:pending"))
    assert list(pending.context["items"]) == [item]
    response = client.post(reverse("governance:rectification_review", args=[item.pk]), {"decision": "return"})
    assert response.status_code == 400 and response.context["review_form"].errors["reason"]
    client.post(reverse("governance:rectification_review", args=[item.pk]), {"decision": "accept"})
    item.refresh_from_db()
    assert item.state == "signed_off"


def test_findings_are_recorded_on_the_page_with_errors_next_to_the_field(city, client, inspection_round):
    visit = SchoolVisit.objects.get(round=inspection_round, school=city.school_a)
    first = inspection_round.items.first()
    _login(client, city.du)
    url = reverse("governance:visit_findings", args=[visit.pk])
    response = client.post(url, {f"note_{first.pk}": "说明但没有结果"})
    assert response.status_code == 400 and response.context["form"].errors[f"result_{first.pk}"]
    response = client.post(url, {f"result_{first.pk}": "not_met", f"note_{first.pk}": "没有课表",
                                 "completed_on": timezone.localdate().isoformat()})
    assert response.status_code == 400 and response.context["form"].errors["completed_on"]
    assert visit.findings.count() == 0  # the whole save is undone
    response = client.post(url, {f"result_{first.pk}": "not_met", f"note_{first.pk}": "没有课表"})
    assert response.status_code == 302 and visit.findings.get().note == "没有课表"


def test_a_round_is_planned_on_the_page_for_one_district(city, client, inspection_round):
    _login(client, city.du)
    response = client.post(reverse("governance:round_new"), {
        "plan": inspection_round.plan_id, "name": "东湖区专项督查", "starts_on": "2026-12-01", "ends_on": "2026-12-20",
        "checklist": inspection_round.checklist_id, "district": city.district_a.pk, "inspectors": [city.du.pk]})
    assert response.status_code == 302
    new = inspection_round.plan.rounds.get(name="东湖区专项督查")
    assert list(new.visits.values_list("school_id", flat=True)) == [city.school_a.pk]


def test_the_summary_page_prints(city, client, inspection_round):
    _login(client, city.fen)
    response = client.get(reverse("governance:round_summary", args=[inspection_round.pk]) + "?print=1")
    assert response.status_code == 200 and "关于第四轮督查情况的通报" in response.content.decode()
    _login(client, city.fen)
    assert client.post(reverse("governance:round_state", args=[inspection_round.pk]), {"to": "closed"}).status_code == 403


def test_homes_show_governance_work(city, client):
    _login(client, city.du)
    home = client.get("/").content.decode()
    for words in ("督查轮次", "待审核整改", "逾期整改"):
        assert words in home
    assert "本校整改事项" not in home
    _login(client, city.song_a)
    home = client.get("/").content.decode()
    assert "本校整改事项" in home and "督查轮次" not in home
    _login(client, city.zhang_a1)
    assert "整改" not in client.get("/").content.decode()


def test_the_summary_notice_downloads_as_a_pdf(city, client, inspection_round):
    _login(client, city.du)
    response = client.get(reverse("governance:round_summary_pdf", args=[inspection_round.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    _login(client, city.liu_a)
    assert client.get(reverse("governance:round_summary_pdf", args=[inspection_round.pk])).status_code == 404
