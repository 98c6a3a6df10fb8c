"""Fault test of the submission path in production mode: kill -9 a web server and the Celery worker and
restart PostgreSQL in the middle of a burst, then count that nothing was lost or doubled.

What it does, from the repository root:
1. starts a PostgreSQL cluster of its own (initdb in a temporary directory, port --port, the
   machine's PostgreSQL binaries and default settings, durable commits), so that restarting it
   disturbs nothing else on the machine;
2. seeds the demo city and the bench's screening as bench/submit_load.py does, starts --servers
   `xinshao serve` processes and one `celery worker --beat` on --broker (that Redis database is
   emptied first);
3. runs a burst of --clients clients for --seconds. A client whose submission gets no 200 answer
   (connection refused or reset, timeout, any other status) sends the same body with the same
   idempotency key again, every 0.2 s, until it is acknowledged;
4. during the burst: kill -9 the first server and start it again; kill -9 the worker and start it
   again (on the same queue); restart PostgreSQL in immediate mode (a crash: no checkpoint,
   recovery on start);
5. waits until every critical result has its signal (the periodic sweep raises what a killed task
   lost), then counts in the database: acknowledged submissions lost or stored twice, results per
   submission, critical answers sent and stored, critical results with no alert, students given two
   alerts by the burst, and alert notifications not matching their alert's changes one for one.

    .venv/bin/python bench/submit_faults.py [--clients 32] [--seconds 40] [--servers 2] [--threads 8]
                                            [--broker redis://127.0.0.1:6379/15] [--port 5544]

Exits with status 1 when any count is not zero (or not equal where it must be).
"""
import argparse
import http.client
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import psycopg
import submit_load

BENCH_DATABASE = "xs_fault_bench"
RETRY_PAUSE = 0.2
GIVE_UP_AFTER = 120.0  # seconds past the burst: a client still unanswered then counts as given up


class Cluster:
    """A PostgreSQL cluster in a temporary directory, owned by the postgres user (initdb refuses root)."""

    def __init__(self, port: int):
        self.port = port
        self.bin = Path(subprocess.run(["pg_config", "--bindir"], check=True, capture_output=True,
                                       text=True).stdout.strip())
        self.directory = Path(tempfile.mkdtemp(prefix="xs-fault-pg-"))
        shutil.chown(self.directory, "postgres")
        self._as_postgres(["initdb", "-D", str(self.directory), "-A", "trust", "-U", "postgres", "--no-sync"])

    def _as_postgres(self, command: list[str]) -> None:
        subprocess.run(["runuser", "-u", "postgres", "--", str(self.bin / command[0]), *command[1:]], check=True,
                       capture_output=True)

    def _ctl(self, *args: str) -> None:
        self._as_postgres(["pg_ctl", "-D", str(self.directory), "-l", str(self.directory / "server.log"), "-w",
                           "-o", f"-p {self.port} -k {self.directory} -c listen_addresses=127.0.0.1", *args])

    def start(self) -> None:
        self._ctl("start")

    def crash_restart(self) -> None:
        self._ctl("-m", "immediate", "restart")

    def remove(self) -> None:
        try:
            self._ctl("-m", "fast", "stop")
        finally:
            shutil.rmtree(self.directory, ignore_errors=True)

    def url(self, database: str = "") -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}"


@dataclass
class Burst:
    acknowledged: list[submit_load.Acknowledged] = field(default_factory=list)
    attempts: int = 0
    unanswered: dict[str, int] = field(default_factory=dict)  # what a failed attempt got: status or error
    given_up: int = 0

    def failed(self, what: str) -> None:
        self.unanswered[what] = self.unanswered.get(what, 0) + 1


