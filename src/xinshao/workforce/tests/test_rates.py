"""Staffing ratios and certification rates on a seeded city, against counts made here."""
import datetime
from decimal import Decimal

import pytest

from xinshao.org.models import School
from xinshao.people.models import Student
from xinshao.testing import enrolled_student
from xinshao.workforce import selectors
from xinshao.workforce.models import Certificate, StaffMember, Targets

from .conftest import TODAY, staff

pytestmark = pytest.mark.django_db
YEAR = datetime.timedelta(days=365)


def _certify(member, kind, city, *, issued, expires, number):
    return Certificate.objects.create(holder=member, kind=kind, number=number, issued_on=issued, expires_on=expires,
                                      recorded_by=city.bai, recorded_at=datetime.datetime(2026, 1, 1,
                                                                                          tzinfo=datetime.UTC))


@pytest.fixture
def seeded(city, kinds):
    """School A: 2 full-time (one with a degree) and 1 part-time psych teacher, a class teacher, and
    one who left; school B: 2 part-time psych teachers and a class teacher. Three more students at B."""
    for n in range(3):
        enrolled_student(city.school_b, city.class_b1, f"B-extra-{n}", f"学生{n}", "M", (2013, 1, 1))
    a = {"full1": staff(city.school_a, "甲一", employment="full_time", degree=True),
         "full2": staff(city.school_a, "甲二", employment="full_time"),
         "part": staff(city.school_a, "甲三", degree=True),
         "class": staff(city.school_a, "甲班", post="class_teacher"),
         "left": staff(city.school_a, "甲走", employment="full_time", is_active=False)}
    b = {"part1": staff(city.school_b, "乙一", degree=True), "part2": staff(city.school_b, "乙二"),
         "class": staff(city.school_b, "乙班", post="class_teacher")}
    c, higher = kinds["C"], kinds["B"]
    valid, expired = (TODAY - YEAR, TODAY + YEAR), (TODAY - 6 * YEAR, TODAY - datetime.timedelta(days=1))
    _certify(a["full1"], c, city, issued=valid[0], expires=valid[1], number="C1")
    _certify(a["full2"], higher, city, issued=valid[0], expires=valid[1], number="B1")  # a higher level counts
    _certify(a["part"], c, city, issued=expired[0], expires=expired[1], number="C2")     # expired: does not
    _certify(a["class"], c, city, issued=valid[0], expires=valid[1], number="C3")
    _certify(a["left"], c, city, issued=valid[0], expires=valid[1], number="C4")         # not in post
    _certify(b["part1"], c, city, issued=valid[0], expires=valid[1], number="C5")
    return a, b


def test_staffing_counts_full_and_part_time_psych_teachers_per_thousand_enrolled_students(city, seeded):
    schools = School.objects.filter(pk__in=[city.school_a.pk, city.school_b.pk])
    result = selectors.staffing(schools)
    students = {school: Student.objects.filter(school=school, status="enrolled").count()
                for school in (city.school_a, city.school_b)}
    a, b = result.lines
    assert (a.school, a.students, a.full_time, a.part_time, a.with_degree) == (city.school_a, students[city.school_a],
                                                                                2, 1, 2)
    assert (b.school, b.students, b.full_time, b.part_time, b.with_degree) == (city.school_b, students[city.school_b],
                                                                                0, 2, 1)
    assert a.per_thousand == (Decimal(2000) / students[city.school_a]).quantize(Decimal("0.01"))
    assert b.per_thousand == Decimal("0.00") and not b.meets_minimum and not b.meets
    assert a.meets  # 2 full-time for 2 students is far above 1 per 1,000
    assert [line.school for line in result.without_full_time] == [city.school_b]
    assert (result.full_time, result.part_time, result.with_degree) == (2, 3, 3)
    assert result.per_thousand == (Decimal(2000) / sum(students.values())).quantize(Decimal("0.01"))


def test_a_stricter_target_is_applied_as_the_bureau_set_it(city, seeded):
    targets = Targets.current()
    targets.min_full_time_per_school = 3
    result = selectors.staffing(School.objects.filter(pk=city.school_a.pk), targets)
    assert not result.lines[0].meets_minimum and result.meeting == 0


def test_the_certification_rate_counts_valid_certificates_of_staff_who_must_hold_them(city, seeded):
    a, b = seeded
    result = selectors.certification(School.objects.filter(pk__in=[city.school_a.pk, city.school_b.pk]), TODAY)
    line_a, line_b = result.lines
    # A: full1, full2, part, class in post (4); certified: full1 (C), full2 (B, higher), class (C) = 3.
    assert (line_a.required, line_a.certified, line_a.rate) == (4, 3, Decimal("75.0"))
    # B: part1, part2, class (3); certified: part1 = 1.
    assert (line_b.required, line_b.certified, line_b.rate) == (3, 1, Decimal("33.3"))
    assert (result.required, result.certified, result.rate) == (7, 4, Decimal("57.1"))
    assert not result.meets_target and result.to_target == 7 - 4  # 95% of 7 is 6.65: all 7


def test_who_still_needs_training_is_everyone_required_without_a_valid_certificate(city, seeded, kinds):
    a, b = seeded
    needing = selectors.needing_training(StaffMember.objects.all(), kinds["C"], TODAY)
    assert set(needing) == {a["part"], b["part2"], b["class"]}


def test_a_certificate_stops_counting_the_day_after_it_expires(city, seeded, kinds):
    schools = School.objects.filter(pk=city.school_b.pk)
    last_day = TODAY + YEAR
    assert selectors.certification(schools, last_day).certified == 1
    assert selectors.certification(schools, last_day + datetime.timedelta(days=1)).certified == 0
