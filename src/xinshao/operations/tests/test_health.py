import json
from unittest import mock

import pytest
from django.db import OperationalError
from django.test import override_settings

from xinshao.operations import readiness


def test_health_answers_without_touching_the_database(client):
    # No django_db mark: any query here would fail the test. (A probe sends no session cookie;
    # with one, Django's LoginRequiredMiddleware looks the session up.)
    response = client.get("/health/")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert response["Cache-Control"].startswith("max-age=0")


@pytest.mark.django_db
def test_ready_reports_each_check_when_all_pass(client):
    response = client.get("/ready/")
    assert response.status_code == 200
    # No broker is configured in the tests: tasks run in-process, so there is none to check.
    assert response.json() == {"status": "ready", "checks": {"database": "ok", "migrations": "ok", "cache": "ok"}}


@pytest.mark.django_db
def test_ready_is_503_when_the_database_does_not_answer_and_says_no_more(client):
    failing_cursor = mock.patch("xinshao.operations.readiness.connection.cursor",
                                side_effect=OperationalError("could not connect to server at 10.0.0.5 as xinshao"))
    with failing_cursor:
        response = client.get("/ready/")
    assert response.status_code == 503
    assert response.json() == {"status": "not ready",
                               "checks": {"database": "failed", "migrations": "failed", "cache": "ok"}}
    assert "10.0.0.5" not in response.content.decode()


@pytest.mark.django_db
def test_ready_is_503_while_migrations_are_pending(client, monkeypatch):
    monkeypatch.setattr(readiness, "_migrations_seen_applied", False)
    with mock.patch("xinshao.operations.readiness.MigrationExecutor") as executor:
        executor.return_value.migration_plan.return_value = [("people.0099_new", False)]
        response = client.get("/ready/")
    assert response.status_code == 503
    assert response.json()["checks"]["migrations"] == "failed"


@pytest.mark.django_db
def test_ready_checks_the_broker_when_one_is_configured(client):
    # Nothing listens on port 1: the broker check fails fast, and the server is not ready.
    with override_settings(CELERY_BROKER_URL="redis://127.0.0.1:1/0"):
        response = client.get("/ready/")
    assert response.status_code == 503
    assert json.loads(response.content)["checks"]["broker"] == "failed"


def test_health_and_ready_answer_get_only(client):
    assert client.post("/health/").status_code == 405
