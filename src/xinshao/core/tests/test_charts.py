"""Server-drawn charts: values land inside the plot, the axis reads in round steps, and every
value is also in the rows the page shows as a table."""
from django.template.loader import render_to_string

from xinshao.core.charts import BOTTOM, HEIGHT, TOP, line_chart


def test_values_are_placed_between_the_axis_ends_and_ticks_are_round():
    chart = line_chart(title="PHQ-A", points=[("2026-03", 4.0), ("2026-10", 15.0)], low=0, high=27,
                       thresholds=[(5, "轻度"), (27, "上限"), (10, "中度")])
    assert [line.label for line in chart.ticks] == ["0", "5", "10", "15", "20", "25"]
    assert all(TOP <= mark.y <= HEIGHT - BOTTOM for mark in chart.marks)
    assert chart.marks[0].y > chart.marks[1].y           # a higher score is drawn higher
    assert [line.label for line in chart.thresholds] == ["轻度", "中度"]  # a line at the top edge is dropped
    assert [(mark.label, mark.value) for mark in chart.marks] == [("2026-03", "4"), ("2026-10", "15")]


def test_the_chart_markup_carries_its_numbers_as_a_table():
    chart = line_chart(title="GAD-7 总分变化", points=[("2026-03", 3.0), ("2026-10", 12.5)], low=0, high=21)
    html = render_to_string("core/_line_chart.html", {"chart": chart})
    assert "<svg" in html and 'aria-label="GAD-7 总分变化"' in html and "<script" not in html
    assert "<td>2026-10</td><td class=\"num\">12.5</td>" in html
