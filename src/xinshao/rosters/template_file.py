"""The downloadable roster template: an empty roster sheet and an instructions sheet.

The roster sheet has only the header row, so a forgotten example can never be imported;
the example lives on the instructions sheet. Lists on 性别 and 年级 offer only values
the import accepts, and text format on number-like columns keeps Excel from turning
student numbers, phone numbers and ID numbers into numbers.
"""
import io

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from xinshao.org.grades import level_name
from xinshao.rosters.columns import COLUMNS, column_guide

ROSTER_SHEET = "名册"
TEMPLATE_ROWS = 5000  # rows that get the drop-down lists
_TEXT_COLUMNS = {"student_number", "birth_date", "class_name", "guardian_phone", "national_id"}
_HEADER_FONT = Font(bold=True)
_HEADER_FILL = PatternFill("solid", fgColor="DDEBE8")


def roster_template(*, school_name: str, levels: tuple[str, ...]) -> bytes:
    workbook = Workbook()
    roster = workbook.active
    roster.title = ROSTER_SHEET
    header_sheet(roster, COLUMNS, text_keys=_TEXT_COLUMNS, wide_keys={"national_id"},
                 choices={"gender": ["男", "女"], "grade": [level_name(level) for level in levels]})
    instructions_sheet(workbook.create_sheet(_("填写说明")),
                       title=_("%(school)s 学生名册：填写说明") % {"school": school_name}, lines=(
        _("在“名册”表里一行填一名学生，第一行的列名不要改；列的顺序可以调整，多出的列会被忽略。"),
        _("只要有一行有错，整个文件都不会导入；系统会列出每个错误所在的行和列，改好后再上传即可。"),
        _("同一个文件导入两次不会重复建档；学号已存在的学生按文件内容更新，换班会保留原班级记录。"),
    ), guides=column_guide(levels))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def header_sheet(sheet, columns, *, text_keys=frozenset(), wide_keys=frozenset(), choices=None) -> None:
    """A sheet with only the header row of `columns`: text format on `text_keys` (so Excel keeps
    numbers as typed), drop-down lists of the values the import accepts on `choices`' keys."""
    sheet.append([column.header for column in columns])
    for index, column in enumerate(columns, start=1):
        letter = get_column_letter(index)
        sheet[f"{letter}1"].font, sheet[f"{letter}1"].fill = _HEADER_FONT, _HEADER_FILL
        sheet.column_dimensions[letter].width = 22 if column.key in wide_keys else 14
        if column.key in text_keys:
            sheet.column_dimensions[letter].number_format = "@"
        values = (choices or {}).get(column.key)
        if values:
            validation = DataValidation(type="list", formula1=f'"{",".join(values)}"', allow_blank=True,
                                        showErrorMessage=True, errorTitle=column.header,
                                        error=_("请从列表中选择。"))
            sheet.add_data_validation(validation)
            validation.add(f"{letter}2:{letter}{TEMPLATE_ROWS + 1}")
    sheet.freeze_panes = "A2"


def instructions_sheet(sheet, *, title: str, lines, guides) -> None:
    """The instructions: a title, some lines, and each column with whether it is required, how to
    fill it and an example (objects with header, required, how, example)."""
    sheet.append([title])
    sheet["A1"].font = Font(bold=True, size=14)
    for line in (*lines, ""):
        sheet.append([line])
    sheet.append([_("列名"), _("是否必填"), _("怎么填"), _("示例")])
    for cell in sheet[sheet.max_row]:
        cell.font, cell.fill = _HEADER_FONT, _HEADER_FILL
    for guide in guides:
        sheet.append([guide.header, _("必填") if guide.required else _("选填"), guide.how, guide.example])
        sheet.cell(row=sheet.max_row, column=3).alignment = Alignment(wrap_text=True, vertical="top")
    for letter, width in zip("ABCD", (14, 10, 60, 22)):
        sheet.column_dimensions[letter].width = width
