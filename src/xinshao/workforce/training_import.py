"""Importing a training's attendance and completion records from Excel (or CSV), like a roster:
the file is read by the roster import's reader, every row is checked and every problem listed
with its row and column, and then either every row is applied or, on any problem, none.

One file is about one training. A row names a trainee by school code and name (a person in that
school's register), the hours attended, whether they completed, and optionally the certificate
number; a row for someone not yet enrolled enrols them (within the training's places).
"""
import io
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook

from xinshao.access import scopes
from xinshao.rosters.cells import CellProblem, cell_text, clean_person_name
from xinshao.rosters.columns import Column, ColumnGuide
from xinshao.rosters.problems import MESSAGES, Problem, RosterFileError
from xinshao.rosters.reading import Table, read_table
from xinshao.rosters.template_file import header_sheet, instructions_sheet
from xinshao.rosters.validation import RowChecker, header_places, repeated
from xinshao.workforce import services
from xinshao.workforce.models import Certificate, TrainingEnrolment, TrainingEvent

COLUMNS: tuple[Column, ...] = (
    Column("school_code", "学校代码", True, ("学校编码",)),
    Column("name", "姓名", True, ("教师姓名", "学员姓名"), max_length=50),
    Column("hours", "出勤学时", True, ("学时",)),
    Column("completed", "是否结业", True, ("结业",)),
    Column("number", "证书编号", False, ("证书号",), max_length=40),
)
_YES, _NO = {"是", "已结业", "结业", "Y", "y", "yes"}, {"否", "未结业", "N", "n", "no"}


class TrainingProblem(Problem):
    """A problem of a training records file: the roster's file problems, and these of its own."""

    messages = {**MESSAGES, **{
        "file_no_data": gettext_lazy("表头下面没有培训记录。"),
        "school_unknown": gettext_lazy("没有代码为“%(value)s”的学校（或您不能管理这所学校的教师队伍）。"),
        "staff_unknown": gettext_lazy("%(school)s 的教师队伍里没有在岗的“%(value)s”。请先在教师队伍中添加这位老师。"),
        "staff_ambiguous": gettext_lazy("%(school)s 有 %(count)s 位在岗老师叫“%(value)s”，无法确定是哪一位；请在页面上为她/他单独报名和记录。"),
        "hours_format": gettext_lazy("“%(value)s”不是学时数，请填数字，例如 24 或 22.5。"),
        "hours_range": gettext_lazy("出勤学时应在 0 到 %(hours)s（本次培训的学时）之间。"),
        "yes_no": gettext_lazy("请填“是”或“否”，不能是“%(value)s”。"),
        "duplicate_person": gettext_lazy("这位老师在第 %(rows)s 行也出现了；每人只能有一行。"),
        "hours_short": gettext_lazy("出勤 %(attended)s 学时，不足培训学时的八成（%(needed)s），不能结业。"),
        "already_completed": gettext_lazy("这位老师已经结业，不能改为未结业。"),
        "number_taken": gettext_lazy("证书编号“%(value)s”已被使用。"),
        "duplicate_number": gettext_lazy("证书编号“%(value)s”在第 %(rows)s 行也出现了；每个编号只能用一次。"),
        "over_capacity": gettext_lazy("这次培训有 %(capacity)s 个名额，已报名 %(enrolled)s 人，文件又要新报名 %(new)s 人，超出名额。"),
        "apply_failed": gettext_lazy("导入时数据已被其他人修改：%(reason)s 请重新上传。"),
    }}


@dataclass(frozen=True)
class TrainingRow:
    row: int
    staff_id: int
    hours: Decimal
    completed: bool
    number: str


@dataclass
class TrainingImport:
    """What an import did: nothing when it has problems."""

    problems: list[TrainingProblem] = field(default_factory=list)
    enrolled: int = 0
    completed: int = 0
    unchanged: int = 0
    rows: int = 0


def _hours(value, *, limit: Decimal) -> Decimal:
    try:
        hours = Decimal(cell_text(value).replace("，", "."))
    except InvalidOperation:
        raise CellProblem("hours_format", value=cell_text(value)) from None
    if not hours.is_finite() or not 0 <= hours <= limit:
        raise CellProblem("hours_range", hours=limit)
    return hours


