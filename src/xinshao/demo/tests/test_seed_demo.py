import datetime
import io
import re
from collections import Counter

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from django.db.models import Count
from django.test import Client
from django.urls import reverse

from xinshao.accounts.models import RoleAssignment, User
from xinshao.accounts.roles import Role
from xinshao.compliance.models import AccessRequest
from xinshao.demo.staff import DEMO_PASSWORD
from xinshao.org.grades import SCHOOL_KIND_LEVELS, level_ordinal
from xinshao.org.models import Grade, Region, School, SchoolClass, Term
from xinshao.people.models import Enrolment, Guardian, Student

TINY = ("--schools", "6", "--students", "300", "--today", "2026-11-28")


def seed(*args: str) -> str:
    out = io.StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


def printed_logins(output: str) -> list[dict[str, str]]:
    """The rows of the printed login table: username, password, role, scope."""
    lines = output[output.index("username"):].splitlines()[2:]
    return [dict(zip(("username", "password", "role", "scope"), re.split(r"\s{2,}", line.strip(), maxsplit=3)))
            for line in lines if line.strip()]


def snapshot() -> dict[str, list]:
    return {
        "schools": list(School.objects.order_by("code").values_list("code", "name", "kind", "ownership",
                                                                    "district__code")),
        "students": [(s.school.code, s.student_number, s.name, s.gender, s.birth_date, s.national_id,
                      str(s.school_class)) for s in Student.objects.select_related("school", "school_class__grade")
                     .order_by("school__code", "student_number")],
        "guardians": sorted(Guardian.objects.values_list("name", "phone")),
        "users": sorted(User.objects.values_list("username", "display_name", "phone")),
    }


def seeded_snapshot(*args: str) -> dict[str, list]:
    """Build a city, read it, and roll it back so the next build starts from an empty database."""
    with transaction.atomic():
        seed(*args)
        city = snapshot()
        transaction.set_rollback(True)
    return city


def test_the_same_seed_builds_the_same_city_and_another_seed_a_different_one(db):
    first = seeded_snapshot(*TINY, "--seed", "7")
    assert first == seeded_snapshot(*TINY, "--seed", "7")
    other = seeded_snapshot(*TINY, "--seed", "8")
    assert [row[2] for row in other["students"]] != [row[2] for row in first["students"]]
    assert len(first["students"]) == 300 and len({row[0] for row in first["schools"]}) == 6


def test_every_role_has_a_printed_login_that_signs_in_to_its_home_page(db):
    logins = printed_logins(seed(*TINY))
    assert {login["role"] for login in logins} == {str(role.label) for role in Role}
    assert {login["password"] for login in logins} == {DEMO_PASSWORD}
    admins = [login["username"] for login in logins if login["role"] == str(Role.SCHOOL_ADMIN.label)]
    psych = [login["username"] for login in logins if login["role"] == str(Role.PSYCH_TEACHER.label)]
    assert admins == ["s001.admin", "s002.admin"] and psych == ["s001.psych1", "s002.psych1"]
    for login in logins:
        client = Client()
        response = client.post(reverse("accounts:login"),
                               {"username": login["username"], "password": login["password"]})
        assert response.status_code == 302 and response["Location"] == reverse("core:home"), login["username"]
        assert client.get(reverse("core:home")).status_code == 200


def test_every_demo_user_holds_one_role_scoped_as_the_role_requires(db):
    seed(*TINY)
    for assignment in RoleAssignment.objects.all():
        assignment.full_clean()
    # One role each, but the teacher whose part-time psych role the bureau approved (demo/compliance.py).
    approved = AccessRequest.objects.get(state=AccessRequest.State.APPROVED, by_migration=False)
    assert set(User.objects.annotate(roles=Count("role_assignments")).exclude(roles=1)) == {approved.user}
    assert set(approved.user.role_assignments.values_list("role", flat=True)) == {Role.TEACHER, Role.PSYCH_TEACHER}
    per_school = Counter(RoleAssignment.objects.filter(role=Role.SCHOOL_ADMIN).values_list("school", flat=True))
    assert sorted(per_school.values()) == [1] * 6
    assert RoleAssignment.objects.filter(role=Role.CLASS_TEACHER).count() == SchoolClass.objects.count()


def _gb11643_check(first17: str) -> str:
    """ISO 7064 MOD 11-2, as GB 11643 states it: weights 2^(17-i) mod 11, check (12 - sum) mod 11."""
    total = sum(int(digit) * pow(2, 17 - i, 11) for i, digit in enumerate(first17))
    value = (12 - total % 11) % 11
    return "X" if value == 10 else str(value)


