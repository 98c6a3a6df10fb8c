"""Writing tables to a file: Excel streams row by row (openpyxl's write-only workbook keeps only
the row being written); a PDF is laid out whole by WeasyPrint, so it is for tables of a size
people print (PDF_MAX_ROWS) and a larger list is offered as Excel."""
from collections.abc import Callable, Iterable
from pathlib import Path

from django.template.loader import render_to_string
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from weasyprint import HTML

from xinshao.exports.kinds import Table

PDF_MAX_ROWS = 3000
# How often (in rows) the job's progress is written.
PROGRESS_EVERY = 1000
# Sheet titles: at most 31 characters, none of these.
_SHEET_FORBIDDEN = str.maketrans({c: " " for c in "[]:*?/\\"})


def _sheet_title(title: str, used: set[str]) -> str:
    base = title.translate(_SHEET_FORBIDDEN)[:28] or "Sheet"
    name, n = base, 1
    while name in used:
        n += 1
        name = f"{base[:26]}-{n}"
    used.add(name)
    return name


def xlsx_write(tables: Iterable[Table], path: Path, progress: Callable[[int], None]) -> int:
    """Every table on its own sheet; returns the rows written. `progress(rows)` every PROGRESS_EVERY rows."""
    workbook = Workbook(write_only=True)
    used: set[str] = set()
    written = 0
    bold = Font(bold=True)
    for table in tables:
        sheet = workbook.create_sheet(_sheet_title(table.title, used))
        head = []
        for column in table.columns:
            cell = WriteOnlyCell(sheet, value=str(column))
            cell.font = bold
            head.append(cell)
        sheet.append(head)
        for row in table.rows:
            sheet.append(row)
            written += 1
            if written % PROGRESS_EVERY == 0:
                progress(written)
    if not used:
        workbook.create_sheet("-")  # a workbook needs a sheet even when nothing was exported
    workbook.save(path)
    return written


def pdf_render(tables: Iterable[Table], *, title: str, user, progress: Callable[[int], None]) -> tuple[bytes, int]:
    """The tables as one PDF (CJK font as the other PDFs); returns its bytes and the rows in it."""
    shown, written = [], 0
    for table in tables:
        rows = []
        for row in table.rows:
            rows.append(["" if value is None else value for value in row])
            written += 1
            if written > PDF_MAX_ROWS:
                raise TooLongForPdf(written)
        shown.append({"title": table.title, "columns": table.columns, "rows": rows})
        progress(written)
    html = render_to_string("exports/tables_pdf.html", {
        "title": title, "tables": shown, "made_by": user, "made_at": timezone.localtime()})
    return HTML(string=html).write_pdf(), written


class TooLongForPdf(Exception):
    """More rows than a PDF is made for."""
