"""A backup restored into an empty database holds every record, and the encrypted fields read.

SQLite always; PostgreSQL too when the tests run on it (DATABASE_URL=postgres://...)."""
import os
import sqlite3
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path

import psycopg
import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import timezone

from xinshao.core.crypto import decrypt
from xinshao.hotline.models import Call, CallerType, CallType, Channel
from xinshao.operations.backups import (BackupError, backup_database, current_keys, install_keys, keys_to_install,
                                         read_keys, restore_database, write_keys)

NOTE = "来电人说孩子这两周失眠，已建议预约学校心理老师。"
NATIONAL_ID = "11010520130502002X"


@pytest.fixture
def call_with_notes(city):
    """A hotline call, committed (a transactional test), with an encrypted note."""
    return Call.objects.create(
        region=city.region, operator=city.re, started_at=timezone.now(), duration_minutes=12,
        channel=Channel.PHONE, call_type=CallType.HELP, caller_type=CallerType.GUARDIAN, notes=NOTE)


def _source_counts() -> dict[str, int]:
    with connection.cursor() as cursor:
        counts = {}
        for table in connection.introspection.table_names():
            cursor.execute(f'SELECT count(*) FROM "{table}"')
            counts[table] = cursor.fetchone()[0]
    return counts


@contextmanager
def _fresh_database(tmp_path: Path):
    """An empty database of the tests' engine, as a Django DATABASES entry and a way to query it."""
    if connection.vendor == "sqlite":
        target = {"ENGINE": "django.db.backends.sqlite3", "NAME": tmp_path / "restored.sqlite3"}
        yield target, lambda sql: sqlite3.connect(target["NAME"]).execute(sql).fetchall()
        return
    source = connection.settings_dict
    target = {**source, "NAME": f"{source['NAME']}_restore"}
    server = {"host": source["HOST"] or None, "port": source["PORT"] or None,
              "user": source["USER"] or None, "password": source["PASSWORD"] or None}
    with psycopg.connect(dbname="postgres", autocommit=True, **server) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{target["NAME"]}"')
        admin.execute(f'CREATE DATABASE "{target["NAME"]}"')
    try:
        def query(sql):
            with psycopg.connect(dbname=target["NAME"], **server) as restored:
                return restored.execute(sql).fetchall()
        yield target, query
    finally:
        with psycopg.connect(dbname="postgres", autocommit=True, **server) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{target["NAME"]}" WITH (FORCE)')


@pytest.mark.django_db(transaction=True)
def test_restore_into_an_empty_database_finds_every_record(call_with_notes, tmp_path):
    backup = tmp_path / "xinshao.backup"
    backup_database(backup)
    expected = _source_counts()
    assert expected["hotline_call"] == 1 and expected["accounts_user"] > 10

    with _fresh_database(tmp_path) as (target, query):
        restore_database(backup, target)
        restored = {table: query(f'SELECT count(*) FROM "{table}"')[0][0] for table in expected}
        [(stored_notes,)] = query(f"SELECT notes FROM hotline_call WHERE id = {call_with_notes.pk}")

    assert restored == expected
    assert stored_notes != NOTE  # encrypted at rest, in the backup too
    assert decrypt(stored_notes) == NOTE


@pytest.mark.django_db(transaction=True)
def test_a_restore_refuses_a_database_that_has_tables(city, tmp_path):
    backup = tmp_path / "xinshao.backup"
    backup_database(backup)
    with _fresh_database(tmp_path) as (target, query):
        restore_database(backup, target)
        users = query("SELECT count(*) FROM accounts_user")
        with pytest.raises(BackupError, match="already has [0-9]+ tables; restore only into an empty database"):
            restore_database(backup, target)
        assert query("SELECT count(*) FROM accounts_user") == users


@pytest.mark.parametrize("blind_index_key", ["", "blind-index-key-of-this-server"])
def test_the_keys_file_holds_what_reads_and_searches_the_encrypted_fields(tmp_path, settings, blind_index_key):
    settings.BLIND_INDEX_KEY = blind_index_key  # empty: derived from SECRET_KEY, and the file says so
    keys = tmp_path / "keys"
    write_keys(keys)
    assert keys.stat().st_mode & 0o777 == 0o600
    assert read_keys(keys) == {"FIELD_ENCRYPTION_KEY": ",".join(settings.FIELD_ENCRYPTION_KEYS),
                               "SECRET_KEY": settings.SECRET_KEY, "XINSHAO_BLIND_INDEX_KEY": blind_index_key}


def _new_server(tmp_path: Path, target: dict, *arguments: str) -> subprocess.CompletedProcess:
    """`xinshao arguments` run by another server: its own data folder, this server's encryption key
    and SECRET_KEY in its environment, no blind index key there, the database `target`."""
    if target["ENGINE"].endswith("sqlite3"):
        url = f"sqlite:///{target['NAME']}"
    else:
        url = (f"postgres://{target['USER'] or ''}:{target['PASSWORD'] or ''}@{target['HOST'] or 'localhost'}:"
               f"{target['PORT'] or 5432}/{target['NAME']}")
    environment = {name: value for name, value in os.environ.items()
                   if name not in {"XINSHAO_BLIND_INDEX_KEY", "XINSHAO_MODE", "DJANGO_SETTINGS_MODULE"}}
    keys = current_keys()
    environment.update(XINSHAO_DATA_DIR=str(tmp_path / "new-server"), DATABASE_URL=url, SECRET_KEY=keys["SECRET_KEY"],
                       FIELD_ENCRYPTION_KEY=keys["FIELD_ENCRYPTION_KEY"])
    return subprocess.run([Path(sys.executable).parent / "xinshao", *arguments], env=environment,
                          capture_output=True, text=True, timeout=180)


