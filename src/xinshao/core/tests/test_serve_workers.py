"""`xinshao serve --workers N`: N granian worker processes, and the periodic jobs still run once."""
import os
import sqlite3
import subprocess
import sys
import urllib.request
from pathlib import Path

from xinshao.core.tests.test_background_jobs import _free_port, _wait_for

BIN = Path(sys.executable).parent


def _children(pid: int) -> dict[int, str]:
    """The processes whose parent is pid, with their command lines, read from /proc."""
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:  # ended while we looked
            continue
        # Field 4 is the parent pid; the command name before it (in brackets) may hold spaces.
        if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
            found[int(entry.name)] = cmdline
    return found


def _environment(tmp_path) -> dict:
    env = {**os.environ, "XINSHAO_DATA_DIR": str(tmp_path), "DJANGO_SETTINGS_MODULE": "xinshao.settings"}
    for name in ("DATABASE_URL", "CELERY_BROKER_URL", "CACHE_URL"):
        env.pop(name, None)
    return env


def test_two_workers_serve_and_the_periodic_jobs_run_in_one_process_of_their_own(tmp_path):
    env = _environment(tmp_path)
    subprocess.run([BIN / "xinshao", "migrate", "-v0"], env=env, check=True, timeout=120)
    port = _free_port()
    log = tmp_path / "serve.log"
    with log.open("wb") as out:
        server = subprocess.Popen([BIN / "xinshao", "serve", "--workers", "2", "--threads", "2", "--port", str(port)],
                                  env=env, stdout=out, stderr=subprocess.STDOUT)
    children = {}
    try:
        def login_page_served():
            try:
                return urllib.request.urlopen(f"http://127.0.0.1:{port}/accounts/login/", timeout=2).status == 200
            except OSError:
                return False

        assert _wait_for(login_page_served, 30), log.read_text()

        def started(name):
            return [pid for pid, cmdline in _children(server.pid).items() if name in cmdline]

        # One worker may answer before granian has started the other: wait for both.
        assert _wait_for(lambda: len(started("serve")) == 2, 30), _children(server.pid)
        children = _children(server.pid)
        beats = started("run-periodic-jobs")
        assert len(beats) == 1, children

        query = "select worker from core_jobheartbeat"
        with sqlite3.connect(tmp_path / "xinshao.sqlite3") as db:
            assert _wait_for(lambda: db.execute(query).fetchall(), 20), log.read_text()
            assert [row[0].rsplit(":", 1)[1] for row in db.execute(query)] == [str(beats[0])]
        assert "code-entry throttling is per process" in log.read_text()
    finally:
        server.terminate()
        server.wait(timeout=20)
    assert not [pid for pid in children if Path(f"/proc/{pid}").exists()], "they all stop with the server"


def test_a_bad_worker_count_is_refused_with_the_rule(tmp_path):
    result = subprocess.run([BIN / "xinshao", "serve", "--workers", "0"], env=_environment(tmp_path),
                            capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode != 0
    assert "--workers 0 must be between 1 and 64" in result.stderr
