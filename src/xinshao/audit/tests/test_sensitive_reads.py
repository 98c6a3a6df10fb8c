"""Every page that shows a student's sensitive record leaves an audit entry naming them.

A route says so on its declaration (`@access_rule(..., sensitive=True)`, access/routes.py). This
test walks the same routes and objects as the access matrix (access/tests/test_page_matrix.py),
fetches each sensitive page as every person its declaration lets in, and proves a new entry appears
that names whom the record is about (a student; a teacher for their confidential well-being result:
audit/tests/reads.py). So that a new page about a student cannot escape silently, every GET route
whose URL names a student's record must either be declared sensitive or be listed below with the
reason it shows nothing sensitive. The API's operations have their own walk
(api/tests/test_api_sensitive_reads.py).
"""
import pytest
from django.urls import reverse

from xinshao.access.tests import test_page_matrix
from xinshao.access.tests.test_page_matrix import ROUTES, _thing
from xinshao.audit.tests.reads import STUDENT_RECORD_KEYWORDS, entries_naming_someone, readers

objects = test_page_matrix.objects  # the matrix's objects, built once for this module too

# GET routes naming a student's record that show nothing sensitive, each with its reason.
NOT_SENSITIVE: dict[str, str] = {
    "accounts:break_glass_open": "a reason form under the student's name and school; the record opens only after it",
    "cases:action_new": "a blank form: the case's owner and team to choose from, no case content",
    "cases:consent_new": "a blank form: the city's agencies and the student's guardians by name, no consent recorded",
    "cases:followup_done": "a blank form with the follow-up's planned date; earlier outcomes are not loaded",
    "cases:followup_new": "a blank form under the student's name",
    "cases:followup_waive": "a blank form with the follow-up's planned date",
    "cases:guardian_contact_new": "a blank form: the student's guardians by name and relation, no earlier contact",
    "cases:session_new": "a blank form: earlier session notes are not loaded",
    "compliance:person_history": "a staff member's role grants and access requests: no student's record",
    "consent:referral_ask": "a blank form: the city's agencies, no consent state",
    "respond:begin": "no page: it binds the browser to the student's own questionnaire and redirects there",
}


def _student_routes():
    return [route for route in ROUTES if route.rule is not None and not route.rule.post_only
            and STUDENT_RECORD_KEYWORDS & set(route.keywords)]


def test_every_route_about_a_student_is_classified():
    unclassified = sorted(route.name for route in _student_routes()
                          if not route.rule.sensitive and route.name not in NOT_SENSITIVE)
    assert not unclassified, f"declare sensitive=True or give a reason in NOT_SENSITIVE: {unclassified}"


def test_the_classification_lists_name_live_routes():
    names = {route.name for route in ROUTES}
    assert not (set(NOT_SENSITIVE) | set(EMPTY_IN_MATRIX)) - names


def test_a_route_declared_sensitive_is_not_also_listed_as_not_sensitive():
    assert not {route.name for route in SENSITIVE} & set(NOT_SENSITIVE)


SENSITIVE = [route for route in ROUTES if route.rule is not None and route.rule.sensitive]
# Sensitive pages that show nothing for the matrix's objects (an empty page names nobody, so it writes
# nothing); each names the test that proves its entry.
EMPTY_IN_MATRIX = {
    "cases:safety_plan": "the matrix case has no safety plan; cases/tests/test_intervention_pages.py",
    "cases:safety_plan_new": "the matrix case has no safety plan to start from; cases/tests/test_intervention_pages.py",
    "records:plan_edit": "the matrix student has no plan to start from; records/tests/test_plans_and_handovers.py",
    "alerts:inbox": "the matrix alerts are not in any inbox; alerts/tests/test_inbox_audit.py",
}


def test_some_routes_are_declared_sensitive():
    assert SENSITIVE


WALKED = [route for route in SENSITIVE if route.name not in EMPTY_IN_MATRIX]


@pytest.mark.parametrize("route", WALKED, ids=[route.name for route in WALKED])
def test_each_sensitive_page_leaves_an_entry_naming_whom_it_is_about(objects, city, client, route):
    assert not route.rule.post_only, "a sensitive route is a page read (GET)"
    side = route.sides[0]
    things = {keyword: _thing(objects[route.object_key(keyword)], side) for keyword in route.keywords}
    owners = frozenset().union(*(thing.owners for thing in things.values()))
    url = reverse(route.name, kwargs={keyword: thing.value for keyword, thing in things.items()})
    named = {}
    for name in readers(route.rule, side, owners):
        user = getattr(city, name)
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        named[name] = entries_naming_someone(user, lambda: client.get(url))
    assert any(named.values()), f"{url} wrote no audit entry naming whom it is about for any of {list(named)}"
