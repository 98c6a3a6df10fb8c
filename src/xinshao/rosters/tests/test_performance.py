"""A whole school's roster (3,000 rows) imports in batches, not row by row.

The query bound allows for SQLite, whose limit on query parameters cuts a bulk insert of
3,000 rows into a few dozen statements; one statement per row would be thousands. How fast it
runs is measured in bench/, not asserted here.
"""
import datetime

from xinshao.audit.models import AuditEntry
from xinshao.people.identity import check_character
from xinshao.people.models import Enrolment, Guardian, Student
from xinshao.rosters.models import ImportRun
from xinshao.rosters.services import roster_import
from xinshao.rosters.tests.rosterfiles import xlsx_bytes

ROWS = 3000
MAX_QUERIES = ROWS // 20


def big_roster(*, class_offset=0):
    rows = []
    for index in range(ROWS):
        born = datetime.date(2011 + index % 3, 1 + index % 12, 1 + index % 28)
        first17 = f"330102{born:%Y%m%d}{index % 1000:03d}"
        rows.append([
            f"S{index:05d}", f"学生{index}", "男" if index % 2 else "女", born.isoformat(), "初一初二初三"[2 * (index % 3):][:2],
            f"{(index + class_offset) % 12 + 1}班", f"家长{index // 2}", f"139{index // 2:08d}",
            first17 + check_character(first17),
        ])
    return rows


def test_three_thousand_rows_import_with_bounded_queries(city, django_assert_max_num_queries):
    content = xlsx_bytes(big_roster())
    with django_assert_max_num_queries(MAX_QUERIES):
        run = roster_import(school=city.school_a, file_name="big.xlsx", content=content, actor=city.song_a,
                            source=ImportRun.Source.WEB)

    assert run.errors == [] and run.created_count == ROWS
    assert Student.objects.filter(school=city.school_a).count() == ROWS + 2
    assert Enrolment.objects.filter(school=city.school_a, ended_on__isnull=True).count() == ROWS + 2
    assert Guardian.objects.filter(name__startswith="家长").count() == ROWS // 2  # siblings share a guardian
    assert AuditEntry.objects.filter(detail__import_run=run.pk).count() == ROWS

    moved = xlsx_bytes(big_roster(class_offset=1))
    with django_assert_max_num_queries(MAX_QUERIES):
        again = roster_import(school=city.school_a, file_name="moved.xlsx", content=moved, actor=city.song_a,
                              source=ImportRun.Source.WEB)

    assert (again.created_count, again.updated_count) == (0, ROWS)
    assert Enrolment.objects.filter(school=city.school_a).count() == 2 * ROWS + 2