FIND_BY_IDENTITY_NUMBER = (
    "shell", "--no-imports", "-c",
    "from xinshao.core.crypto import blind_index; from xinshao.people.models import Student; "
    f"print(list(Student.objects.filter(national_id_index=blind_index({NATIONAL_ID!r})).values_list('pk', flat=True)))")


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("older_keys_file", [False, True])
def test_a_student_is_found_by_identity_number_after_a_restore_on_a_new_server(city, tmp_path, settings,
                                                                              older_keys_file):
    settings.BLIND_INDEX_KEY = "blind-index-key-of-the-old-server"
    city.chen.national_id = NATIONAL_ID
    city.chen.save()
    backup, keys = tmp_path / "xinshao.backup", tmp_path / "keys"
    backup_database(backup)
    write_keys(keys)
    if older_keys_file:  # as written before the blind index key was saved with the others
        keys.write_text("".join(line + "\n" for line in keys.read_text().splitlines()
                                if not line.startswith("XINSHAO_BLIND_INDEX_KEY=")))

    with _fresh_database(tmp_path) as (target, query):
        restored = _new_server(tmp_path, target, "restore", str(backup), "--keys", str(keys))
        assert restored.returncode == 0, restored.stderr
        found = _new_server(tmp_path, target, *FIND_BY_IDENTITY_NUMBER).stdout.strip()
        if older_keys_file:
            assert "The keys file has no XINSHAO_BLIND_INDEX_KEY" in restored.stdout
            assert "until `xinshao rotate-encryption-key` has recomputed" in restored.stdout
            assert found == "[]"  # the index was made with the old server's key
            _new_server(tmp_path, target, "rotate-encryption-key").check_returncode()
            found = _new_server(tmp_path, target, *FIND_BY_IDENTITY_NUMBER).stdout.strip()
        else:
            assert "Kept XINSHAO_BLIND_INDEX_KEY" in restored.stdout and "has no" not in restored.stdout
            assert (tmp_path / "new-server" / "xinshao_blind_index_key").read_text() == settings.BLIND_INDEX_KEY
    assert found == f"[{city.chen.pk}]"


@pytest.mark.parametrize("arguments, message", [
    (["restore", "{tmp}/missing.backup"], "missing.backup: no such backup file"),
    (["restore", "{tmp}/notes.txt"], "is not a backup made by xinshao backup"),
    (["restore", "{tmp}/notes.txt", "--keys", "{tmp}/notes.txt"], "line 1: expected NAME=value"),
    (["backup", "--output", "{tmp}/notes.txt"], "exists already; name a new file"),
    (["backup", "--output", "{tmp}/b", "--keys-output", "{tmp}/b"], "must be another file than --output"),
])
def test_bad_input_gets_a_clear_error_and_changes_nothing(tmp_path, arguments, message):
    (tmp_path / "notes.txt").write_text("not a backup\n")
    with pytest.raises(CommandError, match=message):
        call_command(*[argument.format(tmp=tmp_path) for argument in arguments])
    assert sorted(path.name for path in tmp_path.iterdir()) == ["notes.txt"]
    assert (tmp_path / "notes.txt").read_text() == "not a backup\n"


def test_keys_that_differ_are_refused_where_the_environment_holds_them(tmp_path, settings):
    keys = {"FIELD_ENCRYPTION_KEY": "another-key", "SECRET_KEY": settings.SECRET_KEY}
    settings.EMBEDDED = False
    with pytest.raises(BackupError, match="differs from FIELD_ENCRYPTION_KEY of this server.*set it there"):
        keys_to_install(keys)
    settings.BLIND_INDEX_KEY = "blind-index-key-of-this-server"
    with pytest.raises(BackupError, match="XINSHAO_BLIND_INDEX_KEY is empty in the keys file: remove it"):
        keys_to_install({**keys, "FIELD_ENCRYPTION_KEY": ",".join(settings.FIELD_ENCRYPTION_KEYS),
                         "XINSHAO_BLIND_INDEX_KEY": ""})
    settings.EMBEDDED = True
    assert keys_to_install(keys) == ["FIELD_ENCRYPTION_KEY"]
    assert keys_to_install({**keys, "FIELD_ENCRYPTION_KEY": ",".join(settings.FIELD_ENCRYPTION_KEYS)}) == []


def test_an_empty_blind_index_key_restored_in_embedded_mode_removes_the_one_kept(tmp_path, settings):
    settings.DATA_DIR = tmp_path
    install_keys({"XINSHAO_BLIND_INDEX_KEY": "kept-before"}, ["XINSHAO_BLIND_INDEX_KEY"])
    assert (tmp_path / "xinshao_blind_index_key").read_text() == "kept-before"
    install_keys({"XINSHAO_BLIND_INDEX_KEY": ""}, ["XINSHAO_BLIND_INDEX_KEY"])
    assert list(tmp_path.iterdir()) == []


def test_a_failed_restore_keeps_the_keys_it_was_given_out_of_the_data_folder(tmp_path, settings):
    settings.DATA_DIR = tmp_path / "data"
    settings.DATA_DIR.mkdir()
    (tmp_path / "keys").write_text(f"FIELD_ENCRYPTION_KEY=another-key\nSECRET_KEY={settings.SECRET_KEY}\n")
    with pytest.raises(CommandError, match="no such backup file"):
        call_command("restore", str(tmp_path / "missing.backup"), "--keys", str(tmp_path / "keys"))
    assert list(settings.DATA_DIR.iterdir()) == []
