"""Load test of the submit endpoint: scored submissions per second against `xinshao serve` on PostgreSQL.

What it does, from the repository root:
1. creates the PostgreSQL database xs_submit_bench (dropped again at the end), migrates it and
   seeds the demo city (`seed-demo --schools 40 --students 60000`);
2. opens a city-wide screening, PHQ-A + GAD-7 + ASQ for every junior and senior grade
   (bench/submit_seed.py), and takes the signed token of each respondent aged 11 or more;
3. starts `xinshao serve` on 127.0.0.1 (waitress; granian with --broker) and, after a warm-up, submits
   realistic batteries at rising concurrency (one keep-alive connection per client thread,
   each submission for a different respondent with a fresh idempotency key), for a fixed time
   per level, measuring every request;
4. resends a sample of acknowledged submissions with their original key, two copies at once,
   and expects the first answer back every time;
5. counts in the database: every acknowledged submission stored exactly once with its three
   results, nothing stored twice, as many submissions with a critical flag as the answers sent,
   and every critical result with its signal (the alert raised right after the commit);
6. stops the servers and measures the raw floor in the same run on the same database: pgbench
   writing the same rows in the same statements (bench/submit_floor.py) at the lowest and the
   highest level's clients, and the ratio of the best submission rate to it.

    .venv/bin/python bench/submit_load.py [--levels 8,16,32,64] [--seconds 10] [--threads 8] [--servers 1]
                                          [--broker redis://127.0.0.1:6379/15]

With --servers 2 it starts two `xinshao serve` processes on two ports and spreads the clients
over them, as a reverse proxy in front of two processes would. Only 127.0.0.1 is contacted;
client threads are bounded by the highest level and every request has a timeout.
"""
import argparse
import http.client
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import psycopg
import redis
import submit_floor

BENCH_DATABASE = "xs_submit_bench"
SUBMIT_PATH = "/take/answer/submit/"
SEED_ARGS = ["seed-demo", "--schools", "40", "--students", "60000", "--seed", "2026", "--today", "2026-11-28"]
SYMPTOM_WEIGHTS = (0.55, 0.25, 0.12, 0.08)  # share of answers 0, 1, 2, 3
SELF_HARM_WEIGHTS = (0.90, 0.06, 0.03, 0.01)  # PHQ-A item 9: about 1 adolescent in 10 above 0
REQUEST_TIMEOUT = 30
REPO = Path(__file__).resolve().parent.parent


# --- answers as a school population gives them ---------------------------------------------

def battery_answers(rng: random.Random) -> dict[str, list]:
    phqa = rng.choices((0, 1, 2, 3), SYMPTOM_WEIGHTS, k=8) + rng.choices((0, 1, 2, 3), SELF_HARM_WEIGHTS)
    phqa += [rng.choice((0, 1)), rng.choices((0, 1, 2, 3), (0.6, 0.3, 0.08, 0.02))[0],
             int(rng.random() < 0.03), int(rng.random() < 0.02)]
    gad7 = rng.choices((0, 1, 2, 3), SYMPTOM_WEIGHTS, k=8)
    if rng.random() < 0.01:
        gad7[rng.randrange(7)] = None  # a skipped question
    asq = [int(rng.random() < 0.03) for _ in range(4)]
    asq.append(int(rng.random() < 0.2) if any(asq) else None)  # question 5 only after a positive screen
    return {"phqa": phqa, "gad7": gad7, "asq": asq}


def expects_critical(answers: dict[str, list]) -> bool:
    phqa, asq = answers["phqa"], answers["asq"]
    return phqa[8] != 0 or phqa[11] == 1 or phqa[12] == 1 or any(asq[:4]) or asq[4] == 1


def submission_body(rng: random.Random, token: str, items: dict[str, int]) -> tuple[str, bytes, bool]:
    """(idempotency key, JSON body, whether it carries a critical answer)."""
    answers = battery_answers(rng)
    key = str(uuid.uuid4())
    seconds = {instrument: [round(rng.uniform(2, 12), 1) for _ in range(count)] for instrument, count in items.items()}
    body = {"token": token, "key": key, "answers": answers, "seconds": seconds}
    return key, json.dumps(body).encode(), expects_critical(answers)


# --- the server and its database -----------------------------------------------------------

def xinshao(args: list[str], env: dict) -> str:
    done = subprocess.run([sys.executable, "-m", "xinshao.cli", *args], env=env, check=True, capture_output=True,
                          text=True)
    return done.stdout


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until_serving(port: int, server: subprocess.Popen) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"xinshao serve stopped with code {server.returncode}")
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", "/take/")
            connection.getresponse().read()
            return
        except OSError:
            time.sleep(0.2)
    raise SystemExit("xinshao serve did not answer within 60 s")


