import signal

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from xinshao.celery import app as celery_app
from xinshao.core.scheduler import InProcessBeat


class Command(BaseCommand):
    help = (
        "Run the periodic jobs (heartbeat, audit check, ...) in the foreground until stopped, "
        "for the embedded mode without CELERY_BROKER_URL. `xinshao serve --workers N` with N > 1 "
        "starts one of these beside its server processes, so each job runs once; run only one per "
        "database. With a broker, run `celery -A xinshao worker --beat` instead."
    )

    def handle(self, *args, **options):
        if settings.CELERY_BROKER_URL:
            raise CommandError("CELERY_BROKER_URL is set: run `celery -A xinshao worker --beat` instead")
        beat = InProcessBeat(celery_app)
        for signum in (signal.SIGTERM, signal.SIGINT):
            signal.signal(signum, lambda *_: beat.stop())
        beat.run()
