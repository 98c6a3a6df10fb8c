"""A roster with mistakes: every one reported by row and column, nothing imported."""
import io
import zipfile

import pytest
from django.utils import translation

from xinshao.rosters import reading
from xinshao.rosters.models import ImportRun
from xinshao.rosters.tests.rosterfiles import GOOD_ROWS, HEADER, csv_bytes, xlsx_bytes
from xinshao.rosters.tests.test_import import run_import, snapshot

GOOD = ["A2026401", "赵小东", "男", "2013-01-15", "初一", "1班", "赵建军", "13512345678", ""]


def row(**changes):
    columns = {"number": 0, "name": 1, "gender": 2, "born": 3, "grade": 4, "klass": 5, "guardian": 6,
               "phone": 7, "id": 8}
    values = list(GOOD)
    for key, value in changes.items():
        values[columns[key]] = value
    return values


# (row as Excel numbers it, column letter, problem code) for each mistake in MISTAKES.
MISTAKES = [
    (row(number="A2026400"), []),  # row 2: a good row among the bad ones
    (row(number="A2026403", name=""), [(3, "B", "required")]),
    (row(number="A2026404"), [(4, "A", "duplicate_number")]),
    (row(number="A2026405", grade="高一"), [(5, "E", "grade_not_taught")]),
    (row(number="A2026406", born="2013-02-30"), [(6, "D", "date_impossible")]),
    (row(number="A2026407", born="2099-01-01"), [(7, "D", "date_future")]),
    (row(number="A2026408", phone="12345"), [(8, "H", "phone")]),
    (row(number="A2026404", gender="男孩"), [(9, "A", "duplicate_number"), (9, "C", "gender")]),
    (row(number="A2026410", id="330102201301150018"), [(10, "I", "id_checksum")]),
    (row(number="A2026411", id="110105201308190036"), [(11, "I", "id_birth_mismatch")]),
    (row(number="A2026412", gender="女", id="330102201301150017"), [(12, "I", "id_gender_male")]),
    (row(number="A2026413", born="1990-01-01"), [(13, "D", "age_range")]),
    (row(number="A2026414", born="明年春天"), [(14, "D", "date_format")]),
    (row(number="A2026415", grade="十年级"), [(15, "E", "grade_unknown")]),
    (row(number="A2026416", id="33010220130115001"), [(16, "I", "id_length")]),
    (row(number=""), [(17, "A", "required")]),
    (row(number="A2026418", klass="实验与创新拓展特色班" * 4), [(18, "F", "too_long")]),
    (row(number="A2026419", id=330102201301150017), [(19, "I", "id_as_number")]),
    (row(number="A2026420", phone="87654321"), [(20, "H", "phone")]),
    (row(number="A2026421", guardian="", phone=""), [(21, "G", "required"), (21, "H", "required")]),
    (row(number="A2026422", id="3301022013011500AB"), [(22, "I", "id_format")]),
    (row(number="A2026423", id="330102201302300016"), [(23, "I", "id_birth_date")]),
]


def test_a_file_with_many_mistakes_gets_every_one_reported_by_row_and_column_and_imports_nothing(city):
    before = snapshot()

    run = run_import(city, xlsx_bytes([values for values, _ in MISTAKES] + GOOD_ROWS[2:]))

    expected = [mistake for _, mistakes in MISTAKES for mistake in mistakes]
    assert len({code for *_, code in expected}) >= 10
    assert run.outcome == ImportRun.Outcome.REJECTED
    assert [(p.row, p.letter, p.code) for p in run.problems()] == expected
    assert {p.column for p in run.problems()} == {"学号", "姓名", "性别", "出生日期", "年级", "班级", "监护人姓名",
                                                 "监护人电话", "身份证号"}
    assert snapshot() == before  # not even the good rows, nor the new class of GOOD_ROWS[2]
    assert (run.created_count, run.updated_count, run.new_classes) == (0, 0, [])


