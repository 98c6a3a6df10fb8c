"""The pages: who sees whose records, the analyst's aggregates without names, and the homes."""
import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from xinshao.workforce import services
from xinshao.workforce.models import Certificate, StaffMember, Targets

from .conftest import TODAY, staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def registers(city, kinds):
    a = staff(city.school_a, "东湖王老师", employment="full_time")
    b = staff(city.school_b, "西山李老师")
    Certificate.objects.create(holder=a, kind=kinds["C"], number="C-A", issued_on=TODAY - datetime.timedelta(days=9),
                               expires_on=TODAY + datetime.timedelta(days=900), recorded_by=city.bai,
                               recorded_at=datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC))
    return a, b


def test_school_a_staff_see_only_school_a_records(city, registers, client_as):
    a, b = registers
    for user in (city.song_a, city.liu_a):
        client = client_as(user)
        page = client.get(reverse("workforce:school", args=[city.school_a.pk])).content.decode()
        assert "东湖王老师" in page and "西山李老师" not in page
        assert client.get(reverse("workforce:school", args=[city.school_b.pk])).status_code == 404
        assert client.get(reverse("workforce:staff", args=[b.pk])).status_code == 404
        assert client.get(reverse("workforce:my_school")).url == reverse("workforce:school", args=[city.school_a.pk])


def test_only_the_school_admin_keeps_the_register_and_it_is_their_own_school(city, registers, client_as):
    a, b = registers
    form = {"name": "新老师", "post": "psych_teacher", "employment": "full_time", "is_active": "on"}
    assert client_as(city.liu_a).post(reverse("workforce:staff_new", args=[city.school_a.pk]), form).status_code == 403
    assert client_as(city.song_a).post(reverse("workforce:staff_new", args=[city.school_b.pk]), form).status_code == 404
    response = client_as(city.song_a).post(reverse("workforce:staff_new", args=[city.school_a.pk]), form)
    assert response.status_code == 302
    assert StaffMember.objects.get(name="新老师").school == city.school_a


def test_the_school_admin_adds_the_schools_psych_and_class_teacher_logins_once(city, client_as):
    client = client_as(city.song_a)
    url = reverse("workforce:staff_from_logins", args=[city.school_a.pk])
    client.post(url)
    client.post(url)
    assert sorted(StaffMember.objects.values_list("user__username", "post", "school")) == [
        ("liu_a", "psych_teacher", city.school_a.pk), ("zhang_a1", "class_teacher", city.school_a.pk)]


def test_the_analyst_reads_rates_but_no_names(city, registers, client_as):
    client = client_as(city.fen)
    page = client.get(reverse("workforce:certification")).content.decode()
    assert "东湖中学" in page and "西山李老师" not in page and "还需培训的老师" not in page
    assert client.get(reverse("workforce:school", args=[city.school_a.pk])).status_code == 403
    assert client.get(reverse("workforce:staff", args=[registers[0].pk])).status_code == 404


def test_the_certification_page_shows_the_city_rate_the_target_and_who_needs_training(city, registers, client_as):
    page = client_as(city.bai).get(reverse("workforce:certification")).content.decode()
    assert "50.0%" in page and "目标 95.0%" in page  # 1 of 2 hold a valid C证
    assert "西山李老师" in page and "还需培训的老师" in page


def test_the_certification_page_counts_this_years_trainees_against_the_yearly_target(city, training, client_as):
    member = staff(city.school_a, "结业老师")
    enrolment = services.training_enrol(actor=city.bai, event=training, staff=member)
    services.enrolment_update(actor=city.bai, enrolment=enrolment, attended_hours=24, complete=True)
    page = client_as(city.fen).get(reverse("workforce:certification")).content.decode()
    assert f"{timezone.localdate().year} 年已有 1 人培训结业，全年目标 1500 人" in page


def test_the_bureau_sets_targets_and_a_bad_one_changes_nothing(city, kinds, client_as):
    client = client_as(city.bai)
    form = {"full_time_per_thousand": "1.5", "min_full_time_per_school": "1", "certification_kind": kinds["C"].pk,
            "certification_baseline": "84.3", "certification_target": "80", "yearly_trainees": "1500"}
    response = client.post(reverse("workforce:targets"), form)
    assert response.status_code == 400 and "目标不能低于基线" in response.content.decode()
    assert Targets.current().full_time_per_thousand == 1
    assert client.post(reverse("workforce:targets"), {**form, "certification_target": "95"}).status_code == 302
    assert str(Targets.current().full_time_per_thousand) == "1.50"
    assert client_as(city.xin).get(reverse("workforce:targets")).status_code == 403


def test_designations_are_recorded_by_the_bureau_and_read_by_any_staff(city, client_as):
    response = client_as(city.bai).post(reverse("workforce:designation_new"), {
        "school": city.school_a.pk, "kind": "demonstration", "level": "city", "year": 2025, "awarded_by": "明州市教育局"})
    assert response.status_code == 302
    assert "东湖中学" in client_as(city.zhang_a1).get(reverse("workforce:designations")).content.decode()
    assert client_as(city.chen_user).get(reverse("workforce:designations")).status_code == 403
    again = client_as(city.bai).post(reverse("workforce:designation_new"), {
        "school": city.school_a.pk, "kind": "demonstration", "level": "city", "year": 2025})
    assert again.status_code == 400


def test_the_homes_show_the_workforce_destinations(city, client_as):
    bureau = client_as(city.bai).get("/").content.decode()
    for name in ("workforce:overview", "workforce:certification", "workforce:trainings", "workforce:designations"):
        assert reverse(name) in bureau
    school = client_as(city.song_a).get("/").content.decode()
    assert reverse("workforce:my_school") in school and reverse("workforce:certification") not in school


def test_enrolment_and_completion_from_the_training_page(city, kinds, client_as):
    today = timezone.localdate()
    event = services.training_create(actor=city.bai, name="C证培训", grants=kinds["C"], starts_on=today,
                                     ends_on=today, place="市教育局", capacity=5, hours=8)
    member = staff(city.school_a, "周老师")
    assert client_as(city.song_a).post(reverse("workforce:training_enrol", args=[event.pk]),
                                       {"staff": member.pk}).status_code == 302
    enrolment = member.enrolments.get()
    assert client_as(city.song_a).post(reverse("workforce:enrolment_update", args=[enrolment.pk]),
                                       {"attended_hours": "8", "complete": "on"}).status_code == 403
    client_as(city.bai).post(reverse("workforce:enrolment_update", args=[enrolment.pk]),
                             {"attended_hours": "8", "complete": "on"})
    assert member.certificates.get().granted_by == enrolment


def test_the_certification_page_reads_in_english(city, registers, client_as):
    client = client_as(city.bai)
    client.cookies["django_language"] = "en"
    page = client.get(reverse("workforce:certification"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Certification rate by school" in page and "Teachers who still need training" in page
