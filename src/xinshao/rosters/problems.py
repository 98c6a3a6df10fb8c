"""What can be wrong with a roster file, and how each problem reads in the user's language.

A problem is stored as a code with its parameters (in ImportRun.errors), not as text, so
a report reads in the language of whoever opens it.
"""
from dataclasses import asdict, dataclass, field
from typing import ClassVar

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

MESSAGES = {
    # The file as a whole.
    "file_empty": gettext_lazy("文件是空的。"),
    "file_type": gettext_lazy("只能导入 Excel 工作簿（.xlsx）或 CSV 文件，“%(name)s”不是这两种文件。"),
    "file_xls": gettext_lazy("这是旧版 Excel（.xls）格式的文件。请在 Excel 中“另存为”Excel 工作簿（.xlsx）后再上传。"),
    "file_pdf": gettext_lazy("这是 PDF 文档，不是名册表格。请上传 Excel 工作簿（.xlsx）或 CSV 文件。"),
    "file_content": gettext_lazy("文件内容既不是 Excel 工作簿，也不是 CSV 文本（可能是改了扩展名的其他文件）。"),
    "file_corrupt": gettext_lazy("文件已损坏，无法打开。请在 Excel 中重新保存后再上传。"),
    "file_encoding": gettext_lazy("无法识别 CSV 文件的文字编码。请保存为 UTF-8 或 GBK 编码。"),
    "file_too_many_rows": gettext_lazy("文件超过 %(limit)s 行，请分成几个文件导入。"),
    "file_no_header": gettext_lazy("找不到表头行。表头应在第一行，列名包括：%(columns)s。"),
    "file_missing_columns": gettext_lazy("缺少必需的列：%(columns)s。"),
    "file_duplicate_column": gettext_lazy("表头“%(column)s”出现了不止一次（%(letters)s 列）。"),
    "file_no_data": gettext_lazy("表头下面没有学生数据。"),
    # One cell.
    "required": gettext_lazy("必填，不能为空。"),
    "too_long": gettext_lazy("内容太长：最多 %(limit)s 个字，这里有 %(length)s 个。"),
    "duplicate_number": gettext_lazy("学号“%(value)s”在第 %(rows)s 行也出现了；每个学号只能出现一次。"),
    "duplicate_id": gettext_lazy("这个身份证号在第 %(rows)s 行也出现了。"),
    "gender": gettext_lazy("性别应填“男”或“女”，不能是“%(value)s”。"),
    "date_format": gettext_lazy("“%(value)s”不是日期，请写成 年-月-日，例如 2013-05-02。"),
    "date_impossible": gettext_lazy("没有“%(value)s”这一天。"),
    "date_future": gettext_lazy("出生日期 %(value)s 在今天之后。"),
    "age_range": gettext_lazy("按出生日期 %(value)s，学生现在 %(age)s 岁；在校学生应在 5 到 25 岁之间。"),
    "grade_unknown": gettext_lazy("“%(value)s”不是年级名称，请写成 一年级…九年级、初一…初三、高一…高三 或 职一…职三。"),
    "grade_not_taught": gettext_lazy("本校没有“%(value)s”这个年级；本校的年级是：%(allowed)s。"),
    "phone": gettext_lazy(
        "“%(value)s”不是有效的电话号码：手机号为 11 位、以 13 到 19 开头；固定电话要带区号，例如 0571-87654321。"
    ),
    "id_as_number": gettext_lazy(
        "身份证号被 Excel 存成了数字，最后几位已经丢失。请把这一列设为“文本”格式，再重新输入身份证号。"
    ),
    "id_length": gettext_lazy("身份证号应为 18 位，这里是 %(length)s 位。"),
    "id_format": gettext_lazy("身份证号应为 17 位数字加最后 1 位数字或 X。"),
    "id_birth_date": gettext_lazy("身份证号中的出生日期（第 7–14 位）不是有效日期。"),
    "id_checksum": gettext_lazy("身份证号的校验位（最后一位）不对，请核对是否有数字抄错。"),
    "id_birth_mismatch": gettext_lazy("身份证号中的出生日期是 %(id_date)s，与出生日期列的 %(row_date)s 不一致。"),
    "id_gender_male": gettext_lazy("身份证号第 17 位是奇数（男性），但性别填的是“女”。"),
    "id_gender_female": gettext_lazy("身份证号第 17 位是偶数（女性），但性别填的是“男”。"),
}


@dataclass(frozen=True)
class Problem:
    """One mistake: where it is (row and column as Excel shows them) and what it is.

    row is None for a problem with the whole file; column is the header as the file
    writes it and letter its column letter (A, B, ... AA).
    """

    code: str
    params: dict = field(default_factory=dict)
    row: int | None = None
    column: str = ""
    letter: str = ""
    # What each code says; an import with problems of its own (workforce's) subclasses with more.
    messages: ClassVar[dict] = MESSAGES

    def message(self) -> str:
        separator = _("、")
        params = {key: separator.join(map(str, value)) if isinstance(value, list) else value
                  for key, value in self.params.items()}
        return str(self.messages[self.code]) % params if params else str(self.messages[self.code])

    def location(self) -> str:
        if self.row is None:
            return _("文件")
        if not self.letter:
            return _("第 %(row)s 行") % {"row": self.row}
        return _("第 %(row)s 行 %(letter)s 列（%(column)s）") % {
            "row": self.row, "letter": self.letter, "column": self.column,
        }

    def line(self) -> str:
        """One line of text naming the place and the mistake, as the command prints it."""
        return _("%(location)s：%(message)s") % {"location": self.location(), "message": self.message()}

    def sort_key(self) -> tuple:
        return (self.row or 0, len(self.letter), self.letter, self.code)

    def as_json(self) -> dict:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict) -> "Problem":
        return cls(**data)


class RosterFileError(Exception):
    """The file cannot be read as a roster at all; nothing in it is checked further."""

    def __init__(self, code: str, row: int | None = None, **params):
        super().__init__(code)
        self.problem = Problem(code=code, params=params, row=row)
