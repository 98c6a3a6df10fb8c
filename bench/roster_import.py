"""Time a whole school's roster import: 3,000 rows, then the same file with every class changed.

The suite checks that the import works in batches (rosters/tests/test_performance.py, a query
bound); how long it takes is measured here. Each run starts from a fresh embedded database (SQLite
in a temporary folder) or, with --postgres, the database xs_roster_bench on that server (dropped
afterwards), holds the smallest demo city, and imports into one of its junior schools. Prints
every run and the median of each import.

    .venv/bin/python bench/roster_import.py [--runs 3] [--postgres postgres://postgres@127.0.0.1:5432]
"""
import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time

BENCH_DATABASE = "xs_roster_bench"
SEED_ARGS = ["seed_demo", "--schools", "6", "--students", "600", "--seed", "2026", "--today", "2026-11-28"]


def inside() -> tuple[float, float]:
    """In a process whose environment names the database: migrate, seed, import twice; (first, second) seconds."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xinshao.settings")
    django.setup()
    from django.core.management import call_command

    from xinshao.org.models import School
    from xinshao.rosters.models import ImportRun
    from xinshao.rosters.services import roster_import
    from xinshao.rosters.tests.rosterfiles import xlsx_bytes
    from xinshao.rosters.tests.test_performance import ROWS, big_roster

    call_command("migrate", verbosity=0)
    call_command(*SEED_ARGS, verbosity=0)
    school = School.objects.filter(kind="junior").order_by("code").first()
    timings = []
    for offset in (0, 1):
        content = xlsx_bytes(big_roster(class_offset=offset))
        started = time.perf_counter()
        run = roster_import(school=school, file_name="big.xlsx", content=content, actor=None,
                            source=ImportRun.Source.COMMAND)
        timings.append(time.perf_counter() - started)
        if run.errors or run.created_count + run.updated_count != ROWS:
            raise SystemExit(f"the import did not take every row: {run.errors[:3]}")
    return timings[0], timings[1]


def one_run(server: str | None) -> tuple[float, float]:
    with tempfile.TemporaryDirectory(prefix="xs-roster-bench-") as data_dir:
        env = {**os.environ, "XINSHAO_DATA_DIR": data_dir, "LOG_LEVEL": "WARNING"}
        env.pop("DATABASE_URL", None)
        if server:
            subprocess.run(["dropdb", "--if-exists", "-h", "127.0.0.1", "-U", "postgres", BENCH_DATABASE], check=True)
            subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", BENCH_DATABASE], check=True)
            env["DATABASE_URL"] = f"{server}/{BENCH_DATABASE}"
        try:
            done = subprocess.run([sys.executable, __file__, "--inside"], env=env, check=True, capture_output=True,
                                  text=True, timeout=1800)
        finally:
            if server:
                subprocess.run(["dropdb", "--if-exists", "-h", "127.0.0.1", "-U", "postgres", BENCH_DATABASE],
                               check=True)
    first, second = (float(value) for value in done.stdout.split()[-2:])
    return first, second


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, choices=range(1, 11))
    parser.add_argument("--postgres", help="PostgreSQL server URL without a database name (default: SQLite)")
    parser.add_argument("--inside", action="store_true", help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.inside:
        print(*inside())
        return
    runs = []
    for number in range(1, options.runs + 1):
        runs.append(one_run(options.postgres and options.postgres.rstrip("/")))
        print(f"run {number}: first import {runs[-1][0]:.2f} s, re-import with every class changed {runs[-1][1]:.2f} s",
              flush=True)
    print(f"median: first {statistics.median(r[0] for r in runs):.2f} s, "
          f"re-import {statistics.median(r[1] for r in runs):.2f} s")


if __name__ == "__main__":
    main()
