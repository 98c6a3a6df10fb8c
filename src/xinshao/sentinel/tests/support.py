"""Helpers shared by the sentinel tests: more classmates for Lin, and ready-made records."""
import datetime

from xinshao.people.models import Enrolment, Student
from xinshao.sentinel.models import ConcernLevel, HomeSchoolRecord


def classmate(city, name: str, number: str, school_class=None) -> Student:
    """A student of class A2 (Lin's class, where he is the psych committee member) unless told."""
    school_class = school_class or city.class_a2
    student = Student.objects.create(school=school_class.school, school_class=school_class, student_number=number,
                                     name=name, gender="M", birth_date=datetime.date(2013, 1, 1))
    Enrolment.objects.create(student=student, school=student.school, school_class=school_class,
                             started_on=datetime.date(2026, 9, 1))
    return student


def record(author, student, summary: str = "家里最近搬家，孩子睡得不好。") -> HomeSchoolRecord:
    """A stored record with no signal: for the pages that only read records."""
    return HomeSchoolRecord.objects.create(
        student=student, school=student.school, author=author, kind=HomeSchoolRecord.Kind.HOME_VISIT,
        happened_on=datetime.date(2026, 10, 9), participants="母亲、班主任", summary=summary,
        concern=ConcernLevel.SOME, concerns=["sleep_energy"])


def record_form(who, **changes) -> dict:
    data = {"student": who.pk, "kind": "home_visit", "happened_on": "2026-10-09", "participants": "母亲、班主任",
            "summary": "孩子最近回家不说话，常常很晚才睡。", "concern": "some", "concerns": ["withdrawn", "sleep_energy"]}
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}
