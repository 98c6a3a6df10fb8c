"""Charts drawn on the server as inline SVG: no script, no outside host, the same markup on a
page and in a PDF (WeasyPrint draws it). Each chart carries its numbers as rows for a table
beside it (`core/_line_chart.html`), for screen readers and for copying."""
import math
from dataclasses import dataclass

from xinshao.core.numbers import plain_number

WIDTH, HEIGHT = 560, 200
LEFT, RIGHT, TOP, BOTTOM = 40, 16, 12, 28  # room for the axis labels


@dataclass(frozen=True)
class Mark:
    x: float
    y: float
    label: str   # what the x position is (a date, a term)
    value: str   # the value as shown in the table and the mark's tooltip


@dataclass(frozen=True)
class Line:
    y: float
    label: str


@dataclass(frozen=True)
class LineChart:
    title: str
    marks: list[Mark]
    ticks: list[Line]        # the y axis's labelled values
    thresholds: list[Line]   # dashed lines where a band starts
    width: int = WIDTH
    height: int = HEIGHT

    @property
    def polyline(self) -> str:
        return " ".join(f"{mark.x:.1f},{mark.y:.1f}" for mark in self.marks)

    @property
    def left(self) -> int:
        return LEFT

    @property
    def right(self) -> int:
        return self.width - RIGHT

    @property
    def bottom(self) -> int:
        return self.height - BOTTOM


def _scale(value: float, low: float, high: float) -> float:
    span = (high - low) or 1
    return TOP + (HEIGHT - TOP - BOTTOM) * (1 - (value - low) / span)


def _ticks(low: float, high: float, count: int = 4) -> list[float]:
    """About `count` steps of 1, 2 or 5 times a power of ten, so the axis reads 0, 5, 10, 15 …"""
    raw = (high - low) / count or 1
    magnitude = 10 ** math.floor(math.log10(raw))
    step = min((m * magnitude for m in (1, 2, 5, 10)), key=lambda candidate: abs(candidate - raw))
    first = math.ceil(low / step) * step
    return [first + step * index for index in range(int((high - first) / step + 1e-9) + 1)]


def _shown(value: float) -> str:
    return str(plain_number(round(value, 1)))


def line_chart(*, title: str, points: list[tuple[str, float]], low: float, high: float,
               thresholds: list[tuple[float, str]] = ()) -> LineChart:
    """Values over time between `low` and `high`; `points` are (x label, value) in order."""
    inner = WIDTH - LEFT - RIGHT
    step = inner / max(len(points) - 1, 1)
    marks = [Mark(LEFT + (step * index if len(points) > 1 else inner / 2), _scale(value, low, high), label, _shown(value))
             for index, (label, value) in enumerate(points)]
    return LineChart(
        title=title, marks=marks,
        ticks=[Line(_scale(value, low, high), _shown(value)) for value in _ticks(low, high)],
        thresholds=[Line(_scale(value, low, high), label) for value, label in thresholds if low < value < high])
