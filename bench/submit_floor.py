"""The raw floor under the submit endpoint: pgbench writing the rows one submission writes.

One pgbench transaction is what `submission_receive` writes on PostgreSQL, without Python,
HTTP or Django: the submission, its results, the assignment update and the audit entry (which
takes no lock: the sequencer chains it after commit, audit/models.py) in one statement that
commits by itself, the database's own rate for these rows. It writes into copies of the
application's tables (same columns, defaults, indexes and partial indexes as the schema at
hand; no foreign keys) made in the bench database, with the values of one submission the load
stored (fresh key, id and time per transaction), so "before" and "after" a schema change each
measure their own rows. Run by bench/submit_load.py after the load, with the servers stopped;
on its own:

    python bench/submit_floor.py postgres://postgres@127.0.0.1:5432/xs_submit_bench [--clients 8] [--seconds 10]

Only 127.0.0.1 is contacted and the run is bounded by --seconds.
"""
import argparse
import re
import subprocess
import tempfile
from pathlib import Path

import psycopg
from psycopg import sql
from psycopg.rows import dict_row
from psycopg.types.json import Jsonb

COPIED = {"submission": "campaigns_submission", "result": "campaigns_instrumentresult",
          "assignment": "campaigns_assignment", "entry": "audit_auditentry"}


def _floor(name: str) -> sql.Identifier:
    return sql.Identifier(f"floor_{name}")


def _literal(value, connection) -> str:
    return sql.Literal(Jsonb(value) if isinstance(value, dict | list) else value).as_string(connection)


def _types(connection, table: str) -> dict[str, str]:
    return dict(connection.execute("SELECT attname, format_type(atttypid, atttypmod) FROM pg_attribute "
                                   "WHERE attrelid = %s::regclass AND attnum > 0 AND NOT attisdropped", [table]))


def _values(row: dict, replaced: dict[str, str], connection, table: str) -> tuple[str, str]:
    """(column list, typed value list) of a template row; `replaced` gives SQL for some columns; id is left out."""
    names, types = [name for name in row if name != "id"], _types(connection, table)
    values = [replaced.get(name) or f"{_literal(row[name], connection)}::{types[name]}" for name in names]
    return ", ".join(sql.Identifier(n).as_string(connection) for n in names), ", ".join(values)


def prepare(connection) -> str:
    """Make the floor tables from the stored data; return the pgbench script."""
    for name, table in COPIED.items():
        connection.execute(sql.SQL("DROP TABLE IF EXISTS {}").format(_floor(name)))
        connection.execute(sql.SQL("CREATE TABLE {} (LIKE {} INCLUDING ALL)").format(_floor(name),
                                                                                     sql.Identifier(table)))
    connection.execute("INSERT INTO floor_assignment SELECT * FROM campaigns_assignment")
    connection.execute("DROP SEQUENCE IF EXISTS floor_assignment_serial")
    connection.execute("CREATE SEQUENCE floor_assignment_serial START 1000000000")
    cursor = connection.cursor(row_factory=dict_row)
    submission = cursor.execute("SELECT * FROM campaigns_submission ORDER BY id DESC LIMIT 1").fetchone()
    results = cursor.execute("SELECT * FROM campaigns_instrumentresult WHERE submission_id = %s ORDER BY id",
                             [submission["id"]]).fetchall()
    entry = cursor.execute("SELECT * FROM audit_auditentry WHERE action = 'campaign.submit' AND object_id = %s",
                           [str(submission["id"])]).fetchone()
    low, high = connection.execute("SELECT min(id), max(id) FROM floor_assignment").fetchone()

    # A unique assignment per submission, as the real constraint allows only one.
    columns, values = _values(submission, {"assignment_id": "nextval('floor_assignment_serial')",
                                           "idempotency_key": "gen_random_uuid()", "received_at": "now()"},
                            connection, "floor_submission")
    from_submission = {"submission_id": "submission.id"}
    result_columns = _values(results[0], from_submission, connection, "floor_result")[0]
    result_rows = " UNION ALL ".join(f"SELECT {_values(r, from_submission, connection, 'floor_result')[1]} FROM submission"
                                     for r in results)
    # A writer stores the entry unsealed (the sequencer chains it later): no seq, no link hashes.
    unsealed = {"seq": "NULL", "prev_hash": "NULL", "entry_hash": "NULL"}
    entry_columns, entry_values = _values(entry, {"at": "now()", "content_hash": "md5(random()::text) || md5(random()::text)",
                                                  **unsealed}, connection, "floor_entry")
    return f"""\\set aid random({low}, {high})
WITH submission AS (INSERT INTO floor_submission ({columns}) VALUES ({values}) RETURNING id),
     results AS (INSERT INTO floor_result ({result_columns}) {result_rows} RETURNING id),
     submitted AS (UPDATE floor_assignment SET status = 'submitted', submitted_at = now(), draft = '{{}}',
                   started_at = COALESCE(started_at, now()) WHERE id = :aid),
     audited AS (INSERT INTO floor_entry ({entry_columns}) VALUES ({entry_values}))
SELECT results.id FROM results;
"""


def run(database_url: str, *, clients: int = 8, seconds: int = 10) -> dict[str, float]:
    """pgbench at `clients` connections for `seconds`; transactions per second and mean latency (ms)."""
    with psycopg.connect(database_url, autocommit=True) as connection:
        script = prepare(connection)
    info = psycopg.conninfo.conninfo_to_dict(database_url)
    with tempfile.TemporaryDirectory(prefix="xs-submit-floor-") as scratch:
        script_file = Path(scratch) / "submit.sql"
        script_file.write_text(script)
        done = subprocess.run(["pgbench", "-h", "127.0.0.1", "-p", str(info.get("port") or 5432),
                               "-U", info.get("user") or "postgres", "-n", "-c", str(clients), "-j", "2",
                               "-T", str(seconds), "-f", str(script_file), info["dbname"]],
                              capture_output=True, text=True, timeout=seconds + 120)
    if done.returncode != 0:
        raise SystemExit(f"pgbench failed ({done.returncode}): {done.stderr.strip()[-2000:]}")
    tps = float(re.search(r"tps = ([\d.]+) \(without initial connection time\)", done.stdout).group(1))
    latency = float(re.search(r"latency average = ([\d.]+) ms", done.stdout).group(1))
    failed = int(re.search(r"number of failed transactions: (\d+)", done.stdout).group(1))
    return {"per_second": tps, "latency_ms": latency, "failed": failed}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("database_url")
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--seconds", type=int, default=10)
    options = parser.parse_args()
    if not 1 <= options.clients <= 64 or not 1 <= options.seconds <= 120:
        raise SystemExit("at most 64 clients and 120 seconds")
    print(run(options.database_url, clients=options.clients, seconds=options.seconds))


if __name__ == "__main__":
    main()
