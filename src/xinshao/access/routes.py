"""Who may reach each route, declared next to its view.

    @access_rule(allow=[PSYCH_TEACHER.of_school, PSYCH_CENTRE], forbidden=EVERYONE - ALERT_HANDLERS)
    def alert_detail(request, alert_id): ...

A declaration names who gets the page and what everyone else gets: 403 for the `forbidden`
audience (read-only, or people this kind of page is never for), `others` (404, out of scope,
by default) for the rest. It decides nothing at run time: access is decided by the scoping
selectors in `xinshao.access.scopes`. The access matrix test (`access/tests/test_page_matrix.py`)
walks the URL conf and tries every route with every role of the test city against an object of
their own school and of another, so a route with no declaration, or a view that answers other
than its declaration, fails. `sensitive=True` marks a page that shows a student's sensitive
record; `audit/tests/test_sensitive_reads.py` fetches each and proves it leaves an audit entry.
"""
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import StrEnum

from xinshao.accounts.roles import Role


class Reach(StrEnum):
    """How near the object a person must be for an audience to include them."""

    ANYWHERE = "anywhere"  # the role alone is enough
    SCHOOL = "school"      # the person works or studies at the object's school
    CLASS = "class"        # the person's class is the object's class (its teacher, its students, their guardians)
    OWN = "own"            # the object is about the person (the student or their guardian, the recipient)


@dataclass(frozen=True)
class Audience:
    """People with one of `roles` who are within `reach` of the object."""

    roles: frozenset[str]
    reach: Reach = Reach.ANYWHERE

    @property
    def of_school(self) -> "Audience":
        return Audience(self.roles, Reach.SCHOOL)

    @property
    def of_class(self) -> "Audience":
        return Audience(self.roles, Reach.CLASS)

    @property
    def own(self) -> "Audience":
        return Audience(self.roles, Reach.OWN)

    def __or__(self, other: "Audience") -> "Audience":
        return Audience(self.roles | other.roles, self._same_reach(other))

    def __sub__(self, other: "Audience") -> "Audience":
        return Audience(self.roles - other.roles, self._same_reach(other))

    def _same_reach(self, other: "Audience") -> Reach:
        if self.reach != other.reach:
            raise ValueError("only audiences of the same reach combine; list them instead")
        return self.reach


def roles(*names: str) -> Audience:
    return Audience(frozenset(names))


BUREAU_ADMIN = roles(Role.BUREAU_ADMIN)
PSYCH_CENTRE = roles(Role.BUREAU_PSYCH_CENTRE)
ANALYST = roles(Role.BUREAU_ANALYST)
BUREAU = BUREAU_ADMIN | PSYCH_CENTRE | ANALYST
INSPECTOR = roles(Role.INSPECTOR)
HOTLINE = roles(Role.HOTLINE_OPERATOR)
REGION_WIDE = BUREAU | INSPECTOR | HOTLINE
SCHOOL_ADMIN = roles(Role.SCHOOL_ADMIN)
PSYCH_TEACHER = roles(Role.PSYCH_TEACHER)
CLASS_TEACHER = roles(Role.CLASS_TEACHER)
TEACHER = roles(Role.TEACHER)
COMMITTEE = roles(Role.PSYCH_COMMITTEE)
STUDENT = roles(Role.STUDENT)
# A committee member is a student too: what students get, members get.
STUDENTS = STUDENT | COMMITTEE
GUARDIAN = roles(Role.GUARDIAN)
CLINICIAN = roles(Role.CLINICIAN)
APPLICANT = roles(Role.ACTIVITY_APPLICANT)
SCHOOL_STAFF = SCHOOL_ADMIN | PSYCH_TEACHER | CLASS_TEACHER | TEACHER
SCHOOL_PEOPLE = SCHOOL_STAFF | STUDENTS | GUARDIAN
EVERYONE = REGION_WIDE | SCHOOL_PEOPLE | CLINICIAN | APPLICANT
# The warning chain (DESIGN.md): a school's psych teachers, its leader, the bureau's psych centre.
ALERT_HANDLERS = PSYCH_TEACHER | SCHOOL_ADMIN | PSYCH_CENTRE
# A case (DESIGN.md): the school's psych teachers work on it and read its notes; the student's
# class teacher (on its team) reads it, and so do the school leader and the bureau psych centre
# while it is red. The matrix's cases are red.
CASE_WORKERS = PSYCH_TEACHER.of_school
CASE_READERS = (CLASS_TEACHER.of_class, SCHOOL_ADMIN.of_school, PSYCH_CENTRE)
CASE_NOTE_READERS = (PSYCH_TEACHER.of_school, PSYCH_CENTRE)
CASE_READERS_WITHOUT_NOTES = (CLASS_TEACHER.of_class, SCHOOL_ADMIN.of_school)


@dataclass(frozen=True)
class AccessRule:
    allow: tuple[Audience, ...]
    forbidden: tuple[Audience, ...] = ()
    others: int = 404
    post_only: bool = False   # GET answers 405; the matrix tries a POST with an empty body
    public: bool = False      # reached without signing in
    anonymous: int = 302      # a visitor who is not signed in: sent to sign in unless the route is public
    sensitive: bool = False   # a GET shows a student's sensitive record (or a teacher's well-being result):
                              # it writes an audit entry naming them


def access_rule(*, allow: Iterable[Audience] | Audience, forbidden: Iterable[Audience] | Audience = (),
                others: int = 404, post_only: bool = False, public: bool = False,
                anonymous: int | None = None, sensitive: bool = False) -> Callable:
    """Declare who gets a view's page; see the module docstring."""
    rule = AccessRule(
        allow=_audiences(allow), forbidden=_audiences(forbidden), others=others, post_only=post_only,
        public=public, anonymous=anonymous if anonymous is not None else (200 if public else 302),
        sensitive=sensitive,
    )

    def declare(view):
        view.access_rule = rule
        return view
    return declare


def _audiences(value: Iterable[Audience] | Audience) -> tuple[Audience, ...]:
    return (value,) if isinstance(value, Audience) else tuple(value)
