"""The columns of a roster file: their header names as schools write them, and which are required."""
import re
from dataclasses import dataclass

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from xinshao.org.grades import level_name


@dataclass(frozen=True)
class Column:
    key: str
    header: str  # the name in the template's header row
    required: bool
    aliases: tuple[str, ...] = ()
    # Longest text the database keeps; None where the value's format already bounds it.
    max_length: int | None = None


COLUMNS: tuple[Column, ...] = (
    Column("student_number", "学号", True, max_length=30),
    Column("name", "姓名", True, ("学生姓名",), max_length=50),
    Column("gender", "性别", True),
    Column("birth_date", "出生日期", True),
    Column("grade", "年级", True),
    Column("class_name", "班级", True, max_length=30),
    Column("guardian_name", "监护人姓名", True, ("家长姓名",), max_length=50),
    Column("guardian_phone", "监护人电话", True, ("家长电话", "监护人手机", "家长手机", "联系电话")),
    Column("national_id", "身份证号", False, ("身份证号码", "公民身份号码", "身份证")),
)

# Stray spaces (also the ideographic space) and a required-field star are common in headers.
_HEADER_NOISE = re.compile(r"[\s\u3000*＊]+")


def header_lookup(columns: tuple[Column, ...]):
    """The function naming the column of `columns` a header cell names (None for a column the import
    ignores): other imports of Excel files (workforce's training records) define their own columns."""
    by_name = {name: column for column in columns for name in (column.header, *column.aliases)}

    def column_for(raw) -> Column | None:
        if raw is None:
            return None
        return by_name.get(_HEADER_NOISE.sub("", str(raw)))
    return column_for


column_for_header = header_lookup(COLUMNS)


# How to fill each column and an example, for the template's instructions sheet and the page.
_GUIDE = {
    "student_number": (_("本校内唯一。再次导入同一学号时，更新这名学生的信息。"), "A2026001"),
    "name": (_("学生姓名。"), "陈小雨"),
    "gender": (_("男 或 女。"), "女"),
    "birth_date": (_("年-月-日，如 2013-05-02；也可以写 2013/5/2，或用 Excel 的日期格式。年龄应在 5 到 25 岁之间。"),
                   "2013-05-02"),
    "grade": (_("本校开设的年级：%(grades)s。"), None),
    "class_name": (_("如 1班；写 1、(1)班 或 初一(1)班 也可以。文件里出现的新班级会自动建立。"), "1班"),
    "guardian_name": (_("一位监护人的姓名。"), "陈建国"),
    "guardian_phone": (_("11 位手机号，或带区号的固定电话，如 0571-87654321。"), "13800138000"),
    "national_id": (_("选填。18 位，最后一位可以是 X，须与出生日期和性别一致。留空不会删除已有的身份证号。"),
                    "330102201305020025"),
}


@dataclass(frozen=True)
class ColumnGuide:
    header: str
    required: bool
    how: str
    example: str


def column_guide(levels: tuple[str, ...]) -> list[ColumnGuide]:
    """Every column with how to fill it for a school teaching these grade levels."""
    grades = [level_name(level) for level in levels]
    rows = []
    for column in COLUMNS:
        how, example = _GUIDE[column.key]
        if column.key == "grade":
            how, example = how % {"grades": gettext("、").join(grades)}, grades[0]
        rows.append(ColumnGuide(column.header, column.required, str(how), example))
    return rows
