"""Reading an uploaded roster file into rows of cell values.

A file must be named .xlsx or .csv, and then its content decides how it is read: a PDF
or an old .xls renamed to .xlsx is refused with a message that says what it really is.
Accepted are Excel workbooks and CSV text in UTF-8 (with or without a byte order mark)
or GB18030/GBK, which is what Excel on Chinese Windows writes.
"""
import csv
import io
import zipfile
from dataclasses import dataclass
from pathlib import PurePath

from openpyxl import load_workbook

from xinshao.rosters.columns import COLUMNS, Column, header_lookup
from xinshao.rosters.problems import RosterFileError

ACCEPTED_EXTENSIONS = (".xlsx", ".csv")
# Far above the largest school; it keeps a runaway file from tying up a web worker.
MAX_ROWS = 20000
# A title line or two above the header is common ("东湖中学 2026 级学生名册").
HEADER_SEARCH_ROWS = 10

_OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls, .doc and other Office 97-2003 files
_ZIP_MAGIC = b"PK\x03\x04"
_PDF_MAGIC = b"%PDF"


@dataclass
class Table:
    """The rows of the sheet that holds the roster, numbered as Excel shows them."""

    header_row: int
    header: list
    rows: list[tuple[int, list]]


def read_table(name: str, content: bytes, *, columns: tuple[Column, ...] = COLUMNS) -> Table:
    """The table in a file whose header names `columns` (the roster's unless given), or
    RosterFileError saying why the file cannot be read."""
    extension = PurePath(name).suffix.lower()
    if extension == ".xls":
        raise RosterFileError("file_xls")
    if extension not in ACCEPTED_EXTENSIONS:
        raise RosterFileError("file_type", name=PurePath(name).name)
    if not content.strip():
        raise RosterFileError("file_empty")
    if content.startswith(_OLE2_MAGIC):
        raise RosterFileError("file_xls")  # an .xls renamed to .xlsx, often by hand to get past an upload
    if content.startswith(_PDF_MAGIC):
        raise RosterFileError("file_pdf")
    if content.startswith(_ZIP_MAGIC):
        return _find_table(_xlsx_sheets(content), columns)
    return _find_table([_csv_rows(content)], columns)


def _xlsx_sheets(content: bytes) -> list[list[list]]:
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            is_workbook = "xl/workbook.xml" in archive.namelist()
    except zipfile.BadZipFile:
        raise RosterFileError("file_corrupt") from None
    if not is_workbook:
        raise RosterFileError("file_content")  # a Word document, a plain zip, ...
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        try:
            return [_sheet_rows(sheet) for sheet in workbook.worksheets]
        finally:
            workbook.close()
    except RosterFileError:
        raise
    except Exception:
        # openpyxl raises many kinds of errors on a damaged workbook (zip, XML, key errors).
        raise RosterFileError("file_corrupt") from None


def _sheet_rows(sheet) -> list[list]:
    # Some programs (WPS, exports from other systems) write a wrong sheet size, and a
    # read-only sheet would stop at it; forget it and read every row that is there.
    sheet.reset_dimensions()
    rows = []
    for values in sheet.iter_rows(min_row=1, values_only=True):
        rows.append(list(values))
        _check_row_count(len(rows))
    return rows


def _csv_rows(content: bytes) -> list[list]:
    if b"\x00" in content:
        raise RosterFileError("file_content")  # binary data: an image, an executable, ...
    text = _decode(content)
    rows = []
    try:
        for values in csv.reader(io.StringIO(text, newline="")):
            rows.append(values)
            _check_row_count(len(rows))
    except csv.Error:
        raise RosterFileError("file_corrupt") from None
    return rows


def _decode(content: bytes) -> str:
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return content.decode("gb18030")
    except UnicodeDecodeError:
        raise RosterFileError("file_encoding") from None


def _check_row_count(count: int) -> None:
    if count > MAX_ROWS:
        raise RosterFileError("file_too_many_rows", limit=MAX_ROWS)


def _is_blank(values: list) -> bool:
    return all(value is None or str(value).strip() == "" for value in values)


def _find_table(sheets: list[list[list]], columns: tuple[Column, ...]) -> Table:
    """The first sheet with a header row (two or more of the column names) near its top."""
    column_for_header = header_lookup(columns)
    if all(_is_blank(row) for rows in sheets for row in rows):
        raise RosterFileError("file_empty")
    for rows in sheets:
        for index, values in enumerate(rows[:HEADER_SEARCH_ROWS]):
            if sum(column_for_header(value) is not None for value in values) >= 2:
                data = [(number, row) for number, row in enumerate(rows[index + 1:], start=index + 2)
                        if not _is_blank(row)]
                return Table(header_row=index + 1, header=values, rows=data)
    raise RosterFileError("file_no_header", columns=[column.header for column in columns if column.required])
