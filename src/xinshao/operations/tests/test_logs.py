import json
import logging
import sys

import pytest

from xinshao.operations.logs import JsonFormatter, RequestContextFilter, current_request_id


def _formatted(record: logging.LogRecord) -> dict:
    RequestContextFilter().filter(record)
    return json.loads(JsonFormatter().format(record))


def _record(message="%s 份答卷已计分", args=(3,), **extra) -> logging.LogRecord:
    record = logging.LogRecord("xinshao.campaigns", logging.INFO, __file__, 1, message, args, None)
    record.__dict__.update(extra)
    return record


def test_a_line_is_one_json_object_with_the_request_it_was_logged_in():
    token = current_request_id.set("req-12345678")
    try:
        entry = _formatted(_record())
    finally:
        current_request_id.reset(token)
    assert entry["message"] == "3 份答卷已计分"
    assert entry["level"] == "INFO" and entry["logger"] == "xinshao.campaigns"
    assert entry["request_id"] == "req-12345678"
    assert entry["time"].endswith("+00:00")


def test_only_the_named_extra_fields_are_written():
    entry = _formatted(_record(user_id=7, status=200, student_name="陈小明", body="answers"))
    assert entry["user_id"] == 7 and entry["status"] == 200
    assert "student_name" not in entry and "body" not in entry
    assert "request_id" not in entry  # outside a request


def test_an_exception_is_written_with_its_traceback():
    try:
        raise ValueError("broken")
    except ValueError:
        record = logging.LogRecord("x", logging.ERROR, __file__, 1, "failed", (), sys.exc_info())
    entry = _formatted(record)
    assert "ValueError: broken" in entry["exception"]


@pytest.mark.django_db
def test_each_request_gets_an_id_and_one_access_line_without_query_or_name(client, city, caplog):
    client.force_login(city.chen_user)
    with caplog.at_level(logging.DEBUG, logger="xinshao.access"):
        response = client.get("/ready/?name=陈小明", HTTP_X_REQUEST_ID="lb-0123456789")
        client.get("/no-such-page/", HTTP_X_REQUEST_ID="bad id\nforged line")
    assert response["X-Request-ID"] == "lb-0123456789"
    ready_line, missing_line = [record for record in caplog.records if record.name == "xinshao.access"]
    assert ready_line.levelno == logging.DEBUG  # a probe that passes: not in the INFO access log
    assert missing_line.levelno == logging.INFO
    entry = _formatted(missing_line)
    assert entry["path"] == "/no-such-page/" and entry["status"] == 404 and entry["method"] == "GET"
    assert entry["user_id"] == city.chen_user.pk
    assert len(entry["request_id"]) == 32 and "\n" not in entry["request_id"]  # the forged id was replaced
    assert entry["duration_ms"] >= 0
    text = JsonFormatter().format(ready_line)
    assert "陈小明" not in text and "name=" not in text and city.chen_user.username not in text
