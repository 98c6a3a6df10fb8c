"""Every route × every person of the test city × an object of their own school and of another.

Each view declares who gets its page (`@access_rule`, `xinshao/access/routes.py`), in the
words of DESIGN.md's need-to-know table; this test walks the URL conf and holds every route to
its declaration. A route without one fails, so a new page cannot land without saying who may
see it. People are placed by the test city's own definition (testing.py), not by the code
under test.
"""
from dataclasses import dataclass

import pytest
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from xinshao.access.routes import AccessRule, Reach
from xinshao.access.tests.matrix_objects import SIDES, matrix_objects
from xinshao.accounts.roles import Role
from xinshao.testing import WorkerCity

ROLE_OF = {
    "bai": Role.BUREAU_ADMIN, "xin": Role.BUREAU_PSYCH_CENTRE, "fen": Role.BUREAU_ANALYST, "du": Role.INSPECTOR,
    "re": Role.HOTLINE_OPERATOR, "song_a": Role.SCHOOL_ADMIN, "song_b": Role.SCHOOL_ADMIN,
    "liu_a": Role.PSYCH_TEACHER, "wang_b": Role.PSYCH_TEACHER, "zhang_a1": Role.CLASS_TEACHER,
    "qian_b1": Role.CLASS_TEACHER, "lin_user": Role.PSYCH_COMMITTEE, "chen_user": Role.STUDENT,
    "chen_ma_user": Role.GUARDIAN, "yi": Role.CLINICIAN, "gao_a": Role.TEACHER,
    "ying": Role.ACTIVITY_APPLICANT,
}
# Who is at each side's school, and in the class its objects are about (class A1: Chen's; B1: Zhou's).
NEAR = {
    "A": {Reach.SCHOOL: {"song_a", "liu_a", "zhang_a1", "lin_user", "chen_user", "chen_ma_user", "gao_a"},
          Reach.CLASS: {"zhang_a1", "chen_user", "chen_ma_user"}},
    "B": {Reach.SCHOOL: {"song_b", "wang_b", "qian_b1"}, Reach.CLASS: {"qian_b1"}},
}
# Keywords a route reads as another object than the one the keyword usually names.
OBJECT_OF_KEYWORD = {
    "respond:my_result": {"assignment_id": "teacher_assignment_id"},
    "respond:help_request": {"assignment_id": "teacher_assignment_id"},
    "cases:written_by_school_case": {"case_id": "left_case_id"},
}
# Keywords that name no school's object: the route is tried once, and people are placed by role alone.
SCHOOLLESS_KEYWORDS = {"instrument_id", "version"}
ALLOWED = "a page (200, 302 or 400 with form errors)"
# Where the sign-in check sends a visitor (signing out lands on the bare sign-in page: a page like any other).
SIGN_IN = "/accounts/login/?next="


@dataclass(frozen=True)
class Route:
    name: str
    callback: object
    keywords: tuple[str, ...]

    @property
    def rule(self) -> AccessRule | None:
        return getattr(self.callback, "access_rule", None)

    def object_key(self, keyword: str) -> str:
        return OBJECT_OF_KEYWORD.get(self.name, {}).get(keyword, keyword)

    @property
    def sides(self) -> tuple[str | None, ...]:
        return (None,) if set(self.keywords) <= SCHOOLLESS_KEYWORDS else SIDES


def _routes(resolver: URLResolver, namespace: str = ""):
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace == "admin":
                continue
            if pattern.namespace == "api_v1":
                continue  # token, not session, auth: api/tests/test_api_matrix.py holds each operation to its rule
            inner = ":".join(filter(None, [namespace, pattern.namespace]))
            yield from _routes(pattern, inner)
        elif isinstance(pattern, URLPattern):
            name = ":".join(filter(None, [namespace, pattern.name or "<unnamed>"]))
            yield Route(name, pattern.callback, tuple(pattern.pattern.converters))


ROUTES = list(_routes(get_resolver()))


def _matrix_cases():
    for route in ROUTES:
        if route.rule is None:
            continue  # test_every_route_declares_who_may_reach_it fails for it
        for side in route.sides:
            for username in [*ROLE_OF, None]:
                yield pytest.param(route, side, username,
                                   id=f"{route.name}-{side or 'none'}-{username or 'anonymous'}")


def expected_answer(rule: AccessRule, username: str, side: str | None, owners: frozenset[str]):
    def within(audience) -> bool:
        if ROLE_OF[username] not in audience.roles:
            return False
        if side is None or audience.reach == Reach.ANYWHERE:
            return True
        return username in (owners if audience.reach == Reach.OWN else NEAR[side][audience.reach])

    if any(map(within, rule.allow)):
        return ALLOWED
    if any(map(within, rule.forbidden)):
        return 403
    return rule.others


@pytest.fixture(scope="module")
def objects(_worker_city, django_db_blocker):
    """The objects of both sides, built once for the module and rolled back after it."""
    with django_db_blocker.unblock():
        city = WorkerCity.ensure()
        with transaction.atomic():
            yield matrix_objects(city)
            transaction.set_rollback(True)


def test_every_route_declares_who_may_reach_it():
    """Deny by default: a route with no declaration cannot land."""
    undeclared = [route.name for route in ROUTES if route.rule is None]
    assert not undeclared, f"routes with no @access_rule: {undeclared}"


def test_the_matrix_places_every_person_of_the_test_city(city):
    assert {name: {a.role for a in user.role_assignments.all()} for name, user in city.everyone().items()} == \
        {name: {role} for name, role in ROLE_OF.items()}


def test_every_route_keyword_names_a_matrix_object(objects, city):
    # Asking for the city keeps this test among the matrix's: pytest-django runs tests without the
    # database last, after transactional tests have flushed it.
    unknown = {(route.name, keyword) for route in ROUTES for keyword in route.keywords
               if route.object_key(keyword) not in objects}
    assert not unknown, f"add these keywords to access/tests/matrix_objects.py: {sorted(unknown)}"


def _thing(by_side: dict, side: str | None):
    return by_side[side] if side in by_side else by_side[None]


@pytest.mark.parametrize("route,side,username", list(_matrix_cases()))
def test_each_person_gets_what_the_route_declares(objects, city, client, route, side, username):
    things = {keyword: _thing(objects[route.object_key(keyword)], side) for keyword in route.keywords}
    url = reverse(route.name, kwargs={keyword: thing.value for keyword, thing in things.items()})
    owners = frozenset().union(*(thing.owners for thing in things.values()))
    rule = route.rule
    if username:
        client.force_login(getattr(city, username), backend="django.contrib.auth.backends.ModelBackend")
    if rule.post_only:
        if username or rule.public:
            assert client.get(url).status_code == 405, "a POST-only route answers GET with 405"
        response = client.post(url, {})
    else:
        response = client.get(url)

    status, location = response.status_code, response.get("Location", "")
    if username is None and not rule.public:
        assert status == 302 and location.startswith(SIGN_IN), f"{url}: {status} {location}"
        return
    expected = rule.anonymous if username is None else expected_answer(rule, username, side, owners)
    if expected == ALLOWED:
        assert status in (200, 302, 400) and not location.startswith(SIGN_IN), f"{url}: {status} {location}"
    else:
        assert status == expected, f"{url}: {status} {location}"
