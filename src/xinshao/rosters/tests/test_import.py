"""The roster import service: all-or-nothing, idempotent, history-keeping, audited."""
import datetime

import pytest

from xinshao.audit.models import AuditEntry
from xinshao.org.models import Grade, SchoolClass
from xinshao.people.models import Enrolment, Guardian, GuardianLink, Student
from xinshao.rosters.models import ImportRun
from xinshao.rosters.services import roster_import
from xinshao.rosters.tests.rosterfiles import GOOD_ROWS, HEADER, csv_bytes, with_real_dates, xlsx_bytes

TODAY = datetime.date(2026, 11, 28)


def run_import(city, content, name="roster.xlsx", *, actor=None, dry_run=False, today=TODAY):
    return roster_import(school=city.school_a, file_name=name, content=content,
                         actor=city.song_a if actor is None else actor, source=ImportRun.Source.WEB,
                         dry_run=dry_run, today=today)


def snapshot():
    """Everything an import may write, to show that a run wrote nothing."""
    return {
        "students": sorted(Student.objects.values_list("id", "student_number", "name", "school_class_id",
                                                        "updated_at")),
        "enrolments": sorted(Enrolment.objects.values_list("id", "school_class_id", "ended_on")),
        "classes": sorted(SchoolClass.objects.values_list("id", "name")),
        "grades": Grade.objects.count(),
        "guardians": sorted(Guardian.objects.values_list("id", "name", "phone")),
        "links": sorted(GuardianLink.objects.values_list("id", "student_id", "guardian_id", "is_primary")),
        "audit": AuditEntry.objects.count(),
    }


def test_a_good_file_creates_students_classes_guardians_and_audit_entries(city):
    run = run_import(city, xlsx_bytes(GOOD_ROWS))

    assert run.outcome == ImportRun.Outcome.IMPORTED and run.errors == []
    assert (run.row_count, run.created_count, run.updated_count, run.unchanged_count) == (4, 2, 1, 1)
    assert run.new_classes == ["初一3班", "初二1班"]
    wang = Student.objects.select_related("school_class__grade").get(school=city.school_a, student_number="A2026101")
    assert (wang.name, wang.gender, wang.birth_date) == ("王小明", "M", datetime.date(2013, 1, 15))
    assert (wang.school_class.grade.level, wang.school_class.name) == ("J1", "3班")
    assert wang.national_id == "330102201301150017"
    li = Student.objects.get(school=city.school_a, student_number="A2026102")
    assert li.school_class.grade.level == "J2" and li.school_class.name == "1班"
    assert li.national_id == "33010220121103002X"
    assert [(e.school_class_id, e.ended_on) for e in wang.enrolments.all()] == [(wang.school_class_id, None)]
    assert [(g.name, g.phone) for g in wang.guardians.all()] == [("王建国", "0571-87654321")]
    assert [(g.name, g.phone) for g in li.guardians.all()] == [("李秀英", "13700137000")]
    city.lin.refresh_from_db()
    assert [(g.name, g.phone) for g in city.lin.guardians.all()] == [("林建华", "13900139000")]
    assert city.lin.national_id == "110105201308190036"
    entries = AuditEntry.objects.filter(detail__import_run=run.pk)
    assert sorted((e.action, e.student_id) for e in entries) == sorted([
        ("student.import_create", wang.pk), ("student.import_create", li.pk), ("student.import_update", city.lin.pk),
    ])
    assert {e.actor_label for e in entries} == {"song_a"}
    lin_entry = entries.get(student_id=city.lin.pk)
    assert sorted(lin_entry.detail["changed"]) == ["guardian", "national_id"]


def test_importing_the_same_file_twice_changes_nothing(city):
    run_import(city, xlsx_bytes(GOOD_ROWS))
    before = snapshot()

    again = run_import(city, xlsx_bytes(GOOD_ROWS))

    assert again.outcome == ImportRun.Outcome.IMPORTED
    assert (again.created_count, again.updated_count, again.unchanged_count, again.new_classes) == (0, 0, 4, [])
    assert snapshot() == before


