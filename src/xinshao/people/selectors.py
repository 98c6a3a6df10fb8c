"""Reads of students, always through the user's scope."""
import datetime
import re
from dataclasses import dataclass

from django.db.models import Q, QuerySet

from xinshao.access.scopes import cases_visible_to, students_visible_to
from xinshao.campaigns.services import assignments_still_to_answer
from xinshao.cases.models import Case
from xinshao.core.crypto import blind_index, normalise_identity
from xinshao.people.models import Student
from xinshao.retention.kinds import kind_named, left_on, students_left
from xinshao.retention.services import InForce, policy_in_force

IDENTITY = re.compile(r"\d{17}[\dX]|\d{15}")


def student_search(user, *, query: str = "", class_id: int | None = None) -> QuerySet[Student]:
    students = students_visible_to(user)
    if query:
        # Identity numbers are encrypted: found by their blind index, whole number only.
        by_identity = Q(national_id_index=blind_index(query)) if IDENTITY.fullmatch(normalise_identity(query)) else Q()
        students = students.filter(Q(name__contains=query) | Q(student_number__startswith=query) | by_identity)
    if class_id:
        students = students.filter(school_class_id=class_id)
    return students.order_by("school__code", "school_class__grade__level", "school_class__name", "student_number")


def student_guardians(student: Student):
    return student.guardian_links.select_related("guardian").order_by("-is_primary", "id")


@dataclass(frozen=True)
class Clock:
    """Retention's clock for a student who left: the policy in force for students who left and,
    counted from the day they left, the first day the nightly run anonymises them."""

    policy: InForce
    left_on: datetime.date
    anonymised_on: datetime.date


def retention_clock(left: datetime.date) -> Clock:
    policy = policy_in_force(kind_named("students_left"))
    return Clock(policy, left, policy.expires(left))


def student_clock(student: Student) -> Clock | None:
    """The clock of a student who has left and is not yet anonymised, from retention's own anchor."""
    if student.status not in Student.LEFT_STATES:
        return None
    found = students_left().filter(pk=student.pk).first()
    return retention_clock(left_on(found)) if found else None


@dataclass(frozen=True)
class BeforeLeaving:
    """What the leave page tells the person about to record it."""

    open_cases: list[Case]   # the student's open cases this user may open (a school admin: the red ones)
    withdrawn: int           # screening assignments that leaving withdraws
    clock: Clock             # were they to leave today


def before_leaving(user, student: Student, today: datetime.date) -> BeforeLeaving:
    cases = cases_visible_to(user).filter(student=student).exclude(state=Case.State.CLOSED).order_by("pk")
    return BeforeLeaving(list(cases), assignments_still_to_answer(student).count(), retention_clock(today))