def _attempt(connection: http.client.HTTPConnection | None, port: int, body: bytes):
    """(connection to reuse or None, status or error name)."""
    connection = connection or http.client.HTTPConnection("127.0.0.1", port, timeout=submit_load.REQUEST_TIMEOUT)
    try:
        status, reply = submit_load.post(connection, body)
    except (OSError, http.client.HTTPException) as error:
        connection.close()
        return None, type(error).__name__, b""
    return connection, status, reply


def retrying_client(port: int, tokens: submit_load.Tokens, items: dict, until: float, burst: Burst,
                    lock: threading.Lock, seed: int) -> None:
    rng, connection = random.Random(seed), None
    while time.monotonic() < until:
        token = tokens.take()
        if token is None:
            break
        key, body, critical = submit_load.submission_body(rng, token, items)
        while True:
            connection, status, reply = _attempt(connection, port, body)
            with lock:
                burst.attempts += 1
                if status == 200:
                    burst.acknowledged.append(submit_load.Acknowledged(key, critical))
                    break
                burst.failed(str(status))
                if time.monotonic() > until + GIVE_UP_AFTER:
                    burst.given_up += 1
                    break
            if connection is not None and status != 200:
                connection.close()
                connection = None
            time.sleep(RETRY_PAUSE)
    if connection is not None:
        connection.close()


def alert_counts(database_url: str, campaign_id: int, since) -> dict[str, int]:
    """Critical results with no alert, students with two alerts raised since the burst began, and
    alert notifications sent more or less often than their alert changed."""
    with psycopg.connect(database_url) as connection:
        def count(query: str, params) -> int:
            return connection.execute(query, params).fetchone()[0]

        return {
            "critical_without_alert": count(
                "SELECT count(*) FROM campaigns_instrumentresult r WHERE r.campaign_id = %s AND r.has_critical_flag "
                "AND r.student_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM alerts_signal s WHERE "
                "s.source = 'screening_result' AND s.origin = 'result:' || r.id AND s.alert_id IS NOT NULL)",
                [campaign_id]),
            "students_alerted_twice": count(
                "SELECT count(*) FROM (SELECT a.student_id FROM alerts_alert a WHERE a.created_at >= %s AND "
                "a.student_id IN (SELECT student_id FROM campaigns_instrumentresult WHERE campaign_id = %s) "
                "GROUP BY a.student_id HAVING count(*) > 1) AS t", [since, campaign_id]),
            # An alert tells whoever must act once when raised and again when its level rises (or it
            # climbs the chain): per person and alert, as many notifications as such changes.
            "alert_notifications_not_once_per_change": count(
                "SELECT count(*) FROM (SELECT n.recipient_id, a.id AS alert_id, count(*) AS sent "
                "FROM notifications_notification n JOIN alerts_alert a ON n.link = '/alerts/' || a.id || '/' "
                "WHERE n.topic = 'alert' AND a.created_at >= %s GROUP BY n.recipient_id, a.id) AS t "
                "WHERE t.sent <> (SELECT count(*) FROM alerts_alertevent e WHERE e.alert_id = t.alert_id "
                "AND e.kind IN ('raised', 'level_raised', 'escalated'))", [since]),
        }


