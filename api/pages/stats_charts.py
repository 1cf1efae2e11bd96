"""Horizontal bar charts of the statistics page as inline SVG, readable without JavaScript.

Pure: labels and numbers in, markup out. Each chart has a title and a description that
states every value, and text labels and values beside the bars, so it reads without the
picture (the page puts the same figures in a table beside it).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

WIDTH = 440
LABELS = 160  # the width of the label column
PLOT = 230  # the bars' width at the largest value; the value is written after the bar
LABEL_CHARACTERS = 24  # a longer label is shortened in the picture (the table has it whole)
BAR = 12
GAP = 8
TOP = 10
TEXT = "#1b1f23"
MUTED = "#57606a"
_UNSAFE_ID = re.compile(r"[^a-z0-9-]")


@dataclass(frozen=True)
class Series:
    """One kind of bar: its name (for the legend) and its colour."""

    name: str
    colour: str


BLUE = Series("", "#0969da")


def number(value: float | None) -> str:
    """A figure as the page writes it: whole numbers without decimals, "–" for none."""
    if value is None:
        return "–"
    return f"{value:g}" if value == int(value) else f"{value:.1f}"


def _short(label: str) -> str:
    """The label as the picture writes it: at most ``LABEL_CHARACTERS`` characters."""
    if len(label) <= LABEL_CHARACTERS:
        return label
    return label[: LABEL_CHARACTERS - 1].rstrip() + "…"


def _legend(series: Sequence[Series], marker: str, y: float) -> list[str]:
    parts, x = [], float(LABELS)
    for s in series:
        parts.append(f'<rect x="{x}" y="{y - 9}" width="10" height="10" fill="{s.colour}"/>')
        parts.append(
            f'<text x="{x + 14}" y="{y}" font-size="11" fill="{TEXT}">{escape(s.name)}</text>'
        )
        x += 24 + 6.5 * len(s.name)
    if marker:
        parts.append(f'<path d="M{x} {y - 10}v12" stroke="{TEXT}" stroke-width="2"/>')
        parts.append(
            f'<text x="{x + 6}" y="{y}" font-size="11" fill="{TEXT}">{escape(marker)}</text>'
        )
    return parts


def bar_chart(
    key: str,
    title: str,
    labels: Sequence[str],
    values: Sequence[Sequence[float | None]],
    *,
    series: Sequence[Series] = (BLUE,),
    markers: Sequence[float | None] | None = None,
    marker_name: str = "",
    description: str = "",
) -> Markup:
    """Inline SVG: one row per label, one bar per series (``values[row][series]``), and an
    optional marker per row (a target) drawn as a line across the row."""
    ident = _UNSAFE_ID.sub("-", key.lower())
    ids = (f"chart-{ident}-title", f"chart-{ident}-desc")
    top = TOP + (18 if len(series) > 1 or markers else 0)
    row_height = len(series) * (BAR + 2) + GAP
    height = top + max(len(labels), 1) * row_height + 6
    largest = max(
        [v for row in values for v in row if v is not None]
        + [m for m in (markers or []) if m is not None]
        + [1]
    )
    scale = PLOT / largest
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="stats-chart" role="img" '
        f'viewBox="0 0 {WIDTH} {height}" width="100%" '
        f'aria-labelledby="{ids[0]} {ids[1]}" font-family="system-ui, sans-serif">',
        f'<title id="{ids[0]}">{escape(title)}</title>',
        f'<desc id="{ids[1]}">{escape(description)}</desc>',
    ]
    if len(series) > 1 or markers:
        parts.extend(_legend(series if len(series) > 1 else [], marker_name, TOP + 8))
    for index, label in enumerate(labels):
        y = top + index * row_height
        parts.append(
            f'<text x="{LABELS - 8}" y="{y + BAR}" font-size="12" fill="{TEXT}" '
            f'text-anchor="end">{escape(_short(label))}</text>'
        )
        for n, s in enumerate(series):
            value = values[index][n]
            width = (value or 0) * scale
            bar_y = y + n * (BAR + 2)
            parts.append(
                f'<rect x="{LABELS}" y="{bar_y}" width="{max(width, 1):.1f}" height="{BAR}" '
                f'fill="{s.colour}"/>'
            )
            parts.append(
                f'<text x="{LABELS + width + 4:.1f}" y="{bar_y + BAR - 2}" font-size="11" '
                f'fill="{TEXT}">{escape(number(value))}</text>'
            )
        mark = markers[index] if markers else None
        if mark is not None:
            x = LABELS + mark * scale
            parts.append(
                f'<path class="marker" d="M{x:.1f} {y - 2}v{row_height - GAP + 4}" '
                f'stroke="{TEXT}" stroke-width="2"/>'
            )
    parts.append(
        f'<path d="M{LABELS} {top - 4}V{height - 4}" stroke="{MUTED}" stroke-width="1"/></svg>'
    )
    return Markup("".join(parts))
