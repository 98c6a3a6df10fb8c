"""The bureau's city overview: both tables split the same students, so a district of one child
must not be recoverable from the other districts and the school-kind table's total."""
from django.urls import reverse

from xinshao.campaigns.tests.test_staff_progress import add_students
from xinshao.core.tests.test_suppression import peel, solve


def test_a_tiny_district_cannot_be_worked_out_from_the_other_table(city, client_as):
    add_students(city.class_a1, 20)
    response = client_as(city.bai).get(reverse("core:overview"))

    assert response.status_code == 200
    context = response.context
    cells = {("kind", i): row["students"] for i, row in enumerate(context["by_kind"])}
    cells |= {("district", i): row["students"] for i, row in enumerate(context["by_district"])}
    cells |= {("kind", "total"): context["kind_total"], ("district", "total"): context["district_total"]}
    xishan = next(i for i, row in enumerate(context["by_district"]) if row["name"] == "西山区")
    assert cells[("district", xishan)] == "*"

    hidden = {cell for cell, text in cells.items() if text == "*"}
    numbers = {cell: 0 if cell in hidden else int(text) for cell, text in cells.items()}
    sums = [((table, "total"), [(table, i) for i in range(len(context[f"by_{table}"]))])
            for table in ("kind", "district")]
    sums.append((("kind", "total"), [("district", "total")]))
    assert len(hidden) >= 2 and not peel(numbers, sums, hidden) and not solve(numbers, sums, hidden)
    assert "西山区" in response.content.decode() and "合计" in response.content.decode()
