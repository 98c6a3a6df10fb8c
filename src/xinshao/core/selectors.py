"""Aggregates for the bureau: counts only, never individuals."""
from django.db.models import Count, Q

from xinshao.access.scopes import schools_visible_to
from xinshao.people.models import Student

SMALL_CELL = 5  # counts below this are shown as "<5" so a tiny group cannot be singled out


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
    return {"by_district": list(by_district), "by_kind": list(by_kind)}


def suppress_small(count: int) -> str:
    return f"<{SMALL_CELL}" if 0 < count < SMALL_CELL else str(count)
