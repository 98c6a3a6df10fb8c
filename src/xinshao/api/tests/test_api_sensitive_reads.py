"""Every API read of a student's sensitive record leaves an audit entry naming them.

An operation says so on its declaration (`operation(..., sensitive=True)`, api/operations.py), as a
page does on its access rule. This test reads the operations from the OpenAPI document, calls each
sensitive one with the API access matrix's objects (api/tests/test_api_matrix.py) as every person
its rule lets in, each with a read token of their own, and proves a new entry appears that names
whom the record is about (audit/tests/reads.py, the same check as the pages' walk,
audit/tests/test_sensitive_reads.py). So that a new operation about students cannot escape
silently, every GET operation whose path names a student's record or whose answer carries a
student field must be declared sensitive or be listed below with the reason it returns nothing
sensitive.
"""
import uuid

import pytest
from django.db import transaction

from xinshao.access.tests.matrix_objects import SIDES
from xinshao.api.operations import DECLARED
from xinshao.api.tests import test_api_matrix
from xinshao.api.tests.conftest import make_token
from xinshao.api.tests.test_api import _payload
from xinshao.api.tests.test_api_matrix import OPERATIONS, SCHEMA, _keywords
from xinshao.audit.tests.reads import STUDENT_RECORD_KEYWORDS, entries_naming_someone, readers
from xinshao.campaigns.models import Assignment
from xinshao.campaigns.submissions import submission_receive

objects = test_api_matrix.objects  # the API matrix's objects, built once for this module too

# GET operations about students that return nothing sensitive, each with its reason.
NOT_SENSITIVE: dict[str, str] = {}

READS = [(path, operation_id) for method, path, operation_id in OPERATIONS if method == "GET"]


def _properties(schema: dict) -> set[str]:
    """Every property name in a schema of the OpenAPI document, through references, lists and unions."""
    if "$ref" in schema:
        return _properties(SCHEMA["components"]["schemas"][schema["$ref"].rsplit("/", 1)[-1]])
    names = set()
    for name, inner in schema.get("properties", {}).items():
        names |= {name} | _properties(inner)
    if isinstance(schema.get("items"), dict):
        names |= _properties(schema["items"])
    for inner in (*schema.get("anyOf", ()), *schema.get("allOf", ()), *schema.get("oneOf", ())):
        names |= _properties(inner)
    return names


def _about_students(path: str, operation_id: str) -> bool:
    spec = next(spec for spec in SCHEMA["paths"][path].values() if spec["operationId"] == operation_id)
    done = next(answer for status, answer in spec["responses"].items() if str(status) == "200")  # ninja keeps ints
    return bool(STUDENT_RECORD_KEYWORDS & set(_keywords(path))) or any(
        name.startswith("student") for name in _properties(done["content"]["application/json"]["schema"]))


def test_every_operation_about_students_is_classified():
    unclassified = sorted(operation_id for path, operation_id in READS if _about_students(path, operation_id)
                          and not DECLARED[operation_id].rule.sensitive and operation_id not in NOT_SENSITIVE)
    assert not unclassified, f"declare sensitive=True or give a reason in NOT_SENSITIVE: {unclassified}"


def test_only_reads_are_declared_sensitive_and_the_reasons_name_live_reads():
    reads = {operation_id for _path, operation_id in READS}
    assert {operation_id for operation_id, declared in DECLARED.items() if declared.rule.sensitive} <= reads
    assert set(NOT_SENSITIVE) <= reads


SENSITIVE = [(path, operation_id) for path, operation_id in READS if DECLARED[operation_id].rule.sensitive]


@pytest.fixture(scope="module")
def answered(objects, django_db_blocker):
    """The matrix objects, with side A's student having answered their questionnaire: the results list
    then has a row to show (rolled back with the objects after the module)."""
    with django_db_blocker.unblock(), transaction.atomic():
        assignment = Assignment.objects.get(pk=objects["assignment_id"]["A"].value)
        submission_receive(assignment_id=assignment.pk, payload={"key": str(uuid.uuid4()), **_payload(assignment)})
    return objects


@pytest.mark.parametrize("path,operation_id", SENSITIVE, ids=[operation_id for _, operation_id in SENSITIVE])
def test_each_sensitive_operation_leaves_an_entry_naming_whom_it_is_about(answered, city, client, path, operation_id):
    declared = DECLARED[operation_id]
    side = SIDES[0] if _keywords(path) or declared.lists else None
    things = {keyword: answered[keyword][side] for keyword in _keywords(path)}
    url = path.format(**{keyword: thing.value for keyword, thing in things.items()})
    owners = frozenset().union(*(thing.owners for thing in things.values()))
    named = {}
    for name in readers(declared.rule, side, owners):
        user = getattr(city, name)
        client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {make_token(user, scope='read')}"
        named[name] = entries_naming_someone(user, lambda: client.get(url))
    assert any(named.values()), f"{url} wrote no audit entry naming whom it is about for any of {list(named)}"
