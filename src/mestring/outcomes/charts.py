"""A line chart of one instrument's measures over time, as inline SVG drawn on the
server: no script, no style attributes (strict CSP), colours by presentation attributes
from the text colour. The numbers stand in the table beside it, which is the accessible
version; the chart itself is one image with a short description."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

WIDTH, HEIGHT = 480, 240
LEFT, RIGHT, TOP, BOTTOM = 40, 16, 16, 44


@dataclass(frozen=True)
class Line:
    name: str
    points: Sequence[tuple[datetime.date, Decimal]]
    dashed: bool = False


def _join(parts: list[SafeString]) -> SafeString:
    return format_html_join("", "{}", ((part,) for part in parts))


def _n(number: float) -> str:
    return f"{number:.1f}"


def _ticks(low: int, high: int) -> list[int]:
    step = 1 if high - low <= 6 else 2
    return list(range(high, low - 1, -step))


def line_chart(lines: Sequence[Line], *, low: int, high: int, label: str) -> SafeString:
    """Lines of (date, value) on a scale from `low` to `high`; x proportional to time."""
    dates = [day for line in lines for day, _value in line.points]
    if not dates:
        return SafeString("")
    first, last = min(dates), max(dates)
    span = max((last - first).days, 1)
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def x(day: datetime.date) -> float:
        if first == last:
            return LEFT + plot_w / 2
        return LEFT + plot_w * (day - first).days / span

    def y(value: Decimal) -> float:
        clipped = min(max(float(value), low), high)
        return TOP + plot_h * (1 - (clipped - low) / (high - low))

    grid = format_html_join(
        "",
        '<line x1="{}" x2="{}" y1="{}" y2="{}" stroke="currentColor" '
        'stroke-opacity="0.2" stroke-width="1"></line>'
        '<text x="{}" y="{}" text-anchor="end" font-size="11" fill="currentColor">{}</text>',
        (
            (
                LEFT,
                WIDTH - RIGHT,
                _n(y(Decimal(t))),
                _n(y(Decimal(t))),
                LEFT - 6,
                _n(y(Decimal(t)) + 4),
                t,
            )
            for t in _ticks(low, high)
        ),
    )
    axis_dates = sorted({first, last})
    x_labels = format_html_join(
        "",
        '<text x="{}" y="{}" text-anchor="{}" font-size="11" fill="currentColor">{}</text>',
        (
            (
                _n(x(day)),
                HEIGHT - BOTTOM + 16,
                "middle" if len(axis_dates) == 1 else ("start" if day == first else "end"),
                day.strftime("%d.%m.%Y"),
            )
            for day in axis_dates
        ),
    )
    drawn = []
    legend = []
    for index, line in enumerate(lines):
        coords = [(x(day), y(value)) for day, value in line.points]
        dash = format_html(' stroke-dasharray="{}"', "6 4") if line.dashed else ""
        path = " ".join(f"{px:.1f},{py:.1f}" for px, py in coords)
        drawn.append(
            format_html(
                '<polyline points="{}" fill="none" stroke="currentColor" stroke-width="2"{}>'
                "</polyline>",
                path,
                dash,
            )
        )
        marker = (
            '<rect x="{}" y="{}" width="7" height="7" fill="currentColor"></rect>'
            if line.dashed
            else '<circle cx="{}" cy="{}" r="4" fill="currentColor"></circle>'
        )
        offset = 3.5 if line.dashed else 0
        drawn.append(
            format_html_join("", marker, ((_n(px - offset), _n(py - offset)) for px, py in coords))
        )
        if len(lines) > 1:
            lx = LEFT + index * 160
            legend.append(
                format_html(
                    '<line x1="{}" x2="{}" y1="{}" y2="{}" stroke="currentColor" '
                    'stroke-width="2"{}></line>'
                    '<text x="{}" y="{}" font-size="11" fill="currentColor">{}</text>',
                    lx,
                    lx + 20,
                    HEIGHT - 10,
                    HEIGHT - 10,
                    dash,
                    lx + 26,
                    HEIGHT - 6,
                    line.name,
                )
            )
    return format_html(
        '<svg class="outcome-chart" role="img" aria-label="{}" viewBox="0 0 {} {}" '
        'width="100%" preserveAspectRatio="xMidYMid meet">{}{}{}{}</svg>',
        label,
        WIDTH,
        HEIGHT,
        grid,
        x_labels,
        _join(drawn),
        _join(legend),
    )
