"""Background and periodic jobs: in-process without a broker, through a real worker with one."""
import os
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from datetime import timedelta
from pathlib import Path

import pytest
from celery import Celery

from xinshao.celery import app as celery_app
from xinshao.core.models import JobHeartbeat
from xinshao.core.scheduler import InProcessBeat

BIN = Path(sys.executable).parent
REDIS_URL = "redis://127.0.0.1:6379/15"


def test_queued_jobs_run_in_process_without_a_broker(db):
    celery_app.loader.import_default_modules()
    result = celery_app.tasks["xinshao.core.tasks.heartbeat"].delay()
    assert result.get()["worker"].endswith(f":{os.getpid()}")
    assert JobHeartbeat.objects.get().beats == 1


def test_the_in_process_beat_runs_interval_jobs_at_start_and_again_when_due(db):
    beat = InProcessBeat(celery_app)
    beat.entries = {"heartbeat": beat.entries["heartbeat"]}
    beat.last_run = {"heartbeat": None}
    beat.run_due()
    assert JobHeartbeat.objects.get().beats == 1
    beat.run_due()
    assert JobHeartbeat.objects.get().beats == 1, "not due again within its 60 s interval"
    beat.last_run["heartbeat"] -= timedelta(seconds=61)
    beat.run_due()
    assert JobHeartbeat.objects.get().beats == 2


def test_a_failing_periodic_job_does_not_stop_the_others(db):
    beat = InProcessBeat(celery_app)
    beat.entries = {"broken": ("no.such.task", beat.entries["heartbeat"][1], ()),
                    "heartbeat": beat.entries["heartbeat"]}
    beat.last_run = {"broken": None, "heartbeat": None}
    beat.run_due()
    assert JobHeartbeat.objects.get().beats == 1


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_for(condition, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.3)
    return False


def test_the_server_runs_periodic_jobs_while_it_serves(tmp_path):
    """What `make demo` starts: `xinshao serve` with no broker keeps the schedule itself."""
    env = {**os.environ, "XINSHAO_DATA_DIR": str(tmp_path), "DJANGO_SETTINGS_MODULE": "xinshao.settings"}
    env.pop("DATABASE_URL", None)
    env.pop("CELERY_BROKER_URL", None)
    subprocess.run([BIN / "xinshao", "migrate", "-v0"], env=env, check=True, timeout=120)
    port = _free_port()
    server = subprocess.Popen([BIN / "xinshao", "serve", "--port", str(port)], env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        def login_page_served():
            try:
                return urllib.request.urlopen(f"http://127.0.0.1:{port}/accounts/login/", timeout=2).status == 200
            except OSError:
                return False

        assert _wait_for(login_page_served, 30)
        query = "select count(*) from core_jobheartbeat"
        import sqlite3
        with sqlite3.connect(tmp_path / "xinshao.sqlite3") as db:
            assert _wait_for(lambda: db.execute(query).fetchone()[0] == 1, 20)
    finally:
        server.terminate()
        server.wait(timeout=20)


def _redis_available() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=1):
            return True
    except OSError:
        return False


@pytest.mark.broker
def test_a_job_goes_through_a_real_broker_and_worker(tmp_path):
    if not _redis_available():
        if os.environ.get("XINSHAO_REQUIRE_BROKER"):
            pytest.fail("Redis is not running on 127.0.0.1:6379")
        pytest.skip("Redis is not running on 127.0.0.1:6379")
    queue = f"xinshao-test-{uuid.uuid4().hex[:8]}"
    env = {**os.environ, "XINSHAO_DATA_DIR": str(tmp_path), "DJANGO_SETTINGS_MODULE": "xinshao.settings",
           "CELERY_BROKER_URL": REDIS_URL, "CELERY_RESULT_BACKEND": REDIS_URL}
    worker = subprocess.Popen(
        [BIN / "celery", "-A", "xinshao", "worker", "--pool", "solo", "-Q", queue, "--without-gossip",
         "--without-mingle", "--loglevel", "WARNING"],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )
    # A client of its own: this test process has no broker configured (jobs run eagerly here).
    client = Celery("xinshao-test-client", broker=REDIS_URL, backend=REDIS_URL)
    try:
        result = client.send_task("xinshao.core.tasks.whoami", queue=queue)
        answer = result.get(timeout=60)
        assert answer["pid"] == worker.pid and answer["pid"] != os.getpid()
    finally:
        client.close()
        worker.terminate()
        worker.wait(timeout=30)
