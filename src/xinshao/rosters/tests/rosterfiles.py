"""Roster files for tests, written the ways schools write them."""
import csv
import datetime
import io
import re

from openpyxl import Workbook

HEADER = ["学号", "姓名", "性别", "出生日期", "年级", "班级", "监护人姓名", "监护人电话", "身份证号"]

# For school A of the test city (a junior school with 初一 1班 and 2班, students Chen and Lin).
GOOD_ROWS = [
    # Chen as the city has her: unchanged.
    ["A2026001", "陈小雨", "女", "2013-05-02", "初一", "1班", "陈妈妈", "13800138000", ""],
    # Lin as the city has him, plus a guardian he has none of yet: updated.
    ["A2026002", "林晓东", "男", "2013-08-19", "初一", "2班", "林建华", "13900139000", "110105201308190036"],
    # New, in a class that does not exist yet.
    ["A2026101", "王小明", "男", "2013/1/15", "初一", "3班", "王建国", "0571-87654321", "330102201301150017"],
    # New, in a grade the school has no classes of yet.
    ["A2026102", "李小红", "女", "2012年11月3日", "初二", "(1)班", "李秀英", "+86 137 0013 7000", "33010220121103002x"],
]


def xlsx_bytes(rows, header=HEADER, *, title_rows=(), sheet_title="名册") -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = sheet_title
    for row in (*title_rows, header, *rows):
        sheet.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv_bytes(rows, header=HEADER, *, encoding="utf-8") -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    for row in (header, *rows):
        writer.writerow(["" if value is None else value for value in row])
    return buffer.getvalue().encode(encoding)


def with_real_dates(rows):
    """The rows with 出生日期 as Excel date cells, as a workbook typed in Excel has them."""
    result = []
    for row in rows:
        copy = list(row)
        year, month, day = (int(part) for part in re.findall(r"\d+", copy[3]))
        copy[3] = datetime.datetime(year, month, day)
        result.append(copy)
    return result

