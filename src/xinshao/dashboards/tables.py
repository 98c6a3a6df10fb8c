"""Dashboard figures as plain tables: what a page prints, a chart draws and an export writes.

Counts go through `count_grids`, which hides small cells for aggregate-only readers with
core/suppression.py; tables that split the same students share their totals, so their cells are
suppressed together (one table's total must not fill in another's hidden cell).
"""
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from xinshao.core.suppression import HIDDEN, shown, suppress

TOTAL = "total"


@dataclass(frozen=True)
class Table:
    title: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    note: str = ""


@dataclass
class Grid:
    """Counts of `row_labels` × `columns`; `row_sums` adds a total column (the columns split the row)."""

    title: str
    row_labels: Sequence[str]
    columns: Sequence[str]
    counts: dict = field(default_factory=dict)  # (row index, column index) -> count
    row_sums: bool = True


def legend(hidden: bool) -> str:
    if not hidden:
        return ""
    return str(_("%(mark)s：人数少于 %(minimum)s，或为防止由合计推算出小格而隐藏。")
               % {"mark": HIDDEN, "minimum": settings.DASHBOARD_MIN_CELL})


def count_grids(grids: Sequence[Grid], *, suppressed: bool, linked: bool = False) -> list[Table]:
    """Each grid as a table with a total row (and total column); `linked` grids have the same column
    totals (they split the same students), so a reader can carry totals between them."""
    values, sums = {}, []
    for g, grid in enumerate(grids):
        columns = range(len(grid.columns))
        for r in range(len(grid.row_labels)):
            for c in columns:
                values[(g, r, c)] = grid.counts.get((r, c), 0)
            if grid.row_sums:
                values[(g, r, TOTAL)] = sum(values[(g, r, c)] for c in columns)
                sums.append(((g, r, TOTAL), [(g, r, c) for c in columns]))
        for c in [*columns, *([TOTAL] if grid.row_sums else [])]:
            values[(g, TOTAL, c)] = sum(values[(g, r, c)] for r in range(len(grid.row_labels)))
            sums.append(((g, TOTAL, c), [(g, r, c) for r in range(len(grid.row_labels))]))
        if grid.row_sums:
            sums.append(((g, TOTAL, TOTAL), [(g, TOTAL, c) for c in columns]))
        if linked and g:
            sums += [((0, TOTAL, c), [(g, TOTAL, c)]) for c in [*columns, *([TOTAL] if grid.row_sums else [])]]
    hidden = suppress(values, sums, small_cell=settings.DASHBOARD_MIN_CELL) if suppressed else set()
    printed = shown(values, hidden)
    tables = []
    for g, grid in enumerate(grids):
        keys = [*range(len(grid.columns)), *([TOTAL] if grid.row_sums else [])]
        rows = [(str(label), *(printed[(g, r, c)] for c in keys)) for r, label in enumerate(grid.row_labels)]
        rows.append((str(_("合计")), *(printed[(g, TOTAL, c)] for c in keys)))
        columns = (str(_("分组")), *map(str, grid.columns), *([str(_("合计"))] if grid.row_sums else []))
        tables.append(Table(title=str(grid.title), columns=columns, rows=tuple(rows), note=legend(any(key[0] == g for key in hidden))))
    return tables


def percent(part: str, whole: str) -> str:
    """A rate from two printed counts: hidden when either is, blank when there is nothing to divide."""
    if HIDDEN in (part, whole):
        return HIDDEN
    if not int(whole):
        return "—"
    return f"{int(part) * 100 / int(whole):.1f}%"


def with_rates(table: Table, rates: Sequence[tuple[str, int, int]]) -> Table:
    """`table` with a rate column per (title, part column, whole column) index."""
    rows = tuple((*row, *(percent(row[part], row[whole]) for _title, part, whole in rates)) for row in table.rows)
    return Table(title=table.title, columns=(*table.columns, *(str(title) for title, _p, _w in rates)), rows=rows,
                 note=table.note)
