"""`xinshao import-roster FILE --school CODE`: exit statuses and what it prints."""
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from xinshao.audit.models import AuditEntry
from xinshao.people.models import Student
from xinshao.rosters.management.commands.import_roster import CANNOT_RUN, ROSTER_REJECTED, Command
from xinshao.rosters.models import ImportRun
from xinshao.rosters.tests.rosterfiles import GOOD_ROWS, csv_bytes, xlsx_bytes
from xinshao.rosters.tests.test_mistakes import MISTAKES


def import_roster(*args):
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("import_roster", *map(str, args), stdout=out, stderr=err)
    except CommandError as error:
        return error.returncode, out.getvalue(), err.getvalue(), str(error)
    return 0, out.getvalue(), err.getvalue(), ""


@pytest.fixture
def good_file(tmp_path):
    path = tmp_path / "名册.xlsx"
    path.write_bytes(xlsx_bytes(GOOD_ROWS))
    return path


@pytest.fixture
def bad_file(tmp_path):
    path = tmp_path / "bad.xlsx"
    path.write_bytes(xlsx_bytes([values for values, _ in MISTAKES]))
    return path


def test_a_good_file_imports_and_prints_a_summary(city, good_file):
    status, out, err, _ = import_roster(good_file, "--school", "A001")

    assert status == 0 and err == ""
    assert out.splitlines() == [
        "已导入：名册.xlsx → A001 东湖中学",
        "新增 2，更新 1，未变 1",
        "新建班级：初一3班、初二1班",
    ]
    assert Student.objects.filter(school=city.school_a).count() == 4
    run = ImportRun.objects.get()
    assert (run.source, run.actor, run.actor_label) == ("command", None, "system")
    assert AuditEntry.objects.filter(detail__import_run=run.pk, actor_label="system").count() == 3


def test_importing_again_prints_that_nothing_changed(city, good_file):
    import_roster(good_file, "--school", "A001")

    status, out, _, _ = import_roster(good_file, "--school", "A001")

    assert status == 0 and "新增 0，更新 0，未变 4" in out


def test_a_bad_file_prints_one_line_per_mistake_and_exits_non_zero(city, bad_file):
    status, out, err, message = import_roster(bad_file, "--school", "A001")

    expected = [mistake for _, mistakes in MISTAKES for mistake in mistakes]
    lines = err.splitlines()
    assert status == ROSTER_REJECTED and out == ""
    assert len(lines) == len(expected)
    for line, (row, letter, _code) in zip(lines, expected):
        assert line.startswith(f"第 {row} 行 {letter} 列（")
    assert message == f"bad.xlsx 有 {len(expected)} 处错误，没有导入任何学生。"
    assert Student.objects.filter(school=city.school_a).count() == 2


def test_the_report_can_be_in_english(city, bad_file, good_file):
    status, _, err, message = import_roster(bad_file, "--school", "A001", "--language", "en")

    assert status == ROSTER_REJECTED
    assert err.splitlines()[0] == "Row 3, column B (姓名): This field is required."
    assert message.startswith("bad.xlsx has ")
    _, out, _, _ = import_roster(good_file, "--school", "A001", "--language", "en")
    assert out.splitlines()[1] == "Created 2, updated 1, unchanged 1"


def test_a_dry_run_checks_and_writes_no_student(city, good_file):
    status, out, _, _ = import_roster(good_file, "--school", "A001", "--dry-run")

    assert status == 0 and out.startswith("检查通过，未导入（--dry-run）")
    assert Student.objects.filter(school=city.school_a).count() == 2
    assert ImportRun.objects.get().outcome == ImportRun.Outcome.CHECKED


def test_a_named_user_with_roster_rights_is_the_actor(city, good_file):
    status, _, _, _ = import_roster(good_file, "--school", "A001", "--user", "song_a")

    assert status == 0
    assert ImportRun.objects.get().actor == city.song_a
    assert set(AuditEntry.objects.values_list("actor_id", flat=True)) == {city.song_a.pk}


@pytest.mark.parametrize("args,needle", [
    (["--school", "Z999"], "Z999"),
    (["--school", "A001", "--user", "nobody"], "nobody"),
    (["--school", "A001", "--user", "song_b"], "song_b"),
    (["--school", "A001", "--user", "liu_a"], "liu_a"),
])
def test_an_unknown_school_or_a_user_without_rights_stops_the_command(city, good_file, args, needle):
    status, _, _, message = import_roster(good_file, *args)

    assert status == CANNOT_RUN and needle in message
    assert not ImportRun.objects.exists() and Student.objects.filter(school=city.school_a).count() == 2


def test_a_missing_file_is_a_clear_error_not_a_traceback(city, tmp_path):
    status, _, _, message = import_roster(tmp_path / "missing.xlsx", "--school", "A001")

    assert status == CANNOT_RUN and "missing.xlsx" in message


def test_a_file_of_the_wrong_kind_is_reported_as_a_roster_error(city, tmp_path):
    path = tmp_path / "roster.pdf"
    path.write_bytes(b"%PDF-1.7")

    status, _, err, _ = import_roster(path, "--school", "A001")

    assert status == ROSTER_REJECTED
    assert err.strip() == "文件：只能导入 Excel 工作簿（.xlsx）或 CSV 文件，“roster.pdf”不是这两种文件。"


def test_a_gbk_csv_imports_from_the_command(city, tmp_path):
    path = tmp_path / "roster.csv"
    path.write_bytes(csv_bytes(GOOD_ROWS, encoding="gbk"))

    status, _, _, _ = import_roster(path, "--school", "A001")

    assert status == 0 and Student.objects.filter(school=city.school_a).count() == 4


def test_the_help_states_the_rules():
    text = Command.help
    for rule in ("学号", "身份证号", "nothing is imported", "twice changes nothing", "Exit status 2"):
        assert rule in text
