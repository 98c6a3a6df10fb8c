"""Structured logs: one JSON object a line (XINSHAO_LOG_FORMAT=json), with the request's id.

A log line may carry ids (request, user) and the path, never a request body, a query string
or a name: the lines leave the server for log collectors that are not cleared for student data.
"""
import contextvars
import json
import logging
from datetime import UTC, datetime

# The request being served by this thread, for every line logged while it is.
current_request_id: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="")

# Fields a log call may add with extra={...}; anything else given there is left out.
EXTRA_FIELDS = ("request_id", "user_id", "method", "path", "status", "duration_ms")


class RequestContextFilter(logging.Filter):
    """Gives every record the id of the request it was logged in ("" outside a request)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not getattr(record, "request_id", ""):
            record.request_id = current_request_id.get()
        return True


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for field in EXTRA_FIELDS:
            value = getattr(record, field, None)
            if value not in (None, ""):
                entry[field] = value
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)
