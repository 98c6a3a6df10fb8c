"""Secondary suppression: an attacker who knows every shown cell and every sum the page implies
must not get a hidden cell back, neither by peeling one equation at a time nor by combining them."""
from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from xinshao.core.suppression import HIDDEN, SMALL_CELL, determined, is_small, shown, suppress

STATUSES = ("refused", "not_started", "in_progress", "submitted")


def progress_table(classes_per_grade: list[list[list[int]]]):
    """A progress page as the module sees it: schools → grades → classes, each row targeted = sum of
    its statuses, each parent row the sum of its children, and grade levels summed across schools."""
    values, sums = {}, []

    def add_row(row, statuses: list[int] | None = None, children=()):
        if statuses is not None:
            values.update({(row, name): count for name, count in zip(STATUSES, statuses)})
        else:
            for name in STATUSES:
                values[(row, name)] = sum(values[(child, name)] for child in children)
                sums.append(((row, name), [(child, name) for child in children]))
        values[(row, "targeted")] = sum(values[(row, name)] for name in STATUSES)
        sums.append(((row, "targeted"), [(row, name) for name in STATUSES]))
        if statuses is None:
            sums.append(((row, "targeted"), [(child, "targeted") for child in children]))

    schools, levels = [], {}
    for s, grades in enumerate(classes_per_grade):
        grade_rows = []
        for g, classes in enumerate(grades):
            class_rows = []
            for c, statuses in enumerate(classes):
                add_row(f"s{s}g{g}c{c}", statuses)
                class_rows.append(f"s{s}g{g}c{c}")
            add_row(f"s{s}g{g}", children=class_rows)
            grade_rows.append(f"s{s}g{g}")
            levels.setdefault(g, []).append(f"s{s}g{g}")
        add_row(f"s{s}", children=grade_rows)
        schools.append(f"s{s}")
    add_row("total", children=schools)
    for g, grade_rows in levels.items():
        add_row(f"level{g}", children=grade_rows)
    add_row("total-by-level", children=[f"level{g}" for g in levels])
    sums += [(("total", name), [("total-by-level", name)]) for name in (*STATUSES, "targeted")]
    return values, sums


def peel(values, sums, hidden) -> set:
    """The hidden cells found by solving, again and again, every equation left with one unknown."""
    known = {cell: count for cell, count in values.items() if cell not in hidden}
    recovered, progress = set(), True
    while progress:
        progress = False
        for total, parts in sums:
            unknown = [cell for cell in {total, *parts} if cell not in known]
            if len(unknown) != 1:
                continue
            cell = unknown[0]
            rest = sum(known[part] for part in parts if part != cell)
            known[cell] = known[total] - rest if cell != total else rest
            recovered.add(cell)
            progress = True
    assert all(known[cell] == values[cell] for cell in recovered)
    return recovered


def solve(values, sums, hidden) -> set:
    """The hidden cells fixed by the equations taken together (Gaussian elimination over the
    rationals, written apart from the module's own)."""
    cells = sorted(hidden, key=repr)
    index = {cell: i for i, cell in enumerate(cells)}
    matrix = []
    for total, parts in sums:
        row = [Fraction(0)] * len(cells)
        for cell, sign in ((total, 1), *((part, -1) for part in parts)):
            if cell in index:
                row[index[cell]] += sign
        if any(row):
            matrix.append(row)
    pivot_rows, col = [], 0
    for col in range(len(cells)):
        pivot = next((r for r in matrix if r[col] and r not in pivot_rows), None)
        if pivot is None:
            continue
        pivot[:] = [x / pivot[col] for x in pivot]
        for other in matrix:
            if other is not pivot and other[col]:
                factor = other[col]
                other[:] = [x - factor * y for x, y in zip(other, pivot)]
        pivot_rows.append(pivot)
    return {cells[row.index(1)] for row in pivot_rows if sum(1 for x in row if x) == 1}


counts = st.integers(min_value=0, max_value=12) | st.integers(min_value=1, max_value=4)
class_rows = st.lists(counts, min_size=len(STATUSES), max_size=len(STATUSES))
city = st.lists(st.lists(st.lists(class_rows, min_size=1, max_size=3), min_size=1, max_size=3), min_size=1, max_size=3)


@settings(max_examples=100, deadline=None)
@given(city)
def test_no_hidden_cell_can_be_recovered(classes_per_grade):
    values, sums = progress_table(classes_per_grade)
    hidden = suppress(values, sums)

    assert {cell for cell, count in values.items() if is_small(count)} <= hidden
    assert not peel(values, sums, hidden)
    assert not solve(values, sums, hidden)


@settings(max_examples=40, deadline=None)
@given(city, st.data())
def test_the_readers_own_cells_stay_shown_and_give_nothing_away(classes_per_grade, data):
    values, sums = progress_table(classes_per_grade)
    classes = sorted({row for row, _ in values if "c" in row})
    own = data.draw(st.sets(st.sampled_from(classes)))
    known = {cell for cell in values if cell[0] in own}
    hidden = suppress(values, sums, known)

    assert not hidden & known
    assert {cell for cell, count in values.items() if is_small(count) and cell not in known} <= hidden
    # Only what her own cells give away anyway (a grade of her one class) may be computed.
    assert solve(values, sums, hidden) <= solve(values, sums, set(values) - known)


def test_the_issue_row_no_longer_gives_the_two_back():
    """对象 41, 已提交 2, 答题中 0, 未开始 39: hiding the 2 alone lets 41 - 0 - 39 recover it."""
    values = {"targeted": 41, "submitted": 2, "in_progress": 0, "not_started": 39}
    sums = [("targeted", ["submitted", "in_progress", "not_started"])]
    printed = shown(values, suppress(values, sums))

    assert printed["submitted"] == HIDDEN and printed["in_progress"] == "0"
    assert HIDDEN in (printed["targeted"], printed["not_started"])


def test_a_bridge_between_two_protected_blocks_is_found():
    """Two 2×2 blocks of hidden cells joined by one more hidden cell: every row and column then has
    two unknowns, so peeling finds nothing, yet adding rows 0–1 and taking away columns 0–1 leaves
    the joining cell alone."""
    values = {(r, c): 7 for r in range(4) for c in range(4)}
    sums = [((r, "sum"), [(r, c) for c in range(4)]) for r in range(4)]
    sums += [(("sum", c), [(r, c) for r in range(4)]) for c in range(4)]
    values.update({(r, "sum"): 28 for r in range(4)} | {("sum", c): 28 for c in range(4)})
    blocks = {(0, 0), (0, 1), (1, 0), (1, 1), (2, 2), (2, 3), (3, 2), (3, 3)}

    assert not peel(values, sums, blocks | {(1, 2)})
    assert determined(blocks | {(1, 2)}, sums) == solve(values, sums, blocks | {(1, 2)}) == {(1, 2)}
    assert not determined(blocks, sums)
    values[(1, 2)] = 2
    assert not solve(values, sums, suppress(values, sums))


def test_small_means_one_to_four():
    assert [is_small(n) for n in (0, 1, SMALL_CELL - 1, SMALL_CELL)] == [False, True, True, False]
