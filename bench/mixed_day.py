"""Load test of a mixed school day: students submitting while staff read their pages, at rising concurrency.

What it does, from the repository root:
1. creates the PostgreSQL database xs_mixed_bench (dropped again at the end), seeds the demo city
   and the bench's screening as bench/submit_load.py does, and signs in staff of the first 20
   schools and of the bureau (bench/mixed_sessions.py);
2. starts --servers `xinshao serve` processes (and with --broker, one `celery worker --beat`);
3. at each level runs that many clients for --seconds: a share --staff of them are staff reading
   the pages of their day (home, alert inbox, case list, a growth record, school, class and city
   dashboards, attention list; each request a random page of a random person), the rest students
   submitting batteries as in submit_load;
4. prints per level the submissions per second and their p50/p95/p99, the staff pages per second
   and theirs, and failures; then counts that every acknowledged submission was stored once, and
   measures the raw floor of the submission's rows with pgbench in the same run.

    .venv/bin/python bench/mixed_day.py [--levels 8,16,32,64] [--seconds 15] [--staff 0.25]
                                        [--servers 2] [--threads 8] [--broker redis://127.0.0.1:6379/15]
"""
import argparse
import http.client
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import submit_floor
import submit_load

BENCH_DATABASE = "xs_mixed_bench"


@dataclass
class Pages:
    latencies: list[float] = field(default_factory=list)
    failed: dict[str, int] = field(default_factory=dict)  # "status path" -> times


def _cuts(latencies: list[float]) -> str:
    cuts = statistics.quantiles(latencies, n=100) if len(latencies) > 1 else [0.0] * 99
    return f"{cuts[49] * 1000:.0f} / {cuts[94] * 1000:.0f} / {cuts[98] * 1000:.0f}"


def staff_loop(port: int, sessions: list[dict], until: float, pages: Pages, lock: threading.Lock, seed: int) -> None:
    rng = random.Random(seed)
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=submit_load.REQUEST_TIMEOUT)
    while time.monotonic() < until:
        person = rng.choice(sessions)
        path = rng.choice(person["pages"])
        started = time.perf_counter()
        try:
            connection.request("GET", path, headers={"Cookie": person["cookie"]})
            response = connection.getresponse()
            response.read()
            status = response.status
        except (OSError, http.client.HTTPException):
            connection.close()
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=submit_load.REQUEST_TIMEOUT)
            status = 0
        elapsed = time.perf_counter() - started
        with lock:
            if status == 200:
                pages.latencies.append(elapsed)
            else:
                key = f"{status} {path}"
                pages.failed[key] = pages.failed.get(key, 0) + 1
    connection.close()