def _yes_no(value) -> bool:
    text = cell_text(value)
    if text in _YES:
        return True
    if text in _NO:
        return False
    raise CellProblem("yes_no", value=text)


class _TrainingRowChecker(RowChecker):
    def __init__(self, *, places, event: TrainingEvent, staff_by_name: dict, school_names: dict,
                 enrolments: dict[int, TrainingEnrolment]):
        super().__init__(places=places, columns=COLUMNS)
        self.event, self.staff_by_name, self.school_names, self.enrolments = event, staff_by_name, school_names, \
            enrolments
        self.seen_people: dict[str, list[int]] = defaultdict(list)
        self.seen_numbers: dict[str, list[int]] = defaultdict(list)

    def check(self, number: int, values: list) -> TrainingRow | None:
        self.start(number, values)
        code = self._parse("school_code", self._school)
        name = self._parse("name", lambda value: clean_person_name(cell_text(value)))
        staff = self._person(code, name) if code and name else None
        hours = self._parse("hours", lambda value: _hours(value, limit=self.event.hours))
        completed = self._parse("completed", _yes_no)
        certificate_number = self._parse("number", cell_text, required=False) or ""
        if certificate_number and self.event.grants:
            self.seen_numbers[certificate_number].append(number)
            if Certificate.objects.filter(kind=self.event.grants, number=certificate_number).exists():
                self._report("number", "number_taken", value=certificate_number)
        enrolment = self.enrolments.get(staff.pk) if staff else None
        if enrolment is not None and enrolment.state == TrainingEnrolment.State.COMPLETED and completed is False:
            self._report("completed", "already_completed")
        needed = self.event.hours * services.COMPLETION_SHARE
        if completed and hours is not None and hours < needed and not (
                enrolment and enrolment.state == TrainingEnrolment.State.COMPLETED):
            self._report("hours", "hours_short", attended=hours, needed=needed.normalize())
        if self.failed:
            return None
        return TrainingRow(row=number, staff_id=staff.pk, hours=hours, completed=completed, number=certificate_number)

    def _school(self, value) -> str:
        code = cell_text(value).upper()
        if code not in self.school_names:
            raise CellProblem("school_unknown", value=cell_text(value))
        return code

    def _person(self, code: str, name: str):
        self.seen_people[f"{code}/{name}"].append(self.number)
        found = self.staff_by_name.get((code, name), [])
        if len(found) != 1:
            self._report("name", "staff_ambiguous" if found else "staff_unknown", value=name,
                         school=self.school_names[code], count=len(found))
            return None
        return found[0]


def _check(table: Table, *, event: TrainingEvent, actor) -> tuple[list[TrainingRow], list[Problem]]:
    places, problems = header_places(table, COLUMNS)
    if problems:
        return [], problems
    if not table.rows:
        return [], [Problem("file_no_data", row=table.header_row)]
    schools = scopes.workforce_schools_keepable_by(actor)
    staff_by_name = defaultdict(list)
    for staff in scopes.staff_keepable_by(actor).filter(is_active=True):
        staff_by_name[(staff.school.code.upper(), staff.name)].append(staff)
    enrolments = {enrolment.staff_id: enrolment for enrolment in event.enrolments.all()}
    checker = _TrainingRowChecker(places=places, event=event, staff_by_name=staff_by_name,
                                  school_names={school.code.upper(): school.name for school in schools},
                                  enrolments=enrolments)
    rows = [checked for number, values in table.rows if (checked := checker.check(number, values)) is not None]
    problems = checker.problems + repeated(checker.seen_people, places["name"], "duplicate_person", show_value=False)
    if "number" in places:
        problems += repeated(checker.seen_numbers, places["number"], "duplicate_number", show_value=True)
    new = sum(row.staff_id not in enrolments for row in rows)
    if not problems and len(enrolments) + new > event.capacity:
        problems.append(Problem("over_capacity", {"capacity": event.capacity, "enrolled": len(enrolments), "new": new}))
    return rows, problems


