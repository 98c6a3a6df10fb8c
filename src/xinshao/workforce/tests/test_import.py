"""Importing training records from Excel: everything or nothing, every problem named by row and column."""
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from xinshao.rosters.tests.rosterfiles import csv_bytes, xlsx_bytes
from xinshao.workforce.models import Certificate, TrainingEnrolment, WorkforceEvent
from xinshao.workforce.training_import import training_records_import

from .conftest import staff

pytestmark = pytest.mark.django_db
HEADER = ["学校代码", "姓名", "出勤学时", "是否结业", "证书编号"]


@pytest.fixture
def people(city):
    return {"wang": staff(city.school_a, "王芳"), "li": staff(city.school_b, "李明", post="class_teacher"),
            "zhao": staff(city.school_a, "赵雷")}


def _import(city, training, content, name="培训记录.xlsx"):
    return training_records_import(actor=city.bai, event=training, file_name=name, content=content)


GOOD = [["A001", "王芳", 24, "是", "MZC-0001"], ["B001", "李明", "20.5", "是", ""], ["A001", "赵 雷", 6, "否", ""]]


def test_a_good_file_enrols_records_and_grants_certificates_for_every_row(city, training, people):
    outcome = _import(city, training, xlsx_bytes(GOOD, HEADER))
    assert outcome.problems == []
    assert (outcome.enrolled, outcome.completed) == (3, 2)
    enrolments = {e.staff.name: e for e in TrainingEnrolment.objects.filter(event=training).select_related("staff")}
    assert {name: (e.state, e.attended_hours) for name, e in enrolments.items()} == {
        "王芳": ("completed", Decimal("24")), "李明": ("completed", Decimal("20.5")), "赵雷": ("enrolled", Decimal("6"))}
    numbers = dict(Certificate.objects.values_list("holder__name", "number"))
    assert numbers == {"王芳": "MZC-0001", "李明": f"PX{training.pk}-{enrolments['李明'].pk}"}
    assert WorkforceEvent.objects.filter(kind="training_import", training=training).count() == 1


def test_the_same_file_imported_again_changes_nothing(city, training, people):
    _import(city, training, xlsx_bytes(GOOD, HEADER))
    again = training_records_import(actor=city.bai, event=training, file_name="again.csv",
                                    content=csv_bytes([row[:4] + [""] for row in GOOD], HEADER))
    assert again.problems == [] and (again.enrolled, again.completed, again.unchanged) == (0, 0, 3)
    assert Certificate.objects.count() == 2


def test_one_bad_row_applies_nothing_and_says_where(city, training, people):
    rows = [GOOD[0], ["A001", "赵雷", "六", "否", ""], GOOD[1]]
    outcome = _import(city, training, xlsx_bytes(rows, HEADER))
    assert [(p.row, p.letter, p.column, p.code) for p in outcome.problems] == [(3, "C", "出勤学时", "hours_format")]
    assert "“六”不是学时数" in outcome.problems[0].message()
    assert "第 3 行 C 列（出勤学时）" in outcome.problems[0].location()
    assert not TrainingEnrolment.objects.exists() and not Certificate.objects.exists()


def test_every_problem_of_a_file_is_listed(city, training, people):
    rows = [["A001", "王芳", 10, "是", ""],        # too few hours to complete
            ["B001", "王芳", 24, "是", ""],        # no 王芳 at school B
            ["Z999", "李明", 24, "对", ""],        # no such school; not 是/否
            ["A001", "赵雷", 30, "否", ""],        # more hours than the training has
            ["A001", "赵雷", 3, "否", ""]]         # 赵雷 twice
    codes = [(p.row, p.letter, p.code) for p in _import(city, training, xlsx_bytes(rows, HEADER)).problems]
    assert codes == [(2, "C", "hours_short"), (3, "B", "staff_unknown"), (4, "A", "school_unknown"),
                     (4, "D", "yes_no"), (5, "B", "duplicate_person"), (5, "C", "hours_range"),
                     (6, "B", "duplicate_person")]
    assert not TrainingEnrolment.objects.exists()


def test_a_file_over_the_places_left_is_refused_whole(city, training, people):
    rows = [*GOOD, ["A001", "孙", 24, "是", ""]]
    staff(city.school_a, "孙")
    outcome = _import(city, training, xlsx_bytes(rows, HEADER))
    assert [p.code for p in outcome.problems] == ["over_capacity"]
    assert "3 个名额" in outcome.problems[0].message()
    assert not TrainingEnrolment.objects.exists()


def test_a_file_that_is_not_a_spreadsheet_is_refused_in_plain_words(city, training):
    outcome = _import(city, training, b"%PDF-1.4 not a table", name="记录.xlsx")
    assert [p.code for p in outcome.problems] == ["file_pdf"] and "PDF" in outcome.problems[0].message()


def test_the_page_lists_each_problem_and_the_template_has_the_columns(city, training, people, client_as):
    client = client_as(city.bai)
    bad = xlsx_bytes([GOOD[0], ["A001", "赵雷", "六", "否", ""]], HEADER)
    response = client.post(reverse("workforce:training_import", args=[training.pk]),
                           {"file": SimpleUploadedFile("记录.xlsx", bad)})
    page = response.content.decode()
    assert response.status_code == 400 and "一条也没有导入" in page and "出勤学时" in page and ">3<" in page
    assert not TrainingEnrolment.objects.exists()

    response = client.post(reverse("workforce:training_import", args=[training.pk]),
                           {"file": SimpleUploadedFile("记录.xlsx", xlsx_bytes(GOOD, HEADER))})
    assert response.status_code == 302 and TrainingEnrolment.objects.filter(event=training).count() == 3

    template = client.get(reverse("workforce:training_template", args=[training.pk]))
    sheet = load_workbook(io.BytesIO(b"".join(template.streaming_content))).worksheets[0]
    assert [cell.value for cell in sheet[1]] == HEADER