# --- the load ------------------------------------------------------------------------------

@dataclass
class Acknowledged:
    key: str
    critical: bool
    body: bytes | None = None   # kept for a sample, to resend
    reply: bytes | None = None


@dataclass
class Level:
    clients: int
    seconds: float = 0.0
    latencies: list[float] = field(default_factory=list)
    acknowledged: list[Acknowledged] = field(default_factory=list)
    failed: int = 0

    @property
    def per_second(self) -> float:
        return len(self.acknowledged) / self.seconds

    def line(self) -> str:
        count = len(self.latencies)
        cuts = statistics.quantiles(self.latencies, n=100) if count > 1 else [0.0] * 99
        return (f"| {self.clients} | {len(self.acknowledged):,} | {self.per_second:,.0f} | "
                f"{cuts[49] * 1000:.0f} | {cuts[94] * 1000:.0f} | {cuts[98] * 1000:.0f} | {self.failed} |")


class Tokens:
    """Respondents not yet used, handed out one at a time to the client threads."""

    def __init__(self, tokens: list[str]):
        self._tokens, self._next, self._lock = tokens, 0, threading.Lock()

    def take(self) -> str | None:
        with self._lock:
            if self._next >= len(self._tokens):
                return None
            self._next += 1
            return self._tokens[self._next - 1]


def post(connection: http.client.HTTPConnection, body: bytes) -> tuple[int, bytes]:
    connection.request("POST", SUBMIT_PATH, body, headers={"Content-Type": "application/json"})
    response = connection.getresponse()
    return response.status, response.read()


def client_loop(port: int, tokens: Tokens, items: dict, until: float, level: Level, lock: threading.Lock,
                seed: int, keep_every: int) -> None:
    rng = random.Random(seed)
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=REQUEST_TIMEOUT)
    sent = 0
    while time.monotonic() < until:
        token = tokens.take()
        if token is None:
            break
        key, body, critical = submission_body(rng, token, items)
        started = time.perf_counter()
        try:
            status, reply = post(connection, body)
        except OSError:
            connection.close()
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=REQUEST_TIMEOUT)
            status, reply = 0, b""
        elapsed = time.perf_counter() - started
        sent += 1
        kept = sent % keep_every == 0
        with lock:
            if status == 200:
                level.latencies.append(elapsed)
                level.acknowledged.append(Acknowledged(key, critical, body if kept else None, reply if kept else None))
            else:
                level.failed += 1
    connection.close()


def run_level(ports: list[int], tokens: Tokens, items: dict, clients: int, seconds: float,
              keep_every: int = 25) -> Level:
    level, lock = Level(clients), threading.Lock()
    until = time.monotonic() + seconds
    threads = [threading.Thread(target=client_loop, args=(ports[n % len(ports)], tokens, items, until, level, lock,
                                                          clients * 1000 + n, keep_every)) for n in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    level.seconds = time.perf_counter() - started
    return level


def resend(ports: list[int], sample: list[Acknowledged]) -> tuple[int, int]:
    """Send each sampled submission again, twice at once; (replies equal to the first, replies that differ)."""
    same, different, lock = 0, 0, threading.Lock()

    def send(entry: Acknowledged, port: int) -> None:
        nonlocal same, different
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=REQUEST_TIMEOUT)
        status, reply = post(connection, entry.body)
        connection.close()
        with lock:
            if status == 200 and reply == entry.reply:
                same += 1
            else:
                different += 1

    for start in range(0, len(sample), 16):
        threads = [threading.Thread(target=send, args=(entry, port)) for entry in sample[start:start + 16]
                   for port in (ports[0], ports[-1])]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    return same, different


