"""The bureau's compliance and consent pages in the demo city are not empty (demo/compliance.py,
demo/consent.py, demo/leavers.py): access requests waiting and one approved, an incident with its
timeline, an emergency referral without consent waiting for review, and a student who left."""
import io

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from xinshao.accounts.models import User
from xinshao.audit.models import AuditEntry
from xinshao.cases.models import ConsentOverride
from xinshao.compliance.models import AccessRequest, Incident
from xinshao.people.models import Enrolment, Student

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(settings, tmp_path):
    settings.DATA_DIR = tmp_path
    call_command("seed_demo", "--schools", "6", "--students", "600", stdout=io.StringIO())


def signed_in(username: str) -> Client:
    client = Client()
    client.force_login(User.objects.get(username=username))
    return client


def test_the_bureau_has_access_requests_to_decide_and_an_incident_with_its_timeline(demo):
    asked = AccessRequest.objects.filter(by_migration=False)
    assert sorted(asked.values_list("state", flat=True)) == ["approved", "pending", "pending"]
    approved = asked.get(state="approved")
    assert approved.decided_by.username == "bureau.admin" and approved.requested_by.username == "s001.admin"
    assert approved.assignment.is_active and approved.events.count() == 2
    admin = signed_in("bureau.admin")
    waiting = admin.get(reverse("compliance:pending")).content.decode()
    assert all(reverse("compliance:request", args=[pending.pk]) in waiting for pending in asked.filter(state="pending"))
    assert reverse("compliance:request", args=[approved.pk]) not in waiting

    incident = Incident.objects.get()
    assert [event.kind for event in incident.events.order_by("at", "id")] == [
        "reported", "contained", "authority_reported"]
    assert incident.affected_students.count() == incident.affected_count == 3 and incident.closed_at is None
    page = admin.get(reverse("compliance:incident", args=[incident.pk])).content.decode()
    assert incident.title in page and "已撤回消息" in page


def test_an_override_waits_for_the_psych_centres_review_and_a_student_who_left_has_a_date(demo):
    override = ConsentOverride.objects.select_related("referral__agency", "referral__case").get()
    referral = override.referral
    assert override.reviewed_at is None and referral.agency.name == "明州市第一人民医院"
    assert referral.consent is None and referral.without_agreement_reason and referral.case.level == "red"
    assert referral.case.school.code == "S001"
    assert override.reason in signed_in("psych.centre").get(reverse("consent:overrides")).content.decode()

    left = Student.objects.get(status=Student.Status.TRANSFERRED_OUT)
    enrolment = Enrolment.objects.get(student=left)
    assert enrolment.ended_on is not None and enrolment.reason == "随父母工作调动迁往外省"
    assert not left.assignments.exists()   # the screening's assignment was withdrawn
    assert AuditEntry.objects.filter(action="student.leave", student_id=left.pk).exists()
    page = signed_in(f"{left.school.code.lower()}.admin").get(
        reverse("people:student_detail", args=[left.pk])).content.decode()
    assert "匿名化" in page and enrolment.ended_on.isoformat() in page