def test_the_same_roster_as_csv_after_xlsx_changes_nothing(city):
    run_import(city, xlsx_bytes(GOOD_ROWS))
    before = snapshot()

    again = run_import(city, csv_bytes(GOOD_ROWS, encoding="gbk"), "roster.csv")

    assert (again.created_count, again.updated_count, again.unchanged_count) == (0, 0, 4)
    assert snapshot() == before


def test_a_changed_row_updates_the_student_and_a_class_change_keeps_the_history(city):
    run_import(city, xlsx_bytes(GOOD_ROWS), today=datetime.date(2026, 9, 1))
    changed = [list(row) for row in GOOD_ROWS]
    changed[2][1], changed[2][5] = "王晓明", "1班"  # renamed, moved from 3班 to 1班

    run = run_import(city, xlsx_bytes(changed))

    assert (run.created_count, run.updated_count, run.unchanged_count) == (0, 1, 3)
    wang = Student.objects.get(student_number="A2026101")
    assert wang.name == "王晓明" and wang.school_class == city.class_a1
    history = list(wang.enrolments.order_by("started_on").values_list("school_class__name", "started_on", "ended_on"))
    assert history == [("3班", datetime.date(2026, 9, 1), TODAY), ("1班", TODAY, None)]
    entry = AuditEntry.objects.get(detail__import_run=run.pk)
    assert entry.student_id == wang.pk and entry.action == "student.import_update"
    assert sorted(entry.detail["changed"]) == ["name", "school_class"]
    assert (entry.detail["from_class"], entry.detail["to_class"]) == (
        SchoolClass.objects.get(grade__level="J1", name="3班").pk, city.class_a1.pk)


def test_a_new_phone_for_the_same_guardian_keeps_the_guardian_record(city):
    rows = [list(GOOD_ROWS[0])]
    rows[0][7] = "13800138999"

    run = run_import(city, xlsx_bytes(rows))

    city.chen_ma.refresh_from_db()
    assert city.chen_ma.phone == "13800138999"
    assert list(city.chen.guardians.all()) == [city.chen_ma]
    assert run.updated_count == 1
    assert AuditEntry.objects.get(detail__import_run=run.pk).detail["changed"] == ["guardian"]


def test_a_different_guardian_replaces_the_link_and_leaves_the_old_guardian_record(city):
    rows = [list(GOOD_ROWS[0])]
    rows[0][6:8] = ["陈爸爸", "13600136000"]

    run_import(city, xlsx_bytes(rows))

    assert [(g.name, g.phone) for g in city.chen.guardians.all()] == [("陈爸爸", "13600136000")]
    assert Guardian.objects.filter(pk=city.chen_ma.pk).exists()


def test_siblings_in_one_file_share_one_new_guardian(city):
    rows = [
        ["A2026201", "赵一", "男", "2013-02-01", "初一", "1班", "赵建军", "13512345678", ""],
        ["A2026202", "赵二", "女", "2013-02-01", "初一", "2班", "赵建军", "13512345678", ""],
    ]

    run_import(city, xlsx_bytes(rows))

    guardian = Guardian.objects.get(name="赵建军")
    assert sorted(guardian.students.values_list("name", flat=True)) == ["赵一", "赵二"]


def test_a_blank_id_number_keeps_the_stored_one(city):
    run_import(city, xlsx_bytes(GOOD_ROWS))
    rows = [list(row) for row in GOOD_ROWS]
    rows[2][8] = ""

    run = run_import(city, xlsx_bytes(rows))

    assert run.updated_count == 0
    assert Student.objects.get(student_number="A2026101").national_id == "330102201301150017"


