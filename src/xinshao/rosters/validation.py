"""Checking every row of a roster table, and listing every problem found with its place.

Nothing stops at the first mistake: a school fixes the whole file in one go.
"""
import datetime
from collections import defaultdict
from dataclasses import dataclass

from openpyxl.utils import get_column_letter

from xinshao.rosters import cells
from xinshao.rosters.cells import CellProblem
from xinshao.rosters.columns import COLUMNS, Column, header_lookup
from xinshao.rosters.problems import Problem
from xinshao.rosters.reading import Table


@dataclass(frozen=True)
class RosterRow:
    """One checked row: clean values ready to compare with the database."""

    row: int
    student_number: str
    name: str
    gender: str
    birth_date: datetime.date
    level: str
    class_name: str
    guardian_name: str
    guardian_phone: str
    national_id: str  # "" when the file gives none


@dataclass
class CheckedRoster:
    rows: list[RosterRow]
    problems: list[Problem]


@dataclass(frozen=True)
class Place:
    """Where a column is in the file: its index and its header as the file writes it."""

    index: int
    header: str

    @property
    def letter(self) -> str:
        return get_column_letter(self.index + 1)


def check_roster(table: Table, *, levels: tuple[str, ...], today: datetime.date) -> CheckedRoster:
    """Every row of the table checked against the school's grades; all problems, sorted by place."""
    places, problems = header_places(table, COLUMNS)
    if problems:
        return CheckedRoster(rows=[], problems=problems)
    if not table.rows:
        return CheckedRoster(rows=[], problems=[Problem("file_no_data", row=table.header_row)])
    checker = _RosterRowChecker(places=places, levels=levels, today=today)
    rows = [checked for number, values in table.rows if (checked := checker.check(number, values)) is not None]
    problems = checker.problems + repeated(checker.seen_numbers, places["student_number"], "duplicate_number",
                                           show_value=True)
    # An identity number is never echoed back: reports are kept and shown to other staff.
    problems += repeated(checker.seen_ids, places.get("national_id"), "duplicate_id", show_value=False)
    return CheckedRoster(rows=rows if not problems else [], problems=sorted(problems, key=Problem.sort_key))


def header_places(table: Table, columns: tuple[Column, ...]) -> tuple[dict[str, Place], list[Problem]]:
    """Where each of `columns` is in the table's header, and the problems of a column missing or repeated."""
    column_for_header, by_key = header_lookup(columns), {column.key: column for column in columns}
    found: dict[str, list[Place]] = defaultdict(list)
    for index, value in enumerate(table.header):
        column = column_for_header(value)
        if column is not None:
            found[column.key].append(Place(index, cells.cell_text(value)))
    problems = [
        Problem("file_duplicate_column", {"column": by_key[key].header, "letters": [p.letter for p in places]},
                row=table.header_row)
        for key, places in found.items() if len(places) > 1
    ]
    missing = [column.header for column in columns if column.required and column.key not in found]
    if missing:
        problems.append(Problem("file_missing_columns", {"columns": missing}, row=table.header_row))
    return {key: places[0] for key, places in found.items()}, problems


class RowChecker:
    """Reads the cells of one row after another, collecting every problem with its place;
    a subclass's `check(number, values)` parses one row with `_parse`."""

    def __init__(self, *, places: dict[str, Place], columns: tuple[Column, ...]):
        self.places, self.columns = places, {column.key: column for column in columns}
        self.problems: list[Problem] = []

    def start(self, number: int, values: list) -> None:
        self.number, self.values, self.failed = number, values, False

    def _raw(self, key: str):
        place = self.places.get(key)
        return self.values[place.index] if place is not None and place.index < len(self.values) else None

    def _report(self, key: str, code: str, **params) -> None:
        place = self.places[key]
        self.problems.append(Problem(code, params, row=self.number, column=place.header, letter=place.letter))
        self.failed = True

    def _parse(self, key: str, parse, *, required: bool = True):
        """The clean value of one cell, or None after reporting why it is missing or wrong."""
        raw = self._raw(key)
        if cells.cell_text(raw) == "":
            if required:
                self._report(key, "required")
            return None
        try:
            value = parse(raw)
        except CellProblem as problem:
            self._report(key, problem.code, **problem.params)
            return None
        limit = self.columns[key].max_length
        if limit is not None and len(value) > limit:
            self._report(key, "too_long", limit=limit, length=len(value))
            return None
        return value


class _RosterRowChecker(RowChecker):
    def __init__(self, *, places: dict[str, Place], levels: tuple[str, ...], today: datetime.date):
        super().__init__(places=places, columns=COLUMNS)
        self.levels, self.today = levels, today
        self.seen_numbers: dict[str, list[int]] = defaultdict(list)
        self.seen_ids: dict[str, list[int]] = defaultdict(list)

    def check(self, number: int, values: list) -> RosterRow | None:
        self.start(number, values)
        text = cells.cell_text
        student_number = self._parse("student_number", text)
        gender = self._parse("gender", lambda value: cells.parse_gender(text(value)))
        birth_date = self._parse("birth_date", lambda value: cells.parse_birth_date(value, today=self.today))
        grade_text = text(self._raw("grade"))
        fields = {
            "name": self._parse("name", lambda value: cells.clean_person_name(text(value))),
            "level": self._parse("grade", lambda value: cells.parse_grade(text(value), levels=self.levels)),
            "class_name": self._parse("class_name", lambda value: cells.normalise_class_name(
                text(value), grade_text=grade_text)),
            "guardian_name": self._parse("guardian_name", lambda value: cells.clean_person_name(text(value))),
            "guardian_phone": self._parse("guardian_phone", lambda value: cells.parse_phone(text(value))),
            "national_id": self._parse("national_id", lambda value: cells.parse_national_id(
                value, birth_date=birth_date, gender=gender), required=False) or "",
        }
        if student_number:
            self.seen_numbers[student_number].append(number)
        if fields["national_id"]:
            self.seen_ids[fields["national_id"]].append(number)
        if self.failed:
            return None
        return RosterRow(row=number, student_number=student_number, gender=gender, birth_date=birth_date, **fields)


def repeated(seen: dict[str, list[int]], place: Place | None, code: str, *, show_value: bool) -> list[Problem]:
    """For each value found on several rows, one problem on each of those rows naming the others."""
    problems = []
    for value, rows in seen.items():
        for row in rows if len(rows) > 1 else ():
            params = {"rows": [other for other in rows if other != row]}
            if show_value:
                params["value"] = value
            problems.append(Problem(code, params, row=row, column=place.header, letter=place.letter))
    return problems
