"""Backups of the database, and of the keys that read its encrypted fields, kept apart.

PostgreSQL: pg_dump's custom format (-Fc), restored with pg_restore. SQLite: a copy made with
SQLite's online backup API, consistent while the server writes. The keys file holds
FIELD_ENCRYPTION_KEY (without it the encrypted notes cannot be read), SECRET_KEY (access
codes are derived from it) and XINSHAO_BLIND_INDEX_KEY (the identity-number search index is
made with it; an empty value: derived from SECRET_KEY); it is written separately so that it can
be stored apart from the database backups.
"""
import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from django.conf import settings
from django.db import DatabaseError, connections

PG_DUMP_MAGIC = b"PGDMP"
SQLITE_MAGIC = b"SQLite format 3\x00"
BLIND_INDEX_KEY = "XINSHAO_BLIND_INDEX_KEY"
KEY_NAMES = ("FIELD_ENCRYPTION_KEY", "SECRET_KEY", BLIND_INDEX_KEY)
# Keys files written before the blind index key was saved with the others lack it.
REQUIRED_KEY_NAMES = ("FIELD_ENCRYPTION_KEY", "SECRET_KEY")
NO_BLIND_INDEX_KEY = (
    f"The keys file has no {BLIND_INDEX_KEY} (it was written before that key was saved with the others): "
    "searches by identity number find nothing until `xinshao rotate-encryption-key` has recomputed "
    f"the search index with this server's key (or set {BLIND_INDEX_KEY} as on the server that made the backup)")


class BackupError(Exception):
    """A backup or restore that cannot be done, with what to do about it."""


def engine_of(database: dict) -> str:
    engine = database["ENGINE"]
    if "postgresql" in engine:
        return "postgresql"
    if "sqlite3" in engine:
        return "sqlite"
    raise BackupError(f"databases of engine {engine} cannot be backed up by xinshao backup")


def backup_database(output: Path, alias: str = "default") -> None:
    _refuse_existing(output)
    output.parent.mkdir(parents=True, exist_ok=True)
    connection = connections[alias]
    database = connection.settings_dict
    if engine_of(database) == "sqlite" and _is_file(database["NAME"]) and not Path(database["NAME"]).exists():
        raise BackupError(f"database file {database['NAME']} does not exist (is DATABASE_URL right?)")
    try:
        tables = connection.introspection.table_names()
    except DatabaseError as error:
        raise BackupError(f"cannot read database {database['NAME']}: {str(error).strip()}") from None
    if not tables:
        # Most often DATABASE_URL names the wrong database: a backup of nothing would hide that.
        raise BackupError(f"database {database['NAME']} has no tables: nothing to back up (is DATABASE_URL right?)")
    if engine_of(database) == "postgresql":
        _pg_dump(database, output)
    else:
        _sqlite_backup(connection, output)
    output.chmod(0o600)


def restore_database(source: Path, database: dict) -> None:
    """Restore `source` into the (empty) database `database` (a Django DATABASES entry)."""
    kind = backup_kind(source)
    engine = engine_of(database)
    if kind != engine:
        raise BackupError(f"{source} is a {kind} backup; the database to restore into is {engine}")
    if engine == "postgresql":
        _refuse_tables_pg(database)
        _pg_restore(source, database)
    else:
        _sqlite_restore(source, Path(database["NAME"]))


def backup_kind(source: Path) -> str:
    if not source.is_file():
        raise BackupError(f"{source}: no such backup file")
    with source.open("rb") as file:
        head = file.read(len(SQLITE_MAGIC))
    if head.startswith(PG_DUMP_MAGIC):
        return "postgresql"
    if head == SQLITE_MAGIC:
        return "sqlite"
    raise BackupError(f"{source} is not a backup made by xinshao backup (neither a pg_dump -Fc file nor SQLite)")


