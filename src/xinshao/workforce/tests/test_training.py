"""Trainings: capacity, attendance, completion granting the certificate exactly once."""
import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from xinshao.workforce import selectors, services
from xinshao.workforce.models import Certificate, StaffMember, TrainingEnrolment, WorkforceEvent

from .conftest import staff

pytestmark = pytest.mark.django_db


def test_completing_a_training_grants_its_certificate_once(city, training, kinds):
    member = staff(city.school_a, "王芳")
    enrolment = services.training_enrol(actor=city.song_a, event=training, staff=member)
    assert selectors.needing_training(StaffMember.objects.filter(pk=member.pk), kinds["C"],
                                      timezone.localdate()).exists()
    services.enrolment_update(actor=city.bai, enrolment=enrolment, attended_hours=Decimal("22"), complete=True)

    certificate = Certificate.objects.get(holder=member)
    assert (certificate.kind, certificate.granted_by, certificate.issued_on) == (kinds["C"], enrolment,
                                                                                 timezone.localdate())
    assert certificate.expires_on == kinds["C"].expiry_for(certificate.issued_on)
    assert not selectors.needing_training(StaffMember.objects.filter(pk=member.pk), kinds["C"],
                                          timezone.localdate()).exists()
    with pytest.raises(ValidationError, match="已经结业"):
        services.enrolment_update(actor=city.bai, enrolment=enrolment, attended_hours=Decimal("24"), complete=True)
    assert Certificate.objects.filter(holder=member).count() == 1
    assert WorkforceEvent.objects.filter(kind="certificate_grant", staff=member).count() == 1
    assert list(WorkforceEvent.objects.filter(training=training).values_list("kind", flat=True)) == [
        "training_create", "training_enrol", "training_attendance", "training_complete", "certificate_grant"]


def test_completion_needs_eight_tenths_of_the_hours_and_keeps_nothing_when_refused(city, training):
    enrolment = services.training_enrol(actor=city.bai, event=training, staff=staff(city.school_b, "李明"))
    with pytest.raises(ValidationError, match="八成"):
        services.enrolment_update(actor=city.bai, enrolment=enrolment, attended_hours=Decimal("19"), complete=True)
    enrolment.refresh_from_db()
    assert (enrolment.state, enrolment.attended_hours) == (TrainingEnrolment.State.ENROLLED, 0)
    assert not Certificate.objects.exists()


def test_a_full_training_refuses_one_more_with_a_clear_error(city, training):
    for name in ("甲", "乙", "丁"):
        services.training_enrol(actor=city.bai, event=training, staff=staff(city.school_a, name))
    with pytest.raises(ValidationError, match="3 个名额已满"):
        services.training_enrol(actor=city.bai, event=training, staff=staff(city.school_a, "丙"))
    assert training.enrolments.count() == 3


def test_the_enrol_page_says_the_training_is_full_and_enrols_no_one(city, training, client_as):
    for name in ("甲", "乙", "丁"):
        services.training_enrol(actor=city.bai, event=training, staff=staff(city.school_a, name))
    third = staff(city.school_a, "丙")
    response = client_as(city.song_a).post(reverse("workforce:training_enrol", args=[training.pk]), {"staff": third.pk})
    assert response.status_code == 400
    assert "名额已满" in response.content.decode()
    assert not third.enrolments.exists()


def test_a_school_admin_enrols_only_their_own_school_staff(city, training):
    with pytest.raises(ValidationError):
        services.training_enrol(actor=city.song_a, event=training, staff=staff(city.school_b, "外校"))
    assert not training.enrolments.exists()


def test_a_training_without_a_certificate_grants_none(city, kinds):
    today = timezone.localdate()
    event = services.training_create(actor=city.bai, name="危机干预专题", grants=None, starts_on=today, ends_on=today,
                                     place="线上", capacity=50, hours=Decimal("4"))
    enrolment = services.training_enrol(actor=city.bai, event=event, staff=staff(city.school_a, "赵"))
    services.enrolment_update(actor=city.bai, enrolment=enrolment, attended_hours=Decimal("4"), complete=True)
    enrolment.refresh_from_db()
    assert enrolment.state == TrainingEnrolment.State.COMPLETED and not Certificate.objects.exists()


def test_a_certificate_number_is_used_once_per_kind(city, kinds):
    member = staff(city.school_a, "钱")
    services.certificate_record(actor=city.song_a, holder=member, kind=kinds["C"], number="MZ-1",
                                issued_on=datetime.date(2024, 6, 1))
    with pytest.raises(ValidationError, match="MZ-1"):
        services.certificate_record(actor=city.song_a, holder=member, kind=kinds["C"], number="MZ-1",
                                    issued_on=datetime.date(2024, 6, 1))
    assert Certificate.objects.get().expires_on == datetime.date(2029, 5, 31)
