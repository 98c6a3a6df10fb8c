"""Every API operation × every person of the test city × an object of their own school and of another.

The operations are read from the OpenAPI document, so one without a declaration
(`api/operations.py`, `operation(..., allow=...)`) fails here, as a page without `@access_rule`
fails the page matrix, whose placing of people (ROLE_OF, NEAR) and objects this reuses. Each
person asks with a write token of their own. A list operation is held to its detail operation's
rule: the side's object is among the rows exactly when the person may open it.
"""
import datetime
import re
import uuid

import pytest
from django.db import transaction

from xinshao.access.tests.matrix_objects import SIDES, matrix_objects
from xinshao.access.tests.test_page_matrix import ALLOWED, ROLE_OF, expected_answer
from xinshao.api.api import api
from xinshao.api.operations import DECLARED, MAX_LIMIT
from xinshao.api.tests.conftest import make_token
from xinshao.testing import WorkerCity

SCHEMA = api.get_openapi_schema()
OPERATIONS = [(method.upper(), path, spec["operationId"])
              for path, methods in SCHEMA["paths"].items() for method, spec in methods.items()]
# A body of the right shape, so that ninja's checks pass and the operation's own scope check answers.
BODIES = {"referral_feedback": {"recommendations": "按时复诊，注意睡眠。"},
          "referral_seen": {"seen_on": datetime.date.today().isoformat()},
          "submission_create": {"answers": {}, "seconds": {}},
          "case_state_change": {"to_state": "intervening", "reason": "开始个别辅导"},
          "case_close": {"closure_review": "情况稳定，风险已解除，转入常规关注。"},
          "case_reopen": {"reason": "情况反复"},
          "roster_upsert": {"students": [{
              "student_number": "MX-1", "name": "马小同", "gender": "F", "birth_date": "2013-03-04", "grade": "J1",
              "class_name": "1班", "guardian_name": "马家长", "guardian_phone": "13800138000"}]}}
ANSWERED = {200, 201, 400, 409}  # the operation ran: done, or refused by the service for the object's state


def _keywords(path: str) -> list[str]:
    return re.findall(r"{(\w+)}", path)


def _detail_of(keyword: str) -> str:
    """The GET operation that opens one object named by `keyword`."""
    return next(op for method, path, op in OPERATIONS if method == "GET" and _keywords(path) == [keyword])


def _cases():
    for method, path, operation_id in OPERATIONS:
        declared = DECLARED.get(operation_id)
        if declared is None:
            continue  # test_every_operation_declares_who_may_use_it fails for it
        sides = SIDES if _keywords(path) or declared.lists else (None,)
        for side in sides:
            for username in [*ROLE_OF, None]:
                yield pytest.param(method, path, operation_id, side, username,
                                   id=f"{operation_id}-{side or 'none'}-{username or 'anonymous'}")


def test_every_operation_declares_who_may_use_it():
    undeclared = [operation_id for *_, operation_id in OPERATIONS if operation_id not in DECLARED]
    assert not undeclared, f"operations with no declared rule: {undeclared}"
    assert len(OPERATIONS) == len(DECLARED)


@pytest.fixture(scope="module")
def objects(_worker_city, django_db_blocker):
    with django_db_blocker.unblock():
        city = WorkerCity.ensure()
        with transaction.atomic():
            yield matrix_objects(city)
            transaction.set_rollback(True)


def _list_ids(client, url: str) -> tuple[int, set]:
    ids, offset = set(), 0
    while True:
        response = client.get(url, {"limit": MAX_LIMIT, "offset": offset})
        if response.status_code != 200:
            return response.status_code, ids
        body = response.json()
        ids |= {row["id"] for row in body["items"]}
        offset += MAX_LIMIT
        if offset >= body["count"]:
            return 200, ids


@pytest.mark.parametrize("method,path,operation_id,side,username", list(_cases()))
def test_each_person_gets_what_the_operation_declares(objects, city, client, method, path, operation_id, side,
                                                      username):
    declared = DECLARED[operation_id]
    things = {keyword: objects[keyword][side] for keyword in _keywords(path)}
    url = path.format(**{keyword: thing.value for keyword, thing in things.items()})
    owners = frozenset().union(*(thing.owners for thing in things.values()))
    if username:
        client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {make_token(getattr(city, username))}"

    if method == "GET" and declared.lists:
        status, ids = _list_ids(client, url)
    elif method == "GET":
        status = client.get(url).status_code
    else:
        status = client.post(url, BODIES.get(operation_id, {}), content_type="application/json",
                             headers={"Idempotency-Key": str(uuid.uuid4())}).status_code

    if username is None:
        assert status == 401
        return
    expected = expected_answer(declared.rule, username, side, owners)
    if expected != ALLOWED:
        assert status == expected, f"{method} {url}: {status}"
    elif not declared.lists:
        assert status in ANSWERED, f"{method} {url}: {status}"
    else:
        assert status == 200, f"{url}: {status}"
        detail = DECLARED[_detail_of(declared.lists)].rule
        thing = objects[declared.lists][side]
        may_open = expected_answer(detail, username, side, thing.owners) == ALLOWED
        assert (thing.value in ids) == may_open, f"{url}: {username} {'misses' if may_open else 'sees'} {thing.value}"
