"""A real HTTP server on 127.0.0.1 (a random free port, in a thread) that answers with the statuses it is
given, one per request (the last one repeats), and keeps every request it got."""
import http.server
import threading
from dataclasses import dataclass, field


@dataclass
class Received:
    headers: dict
    body: bytes


@dataclass
class Receiver:
    statuses: list[int]
    got: list[Received] = field(default_factory=list)
    server: http.server.HTTPServer | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_port}/xinshao-hook"

    def start(self) -> "Receiver":
        receiver = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                receiver.got.append(Received(dict(self.headers), body))
                status = receiver.statuses[min(len(receiver.got), len(receiver.statuses)) - 1]
                self.send_response(status)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"ok")

            def log_message(self, *args):
                pass

        self.server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
