"""Runs the periodic schedule (celery beat_schedule) in a thread, for the embedded mode.

With no broker there is no `celery beat`; the server process then keeps the same schedule
itself and runs each due job in-process (`xinshao run-periodic-jobs` runs it in the
foreground, for `serve --workers N`). With a broker this is not used: run
`celery -A xinshao worker --beat` instead.
"""
import logging
import threading
from datetime import datetime

from celery.schedules import crontab, maybe_schedule
from django.db import close_old_connections

logger = logging.getLogger(__name__)


class InProcessBeat(threading.Thread):
    def __init__(self, app, *, max_sleep: float = 5.0):
        super().__init__(name="xinshao-beat", daemon=True)
        self.app = app
        self.max_sleep = max_sleep
        self.stopped = threading.Event()
        # A worker imports every app's tasks module at start; this process must do the same.
        app.loader.import_default_modules()
        self.entries = {
            name: (entry["task"], maybe_schedule(entry["schedule"], app=app), entry.get("args", ()))
            for name, entry in app.conf.beat_schedule.items()
        }
        # Interval jobs run once at start; calendar jobs wait for their time.
        now = app.now()
        self.last_run: dict[str, datetime | None] = {
            name: now if isinstance(schedule, crontab) else None for name, (_t, schedule, _a) in self.entries.items()
        }

    def run_due(self) -> float:
        """Run every job that is due; return seconds until the next check."""
        wait = self.max_sleep
        for name, (task_name, schedule, args) in self.entries.items():
            last = self.last_run[name]
            due, next_in = (True, schedule.run_every.total_seconds()) if last is None else schedule.is_due(last)
            if due:
                self.last_run[name] = self.app.now()
                self._run(name, task_name, args)
            wait = min(wait, max(next_in, 0.1))
        return wait

    def _run(self, name: str, task_name: str, args) -> None:
        try:
            self.app.tasks[task_name].apply(args=args, throw=True)
        except Exception:
            logger.exception("periodic job %s failed", name)

    def run(self) -> None:
        logger.info("periodic jobs run in-process: %s", ", ".join(self.entries))
        while not self.stopped.is_set():
            wait = self.run_due()
            # This thread's connection would otherwise outlive CONN_MAX_AGE.
            close_old_connections()
            self.stopped.wait(wait)

    def stop(self) -> None:
        self.stopped.set()
