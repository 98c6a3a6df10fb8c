from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from xinshao.celery import app as celery_app
from xinshao.core.scheduler import InProcessBeat


class Command(BaseCommand):
    help = (
        "Serve Xinshao over HTTP with waitress. Without CELERY_BROKER_URL the periodic jobs "
        "(heartbeat, audit check, and later alert escalation and follow-up reminders) run in a "
        "thread of this process; with a broker, run `celery -A xinshao worker --beat` beside it."
    )

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
        parser.add_argument("--port", type=int, default=8000, help="port to listen on (default 8000)")
        parser.add_argument("--threads", type=int, default=8, help="request threads (default 8)")

    def handle(self, *args, host, port, threads, **options):
        from waitress import serve

        from xinshao.wsgi import application

        if not 1 <= port <= 65535:
            raise CommandError(f"--port {port} is not a port number (1-65535)")
        if not settings.EMBEDDED:
            call_command("collectstatic", interactive=False, verbosity=0)
        beat = None
        if not settings.CELERY_BROKER_URL:
            beat = InProcessBeat(celery_app)
            beat.start()
        self.stdout.write(f"Xinshao serving on http://{host}:{port}/ (Ctrl-C to stop)")
        try:
            serve(application, host=host, port=port, threads=threads, ident="xinshao")
        finally:
            if beat:
                beat.stop()
