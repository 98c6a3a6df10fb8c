"""Lists never show another school's students, whatever the role or the filter."""
import pytest
from django.urls import reverse

from xinshao.access import scopes


@pytest.mark.parametrize("username", ["song_a", "liu_a", "zhang_a1"])
def test_school_a_staff_never_see_a_school_b_student_in_any_list(city, client_as, username):
    client = client_as(getattr(city, username))
    pages = [
        reverse("people:student_list"),
        reverse("people:student_list") + "?q=周",
        reverse("people:student_list") + f"?school_class={city.class_b1.pk}",
        reverse("org:school_list"),
        reverse("org:school_detail", kwargs={"school_id": city.school_a.pk}),
        reverse("org:class_detail", kwargs={"class_id": city.class_a1.pk}),
    ]
    for page in pages:
        body = client.get(page).content.decode()
        assert city.zhou.name not in body and city.zhou.student_number not in body, page
        assert city.school_b.name not in body, page


def test_psych_teacher_lists_every_student_of_own_school(city, client_as):
    body = client_as(city.liu_a).get(reverse("people:student_list")).content.decode()
    assert city.chen.name in body and city.lin.name in body


def test_class_teacher_lists_only_own_class(city, client_as):
    body = client_as(city.zhang_a1).get(reverse("people:student_list")).content.decode()
    assert city.chen.name in body and city.lin.name not in body


def test_bureau_roles_see_schools_but_no_individual_student(city, client_as):
    for user in (city.bai, city.xin, city.fen):
        client = client_as(user)
        schools = client.get(reverse("org:school_list")).content.decode()
        assert city.school_a.name in schools and city.school_b.name in schools
        students = client.get(reverse("people:student_list")).content.decode()
        assert city.chen.name not in students and city.zhou.name not in students
        class_page = client.get(reverse("org:class_detail", kwargs={"class_id": city.class_a1.pk})).content.decode()
        assert city.chen.name not in class_page


def test_committee_member_and_student_see_only_themselves(city):
    assert list(scopes.students_visible_to(city.lin_user)) == [city.lin]
    assert list(scopes.students_visible_to(city.chen_user)) == [city.chen]


def test_guardian_sees_only_own_child(city):
    assert list(scopes.students_visible_to(city.chen_ma_user)) == [city.chen]


@pytest.mark.parametrize("username", ["yi", "re", "du", "gao_a"])
def test_roles_without_student_duties_see_no_student(city, username):
    assert not scopes.students_visible_to(getattr(city, username)).exists()


def test_a_deactivated_assignment_grants_nothing(city):
    city.liu_a.role_assignments.update(is_active=False)
    assert not scopes.students_visible_to(city.liu_a).exists()
    assert not scopes.schools_visible_to(city.liu_a).exists()


def test_only_school_admin_may_change_own_roster(city):
    assert list(scopes.students_changeable_by(city.song_a).order_by("pk")) == [city.chen, city.lin]
    for username in ("liu_a", "zhang_a1", "bai", "song_b", "chen_user"):
        assert city.chen not in scopes.students_changeable_by(getattr(city, username)), username
