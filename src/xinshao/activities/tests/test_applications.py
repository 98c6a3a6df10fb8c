"""Applications: a body files, the bureau decides, the body is told; each body sees only its own."""
import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from xinshao.activities import services
from xinshao.activities.models import ActivityEvent, Application, Material
from xinshao.activities.tests.conftest import PDF, draft, submitted
from xinshao.notifications.models import Notification


def test_a_rejection_needs_a_reason(city):
    application = submitted(city.ying, [city.school_a])
    with pytest.raises(ValidationError):
        services.application_review(application=application, approve=False, reason="  ", actor=city.bai)
    application.refresh_from_db()
    assert application.state == Application.State.SUBMITTED


def test_the_review_page_refuses_a_rejection_without_a_reason_and_changes_nothing(client_as, city):
    application = submitted(city.ying, [city.school_a])
    url = reverse("activities:application_review", kwargs={"application_id": application.pk})
    response = client_as(city.bai).post(url, {"decision": "reject", "reason": ""})
    assert response.status_code == 400
    assert "不予批准时请写明原因" in response.content.decode()
    application.refresh_from_db()
    assert application.state == Application.State.SUBMITTED and not application.decision_reason


def test_a_rejection_with_a_reason_tells_the_applicant(client_as, city):
    application = submitted(city.ying, [city.school_a])
    url = reverse("activities:application_review", kwargs={"application_id": application.pk})
    assert client_as(city.bai).post(url, {"decision": "reject", "reason": "占用课时过多"}).status_code == 302
    application.refresh_from_db()
    assert application.state == Application.State.REJECTED and application.decision_reason == "占用课时过多"
    assert application.approval_number is None
    note = Notification.objects.get(recipient=city.ying, topic="activities.decision")
    assert "未获批准" in note.subject


def test_approvals_are_numbered_in_turn_and_the_applicant_is_told(city):
    first = services.application_review(application=submitted(city.ying, [city.school_a]), approve=True,
                                        actor=city.bai)
    second = services.application_review(application=submitted(city.ying, [city.school_b]), approve=True,
                                         actor=city.bai)
    year = first.decided_at.year
    assert first.approval_number == f"MZ-JX-{year}-0001" and second.approval_number == f"MZ-JX-{year}-0002"
    assert re.fullmatch(r"MZ-JX-\d{4}-\d{4}", first.approval_number)
    bodies = Notification.objects.filter(recipient=city.ying, topic="activities.decision").values_list("body", flat=True)
    assert any(first.approval_number in body for body in bodies)


def test_every_state_change_is_an_event(city):
    application = draft(city.ying, [city.school_a])
    services.material_add(application=application, name="方案.pdf", content=PDF, actor=city.ying)
    services.application_submit(application=application, actor=city.ying)
    services.application_review(application=application, approve=True, actor=city.bai)
    services.application_withdraw(application=application, actor=city.ying)
    assert list(ActivityEvent.objects.filter(application=application).values_list("kind", flat=True)) == [
        "application_create", "material_add", "application_submit", "application_approve", "application_withdraw"]


def test_only_the_bureau_admin_decides(city):
    application = submitted(city.ying, [city.school_a])
    for reader in (city.fen, city.du, city.xin, city.ying):
        with pytest.raises(ValidationError):
            services.application_review(application=application, approve=True, actor=reader)


def test_a_draft_needs_a_material_before_it_is_submitted(city):
    application = draft(city.ying, [city.school_a])
    with pytest.raises(ValidationError, match="PDF"):
        services.application_submit(application=application, actor=city.ying)


def test_a_file_that_is_not_a_pdf_is_refused_and_nothing_is_stored(client_as, city):
    application = draft(city.ying, [city.school_a])
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("方案.pdf", b"PK\x03\x04 not a pdf")
    url = reverse("activities:application_material", kwargs={"application_id": application.pk})
    response = client_as(city.ying).post(url, {"file": upload})
    assert response.status_code == 400 and "与扩展名不符" in response.content.decode()
    assert not Material.objects.exists()


def test_an_applicant_files_through_the_pages(client_as, city):
    client = client_as(city.ying)
    form = client.get(reverse("activities:application_new")).content.decode()
    assert city.school_a.name in form and "应经理" in form
    response = client.post(reverse("activities:application_new"), {
        "title": "校园戏剧展演", "kind": "performance", "purpose": "话剧《青春》", "schools": [city.school_a.pk],
        "starts_on": "2099-01-01", "ends_on": "2098-12-31", "participants": 200, "teacher_hours": "3",
        "contact_person": "应经理", "contact_phone": "13800000001"})
    assert response.status_code == 400 and not Application.objects.exists()


def test_an_applicant_sees_only_its_own_bodys_applications(client_as, city, xing):
    own = submitted(city.ying, [city.school_a], title="本单位的讲座")
    submitted(xing, [city.school_b], title="别家的演出")
    page = client_as(city.ying).get(reverse("activities:applications")).content.decode()
    assert "本单位的讲座" in page and "别家的演出" not in page
    bureau = client_as(city.fen).get(reverse("activities:applications"), {"state": ""}).content.decode()
    assert "本单位的讲座" in bureau and "别家的演出" in bureau
    assert own.pk


def test_the_bureau_does_not_see_drafts(client_as, city):
    draft(city.ying, [city.school_a], title="还在写的草稿")
    page = client_as(city.bai).get(reverse("activities:applications"), {"state": ""}).content.decode()
    assert "还在写的草稿" not in page
