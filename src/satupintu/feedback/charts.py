"""Charts of a report, drawn on the server as inline SVG: no JavaScript, no images to load.

These functions only compute the geometry; the templates draw it, with a title and a
description for assistive technology, and the same numbers in a table beside each chart.
"""

from dataclasses import dataclass
from decimal import Decimal

from satupintu.feedback.selectors import ElementRow, TrendPoint

WIDTH = 640
LABEL_WIDTH = 48
VALUE_WIDTH = 56
ROW_HEIGHT = 30
BAR_HEIGHT = 20
TOP = 8
SCALE_MAX = Decimal(4)

TREND_HEIGHT = 240
TREND_TOP = 24
TREND_BOTTOM = 32
TREND_MAX = Decimal(100)


@dataclass(frozen=True)
class Bar:
    code: str
    label: str
    value: Decimal | None
    x: float
    y: float
    width: float
    height: float
    text_x: float
    text_y: float
    weak: bool = False


@dataclass(frozen=True)
class Tick:
    value: str
    x: float
    y: float
    # The grid line of the tick: (x1, y1, x2, y2).
    line: tuple[float, float, float, float]


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    bars: list[Bar]
    ticks: list[Tick]
    # A dashed line, e.g. at the weak-element threshold: (x1, y1, x2, y2) or None.
    guide: tuple[float, float, float, float] | None = None
    baseline: float = 0

    @property
    def label_y(self) -> float:
        """Where the labels under a vertical chart's bars go."""
        return self.baseline + 18

    @property
    def empty_y(self) -> float:
        """Where the dash of a bar without a value goes."""
        return self.baseline - 6


def element_chart(rows: list[ElementRow], *, threshold: Decimal | None = None) -> Chart:
    """Horizontal bars of the elements' averages on the 1–4 scale (drawn from 0)."""
    plot = WIDTH - LABEL_WIDTH - VALUE_WIDTH
    bars = []
    for position, row in enumerate(rows):
        y = TOP + position * ROW_HEIGHT
        length = float((row.nrr or 0) / SCALE_MAX) * plot
        bars.append(
            Bar(
                code=row.code,
                label=row.name,
                value=row.nrr,
                x=LABEL_WIDTH,
                y=y,
                width=round(length, 1),
                height=BAR_HEIGHT,
                text_x=round(LABEL_WIDTH + length + 6, 1),
                text_y=y + BAR_HEIGHT - 5,
                weak=row.weak,
            )
        )
    height = TOP + len(rows) * ROW_HEIGHT + 20
    ticks = []
    for value in range(0, 5):
        x = round(LABEL_WIDTH + plot * value / 4, 1)
        ticks.append(Tick(str(value), x, height - 4, (x, 0, x, height - 18)))
    guide = None
    if threshold is not None and rows:
        x = round(LABEL_WIDTH + float(threshold / SCALE_MAX) * plot, 1)
        guide = (x, TOP - 4, x, height - 18)
    return Chart(width=WIDTH, height=height, bars=bars, ticks=ticks, guide=guide)


def trend_chart(points: list[TrendPoint]) -> Chart:
    """Vertical bars of the converted index (0–100) per quarter; a quarter whose figures are
    withheld or empty has no bar."""
    count = max(len(points), 1)
    slot = (WIDTH - LABEL_WIDTH) / count
    plot = TREND_HEIGHT - TREND_TOP - TREND_BOTTOM
    baseline = TREND_TOP + plot
    bars = []
    for position, point in enumerate(points):
        height = float((point.index or 0) / TREND_MAX) * plot
        x = LABEL_WIDTH + position * slot + slot * 0.2
        bars.append(
            Bar(
                code=point.period.key,
                label=point.period.short_label,
                value=point.index,
                x=round(x, 1),
                y=round(baseline - height, 1),
                width=round(slot * 0.6, 1),
                height=round(height, 1),
                text_x=round(x + slot * 0.3, 1),
                text_y=round(baseline - height - 6, 1),
            )
        )
    ticks = []
    for value in (0, 25, 50, 75, 100):
        y = round(baseline - plot * value / 100, 1)
        ticks.append(Tick(str(value), LABEL_WIDTH - 6, y, (LABEL_WIDTH - 2, y, WIDTH, y)))
    return Chart(width=WIDTH, height=TREND_HEIGHT, bars=bars, ticks=ticks, baseline=baseline)
