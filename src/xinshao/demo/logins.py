"""The table of demo logins printed after seeding: one login per role, for two schools.

Read back from the database rather than remembered from the build, so a second
`seed-demo` (which builds nothing) prints the same table.
"""
import unicodedata
from dataclasses import dataclass

from django.db.models import Q

from xinshao.accounts.models import RoleAssignment
from xinshao.accounts.roles import Role
from xinshao.demo.staff import DEMO_PASSWORD
from xinshao.org.models import Region, School

SHOWCASE_SCHOOLS = 2  # a second school lets a tester check that one school cannot see another
_ROLE_ORDER = {role: index for index, role in enumerate(Role)}


@dataclass(frozen=True)
class DemoLogin:
    username: str
    role: str
    role_label: str
    scope: str


def _scope_label(assignment: RoleAssignment) -> str:
    if assignment.school_class_id:
        school_class = assignment.school_class
        return f"{school_class.school.name} {school_class}"
    if assignment.student_id:
        student = assignment.student
        return f"{student.name}，{student.school.name} {student.school_class}"
    if assignment.guardian_id:
        guardian = assignment.guardian
        children = "、".join(sorted(student.name for student in guardian.students.all()))
        return f"{guardian.name}（{children}的监护人）"
    if assignment.school_id:
        return f"{assignment.school.name}（{assignment.school.code}）"
    return str(assignment.scope)


def _unit(assignment: RoleAssignment, showcase: list[School]) -> tuple[int, int]:
    """Where a login belongs in the table: the city, a showcase school, a partner agency or an outside body."""
    if assignment.region_id:
        return (0, 0)
    if assignment.agency_id:
        return (len(showcase) + 1, assignment.agency_id)
    if assignment.outside_body_id:
        return (len(showcase) + 2, assignment.outside_body_id)
    if assignment.guardian_id:
        school_ids = {student.school_id for student in assignment.guardian.students.all()}
    else:
        scoped = assignment.school_class or assignment.student or assignment
        school_ids = {scoped.school_id}
    return (1 + min(i for i, school in enumerate(showcase) if school.pk in school_ids), 0)


def demo_logins(city: Region) -> list[DemoLogin]:
    """The first login (by username) of each role in the city, in each showcase school, each agency and each
    outside body."""
    showcase = list(School.objects.filter(district__parent=city).order_by("code")[:SHOWCASE_SCHOOLS])
    assignments = (
        RoleAssignment.objects.filter(
            Q(region=city) | Q(agency__region=city) | Q(outside_body__region=city) | Q(school__in=showcase)
            | Q(school_class__school__in=showcase) | Q(student__school__in=showcase)
            | Q(guardian__student_links__student__school__in=showcase),
            is_active=True,
        )
        .distinct()
        .select_related("user", "region", "school", "school_class__school", "school_class__grade", "agency",
                        "outside_body", "student__school", "student__school_class__grade", "guardian")
        .prefetch_related("guardian__students")
        .order_by("user__username")
    )
    first: dict[tuple[tuple[int, int], str], RoleAssignment] = {}
    for assignment in assignments:
        first.setdefault((_unit(assignment, showcase), assignment.role), assignment)
    ordered = sorted(first.items(), key=lambda item: (item[0][0], _ROLE_ORDER[item[0][1]]))
    return [DemoLogin(a.user.username, a.role, a.get_role_display(), _scope_label(a)) for _key, a in ordered]


def _width(text: str) -> int:
    """Columns a terminal gives the text: Chinese characters take two."""
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def format_logins(logins: list[DemoLogin]) -> str:
    rows = [("username", "password", "role", "scope")]
    rows += [(login.username, DEMO_PASSWORD, login.role_label, login.scope) for login in logins]
    widths = [max(_width(row[column]) for row in rows) for column in range(3)]
    lines = ["  ".join([*(cell + " " * (width - _width(cell)) for cell, width in zip(row, widths)), row[3]])
             for row in rows]
    lines.insert(1, "  ".join("-" * width for width in [*widths, _width(rows[0][3])]))
    return "\n".join(lines)
