"""Small-cell suppression that arithmetic cannot undo. Plain Python, no Django.

A count below SMALL_CELL (but not zero) could single a child out, so it is hidden (primary
suppression). Hiding it alone is not enough: a row 对象 41, 已提交 ?, 答题中 0, 未开始 39 gives the
hidden 2 back by subtraction. So other cells are hidden too (secondary suppression) until no hidden
cell is determined by the shown cells through the table's sums, rows and column totals alike,
across every table that shares them. "Determined" is exact linear algebra: a hidden cell is given
away when some combination of the sum equations involves it and no other hidden cell.

Every hidden cell is shown with the same mark, so a reader cannot tell the small ones from the
ones hidden to protect them.
"""
from collections import defaultdict
from collections.abc import Hashable, Iterable, Mapping, Sequence

SMALL_CELL = 5
HIDDEN = "*"

# Elimination runs modulo a large prime: the equations have coefficients ±1, so a determined cell
# found here is determined over the rationals too, without the cost of fractions.
_PRIME = (1 << 61) - 1

Cell = Hashable
Sum = tuple[Cell, Sequence[Cell]]  # (total, parts): the total equals the sum of the parts


def is_small(count: int, small_cell: int = SMALL_CELL) -> bool:
    return 0 < count < small_cell


def suppress(values: Mapping[Cell, int], sums: Iterable[Sum], known: Iterable[Cell] = (),
             small_cell: int = SMALL_CELL) -> set[Cell]:
    """The cells to hide.

    `values` are all cells shown to the reader; `sums` every equation a reader can use among them;
    `known` the cells the reader may see anyway (their own students), never hidden and treated as
    known by the attacker; `small_cell` the first count shown (a setting may raise it above SMALL_CELL).
    """
    known = set(known)
    equations = [(total, tuple(parts)) for total, parts in sums]
    equations_of: dict[Cell, list[int]] = defaultdict(list)
    for index, (total, parts) in enumerate(equations):
        for cell in {total, *parts}:
            equations_of[cell].append(index)
    hidden = {cell for cell, count in values.items() if is_small(count, small_cell) and cell not in known}
    unprotectable: set[Cell] = set()
    while True:
        _peel(hidden, known, values, equations, equations_of, unprotectable)
        # The exact check is the costly step: protect every cell it exposes before running it again.
        exposed = sorted(determined(hidden, equations, equations_of) - unprotectable, key=repr)
        if not exposed:
            return hidden
        for cell in exposed:
            _protect(cell, hidden, known, values, equations, equations_of, unprotectable)


def _peel(hidden, known, values, equations, equations_of, unprotectable) -> None:
    """Cheap first: no equation may be left with exactly one hidden cell (plain subtraction)."""
    pending = {index for cell in hidden for index in equations_of[cell]}
    while pending:
        index = pending.pop()
        total, parts = equations[index]
        alone = [cell for cell in {total, *parts} if cell in hidden]
        if len(alone) == 1 and alone[0] not in unprotectable:
            added = _protect(alone[0], hidden, known, values, equations, equations_of, unprotectable)
            if added is not None:
                pending.update(equations_of[added])
                pending.add(index)  # the partner may have come from another of the cell's equations


def _protect(cell, hidden, known, values, equations, equations_of, unprotectable):
    partner = _partner(cell, hidden, known, values, equations, equations_of)
    if partner is None:
        # Every cell its equations reach is hidden or the reader's own: nothing left to hide.
        unprotectable.add(cell)
    else:
        hidden.add(partner)
    return partner


def _partner(cell, hidden, known, values, equations, equations_of):
    """A shown cell to hide with `cell`, from the nearest equations that still have one: those of
    the cell itself first, then those reached through other hidden cells. Among them, from the
    equation with the fewest hidden cells, the smallest count above zero (hiding a zero protects
    least), rather a part than the total."""
    seen_cells, seen_equations, frontier = {cell}, set(), [cell]
    while frontier:
        best, reached = None, []
        for index in sorted({i for c in frontier for i in equations_of[c]} - seen_equations):
            seen_equations.add(index)
            total, parts = equations[index]
            members = [total, *parts]
            load = sum(member in hidden for member in members)
            for member in members:
                if member in hidden and member not in seen_cells:
                    seen_cells.add(member)
                    reached.append(member)
                if member in hidden or member in known:
                    continue
                rank = (load, values[member] == 0, member == total, values[member], repr(member))
                if best is None or rank < best[0]:
                    best = (rank, member)
        if best is not None:
            return best[1]
        frontier = reached
    return None


def determined(hidden: set[Cell], equations: Sequence[Sum], equations_of=None) -> set[Cell]:
    """The hidden cells a reader can compute from the shown ones and the equations."""
    if equations_of is None:
        equations_of = defaultdict(list)
        for index, (total, parts) in enumerate(equations):
            for cell in {total, *parts}:
                equations_of[cell].append(index)
    touched = sorted({index for cell in hidden for index in equations_of.get(cell, ())})
    found: set[Cell] = set()
    for component in _components(touched, hidden, equations):
        found |= _determined_in(component)
    return found


def _row(equation: Sum, hidden: set[Cell]) -> dict:
    """The equation over the hidden cells only (shown values move to the other side)."""
    total, parts = equation
    row: dict = defaultdict(int)
    if total in hidden:
        row[total] += 1
    for part in parts:
        if part in hidden:
            row[part] -= 1
    return {cell: coef % _PRIME for cell, coef in row.items() if coef % _PRIME}


def _components(indices: list[int], hidden: set[Cell], equations) -> list[list[int]]:
    """Equations grouped by the hidden cells they share: each group can be solved on its own."""
    parent: dict = {}

    def root(cell):
        while parent.setdefault(cell, cell) != cell:
            parent[cell] = parent[parent[cell]]
            cell = parent[cell]
        return cell

    rows = {}
    for index in indices:
        rows[index] = _row(equations[index], hidden)
        cells = list(rows[index])
        for other in cells[1:]:
            parent[root(other)] = root(cells[0])
    groups: dict = defaultdict(list)
    for index, row in rows.items():
        if row:
            groups[root(next(iter(row)))].append(row)
    return list(groups.values())


def _determined_in(rows: list[dict]) -> set[Cell]:
    """Reduced row echelon form of the rows; a row left with one cell gives that cell away."""
    pivots: dict = {}  # pivot cell -> its row, every row reduced against every other pivot
    for row in rows:
        row = dict(row)
        for cell in [c for c in row if c in pivots]:
            _subtract(row, pivots[cell], row.get(cell, 0))
        if not row:
            continue
        pivot = min(row, key=repr)
        inverse = pow(row[pivot], _PRIME - 2, _PRIME)
        row = {cell: coef * inverse % _PRIME for cell, coef in row.items()}
        for other in pivots.values():
            if pivot in other:
                _subtract(other, row, other[pivot])
        pivots[pivot] = row
    return {pivot for pivot, row in pivots.items() if len(row) == 1}


def _subtract(row: dict, pivot_row: dict, factor: int) -> None:
    """row -= factor * pivot_row, in place, dropping cells that reach zero."""
    if not factor:
        return
    for cell, coef in pivot_row.items():
        value = (row.get(cell, 0) - factor * coef) % _PRIME
        if value:
            row[cell] = value
        else:
            row.pop(cell, None)


def shown(values: Mapping[Cell, int], hidden: set[Cell]) -> dict[Cell, str]:
    """Each cell as printed: its count, or the one mark for every hidden cell."""
    return {cell: HIDDEN if cell in hidden else str(count) for cell, count in values.items()}
