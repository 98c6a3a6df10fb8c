"""The `instruments` and `score` commands (xinshao instruments / xinshao score)."""
import io
import json
import os
import subprocess
import sys

import pytest
from django.core.management import call_command, load_command_class

pytestmark = pytest.mark.django_db


def _run(*args, **options) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command(*args, stdout=out, stderr=err, **options)
        status = 0
    except SystemExit as exit_:
        status = exit_.code
    return status, out.getvalue(), err.getvalue()


def _score(instrument: str, answers: str) -> tuple[int, dict]:
    status, out, _ = _run("score", instrument, answers=answers)
    return status, json.loads(out)


def test_score_prints_one_json_object_with_the_required_keys():
    status, result = _score("phq9", "1,2,0,3,1,0,2,1,0")
    assert status == 0
    assert {"instrument", "version", "total", "subscales", "band", "flags", "valid", "errors"} <= set(result)
    assert (result["instrument"], result["total"], result["band"], result["valid"]) == ("phq9", 10, "moderate", True)


def test_an_empty_field_is_a_missing_item():
    status, result = _score("phq9", "2,2,,2,2,2,2,2,0")
    assert (status, result["total"], result["validity"]["missing_items"]) == (0, 16, ["phq9_3"])


@pytest.mark.parametrize(("answers", "message"), [
    ("0,0,0,0,0,0,0,7,0", "7 is not an answer value"),
    ("0,0,zero,0,0,0,0,0,0", "'zero' is not an answer value"),
    ("0,0,0", "expected 9 to 10 answers for phq9"),
])
def test_bad_answers_exit_two_with_valid_false_and_reasons(answers, message):
    status, result = _score("phq9", answers)
    assert status == 2 and result["valid"] is False
    assert any(message in error for error in result["errors"])


def test_critical_flags_survive_bad_answers_on_the_command_line():
    status, result = _score("phq9", "x,0,0,0,0,0,0,0,3")
    assert status == 2 and result["flags"][0]["id"] == "critical_self_harm_thoughts"


def test_asq_bands_and_yes_no_answers():
    assert _score("asq", "0,0,0,0")[1]["band"] == "negative"
    assert _score("asq", "0,1,0,0,0")[1]["band"] == "non_acute_positive"
    assert _score("asq", "0,1,0,0,1")[1]["band"] == "acute_positive"


def test_an_unknown_instrument_exits_two_without_a_traceback():
    status, out, err = _run("score", "phq10", answers="0")
    assert status == 2 and out == "" and "no instrument 'phq10'" in err


def test_score_csv_writes_results_and_reports_bad_rows(tmp_path):
    source, target = tmp_path / "in.csv", tmp_path / "out.csv"
    source.write_text("id,gad7_1,gad7_2,gad7_3,gad7_4,gad7_5,gad7_6,gad7_7\n7,1,1,1,1,1,1,1\n8,1,1,1,1,1,1,4\n",
                      encoding="utf-8")
    status, out, err = _run("score", "gad7", csv=str(source), out=str(target))
    assert status == 2 and "scored 2 rows" in out
    assert err.startswith("row 3: item gad7_7 (answer 7): 4 is not an answer value")
    assert target.read_text(encoding="utf-8").splitlines()[1].startswith("2,7,True,7,mild")


def test_score_csv_needs_out(tmp_path):
    status, _, err = _run("score", "gad7", csv=str(tmp_path / "in.csv"))
    assert status == 2 and "--out OUT is required" in err


def test_score_csv_reports_an_unreadable_file(tmp_path):
    status, _, err = _run("score", "gad7", csv=str(tmp_path / "absent.csv"), out=str(tmp_path / "out.csv"))
    assert status == 2 and "cannot read or write the file" in err


def test_help_states_the_rules():
    text = load_command_class("xinshao.instruments", "score").create_parser("xinshao", "score").format_help()
    for rule in ("An empty field is a missing item", "1 = yes and 0 = no", "never prorated", "critical",
                 "acute_positive", "header being\nrow 1", "Exit status"):
        assert rule in text


def test_instruments_lists_the_library():
    status, out, _ = _run("instruments")
    assert status == 0
    lines = out.splitlines()
    assert lines[0].split()[:3] == ["id", "version", "items"] and len(lines) == 15
    assert [line.split()[1] for line in lines if line.startswith("asq ")] == ["1.0.0", "1.1.0"]  # both stay
    assert any(line.startswith("phq9 ") and "built-in" in line for line in lines)


def test_instruments_json_lists_one_object_per_line():
    _, out, _ = _run("instruments", as_json=True)
    rows = [json.loads(line) for line in out.splitlines()]
    assert {row["id"] for row in rows} >= {"phq9", "asq", "cbi"}
    assert all(row["wording"] == "paraphrase" and row["origin"] == "built-in" for row in rows)


@pytest.mark.parametrize("command", [["instruments"], ["score", "phq9", "--answers", "0,0,0,0,0,0,0,0,0"]])
def test_a_never_migrated_database_gives_one_line_and_exit_two(tmp_path, command):
    env = {**os.environ, "XINSHAO_DATA_DIR": str(tmp_path), "DJANGO_SETTINGS_MODULE": "xinshao.settings"}
    env.pop("DATABASE_URL", None)
    done = subprocess.run([sys.executable, "-m", "xinshao.cli", *command], env=env, capture_output=True, text=True)
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr.splitlines() == ["the database is not set up yet: run `xinshao migrate` first"]
