import os
import subprocess
import sys
from pathlib import Path

from django.db import connection

BIN = Path(sys.executable).parent


def _xinshao(*args, tmp_path):
    env = {**os.environ, "XINSHAO_DATA_DIR": str(tmp_path), "DJANGO_SETTINGS_MODULE": "xinshao.settings"}
    env.pop("DATABASE_URL", None)
    return subprocess.run([BIN / "xinshao", *args], env=env, capture_output=True, text=True, timeout=120)


def test_help_lists_the_projects_commands_with_what_each_does(tmp_path):
    result = _xinshao("--help", tmp_path=tmp_path)
    assert result.returncode == 0
    lines = {line.split()[0]: line for line in result.stdout.splitlines() if line.startswith("  ")}
    for command in ("audit-verify", "serve", "import-roster", "seed-demo", "instruments", "score"):
        assert command in lines, command
    assert "hash chain" in lines["audit-verify"]


def test_hyphenated_commands_run_and_show_their_own_help(tmp_path):
    result = _xinshao("help", "audit-verify", tmp_path=tmp_path)
    assert result.returncode == 0 and "names the first broken entry" in result.stdout.replace("\n", " ")


def test_an_unknown_command_is_a_clear_error(tmp_path):
    result = _xinshao("frobnicate", tmp_path=tmp_path)
    assert result.returncode != 0 and "Unknown command: 'frobnicate'" in result.stderr


def test_national_ids_are_encrypted_at_rest(city):
    city.chen.national_id = "11010520130502002X"
    city.chen.save()
    with connection.cursor() as cursor:
        cursor.execute("SELECT national_id FROM people_student WHERE id = %s", [city.chen.pk])
        stored = cursor.fetchone()[0]
    assert "110105" not in stored and stored.startswith("gAAAA")
    city.chen.refresh_from_db()
    assert city.chen.national_id == "11010520130502002X"
    assert city.chen.masked_national_id == "1101**********002X"
