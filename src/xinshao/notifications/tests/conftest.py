import json
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

TOKEN = "gateway-test-token"


@dataclass
class Gateway:
    """A real SMS gateway stand-in on 127.0.0.1: answers `fail_status` to the first `failures`
    requests (all of them when failures is None), then 200, and keeps every request it got."""
    url: str = ""
    failures: int | None = 0
    fail_status: int = 500
    requests: list[dict] = field(default_factory=list)
    delay: float = 0.0
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def answer(self) -> int:
        with self._lock:
            failing = self.failures is None or len(self.requests) <= self.failures
            return self.fail_status if failing else 200


@pytest.fixture
def sms_gateway(settings):
    gateway = Gateway()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers["Content-Length"]))
            with gateway._lock:
                gateway.requests.append({"path": self.path, "headers": dict(self.headers), "json": json.loads(body)})
            if gateway.delay:
                threading.Event().wait(gateway.delay)  # a slow gateway, for the concurrency test only
            status = gateway.answer()
            self.send_response(status)
            if 300 <= status < 400:
                self.send_header("Location", "/elsewhere")
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    gateway.url = f"http://127.0.0.1:{server.server_port}/send"
    settings.SMS_WEBHOOK_URL = gateway.url
    settings.SMS_WEBHOOK_TOKEN = TOKEN
    settings.NOTIFY_EXTERNAL_CHANNELS = ["sms_webhook", "email"]
    settings.NOTIFY_MAX_ATTEMPTS = 3
    yield gateway
    server.shutdown()
    server.server_close()


@pytest.fixture
def liu(city):
    """School A's psych teacher, reachable by phone and e-mail."""
    city.liu_a.phone, city.liu_a.email = "13900000001", "liu@school-a.example.cn"
    city.liu_a.save(update_fields=["phone", "email"])
    return city.liu_a