def write_keys(output: Path) -> None:
    _refuse_existing(output)
    output.parent.mkdir(parents=True, exist_ok=True)
    # Created readable by the owner only, before a key is written into it.
    descriptor = os.open(output, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w") as file:
        for name, value in current_keys().items():
            file.write(f"{name}={value}\n")


def current_keys() -> dict[str, str]:
    """This server's keys by name; an empty blind index key means it is derived from SECRET_KEY."""
    return {"FIELD_ENCRYPTION_KEY": ",".join(settings.FIELD_ENCRYPTION_KEYS), "SECRET_KEY": settings.SECRET_KEY,
            BLIND_INDEX_KEY: settings.BLIND_INDEX_KEY}


def read_keys(source: Path) -> dict[str, str]:
    if not source.is_file():
        raise BackupError(f"{source}: no such keys file")
    keys = {}
    for number, line in enumerate(source.read_text().splitlines(), start=1):
        if not line.strip():
            continue
        name, equals, value = line.partition("=")
        if not equals or name not in KEY_NAMES or not (value.strip() or name == BLIND_INDEX_KEY):
            raise BackupError(f"{source} line {number}: expected NAME=value with NAME one of {', '.join(KEY_NAMES)}")
        keys[name] = value.strip()
    missing = [name for name in REQUIRED_KEY_NAMES if name not in keys]
    if missing:
        raise BackupError(f"{source} lacks {', '.join(missing)}")
    return keys


def keys_to_install(keys: dict[str, str]) -> list[str]:
    """The names among `keys` that differ from this server's, once it is sure it can keep them.

    Only embedded mode keeps keys in its data folder; keys given in the environment are the
    operator's to change."""
    changed = [name for name, value in keys.items() if value != current_keys()[name]]
    from_environment = [name for name in changed if os.environ.get(name, "").strip()]
    if changed and (from_environment or not settings.EMBEDDED):
        empty = [name for name in from_environment or changed if not keys[name]]
        raise BackupError(
            f"the keys file differs from {', '.join(from_environment or changed)} of this server, "
            "which comes from the environment: set it there from the keys file and restart"
            + (f" ({', '.join(empty)} is empty in the keys file: remove it from the environment)" if empty else ""))
    return changed


def install_keys(keys: dict[str, str], names: list[str]) -> None:
    """Keep the keys `names` in the data folder, where the next start reads them (an empty
    blind index key: its file goes, so the key is derived from SECRET_KEY again)."""
    for name in names:
        path = settings.DATA_DIR / name.lower()
        if not keys[name]:
            path.unlink(missing_ok=True)
            continue
        path.write_text(keys[name])
        path.chmod(0o600)


def _refuse_existing(output: Path) -> None:
    if output.exists():
        raise BackupError(f"{output} exists already; name a new file (a backup never overwrites one)")


def _pg_tool(name: str) -> str:
    tool = shutil.which(name)
    if not tool:
        raise BackupError(f"{name} is not installed or not on PATH (Debian: apt install postgresql-client)")
    return tool


def _pg_environment(database: dict) -> dict[str, str]:
    environment = dict(os.environ)
    for variable, key in (("PGHOST", "HOST"), ("PGPORT", "PORT"), ("PGUSER", "USER"), ("PGPASSWORD", "PASSWORD")):
        if database.get(key):
            environment[variable] = str(database[key])
    return environment


def _run(command: list[str], database: dict, failure: str) -> None:
    finished = subprocess.run(command, env=_pg_environment(database), capture_output=True, text=True)
    if finished.returncode != 0:
        raise BackupError(f"{failure}: {finished.stderr.strip() or f'exit status {finished.returncode}'}")


def _pg_dump(database: dict, output: Path) -> None:
    command = [_pg_tool("pg_dump"), "--format=custom", "--no-owner", "--no-privileges",
               f"--file={output}", database["NAME"]]
    try:
        _run(command, database, f"pg_dump of database {database['NAME']} failed")
    except BackupError:
        output.unlink(missing_ok=True)
        raise


def _pg_restore(source: Path, database: dict) -> None:
    command = [_pg_tool("pg_restore"), "--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction",
               f"--dbname={database['NAME']}", str(source)]
    _run(command, database, f"pg_restore into database {database['NAME']} failed")


def _refuse_tables_pg(database: dict) -> None:
    import psycopg

    try:
        with psycopg.connect(dbname=database["NAME"], host=database.get("HOST") or None,
                             port=database.get("PORT") or None, user=database.get("USER") or None,
                             password=database.get("PASSWORD") or None, connect_timeout=10) as connection:
            tables = connection.execute(
                "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'").fetchone()[0]
    except psycopg.OperationalError as error:
        raise BackupError(f"cannot connect to database {database['NAME']}: {str(error).strip()}") from None
    if tables:
        raise BackupError(_not_empty(database["NAME"], tables))


def _not_empty(name: str, tables: int) -> str:
    return (f"database {name} already has {tables} tables; restore only into an empty database "
            "(a new PostgreSQL database made with createdb, or a new SQLite file), named by DATABASE_URL")


def _sqlite_backup(connection, output: Path) -> None:
    connection.ensure_connection()
    target = sqlite3.connect(output)
    try:
        connection.connection.backup(target)
    finally:
        target.close()


def _is_file(name) -> bool:
    return not str(name).startswith(("file:", ":memory:"))


def _sqlite_restore(source: Path, target_path: Path) -> None:
    if not _is_file(target_path):
        raise BackupError("the configured SQLite database is in memory; set DATABASE_URL to a file")
    if target_path.exists():
        with sqlite3.connect(target_path) as existing:
            tables = existing.execute("SELECT count(*) FROM sqlite_master WHERE type = 'table'").fetchone()[0]
        if tables:
            raise BackupError(_not_empty(str(target_path), tables))
    target_path.parent.mkdir(parents=True, exist_ok=True)
    backup, target = sqlite3.connect(source), sqlite3.connect(target_path)
    try:
        backup.backup(target)
    finally:
        backup.close()
        target.close()
