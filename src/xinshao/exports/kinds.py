"""The registry of what can be exported.

A kind says who may ask for it (a scopes check), its title, and the tables it produces for one
user and one set of parameters. A table's rows are an iterator, so a whole city streams from the
database into the file without being held in memory:

    @export_kind("alerts", title=_("预警列表"), may=scopes.can_use_alert_inbox)
    def alert_tables(user, params):
        yield Table(title=..., columns=[...], rows=(row(a) for a in alerts.iterator()), count=alerts.count())

Any object with `title`, `columns` and `rows` (and optionally `count` and `student_ids`) is a
table: a dashboard's own table shape needs no conversion (`as_table`).
"""
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field


class ExportRefused(Exception):
    """The parameters name something this user may not export, or make no sense; the message says which."""


@dataclass
class Table:
    title: str
    columns: list[str]
    rows: Iterable[list]
    count: int | None = None             # rows expected, for the progress bar (None: unknown)
    # Student ids named in the rows, filled while the rows are read (None: the table names no student).
    student_ids: set[int] | None = None


def as_table(table) -> Table:
    """Any object with title, columns and rows (a dashboard's table) as an export Table."""
    if isinstance(table, Table):
        return table
    rows = table.rows
    count = getattr(table, "count", None)
    if count is None and hasattr(rows, "__len__"):
        count = len(rows)
    return Table(title=str(table.title), columns=[str(c) for c in table.columns], rows=rows,
                 count=count if isinstance(count, int) else None, student_ids=getattr(table, "student_ids", None))


def named_rows(items: Iterable, row: Callable[[object], list], student_ids: set[int],
               student_of: Callable[[object], int]) -> Iterator[list]:
    """The rows of a list of students' records, noting each student named as the row is made."""
    for item in items:
        student_ids.add(student_of(item))
        yield row(item)


@dataclass(frozen=True)
class ExportKind:
    name: str
    title: object                       # lazy text
    may: Callable[[object], bool]       # may this user ask for it at all (a scopes check)
    tables: Callable[[object, dict], Iterable] | None
    # Cleans the parameters for this user (ExportRefused when they name what the user may not see);
    # returns the parameters kept on the job.
    clean: Callable[[object, dict], dict] = field(default=lambda user, params: params)
    formats: tuple[str, ...] = ("xlsx", "pdf")
    # A title with the parameters in it (e.g. the campaign's name), for the job list.
    titled: Callable[[dict], str] | None = None
    # A kind with a printed form of its own (code sheets): render_pdf(user, params, progress) -> PdfMade;
    # progress(done, total) is called as it goes.
    render_pdf: Callable | None = None
    button: object = ""                 # the PDF button's words when the kind has its own (lazy text)

    def job_title(self, params: dict) -> str:
        return self.titled(params) if self.titled else str(self.title)


KINDS: dict[str, ExportKind] = {}


def number_of(value) -> int | None:
    """An id given in the parameters, or None when it is not one."""
    return int(value) if str(value or "").isdigit() else None


@dataclass(frozen=True)
class PdfMade:
    content: bytes
    rows: int
    student_ids: set[int]


def export_kind(name: str, *, title, may, clean=None, formats=("xlsx", "pdf"), titled=None, pdf_only=False,
                button=""):
    """Register `tables(user, params)` as the export kind `name` (with pdf_only, the function is
    the kind's own render_pdf(user, params, progress) -> PdfMade)."""
    def register(function):
        if name in KINDS:
            raise ValueError(f"export kind {name!r} is registered twice")
        KINDS[name] = ExportKind(name=name, title=title, may=may, tables=None if pdf_only else function,
                                 clean=clean or (lambda user, params: params),
                                 formats=("pdf",) if pdf_only else formats, titled=titled,
                                 render_pdf=function if pdf_only else None, button=button)
        return function
    return register


def kind_named(name: str) -> ExportKind | None:
    return KINDS.get(name)


def kinds_for(user) -> list[ExportKind]:
    return [kind for kind in KINDS.values() if kind.may(user)]
