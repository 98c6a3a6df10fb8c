import pytest
from django.core.exceptions import ValidationError

from xinshao.access import scopes
from xinshao.org.models import Grade, SchoolClass
from xinshao.people.services import student_transfer


def test_a_transferred_student_keeps_history_and_moves_into_the_new_schools_scope(city):
    student_transfer(student=city.chen, to_school=city.school_b, to_class=city.class_b1, actor=city.bai)
    city.chen.refresh_from_db()
    assert [e.school for e in city.chen.enrolments.order_by("id")] == [city.school_a, city.school_b]
    assert city.chen in scopes.students_visible_to(city.wang_b)
    assert city.chen not in scopes.students_visible_to(city.liu_a)


def test_transfer_refuses_a_class_of_a_third_school(city):
    with pytest.raises(ValidationError):
        student_transfer(student=city.chen, to_school=city.school_b, to_class=city.class_a2, actor=city.bai)


def test_transfer_refuses_a_clashing_student_number(city):
    grade = Grade.objects.get(school=city.school_b)
    city.zhou.student_number = city.chen.student_number
    city.zhou.save()
    other_class = SchoolClass.objects.create(school=city.school_b, grade=grade, name="2班")
    with pytest.raises(ValidationError):
        student_transfer(student=city.chen, to_school=city.school_b, to_class=other_class, actor=city.bai)
