"""Schemathesis against the API's own OpenAPI document, in process through Django's WSGI handler.

A bounded number of generated requests per operation (MAX_EXAMPLES), signed with a real write token
of school A's psych teacher (the role that reaches the most operations). Schemathesis's default
checks: no server error, every response matches its own schema (status, content type, headers,
body), a request that breaks the schema is refused and a well-formed one is not, a wrong method
gets 405.
"""
import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

from xinshao.api.tests.conftest import make_token

MAX_EXAMPLES = 10
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())


@pytest.fixture
def connection_kept():
    """Django's WSGI handler closes the database connection after each request; the test client
    stops that, and so must this in-process client, or the test's transaction is lost."""
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


@pytest.fixture
def token(city, settings, connection_kept):
    settings.API_RATE_LIMIT = 10_000  # the limit has its own test; here it would only cut the run short
    return make_token(city.liu_a)


@schema.parametrize()
@hypothesis_settings(max_examples=MAX_EXAMPLES, deadline=None, derandomize=True,
                     suppress_health_check=list(HealthCheck))
def test_the_api_keeps_to_its_openapi_document(case, token):
    case.call_and_validate(headers={"Authorization": f"Bearer {token}"})