def kill_and_restart(process: subprocess.Popen, restart) -> tuple[subprocess.Popen, float]:
    """kill -9 the process and everything it started (a server's workers go down with it, as in a
    crash of the machine's process), then start again: (the new process, seconds until it was back)."""
    started = time.monotonic()
    for pid in submit_load.process_tree(process.pid):
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    process.wait()
    return restart(), time.monotonic() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=32, help="concurrent clients (default 32)")
    parser.add_argument("--seconds", type=float, default=40.0, help="length of the burst (default 40)")
    parser.add_argument("--servers", type=int, default=2, choices=(1, 2, 3, 4), help="`xinshao serve` processes")
    parser.add_argument("--threads", type=int, default=8, help="`xinshao serve --threads`")
    parser.add_argument("--broker", default="redis://127.0.0.1:6379/15",
                        help="Celery broker URL (its database is emptied first)")
    parser.add_argument("--port", type=int, default=5544, help="port of the bench's own PostgreSQL cluster")
    options = parser.parse_args()
    if not 1 <= options.clients <= 256:
        raise SystemExit("--clients must be 1 to 256")
    if options.seconds < 20:
        raise SystemExit("--seconds must be at least 20: the three faults come at a quarter, half and three quarters")

    cluster = Cluster(options.port)
    servers, worker = [], None
    try:
        cluster.start()
        subprocess.run(["createdb", "-h", "127.0.0.1", "-p", str(options.port), "-U", "postgres", BENCH_DATABASE],
                       check=True)
        database_url = cluster.url(BENCH_DATABASE)
        with tempfile.TemporaryDirectory(prefix="xs-fault-bench-") as data_dir:
            data = Path(data_dir)
            env = {**os.environ, "XINSHAO_DATA_DIR": data_dir, "DATABASE_URL": database_url, "LOG_LEVEL": "WARNING",
                   "CELERY_BROKER_URL": options.broker}
            tokens, items, campaign = submit_load.prepare_city(env, data)
            ports = [submit_load.free_port() for _ in range(options.servers)]
            servers = [submit_load.start_server(port, env, data, options.threads) for port in ports]
            worker = submit_load.start_worker(options.broker, env, data)
            with psycopg.connect(database_url) as connection:
                since = connection.execute("SELECT now()").fetchone()[0]

            burst, lock = Burst(), threading.Lock()
            until = time.monotonic() + options.seconds
            clients = [threading.Thread(target=retrying_client,
                                        args=(ports[n % len(ports)], tokens, items, until, burst, lock, n))
                       for n in range(options.clients)]
            for client in clients:
                client.start()
            print(f"burst: {options.clients} clients for {options.seconds:g} s against {options.servers} "
                  f"server(s) of {options.threads} threads, one worker, PostgreSQL on port {options.port}", flush=True)

            quarter = options.seconds / 4
            time.sleep(quarter)
            servers[0], back = kill_and_restart(
                servers[0], lambda: submit_load.start_server(ports[0], env, data, options.threads))
            print(f"  kill -9 server on port {ports[0]}: serving again after {back:.1f} s", flush=True)
            time.sleep(quarter)
            worker, back = kill_and_restart(worker, lambda: submit_load.start_worker(options.broker, env, data,
                                                                                     empty=False))
            print(f"  kill -9 Celery worker: started again after {back:.1f} s", flush=True)
            time.sleep(quarter)
            started = time.monotonic()
            cluster.crash_restart()
            print(f"  PostgreSQL restarted (immediate mode): accepting again after {time.monotonic() - started:.1f} s",
                  flush=True)
            for client in clients:
                client.join()

            print(f"\n{len(burst.acknowledged):,} submissions acknowledged in {burst.attempts:,} attempts; "
                  f"failed attempts (then retried): {burst.unanswered or 'none'}; given up: {burst.given_up}")
            drained = submit_load.drain(database_url, campaign)
            print(f"every critical result's signal raised {drained:.1f} s after the burst")
            checked = submit_load.count_check(database_url, burst.acknowledged, campaign)
            checked |= alert_counts(database_url, campaign, since)
            print("count check: " + ", ".join(f"{name} {value:,}" for name, value in checked.items()))
            zero = ("lost", "stored_without_acknowledgement", "stored_twice", "critical_without_signal",
                    "critical_without_alert", "students_alerted_twice", "alert_notifications_not_once_per_change")
            ok = (burst.given_up == 0 and all(checked[name] == 0 for name in zero)
                  and checked["results"] == 3 * checked["stored"]
                  and checked["critical_expected"] == checked["critical_stored"])
            print("zero lost, zero duplicated, every critical answer exactly one alert: " + ("yes" if ok else "NO"))
    finally:
        submit_load.stop([*servers, *([worker] if worker else [])])
        cluster.remove()
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
