"""Time the full-scale demo city: `xinshao seed-demo --schools 200 --students 145000`.

Each run starts from an empty database: a fresh data folder (SQLite) or a fresh PostgreSQL
database, migrated before the clock starts. The clock covers the whole command, process
start included, as `make demo` or an operator would see it. Prints every run and the median.

    .venv/bin/python bench/seed_city.py                     # SQLite in a temporary folder
    .venv/bin/python bench/seed_city.py --postgres postgres://postgres@127.0.0.1:5432

With --postgres the script creates the database xs_seed_bench on that server for each run
and drops it afterwards.
"""
import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time

import psycopg

SEED_ARGS = ["seed-demo", "--schools", "200", "--students", "145000", "--seed", "2026", "--today", "2026-11-28"]
BENCH_DATABASE = "xs_seed_bench"


def xinshao(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "xinshao.cli", *args], env=env, check=True,
                          capture_output=True, text=True)


def _maintenance(server: str, statement: str) -> None:
    with psycopg.connect(f"{server}/postgres", autocommit=True) as connection:
        connection.execute(statement)


def one_run(server: str | None) -> float:
    with tempfile.TemporaryDirectory(prefix="xs-seed-bench-") as data_dir:
        env = {**os.environ, "XINSHAO_DATA_DIR": data_dir}
        if server:
            _maintenance(server, f"DROP DATABASE IF EXISTS {BENCH_DATABASE}")
            _maintenance(server, f"CREATE DATABASE {BENCH_DATABASE}")
            env["DATABASE_URL"] = f"{server}/{BENCH_DATABASE}"
        try:
            xinshao(["migrate", "-v0"], env)
            started = time.perf_counter()
            output = xinshao(SEED_ARGS, env).stdout
            elapsed = time.perf_counter() - started
        finally:
            if server:
                _maintenance(server, f"DROP DATABASE IF EXISTS {BENCH_DATABASE}")
    print(f"  {elapsed:6.1f} s   {output.splitlines()[0]}", flush=True)
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--postgres", metavar="URL", help="PostgreSQL server URL without a database name")
    options = parser.parse_args()
    server = options.postgres.rstrip("/") if options.postgres else None
    print(f"{' '.join(SEED_ARGS)} on {'PostgreSQL' if server else 'SQLite'}, {options.runs} runs:")
    times = [one_run(server) for _run in range(options.runs)]
    peak_mib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"median {statistics.median(times):.1f} s (min {min(times):.1f}, max {max(times):.1f}); "
          f"peak memory of one process {peak_mib:.0f} MiB")


if __name__ == "__main__":
    main()