def run_mixed(ports: list[int], tokens, items, sessions, clients: int, staff_share: float, seconds: float):
    staff = max(1, round(clients * staff_share))
    students = max(1, clients - staff)
    level, pages, lock = submit_load.Level(students), Pages(), threading.Lock()
    until = time.monotonic() + seconds
    threads = [threading.Thread(target=submit_load.client_loop,
                                args=(ports[n % len(ports)], tokens, items, until, level, lock, clients * 1000 + n, 25))
               for n in range(students)]
    threads += [threading.Thread(target=staff_loop, args=(ports[n % len(ports)], sessions, until, pages, lock,
                                                          clients * 2000 + n)) for n in range(staff)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    level.seconds = time.perf_counter() - started
    print(f"| {clients} | {students} / {staff} | {level.per_second:,.0f} | {_cuts(level.latencies)} | "
          f"{len(pages.latencies) / level.seconds:,.0f} | {_cuts(pages.latencies)} | "
          f"{level.failed + sum(pages.failed.values())} |", flush=True)
    if pages.failed:
        print(f"  staff pages not answered 200: {pages.failed}", flush=True)
    return level


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postgres", default="postgres://postgres@127.0.0.1:5432",
                        help="PostgreSQL server URL without a database name")
    parser.add_argument("--levels", default="8,16,32,64", help="concurrent clients per level, staff included")
    parser.add_argument("--seconds", type=float, default=15.0, help="time per level")
    parser.add_argument("--staff", type=float, default=0.25, help="share of the clients that are staff (0.05-0.95)")
    parser.add_argument("--threads", type=int, default=8, help="`xinshao serve --threads`")
    parser.add_argument("--servers", type=int, default=2, choices=(1, 2, 3, 4), help="`xinshao serve` processes")
    parser.add_argument("--broker", default="", help="production mode: a Celery broker URL (emptied first)")
    options = parser.parse_args()
    levels = [int(n) for n in options.levels.split(",")]
    if max(levels) > 256 or min(levels) < 2:
        raise SystemExit("--levels: 2 to 256 clients")
    if not 0.05 <= options.staff <= 0.95:
        raise SystemExit("--staff must be between 0.05 and 0.95")
    database_url = f"{options.postgres.rstrip('/')}/{BENCH_DATABASE}"
    subprocess.run(["dropdb", "--if-exists", "-h", "127.0.0.1", "-U", "postgres", BENCH_DATABASE], check=True)
    subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", BENCH_DATABASE], check=True)
    servers = []
    try:
        with tempfile.TemporaryDirectory(prefix="xs-mixed-bench-") as data_dir:
            data = Path(data_dir)
            env = {**os.environ, "XINSHAO_DATA_DIR": data_dir, "DATABASE_URL": database_url, "LOG_LEVEL": "WARNING",
                   "CELERY_BROKER_URL": options.broker}
            tokens, items, campaign = submit_load.prepare_city(env, data)
            print(subprocess.run([sys.executable, str(submit_load.REPO / "bench" / "mixed_sessions.py"),
                                  str(data / "sessions.json")], env=env, check=True, capture_output=True,
                                 text=True).stdout.strip(), flush=True)
            sessions = json.loads((data / "sessions.json").read_text())
            ports = [submit_load.free_port() for _ in range(options.servers)]
            servers += [submit_load.start_server(port, env, data, options.threads) for port in ports]
            if options.broker:
                servers.append(submit_load.start_worker(options.broker, env, data))
            run_mixed(ports, tokens, items, sessions, 8, options.staff, 3.0)  # warm-up, not reported
            print(f"\n{options.servers} server process(es) of {options.threads} threads, "
                  f"{options.seconds:g} s per level, {options.staff:.0%} of clients staff\n")
            print("| clients | students / staff | submissions/s | submit p50 / p95 / p99 ms | staff pages/s | "
                  "page p50 / p95 / p99 ms | failed |")
            print("| --- | --- | --- | --- | --- | --- | --- |")
            measured = [run_mixed(ports, tokens, items, sessions, clients, options.staff, options.seconds)
                        for clients in levels]
            if options.broker:
                submit_load.drain(database_url, campaign)
            acknowledged = [entry for level in measured for entry in level.acknowledged]
            checked = submit_load.count_check(database_url, acknowledged, campaign)
            print("\ncount check (measured levels; the warm-up's submissions are stored too): "
                  + ", ".join(f"{name} {value:,}" for name, value in checked.items() if name in
                              ("acknowledged", "lost", "stored_twice", "critical_without_signal")))
            submit_load.stop(servers)
            servers = []
            best = max(level.per_second for level in measured)
            floor = submit_floor.run(database_url, clients=max(levels), seconds=int(options.seconds))
            print(f"raw floor (pgbench, the submission's rows, {max(levels)} clients): "
                  f"{floor['per_second']:,.0f} transactions/s; best submission rate / floor = "
                  f"{best / floor['per_second']:.3f}")
    finally:
        submit_load.stop(servers)
        subprocess.run(["dropdb", "--if-exists", "-h", "127.0.0.1", "-U", "postgres", BENCH_DATABASE], check=True)


if __name__ == "__main__":
    main()