def count_check(database_url: str, acknowledged: list[Acknowledged], campaign_id: int) -> dict[str, int]:
    """Counts over the bench's own campaign (the demo city has a screening of its own)."""
    with psycopg.connect(database_url) as connection:
        def count(query: str) -> int:
            return connection.execute(query, [campaign_id]).fetchone()[0]

        stored = {str(key) for (key,) in connection.execute(
            "SELECT s.idempotency_key FROM campaigns_submission s JOIN campaigns_assignment a "
            "ON a.id = s.assignment_id WHERE a.campaign_id = %s", [campaign_id])}
        results = count("SELECT count(*) FROM campaigns_instrumentresult WHERE campaign_id = %s")
        critical = count("SELECT count(DISTINCT submission_id) FROM campaigns_instrumentresult "
                         "WHERE has_critical_flag AND campaign_id = %s")
        twice = count("SELECT count(*) FROM (SELECT s.assignment_id FROM campaigns_submission s JOIN "
                      "campaigns_assignment a ON a.id = s.assignment_id WHERE a.campaign_id = %s "
                      "GROUP BY s.assignment_id HAVING count(*) > 1) AS t")
        unsignalled = count(
            "SELECT count(*) FROM campaigns_instrumentresult r WHERE r.has_critical_flag AND r.student_id IS NOT NULL "
            "AND r.campaign_id = %s AND NOT EXISTS (SELECT 1 FROM alerts_signal s WHERE s.source = 'screening_result' "
            "AND s.origin = 'result:' || r.id)")
    keys = {entry.key for entry in acknowledged}
    return {
        "acknowledged": len(keys),
        "stored": len(stored),
        "lost": len(keys - stored),
        "stored_without_acknowledgement": len(stored - keys),
        "stored_twice": twice,
        "results": results,
        "critical_expected": sum(entry.critical for entry in acknowledged),
        "critical_stored": critical,
        "critical_without_signal": unsignalled,
    }


def process_tree(pid: int) -> list[int]:
    """pid and every process below it (a granian server's workers are its children), from /proc."""
    parents = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parents[int(entry.name)] = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except OSError:  # ended while we looked
                continue
    tree, frontier = [pid], [pid]
    while frontier:
        parent = frontier.pop()
        children = [child for child, its_parent in parents.items() if its_parent == parent]
        tree += children
        frontier += children
    return tree


def cpu_seconds(servers: list[subprocess.Popen]) -> float:
    """User and system CPU the server processes and their workers have used so far (/proc; Linux only).

    CPU per submission is the figure that least depends on what else the machine is running."""
    ticks = 0
    for server in servers:
        for pid in process_tree(server.pid):
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            ticks += int(fields[11]) + int(fields[12])  # utime, stime
    return ticks / os.sysconf("SC_CLK_TCK")


def prepare_city(env: dict, data_dir: Path) -> tuple[Tokens, dict, int]:
    """Migrate and seed the demo city, open the bench's screening: (respondents' tokens, items per
    instrument, the campaign's id)."""
    print("migrating and seeding the demo city ...", flush=True)
    xinshao(["migrate", "-v0"], env)
    xinshao(SEED_ARGS, env)
    seed_file = data_dir / "tokens.json"
    print(subprocess.run([sys.executable, str(REPO / "bench" / "submit_seed.py"), str(seed_file)], env=env,
                         check=True, capture_output=True, text=True).stdout.strip(), flush=True)
    seeded = json.loads(seed_file.read_text())
    return Tokens(seeded["tokens"]), seeded["items"], seeded["campaign"]


def start_server(port: int, env: dict, data_dir: Path, threads: int) -> subprocess.Popen:
    """`xinshao serve` on the port, once it answers."""
    log = open(data_dir / f"server-{port}.log", "a")
    server = subprocess.Popen([sys.executable, "-m", "xinshao.cli", "serve", "--port", str(port),
                               "--threads", str(threads)], env=env, stdout=log, stderr=log)
    wait_until_serving(port, server)
    return server


def start_worker(broker: str, env: dict, data_dir: Path, *, empty: bool = True) -> subprocess.Popen:
    """One Celery worker process (solo pool: its CPU is its own) with beat; `empty` empties the broker
    database first (a restarted worker must find the queue as its predecessor left it)."""
    if empty:
        redis.Redis.from_url(broker).flushdb()
    log = open(data_dir / "worker.log", "a")
    return subprocess.Popen([sys.executable, "-m", "celery", "-A", "xinshao", "worker", "--beat", "--pool", "solo",
                             "--loglevel", "WARNING", "-s", str(data_dir / "beat-schedule")],
                            env=env, stdout=log, stderr=log)


def drain(database_url: str, campaign_id: int, timeout: float = 300.0) -> float:
    """Seconds until the worker has raised every critical result's signal (the submissions' tasks are done)."""
    started = time.monotonic()
    with psycopg.connect(database_url, autocommit=True) as connection:
        while time.monotonic() - started < timeout:
            waiting = connection.execute(
                "SELECT count(*) FROM campaigns_instrumentresult WHERE campaign_id = %s AND has_critical_flag "
                "AND signals_pending",
                [campaign_id]).fetchone()[0]
            if not waiting:
                break
            time.sleep(0.5)
    return time.monotonic() - started