def test_a_dry_run_reports_what_would_happen_and_writes_no_student(city):
    before = snapshot()

    run = run_import(city, xlsx_bytes(GOOD_ROWS), dry_run=True)

    assert run.outcome == ImportRun.Outcome.CHECKED
    assert (run.created_count, run.updated_count, run.unchanged_count) == (2, 1, 1)
    assert run.new_classes == ["初一3班", "初二1班"]
    assert snapshot() == before


@pytest.mark.parametrize("name,content", [
    ("roster.xlsx", xlsx_bytes(GOOD_ROWS)),
    ("roster.xlsx", xlsx_bytes(with_real_dates(GOOD_ROWS))),
    ("roster.csv", csv_bytes(GOOD_ROWS, encoding="utf-8")),
    ("roster.csv", csv_bytes(GOOD_ROWS, encoding="utf-8-sig")),
    ("roster.csv", csv_bytes(GOOD_ROWS, encoding="gbk")),
    ("roster.csv", csv_bytes(GOOD_ROWS, encoding="gb18030")),
], ids=["xlsx", "xlsx-date-cells", "csv-utf8", "csv-utf8-bom", "csv-gbk", "csv-gb18030"])
def test_xlsx_and_csv_in_every_usual_encoding_import_the_same(city, name, content):
    run = run_import(city, content, name)

    assert run.errors == [] and (run.created_count, run.updated_count, run.unchanged_count) == (2, 1, 1)
    assert Student.objects.get(student_number="A2026102").birth_date == datetime.date(2012, 11, 3)


def test_headers_with_spaces_in_any_order_with_extra_columns_and_a_title_row_are_read(city):
    order = [8, 7, 6, 5, 4, 3, 2, 1, 0]
    header = [f" {HEADER[i][0]} {HEADER[i][1:]} " for i in order] + ["备注"]
    rows = [[row[i] for i in order] + ["转学生"] for row in GOOD_ROWS]

    run = run_import(city, xlsx_bytes(rows, header, title_rows=[["东湖中学 2026 级学生名册"]]))

    assert run.errors == [] and run.created_count == 2
    assert Student.objects.get(student_number="A2026101").name == "王小明"


def test_class_names_are_written_one_way_however_the_file_writes_them(city):
    rows = [
        ["A2026301", "甲", "男", "2013-01-01", "初一", 1, "甲父", "13511111111", ""],
        ["A2026302", "乙", "男", "2013-01-01", "初一", "（2）班", "乙父", "13511111112", ""],
        ["A2026303", "丙", "男", "2013-01-01", "初一", "初一(1)班", "丙父", "13511111113", ""],
        ["A2026304", "丁", "男", "2013-01-01", "七年级", "01", "丁父", "13511111114", ""],
    ]

    run = run_import(city, xlsx_bytes(rows))

    assert run.new_classes == []
    assert set(Student.objects.filter(student_number__startswith="A20263").values_list("school_class", flat=True)) \
        == {city.class_a1.pk, city.class_a2.pk}


def test_students_of_another_school_are_never_touched(city):
    rows = [["B2026001", "周子涵", "女", "2013-03-07", "初一", "1班", "周妈妈", "13300133000", ""]]

    run = run_import(city, xlsx_bytes(rows))

    assert run.created_count == 1
    assert Student.objects.filter(student_number="B2026001").count() == 2
    city.zhou.refresh_from_db()
    assert city.zhou.school == city.school_b and not city.zhou.guardians.exists()


def test_an_import_without_a_user_is_recorded_as_the_system(city):
    run = roster_import(school=city.school_a, file_name="roster.xlsx", content=xlsx_bytes(GOOD_ROWS), actor=None,
                        source=ImportRun.Source.COMMAND, today=TODAY)

    assert (run.actor, run.actor_label) == (None, "system")
    assert set(AuditEntry.objects.filter(detail__import_run=run.pk).values_list("actor_label", "actor_id")) \
        == {("system", None)}