def training_records_import(*, actor, event: TrainingEvent, file_name: str, content: bytes, now=None,
                            request=None) -> TrainingImport:
    """Check the file and, when no row has a problem, apply every row; otherwise apply none."""
    if not scopes.can_manage_workforce(actor):
        raise ValidationError(_("您没有权限进行这项操作。"))
    now = now or timezone.now()
    try:
        table = read_table(file_name, content, columns=COLUMNS)
    except RosterFileError as error:
        return TrainingImport(problems=[TrainingProblem(**error.problem.as_json())])
    outcome = TrainingImport(rows=len(table.rows))
    with transaction.atomic():
        event = TrainingEvent.objects.select_for_update(of=("self",)).select_related("grants").get(pk=event.pk)
        rows, problems = _check(table, event=event, actor=actor)
        if problems:
            outcome.problems = sorted((TrainingProblem(**p.as_json()) for p in problems), key=Problem.sort_key)
            return outcome
        try:
            with transaction.atomic():
                _apply(rows, event=event, actor=actor, now=now, request=request, outcome=outcome)
                services.event_record(kind="training_import", actor=actor, now=now, request=request, training=event,
                                      file_name=file_name[:255], rows=outcome.rows, enrolled=outcome.enrolled,
                                      completed=outcome.completed)
        except ValidationError as error:
            outcome = TrainingImport(rows=outcome.rows, problems=[TrainingProblem(
                "apply_failed", {"reason": " ".join(error.messages)})])
    return outcome


def _apply(rows: list[TrainingRow], *, event: TrainingEvent, actor, now, request, outcome: TrainingImport) -> None:
    enrolments = {enrolment.staff_id: enrolment for enrolment in event.enrolments.select_related("staff__school")}
    completed_on = min(event.ends_on, timezone.localdate(now))
    staff = {member.pk: member for member in scopes.staff_keepable_by(actor).filter(
        pk__in=[row.staff_id for row in rows])}
    for row in rows:
        enrolment = enrolments.get(row.staff_id)
        if enrolment is None:
            enrolment = services.enrol_locked(event=event, staff=staff[row.staff_id], actor=actor, now=now,
                                              request=request)
            outcome.enrolled += 1
        elif enrolment.state == TrainingEnrolment.State.COMPLETED or (
                enrolment.attended_hours == row.hours and not row.completed):
            outcome.unchanged += 1  # the same file imported again changes nothing
            continue
        services.attendance_set(enrolment, row.hours, actor=actor, now=now, request=request)
        if row.completed:
            services.enrolment_complete(enrolment, completed_on=completed_on, number=row.number, actor=actor, now=now,
                                        request=request)
            outcome.completed += 1


_GUIDE = {
    "school_code": (gettext_lazy("学校代码，与平台上的学校代码相同，如 S001。"), "S001"),
    "name": (gettext_lazy("老师的姓名，须与本校教师队伍中的姓名一致。"), "王芳"),
    "hours": (gettext_lazy("实际出勤的学时数，0 到本次培训的学时。"), "24"),
    "completed": (gettext_lazy("是 或 否。结业须出勤满培训学时的八成；结业后自动发放本次培训的证书。"), "是"),
    "number": (gettext_lazy("选填。证书编号；不填时系统自动编号。"), "MZC2026-0001"),
}


def column_guide() -> list[ColumnGuide]:
    return [ColumnGuide(column.header, column.required, str(_GUIDE[column.key][0]), _GUIDE[column.key][1])
            for column in COLUMNS]


def training_template(*, event: TrainingEvent) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("培训记录")
    header_sheet(sheet, COLUMNS, text_keys={"school_code", "number"}, choices={"completed": ["是", "否"]})
    instructions_sheet(workbook.create_sheet(_("填写说明")), title=_("%(name)s 培训记录：填写说明") % {
        "name": event.name}, lines=(
        _("在“培训记录”表里一行填一位老师，第一行的列名不要改；列的顺序可以调整，多出的列会被忽略。"),
        _("只要有一行有错，整个文件都不会导入；系统会列出每个错误所在的行和列，改好后再上传即可。"),
        _("还没有报名的老师会自动报名（在名额以内）；已结业的老师再次导入不会重复发证。"),
    ), guides=column_guide())
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
