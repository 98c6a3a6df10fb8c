"""A request id for every request, and one access log line when it is answered."""
import logging
import re
import time
import uuid

from xinshao.operations.logs import current_request_id

access_log = logging.getLogger("xinshao.access")
# A proxy's X-Request-ID is kept when it looks like an id; anything else could forge log lines.
_REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{8,64}")
# Probes from load balancers every few seconds would drown the access log.
_PROBE_PATHS = frozenset({"/health/", "/ready/"})


class RequestLogMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        given = request.headers.get("X-Request-ID", "")
        request_id = given if _REQUEST_ID.fullmatch(given) else uuid.uuid4().hex
        request.request_id = request_id
        token = current_request_id.set(request_id)
        started = time.monotonic()
        try:
            response = self.get_response(request)
            response["X-Request-ID"] = request_id
            self._log(request, response.status_code, started)
            return response
        finally:
            current_request_id.reset(token)

    def _log(self, request, status: int, started: float) -> None:
        duration_ms = round((time.monotonic() - started) * 1000, 1)
        probe = request.path in _PROBE_PATHS
        # Probes skip the user: looking it up reads the session from the database, which /health/ must not need.
        user = None if probe else getattr(request, "user", None)
        # The user's id only: a user name can be a student's name or number.
        user_id = user.pk if user is not None and user.is_authenticated else None
        level = logging.DEBUG if probe and status == 200 else logging.INFO
        # request.path has no query string: searches there can carry names.
        access_log.log(
            level, "%s %s %s %.1fms", request.method, request.path, status, duration_ms,
            extra={"request_id": request.request_id, "user_id": user_id, "method": request.method,
                   "path": request.path, "status": status, "duration_ms": duration_ms},
        )
