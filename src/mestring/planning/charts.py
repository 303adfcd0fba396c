"""A line chart of population per age group over the years, as inline SVG drawn on the
server: no script and no style attributes (strict CSP), colours by presentation
attributes. Projected years are dashed and shaded. The table beside it holds the
numbers and is the accessible version; the chart is one image with a short label."""

from __future__ import annotations

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

WIDTH, HEIGHT = 640, 300
LEFT, RIGHT, TOP, BOTTOM = 52, 90, 16, 36
# Dark colours, each with a contrast of at least 3:1 against white.
COLOURS = ("#1f4e79", "#b34700", "#2e6b30", "#6a1b9a", "#8b1a1a", "#37474f", "#00695c", "#7a5c00")


def _n(number: float) -> str:
    return f"{number:.1f}"


def _nice_top(value: int) -> int:
    if value <= 10:
        return 10
    magnitude = 10 ** (len(str(value)) - 1)
    for step in (1, 2, 2.5, 5, 10):
        top = int(step * magnitude)
        if top >= value:
            return top
    return value


def population_chart(
    years: list[int],
    series: list[tuple[str, dict[int, int]]],
    *,
    projected_from: int | None,
    label: str,
) -> SafeString:
    if not years or not series:
        return SafeString("")
    top = _nice_top(max((n for _name, values in series for n in values.values()), default=0))
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    first, last = years[0], years[-1]
    span = max(last - first, 1)

    def x(year: int) -> float:
        return LEFT + (plot_w / 2 if first == last else plot_w * (year - first) / span)

    def y(value: float) -> float:
        return TOP + plot_h * (1 - value / top)

    parts: list[SafeString] = []
    if projected_from is not None and projected_from <= last:
        start = x(max(projected_from, first)) - (plot_w / span / 2 if projected_from > first else 0)
        parts.append(
            format_html(
                '<rect x="{}" y="{}" width="{}" height="{}" fill="#000" fill-opacity="0.05">'
                '</rect><text x="{}" y="{}" font-size="11" fill="currentColor">{}</text>',
                _n(start),
                TOP,
                _n(x(last) - start),
                plot_h,
                _n(start + 4),
                TOP + 12,
                _("Framskrevet"),
            )
        )
    parts_of = 5 if top % 5 == 0 else 4
    ticks = [top * i // parts_of for i in range(parts_of + 1)]
    parts.append(
        format_html_join(
            "",
            '<line x1="{}" x2="{}" y1="{}" y2="{}" stroke="currentColor" stroke-opacity="0.2">'
            '</line><text x="{}" y="{}" text-anchor="end" font-size="11" fill="currentColor">'
            "{}</text>",
            ((LEFT, WIDTH - RIGHT, _n(y(t)), _n(y(t)), LEFT - 6, _n(y(t) + 4), t) for t in ticks),
        )
    )
    step = 1 if span <= 10 else 5
    labelled = [yr for yr in years if (yr - first) % step == 0 or yr == last]
    if len(labelled) > 1 and labelled[-1] - labelled[-2] < step:
        labelled.pop(-2)
    parts.append(
        format_html_join(
            "",
            '<text x="{}" y="{}" text-anchor="middle" font-size="11" fill="currentColor">{}</text>',
            ((_n(x(yr)), HEIGHT - BOTTOM + 16, yr) for yr in labelled),
        )
    )
    for index, (name, values) in enumerate(series):
        colour = COLOURS[index % len(COLOURS)]
        points = [(x(yr), y(values[yr])) for yr in years if yr in values]
        if not points:
            continue
        present = [yr for yr in years if yr in values]
        # Registered years solid, projected years dashed, joined at the last registered.
        pairs = list(zip(points, present, strict=True))
        solid = [p for p, yr in pairs if projected_from is None or yr < projected_from]
        dashed = [p for p, yr in pairs if projected_from is not None and yr >= projected_from]
        if solid and dashed:
            dashed.insert(0, solid[-1])
        for coords, dash in ((solid, ""), (dashed, "6 4")):
            if len(coords) < 2:
                continue
            parts.append(
                format_html(
                    '<polyline points="{}" fill="none" stroke="{}" stroke-width="2"{}></polyline>',
                    " ".join(f"{px:.1f},{py:.1f}" for px, py in coords),
                    colour,
                    format_html(' stroke-dasharray="{}"', dash) if dash else "",
                )
            )
        end_x, end_y = points[-1]
        parts.append(
            format_html(
                '<circle cx="{}" cy="{}" r="3" fill="{}"></circle>'
                '<text x="{}" y="{}" font-size="11" fill="{}">{}</text>',
                _n(end_x),
                _n(end_y),
                colour,
                _n(end_x + 6),
                _n(end_y + 4),
                colour,
                name,
            )
        )
    return format_html(
        '<svg class="population-chart" role="img" aria-label="{}" viewBox="0 0 {} {}" '
        'width="100%" preserveAspectRatio="xMidYMid meet">{}</svg>',
        label,
        WIDTH,
        HEIGHT,
        format_html_join("", "{}", ((p,) for p in parts)),
    )
