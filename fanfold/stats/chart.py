"""A bar chart as numbers for an SVG template: hits per day, drawn on the server so the page
needs no JavaScript and no chart library (a few rectangles and labels are all it takes)."""

from dataclasses import dataclass

from .selectors import DayHits

WIDTH = 640
HEIGHT = 220
LEFT = 40  # room for the value labels
BOTTOM = 24  # room for the date labels
TOP = 10


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    label: str  # "2026-11-30: 3 hits", the bar's tooltip and accessible text


@dataclass(frozen=True)
class Tick:
    x: float
    y: float
    text: str


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    bars: list[Bar]
    y_ticks: list[Tick]
    x_ticks: list[Tick]
    baseline: float
    left: int
    total: int
    peak: int


def _nice_max(value: int) -> int:
    """The smallest of 1, 2, 5, 10, 20, 50... at or above the value (at least 1)."""
    step = 1
    while True:
        for factor in (1, 2, 5):
            if step * factor >= value:
                return step * factor
        step *= 10


def hits_chart(days: list[DayHits]) -> Chart:
    peak = max((day.hits for day in days), default=0)
    top = _nice_max(peak)
    plot_w = WIDTH - LEFT - 4
    plot_h = HEIGHT - BOTTOM - TOP
    slot = plot_w / max(len(days), 1)
    bars = []
    for i, day in enumerate(days):
        height = plot_h * day.hits / top
        bars.append(
            Bar(
                x=round(LEFT + i * slot + slot * 0.1, 2),
                y=round(TOP + plot_h - height, 2),
                width=round(slot * 0.8, 2),
                height=round(height, 2),
                label=f"{day.day.isoformat()}: {day.hits} hit{'s' if day.hits != 1 else ''}",
            )
        )
    y_ticks = [
        Tick(x=LEFT - 6, y=round(TOP + plot_h - plot_h * value / top + 4, 2), text=str(value))
        for value in (0, top // 2, top)
        if value == 0 or value != top // 2 or top >= 2
    ]
    # The first and last day, and a few between, so labels never overlap on a phone.
    every = max(1, len(days) // 4)
    x_ticks = [
        Tick(x=round(LEFT + i * slot + slot / 2, 2), y=HEIGHT - 6, text=day.day.strftime("%b %d"))
        for i, day in enumerate(days)
        if i % every == 0 or i == len(days) - 1
    ]
    if len(x_ticks) >= 2 and x_ticks[-1].x - x_ticks[-2].x < slot * every * 0.6:
        del x_ticks[-2]
    return Chart(
        width=WIDTH,
        height=HEIGHT,
        bars=bars,
        y_ticks=y_ticks,
        x_ticks=x_ticks,
        baseline=TOP + plot_h,
        left=LEFT,
        total=sum(day.hits for day in days),
        peak=peak,
    )
