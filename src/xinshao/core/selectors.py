"""Aggregates for the bureau: counts only, never individuals."""
from django.db.models import Count, Q

from xinshao.access.scopes import schools_visible_to
from xinshao.core.suppression import shown, suppress
from xinshao.people.models import Student


def city_overview(user) -> dict:
    schools = schools_visible_to(user)
    by_district = (
        schools.values("district__name")
        .annotate(
            schools=Count("id", distinct=True),
            students=Count("students", filter=Q(students__status=Student.Status.ENROLLED), distinct=True),
        )
        .order_by("district__name")
    )
    by_kind = (
        schools.values("kind")
        .annotate(
            schools=Count("id", distinct=True),
            students=Count("students", filter=Q(students__status=Student.Status.ENROLLED), distinct=True),
        )
        .order_by("kind")
    )
    return _suppressed({"by_kind": list(by_kind), "by_district": list(by_district)})


def _suppressed(tables: dict[str, list[dict]]) -> dict:
    """Each table's student counts as shown, with its total: both tables split the same students,
    so the hidden cells are chosen across both (one table's total must not fill in the other)."""
    values = {(name, i): row["students"] for name, rows in tables.items() for i, row in enumerate(rows)}
    values |= {(name, "total"): sum(row["students"] for row in rows) for name, rows in tables.items()}
    sums = [((name, "total"), [(name, i) for i in range(len(rows))]) for name, rows in tables.items()]
    first, *others = tables
    sums += [((first, "total"), [(other, "total")]) for other in others]
    printed = shown(values, suppress(values, sums))
    result = {name: [{**row, "students": printed[(name, i)]} for i, row in enumerate(rows)]
              for name, rows in tables.items()}
    return result | {f"{name}_total": printed[(name, "total")] for name in tables}