def test_each_mistake_reads_as_a_sentence_naming_the_place(city):
    run = run_import(city, xlsx_bytes([values for values, _ in MISTAKES]))
    with translation.override("zh-hans"):
        lines = {(p.row, p.letter, p.code): p.line() for p in run.problems()}

    assert lines[(4, "A", "duplicate_number")] == (
        "第 4 行 A 列（学号）：学号“A2026404”在第 9 行也出现了；每个学号只能出现一次。")
    assert lines[(9, "A", "duplicate_number")].startswith("第 9 行 A 列（学号）：学号“A2026404”在第 4 行")
    assert lines[(6, "D", "date_impossible")] == "第 6 行 D 列（出生日期）：没有“2013-02-30”这一天。"
    assert lines[(5, "E", "grade_not_taught")] == "第 5 行 E 列（年级）：本校没有“高一”这个年级；本校的年级是：初一、初二、初三。"
    assert "330102201301150018" not in " ".join(lines.values())  # ID numbers are never echoed


def test_mistakes_read_in_english_when_the_language_is_english(city):
    run = run_import(city, xlsx_bytes([values for values, _ in MISTAKES]))
    problems = {(p.row, p.letter, p.code): p for p in run.problems()}
    with translation.override("zh-hans"):
        chinese = {key: problem.message() for key, problem in problems.items()}

    with translation.override("en"):
        assert problems[(6, "D", "date_impossible")].line() == (
            "Row 6, column D (出生日期): There is no such day as 2013-02-30.")
        assert problems[(4, "A", "duplicate_number")].line() == (
            "Row 4, column A (学号): Student number A2026404 also appears in row 9; "
            "each student number may appear only once.")
        assert problems[(5, "E", "grade_not_taught")].message() == (
            "This school has no grade 高一; its grades are: 初一, 初二, 初三.")
        untranslated = [key for key, problem in problems.items() if problem.message() == chinese[key]]
    assert untranslated == []


def _zip(names) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in names:
            archive.writestr(name, "<x/>")
    return buffer.getvalue()


@pytest.mark.parametrize("name,content,code", [
    ("roster.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "file_xls"),
    ("roster.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "file_xls"),
    ("roster.pdf", b"%PDF-1.7\n...", "file_type"),
    ("roster.xlsx", b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n", "file_pdf"),
    ("roster.csv", b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n", "file_pdf"),
    ("roster.docx", _zip(["word/document.xml"]), "file_type"),
    ("roster.xlsx", _zip(["word/document.xml", "[Content_Types].xml"]), "file_content"),
    ("roster.csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "file_content"),
    ("roster.xlsx", xlsx_bytes(GOOD_ROWS)[:400], "file_corrupt"),
    ("roster.xlsx", _zip(["xl/workbook.xml", "[Content_Types].xml"]), "file_corrupt"),
    ("roster.xlsx", b"", "file_empty"),
    ("roster.csv", b"", "file_empty"),
    ("roster.csv", b"\r\n , ,\r\n", "file_empty"),
    ("roster.xlsx", xlsx_bytes([], header=[]), "file_empty"),
    ("roster", csv_bytes(GOOD_ROWS), "file_type"),
    ("roster.csv", "学号,姓名\n".encode() + bytes([0x81, 0x20]), "file_encoding"),
    ("roster.csv", "这是一封信，不是名册。\n谢谢".encode(), "file_no_header"),
    ("roster.xlsx", xlsx_bytes([]), "file_no_data"),
    ("roster.csv", csv_bytes([r[:5] for r in GOOD_ROWS], header=HEADER[:5]), "file_missing_columns"),
    ("roster.csv", csv_bytes([r + [r[0]] for r in GOOD_ROWS], header=HEADER + ["学 号"]), "file_duplicate_column"),
], ids=lambda value: value if isinstance(value, str) and len(value) < 40 else "")
def test_a_file_that_is_not_a_readable_roster_is_refused_with_the_reason(city, name, content, code):
    before = snapshot()

    run = run_import(city, content, name)

    assert run.outcome == ImportRun.Outcome.REJECTED
    assert [p.code for p in run.problems()] == [code]
    assert snapshot() == before


def test_missing_columns_are_named(city):
    run = run_import(city, csv_bytes([r[:5] for r in GOOD_ROWS], header=HEADER[:5]), "roster.csv")

    with translation.override("zh-hans"):
        assert run.problems()[0].line() == "第 1 行：缺少必需的列：班级、监护人姓名、监护人电话。"


def test_a_file_longer_than_the_row_limit_is_refused_before_checking(city, monkeypatch):
    monkeypatch.setattr(reading, "MAX_ROWS", 3)

    run = run_import(city, csv_bytes(GOOD_ROWS), "roster.csv")

    assert [(p.code, p.params) for p in run.problems()] == [("file_too_many_rows", {"limit": 3})]
