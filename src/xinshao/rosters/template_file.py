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
    roster.append([column.header for column in COLUMNS])
    for index, column in enumerate(COLUMNS, start=1):
        letter = get_column_letter(index)
        roster[f"{letter}1"].font, roster[f"{letter}1"].fill = _HEADER_FONT, _HEADER_FILL
        roster.column_dimensions[letter].width = 22 if column.key == "national_id" else 14
        if column.key in _TEXT_COLUMNS:
            roster.column_dimensions[letter].number_format = "@"
        choices = {"gender": ["男", "女"], "grade": [level_name(level) for level in levels]}.get(column.key)
        if choices:
            validation = DataValidation(type="list", formula1=f'"{",".join(choices)}"', allow_blank=True,
                                        showErrorMessage=True, errorTitle=column.header,
                                        error=_("请从列表中选择。"))
            roster.add_data_validation(validation)
            validation.add(f"{letter}2:{letter}{TEMPLATE_ROWS + 1}")
    roster.freeze_panes = "A2"
    _instructions(workbook.create_sheet(_("填写说明")), school_name=school_name, levels=levels)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _instructions(sheet, *, school_name: str, levels: tuple[str, ...]) -> None:
    sheet.append([_("%(school)s 学生名册：填写说明") % {"school": school_name}])
    sheet["A1"].font = Font(bold=True, size=14)
    for line in (
        _("在“名册”表里一行填一名学生，第一行的列名不要改；列的顺序可以调整，多出的列会被忽略。"),
        _("只要有一行有错，整个文件都不会导入；系统会列出每个错误所在的行和列，改好后再上传即可。"),
        _("同一个文件导入两次不会重复建档；学号已存在的学生按文件内容更新，换班会保留原班级记录。"),
        "",
    ):
        sheet.append([line])
    sheet.append([_("列名"), _("是否必填"), _("怎么填"), _("示例")])
    for cell in sheet[sheet.max_row]:
        cell.font, cell.fill = _HEADER_FONT, _HEADER_FILL
    for guide in column_guide(levels):
        sheet.append([guide.header, _("必填") if guide.required else _("选填"), guide.how, guide.example])
        sheet.cell(row=sheet.max_row, column=3).alignment = Alignment(wrap_text=True, vertical="top")
    for letter, width in zip("ABCD", (14, 10, 60, 22)):
        sheet.column_dimensions[letter].width = width
