"""Every page that shows a student's sensitive record leaves an audit entry naming them.

A route says so on its declaration (`@access_rule(..., sensitive=True)`, access/routes.py). This
test walks the same routes and objects as the access matrix (access/tests/test_page_matrix.py),
fetches each sensitive page as the first person its declaration lets in, and proves a new entry
appears that names a student. So that a new page about a student cannot escape silently, every
GET route whose URL names a student's record must either be declared sensitive or be listed below
with the reason it shows nothing sensitive.
"""
import pytest
from django.urls import reverse

from xinshao.access.tests import test_page_matrix
from xinshao.access.tests.test_page_matrix import ALLOWED, ROLE_OF, ROUTES, _thing, expected_answer
from xinshao.audit.models import AuditEntry

objects = test_page_matrix.objects  # the matrix's objects, built once for this module too

# URL keywords that name a student or a record about one.
STUDENT_RECORD_KEYWORDS = {
    "student_id", "case_id", "alert_id", "plan_id", "record_id", "session_id", "followup_id",
    "referral_id", "help_request_id", "assignment_id", "person_id",
}
# GET routes naming a student's record that show nothing sensitive, each with its reason.
NOT_SENSITIVE: dict[str, str] = {
}
# Not yet classified when the walk landed (issue 15 item 3): each needs `sensitive=True` on its
# rule (and an audit call in its view) or a reason in NOT_SENSITIVE. Nothing may be added here.
UNCLASSIFIED = {
    "accounts:break_glass_open",
    "agency:detail",
    "campaigns:help_request",
    "cases:action_new",
    "cases:consent_new",
    "cases:followup_done",
    "cases:followup_new",
    "cases:followup_waive",
    "cases:from_alert",
    "cases:guardian_contact_new",
    "cases:referral_new",
    "cases:safety_plan_new",
    "cases:session_new",
    "cases:transfer",
    "cases:written_by_school_case",
    "compliance:person_history",
    "consent:referral_ask",
    "consent:student",
    "people:student_edit",
    "records:plan_edit",
    "respond:begin",
    "respond:my_result",
}


def _student_routes():
    return [route for route in ROUTES if route.rule is not None and not route.rule.post_only
            and STUDENT_RECORD_KEYWORDS & set(route.keywords)]


def test_every_route_about_a_student_is_classified():
    unclassified = sorted(route.name for route in _student_routes()
                          if not route.rule.sensitive and route.name not in set(NOT_SENSITIVE) | UNCLASSIFIED)
    assert not unclassified, f"declare sensitive=True or give a reason in NOT_SENSITIVE: {unclassified}"


def test_the_classification_lists_name_live_routes():
    names = {route.name for route in ROUTES}
    assert not (set(NOT_SENSITIVE) | set(EMPTY_IN_MATRIX) | UNCLASSIFIED) - names


SENSITIVE = [route for route in ROUTES if route.rule is not None and route.rule.sensitive]
# Sensitive pages that show nothing for the matrix's objects (an empty page names nobody, so it writes
# nothing); each names the test that proves its entry.
EMPTY_IN_MATRIX = {
    "cases:safety_plan": "the matrix case has no safety plan; cases/tests/test_intervention_pages.py",
    "alerts:inbox": "the matrix alerts are not in any inbox; alerts/tests/test_inbox_audit.py",
}


def test_some_routes_are_declared_sensitive():
    assert SENSITIVE


WALKED = [route for route in SENSITIVE if route.name not in EMPTY_IN_MATRIX]


@pytest.mark.parametrize("route", WALKED, ids=[route.name for route in WALKED])
def test_each_sensitive_page_leaves_an_entry_naming_a_student(objects, city, client, route):
    assert not route.rule.post_only, "a sensitive route is a page read (GET)"
    side = route.sides[0]
    things = {keyword: _thing(objects[route.object_key(keyword)], side) for keyword in route.keywords}
    owners = frozenset().union(*(thing.owners for thing in things.values()))
    url = reverse(route.name, kwargs={keyword: thing.value for keyword, thing in things.items()})
    # Every reader the rule lets in (a list page may be empty for some: the bureau sees only red alerts).
    readers = [name for name in ROLE_OF if expected_answer(route.rule, name, side, owners) == ALLOWED]
    named = {name: _entries_naming_a_student(client, getattr(city, name), url) for name in readers}
    assert any(named.values()), f"{url} wrote no audit entry naming a student for any of {readers}"


def _entries_naming_a_student(client, user, url) -> list[str]:
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    last = AuditEntry.objects.order_by("-id").values_list("id", flat=True).first() or 0
    response = client.get(url)
    assert response.status_code == 200, f"{url} as {user.username}: {response.status_code}"
    return [entry.action for entry in AuditEntry.objects.filter(id__gt=last, actor_id=user.pk)
            if entry.student_id or entry.detail.get("students")]