def test_the_check_formula_agrees_with_the_published_example():
    assert _gb11643_check("11010519491231002") == "X"


def test_national_ids_are_valid_and_agree_with_the_student(db):
    seed(*TINY)
    students = list(Student.objects.select_related("school__district"))
    with_id = [student for student in students if student.national_id]
    assert 0.45 < len(with_id) / len(students) < 0.75
    assert len({student.national_id for student in with_id}) == len(with_id)
    for student in with_id:
        number = student.national_id
        assert re.fullmatch(r"\d{17}[\dX]", number) and _gb11643_check(number[:17]) == number[17]
        assert number[:6] == student.school.district.code
        assert number[6:14] == student.birth_date.strftime("%Y%m%d")
        assert int(number[16]) % 2 == (1 if student.gender == "M" else 0)


def test_birth_dates_fit_the_grade_with_school_entry_at_six(db):
    seed(*TINY)
    for student in Student.objects.select_related("school_class__grade"):
        born = student.birth_date
        age_at_cut_off = 2026 - born.year - ((born.month, born.day) > (8, 31))
        assert age_at_cut_off == 5 + level_ordinal(student.school_class.grade.level), student.school_class


def test_every_student_has_one_open_enrolment_in_their_current_class_but_the_one_who_left(db):
    seed(*TINY)
    open_enrolments = Enrolment.objects.filter(ended_on__isnull=True)
    [left] = Student.objects.exclude(status=Student.Status.ENROLLED)
    assert open_enrolments.count() == Student.objects.count() - 1
    assert left.status == Student.Status.TRANSFERRED_OUT and not open_enrolments.filter(student=left).exists()
    for enrolment in open_enrolments.select_related("student"):
        assert (enrolment.school_id, enrolment.school_class_id) == (enrolment.student.school_id,
                                                                    enrolment.student.school_class_id)
        assert enrolment.started_on <= datetime.date(2026, 11, 28)


def test_the_city_has_districts_every_kind_of_school_public_and_private_and_two_terms(db):
    seed(*TINY)
    city = Region.objects.get(kind=Region.Kind.CITY)
    assert city.name == "明州市" and city.children.filter(kind=Region.Kind.COUNTY).exists()
    assert set(School.objects.values_list("kind", flat=True)) == set(SCHOOL_KIND_LEVELS)
    assert set(School.objects.values_list("ownership", flat=True)) == {"public", "private"}
    for school in School.objects.all():
        assert set(school.grades.values_list("level", flat=True)) == set(SCHOOL_KIND_LEVELS[school.kind])
    assert not Grade.objects.filter(classes__isnull=True).exists()
    assert list(Term.objects.values_list("name", flat=True)) == ["2026-2027学年第一学期", "2025-2026学年第二学期"]


def test_a_default_size_city_has_classes_of_about_forty_five(db):
    seed("--today", "2026-11-28")
    sizes = list(SchoolClass.objects.annotate(n=Count("students")).values_list("n", flat=True))
    assert Student.objects.count() == 3000
    assert 35 <= min(sizes) and max(sizes) <= 47 and 40 <= sum(sizes) / len(sizes) <= 45


def test_guardians_have_mainland_mobile_numbers_and_some_are_shared_by_siblings(db):
    seed(*TINY)
    assert all(re.fullmatch(r"1[3-9]\d{9}", phone) for phone in Guardian.objects.values_list("phone", flat=True))
    assert Guardian.objects.annotate(children=Count("students")).filter(children__gt=1).exists()
    assert not Student.objects.filter(guardians__isnull=True).exists()


def test_running_again_adds_nothing_and_prints_the_same_logins(db):
    first = seed(*TINY)
    before = snapshot()
    again = seed("--schools", "200", "--students", "145000")
    assert "already in the database; nothing added" in again
    assert snapshot() == before
    assert printed_logins(again) == printed_logins(first)


def test_a_database_holding_another_city_gets_no_demo_city(city):
    output = seed(*TINY)
    assert "already holds the city 明州市 (MZ)" in output
    assert School.objects.count() == 2 and "username" not in output


@pytest.mark.parametrize(("args", "message"), [
    (("--schools", "0"), "--schools must be between 6"),
    (("--schools", "10", "--students", "100"), "--students (100) must be at least 20 per school"),
    (("--schools", "6", "--students", "1000000"), "more than 3,000 per school"),
    (("--today", "2026-13-01"), "'2026-13-01' is not a date"),
])
def test_bad_arguments_are_refused_with_a_clear_message_before_touching_the_database(args, message):
    with pytest.raises(CommandError) as refused:
        seed(*args)
    assert message in str(refused.value)