def stop(servers: list[subprocess.Popen]) -> None:
    for server in servers:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:  # a Celery worker finishing its queue: stop it now
            server.kill()
            server.wait(timeout=30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postgres", default="postgres://postgres@127.0.0.1:5432",
                        help="PostgreSQL server URL without a database name")
    parser.add_argument("--levels", default="8,16,32,64", help="concurrent clients per level")
    parser.add_argument("--seconds", type=float, default=10.0, help="time per level")
    parser.add_argument("--threads", type=int, default=8, help="`xinshao serve --threads`")
    parser.add_argument("--servers", type=int, default=1, choices=(1, 2, 3, 4), help="`xinshao serve` processes")
    parser.add_argument("--broker", default="",
                        help="production mode: a Celery broker URL (e.g. redis://127.0.0.1:6379/15, emptied first); "
                             "the servers queue their tasks there and one `celery worker --beat` runs them")
    options = parser.parse_args()
    levels = [int(n) for n in options.levels.split(",")]
    if max(levels) > 256:
        raise SystemExit("at most 256 clients")
    server_url = options.postgres.rstrip("/")
    database_url = f"{server_url}/{BENCH_DATABASE}"
    subprocess.run(["dropdb", "--if-exists", "-h", "127.0.0.1", "-U", "postgres", BENCH_DATABASE], check=True)
    subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", BENCH_DATABASE], check=True)
    servers = []
    try:
        with tempfile.TemporaryDirectory(prefix="xs-submit-bench-") as data_dir:
            env = {**os.environ, "XINSHAO_DATA_DIR": data_dir, "DATABASE_URL": database_url, "LOG_LEVEL": "WARNING",
                   "CELERY_BROKER_URL": options.broker}
            tokens, items, campaign = prepare_city(env, Path(data_dir))
            ports = [free_port() for _ in range(options.servers)]
            servers += [start_server(port, env, Path(data_dir), options.threads) for port in ports]
            worker = start_worker(options.broker, env, Path(data_dir)) if options.broker else None
            warm_up = run_level(ports, tokens, items, 8, 3.0)
            print(f"warm-up: {len(warm_up.acknowledged)} submissions", flush=True)
            print(f"\n{options.servers} server process(es) of {options.threads} threads, {options.seconds:g} s per level\n")
            print("| clients | submissions | per second | p50 ms | p95 ms | p99 ms | failed |")
            print("| --- | --- | --- | --- | --- | --- | --- |")
            measured, cpu_before = [], cpu_seconds(servers)
            for clients in levels:
                level = run_level(ports, tokens, items, clients, options.seconds)
                measured.append(level)
                print(level.line(), flush=True)
            served = sum(len(level.acknowledged) for level in measured)
            print(f"\nserver CPU per submission: {(cpu_seconds(servers) - cpu_before) / served * 1000:.2f} ms "
                  f"({served:,} submissions)")
            if worker is not None:
                drained = drain(database_url, campaign)
                print(f"worker CPU since start: {cpu_seconds([worker]):.1f} s; every critical result's alert "
                      f"raised {drained:.1f} s after the load")
                servers.append(worker)
            acknowledged = warm_up.acknowledged + [entry for level in measured for entry in level.acknowledged]
            sample = [entry for entry in acknowledged if entry.body is not None]
            same, different = resend(ports, sample)
            print(f"\nresent {len(sample)} acknowledged submissions twice at once with their key: "
                  f"{same} answered as the first time, {different} otherwise")
            checked = count_check(database_url, acknowledged, campaign)
            print("count check: " + ", ".join(f"{name} {value:,}" for name, value in checked.items()))
            ok = (checked["lost"] == 0 and checked["stored_twice"] == 0 and different == 0
                  and checked["results"] == 3 * checked["stored"]
                  and checked["critical_expected"] == checked["critical_stored"]
                  and checked["critical_without_signal"] == 0)
            print("zero lost, zero duplicated, every critical result signalled: " + ("yes" if ok else "NO"))
            stop(servers)
            best = max(level.per_second for level in measured)
            for clients in sorted({min(levels), max(levels)}):
                floor = submit_floor.run(database_url, clients=clients, seconds=int(options.seconds))
                print(f"raw floor (pgbench, the same rows, {clients} clients, {options.seconds:g} s): "
                      f"{floor['per_second']:,.0f} transactions/s, mean {floor['latency_ms']:.1f} ms, "
                      f"{floor['failed']} failed; best submission rate / floor = {best / floor['per_second']:.2f}")
    finally:
        stop(servers)
        subprocess.run(["dropdb", "--if-exists", "-h", "127.0.0.1", "-U", "postgres", BENCH_DATABASE], check=True)


if __name__ == "__main__":
    main()
