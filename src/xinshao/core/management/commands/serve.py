import os
import subprocess
import sys

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connections

from xinshao.celery import app as celery_app
from xinshao.core.scheduler import InProcessBeat

MAX_WORKERS = 64
MAX_THREADS = 64


class Command(BaseCommand):
    help = (
        "Serve Xinshao over HTTP. Embedded (no CELERY_BROKER_URL) with --workers 1, the default, one "
        "waitress process serves and runs the periodic jobs (heartbeat, audit sealing, alert "
        "escalation, reminders) in a thread. Otherwise granian serves with --workers processes, one "
        "per CPU core (one Python process uses one core); without a broker one `xinshao "
        "run-periodic-jobs` process runs beside them, so each job runs once, and with a broker run "
        "`celery -A xinshao worker --beat` beside the server. Several processes need a shared cache: "
        "set CACHE_URL=redis://..."
    )

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
        parser.add_argument("--port", type=int, default=8000, help="port to listen on (default 8000)")
        parser.add_argument(
            "--workers", type=int, default=1,
            help=f"server processes, one per CPU core (1-{MAX_WORKERS}, default 1)",
        )
        parser.add_argument("--threads", type=int, default=8,
                            help=f"request threads in each process (1-{MAX_THREADS}, default 8)")

    def handle(self, *args, host, port, workers, threads, **options):
        if not 1 <= port <= 65535:
            raise CommandError(f"--port {port} is not a port number (1-65535)")
        if not 1 <= workers <= MAX_WORKERS:
            raise CommandError(f"--workers {workers} must be between 1 and {MAX_WORKERS} (one per CPU core)")
        if not 1 <= threads <= MAX_THREADS:
            raise CommandError(f"--threads {threads} must be between 1 and {MAX_THREADS}")
        if not settings.EMBEDDED:
            call_command("collectstatic", interactive=False, verbosity=0)
        if workers == 1 and not settings.CELERY_BROKER_URL:
            self._serve_embedded(host, port, threads)
        else:
            self._serve_processes(host, port, workers, threads)

    def _serve_embedded(self, host: str, port: int, threads: int) -> None:
        from waitress import serve

        from xinshao.wsgi import application

        beat = InProcessBeat(celery_app)
        beat.start()
        self.stdout.write(f"Xinshao serving on http://{host}:{port}/ (Ctrl-C to stop)")
        try:
            serve(application, host=host, port=port, threads=threads, ident="xinshao")
        finally:
            beat.stop()

    def _serve_processes(self, host: str, port: int, workers: int, threads: int) -> None:
        if workers > 1 and not settings.CACHE_URL:
            self.stderr.write(
                f"Warning: CACHE_URL is not set, so each of the {workers} processes counts failed access-code "
                "attempts on its own (code-entry throttling is per process). Set CACHE_URL=redis://... to share it."
            )
        # granian forks its workers from this process: no database connection may be open then.
        connections.close_all()
        beat = None
        if not settings.CELERY_BROKER_URL:
            beat = subprocess.Popen([sys.executable, "-m", "xinshao.cli", "run-periodic-jobs"])
        serving_pid = os.getpid()
        self.stdout.write(
            f"Xinshao serving on http://{host}:{port}/ with {workers} processes × {threads} threads (Ctrl-C to stop)"
        )
        self.stdout.flush()
        try:
            _granian_server(host, port, workers, threads).serve()
        finally:
            # The granian workers are forked from this process and leave through this frame too.
            if beat and os.getpid() == serving_pid:
                beat.terminate()
                beat.wait(timeout=30)


def _granian_server(host: str, port: int, workers: int, threads: int):
    """granian's main process: HTTP parsed outside Python (Rust), each worker a process of its own
    that imports xinshao.wsgi, restarted if it dies (docs/deploy.md, docs/benchmarks.md)."""
    from granian import Granian
    from granian.constants import Interfaces

    return Granian("xinshao.wsgi:application", address=host, port=port, interface=Interfaces.WSGI, workers=workers,
                   blocking_threads=threads, websockets=False, respawn_failed_workers=True)
