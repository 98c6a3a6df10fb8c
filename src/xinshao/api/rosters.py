"""Roster sync: a school's student information system sends its students, keyed by student number.

The rows go through the roster import itself (rosters.services.roster_import), written out as the
CSV a school would upload: the same checks (names, dates, grades the school teaches, phone numbers,
the identity number's checksum in people/identity.py, repeated numbers), the same all-or-nothing
write, the same ImportRun and one audit entry per student created or changed. Any bad row: nothing
is written and every problem comes back, each named by row index and field.
"""
import csv
import io
import typing

from django.utils.translation import gettext as _
from ninja import Field, Router, Schema

from xinshao.access import scopes
from xinshao.access.routes import EVERYONE, SCHOOL_ADMIN
from xinshao.api.errors import ApiError
from xinshao.api.operations import PathId, one_of, operation, require
from xinshao.org.grades import LEVELS, level_name
from xinshao.rosters.columns import COLUMNS
from xinshao.rosters.models import ImportRun
from xinshao.rosters.problems import Problem
from xinshao.rosters.reading import MAX_ROWS
from xinshao.rosters.services import roster_import

router = Router(tags=["学校与学生"])
_GENDER_WORDS = {"M": "男", "F": "女"}
_KEY_OF_HEADER = {column.header: column.key for column in COLUMNS}
# The CSV's header row is its row 1: the first student is row 2.
_FIRST_ROW = 2


def _text(limit: int, description: str, *, required: bool = True):
    return Field(... if required else "", min_length=1 if required else 0, max_length=limit, description=description)


class RosterRowIn(Schema):
    student_number: str = _text(30, "学号：在学校内唯一，用它找到已有的学生（有则更新，无则新增）。")
    name: str = _text(50, "姓名。")
    gender: typing.Literal["M", "F"] = Field(description="性别：M 男，F 女。")
    birth_date: str = _text(20, "出生日期，如 2013-05-01（年龄须在 5 到 25 岁之间）。")
    grade: typing.Literal[tuple(LEVELS)] = Field(description="年级代码，如 J1（初一）；须是本校开设的年级。")
    class_name: str = _text(30, "班级，如 3班 或 (3)班；没有的班级会新建。")
    guardian_name: str = _text(50, "监护人姓名。")
    guardian_phone: str = _text(20, "监护人手机号。")
    national_id: str = _text(18, "身份证号（可不填；填写时校验位须正确）。", required=False)


class RosterIn(Schema):
    students: list[RosterRowIn] = Field(min_length=1, max_length=MAX_ROWS,
                                        description=f"学生，每条一人，最多 {MAX_ROWS} 条。")
    dry_run: bool = Field(False, description="true：只检查，不写入。")


class RosterOut(Schema):
    import_run_id: int = Field(description="这次导入的记录编号（与网页导入的记录在一起）。")
    outcome: str = Field(description="imported（已写入）或 checked（只检查，未写入）。")
    created: int = Field(description="新增的学生数。")
    updated: int = Field(description="有变化而更新的学生数。")
    unchanged: int = Field(description="没有变化的学生数。")
    new_classes: list[str] = Field(description="新建的班级。")


def _as_csv(rows: list[RosterRowIn]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([column.header for column in COLUMNS])
    for row in rows:
        values = {**row.model_dump(), "gender": _GENDER_WORDS[row.gender], "grade": level_name(row.grade)}
        writer.writerow([values[column.key] for column in COLUMNS])
    return out.getvalue().encode()


def _field_of(problem) -> str:
    if problem.row is None:
        return "body.students"
    place = f"body.students.{problem.row - _FIRST_ROW}"
    return f"{place}.{_KEY_OF_HEADER[problem.column]}" if problem.column in _KEY_OF_HEADER else place


def _rejection(run: ImportRun) -> ApiError:
    problems = [Problem.from_json(data) for data in run.errors]
    lines = [f"{_field_of(problem)}: {problem.message()}" for problem in problems]
    return ApiError(422, "roster_rejected", _("没有写入任何学生，请改正后重新发送：") + _("；").join(lines),
                    sorted({_field_of(problem) for problem in problems}))


@operation(router, "POST", "/schools/{school_id}/roster", response={200: RosterOut},
           allow=SCHOOL_ADMIN.of_school, forbidden=EVERYONE - SCHOOL_ADMIN)
def roster_upsert(request, school_id: PathId, roster: RosterIn):
    """Create or update a school's students by student number, all or nothing (the school's admin; a write token)."""
    require(scopes.schools_with_roster_rights(request.user).exists())
    school = one_of(scopes.schools_with_roster_rights(request.user), school_id)
    run = roster_import(school=school, file_name="api-roster.csv", content=_as_csv(roster.students),
                        actor=request.user, source=ImportRun.Source.WEB, dry_run=roster.dry_run, request=request)
    if run.outcome == ImportRun.Outcome.REJECTED:
        raise _rejection(run)
    return {"import_run_id": run.pk, "outcome": run.outcome, "created": run.created_count,
            "updated": run.updated_count, "unchanged": run.unchanged_count, "new_classes": run.new_classes}
