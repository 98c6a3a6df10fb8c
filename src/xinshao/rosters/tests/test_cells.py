"""Reading single cells the ways schools type them."""
import datetime

import pytest

from xinshao.org.grades import JUNIOR, PRIMARY
from xinshao.rosters.cells import (
    CellProblem, cell_text, clean_person_name, normalise_class_name, parse_birth_date, parse_gender, parse_grade,
    parse_national_id, parse_phone,
)

TODAY = datetime.date(2026, 11, 28)


def problem_code(function, *args, **kwargs) -> str:
    with pytest.raises(CellProblem) as caught:
        function(*args, **kwargs)
    return caught.value.code


@pytest.mark.parametrize("value,text", [
    (None, ""), (2026001, "2026001"), (13800138000.0, "13800138000"), ("  陈小雨\u3000", "陈小雨"),
    (datetime.datetime(2013, 5, 2), "2013-05-02"), (3.5, "3.5"),
])
def test_a_cell_reads_as_the_user_sees_it(value, text):
    assert cell_text(value) == text


@pytest.mark.parametrize("raw,expected", [("王  芳", "王芳"), ("阿依古丽 · 买买提", "阿依古丽·买买提"),
                                          ("Anna  Smith", "Anna Smith")])
def test_padded_chinese_names_are_closed_up_and_latin_names_keep_one_space(raw, expected):
    assert clean_person_name(raw) == expected


def test_gender_is_male_or_female_in_chinese():
    assert [parse_gender(text) for text in ("男", "女", "男性", " 女 ")] == ["M", "F", "M", "F"]
    assert problem_code(parse_gender, "M") == "gender"
    assert problem_code(parse_gender, "未知") == "gender"


@pytest.mark.parametrize("value", [
    "2013-05-02", "2013/5/2", "2013.05.02", "2013年5月2日", "20130502", 20130502, "2013-05-02 00:00:00",
    "２０１３－０５－０２", datetime.datetime(2013, 5, 2), datetime.date(2013, 5, 2),
])
def test_birth_dates_are_read_in_the_usual_forms(value):
    assert parse_birth_date(value, today=TODAY) == datetime.date(2013, 5, 2)


@pytest.mark.parametrize("value,code", [
    ("2013-02-30", "date_impossible"), ("2013-13-01", "date_impossible"), ("2013-5", "date_format"),
    ("五月二日", "date_format"), (41396, "date_format"), ("2026-11-29", "date_future"),
    ("2022-01-01", "age_range"), ("2000-01-01", "age_range"),
])
def test_impossible_birth_dates_are_refused(value, code):
    assert problem_code(parse_birth_date, value, today=TODAY) == code


def test_the_age_limits_are_inclusive():
    assert parse_birth_date("2021-11-28", today=TODAY) == datetime.date(2021, 11, 28)  # 5 today
    assert problem_code(parse_birth_date, "2021-11-29", today=TODAY) == "age_range"  # 5 tomorrow
    assert parse_birth_date("2000-11-29", today=TODAY) == datetime.date(2000, 11, 29)  # 25, 26 tomorrow


def test_grades_must_be_grades_the_school_teaches():
    assert parse_grade("初二", levels=JUNIOR) == "J2"
    assert parse_grade("八年级", levels=JUNIOR) == "J2"
    assert parse_grade("三年级", levels=PRIMARY) == "P3"
    assert problem_code(parse_grade, "高一", levels=JUNIOR) == "grade_not_taught"
    assert problem_code(parse_grade, "一年级", levels=JUNIOR) == "grade_not_taught"
    assert problem_code(parse_grade, "初四", levels=JUNIOR) == "grade_unknown"


@pytest.mark.parametrize("raw,grade,expected", [
    ("1班", "初一", "1班"), ("1", "初一", "1班"), ("01", "初一", "1班"), ("(3)班", "初一", "3班"),
    ("（3）班", "初一", "3班"), ("初一(3)班", "初一", "3班"), ("初一3班", "初一", "3班"), ("实验班", "初一", "实验班"),
    ("初一", "初一", "初一"),
])
def test_class_names_are_written_one_way(raw, grade, expected):
    assert normalise_class_name(raw, grade_text=grade) == expected


@pytest.mark.parametrize("raw,expected", [
    ("13800138000", "13800138000"), ("138 0013 8000", "13800138000"), ("138-0013-8000", "13800138000"),
    ("+86 13800138000", "13800138000"), ("008613800138000", "13800138000"), ("19912345678", "19912345678"),
    ("0571-87654321", "0571-87654321"), ("057187654321", "0571-87654321"), ("(0571)87654321", "0571-87654321"),
    ("（0571）8765432", "0571-8765432"), ("010-62345678", "010-62345678"), ("021 62345678", "021-62345678"),
    ("0571-87654321-123", "0571-87654321-123"), ("0571-87654321转8", "0571-87654321-8"),
])
def test_mobile_and_landline_numbers_are_accepted_and_written_one_way(raw, expected):
    assert parse_phone(raw) == expected


@pytest.mark.parametrize("raw", [
    "12345", "12800138000", "1380013800", "138001380000", "87654321", "010-6234567", "0571-1234567",
    "00571-87654321", "电话 13800138000", "13800138000 / 13900139000",
])
def test_bad_phone_numbers_are_refused(raw):
    assert problem_code(parse_phone, raw) == "phone"


def test_an_id_number_must_agree_with_the_row():
    born, gender = datetime.date(2013, 1, 15), "M"
    assert parse_national_id(" 330102201301150017 ", birth_date=born, gender=gender) == "330102201301150017"
    assert problem_code(parse_national_id, "330102201301150017", birth_date=datetime.date(2013, 1, 16),
                        gender=gender) == "id_birth_mismatch"
    assert problem_code(parse_national_id, "330102201301150017", birth_date=born, gender="F") == "id_gender_male"
    assert problem_code(parse_national_id, "33010220121103002X", birth_date=None, gender="M") == "id_gender_female"
    # When the row's own birth date or gender is wrong, only the ID itself is judged.
    assert parse_national_id("330102201301150017", birth_date=None, gender=None) == "330102201301150017"


@pytest.mark.parametrize("value", [330102201301150017, 3.30102201301150e17, "3.30102E+17", "3.30102e17"])
def test_an_id_number_excel_turned_into_a_number_is_named_as_such(value):
    assert problem_code(parse_national_id, value, birth_date=None, gender=None) == "id_as_number"
