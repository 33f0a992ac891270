"""Inline SVG line charts of each indicator's time series, drawn in Python.

No JavaScript and no network assets: the HTML catalogue must render from a plain file server
and stay readable in ten years. One chart per indicator, one line per area (the areas with
the most points first), a dot with a tooltip (<title>) per value.
"""

from __future__ import annotations

import datetime as dt
from html import escape
from pathlib import Path

import duckdb

WIDTH, HEIGHT, PAD = 720, 240, 40
LEFT, RIGHT = 80, 140  # room for the value labels and the legend of areas
COLOURS = ("#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e")

LEVELS = """SELECT indicator, area, as_of, max(value) AS value FROM read_parquet('{path}')
WHERE indicator IS NOT NULL AND NOT change AND period_start IS NULL GROUP BY ALL ORDER BY ALL"""


def series(observations: Path) -> dict[str, dict[str, list[tuple[dt.date, float]]]]:
    """indicator → area → [(as_of, value)], levels only (no changes, no period figures)."""
    out: dict = {}
    with duckdb.connect() as con:
        for indicator, area, as_of, value in con.execute(LEVELS.format(path=observations)).fetchall():
            out.setdefault(indicator, {}).setdefault(area, []).append((as_of, value))
    return out


def svg(indicator: str, lines: dict[str, list[tuple[dt.date, float]]], max_lines: int = 5) -> str:
    areas = sorted(lines, key=lambda a: (-len(lines[a]), a))[:max_lines]
    points = [p for a in areas for p in lines[a]]
    days = [p[0].toordinal() for p in points]
    values = [p[1] for p in points]
    d0, d1 = min(days), max(days) or 1
    v0, v1 = min(0.0, min(values)), max(values)
    x = lambda d: LEFT + (WIDTH - LEFT - RIGHT) * ((d - d0) / (d1 - d0) if d1 > d0 else 0.5)  # noqa: E731
    y = lambda v: HEIGHT - PAD - (HEIGHT - 2 * PAD) * ((v - v0) / (v1 - v0) if v1 > v0 else 0.5)  # noqa: E731
    parts = [f'<svg class="chart" data-indicator="{escape(indicator)}" viewBox="0 0 {WIDTH} {HEIGHT}" '
             f'width="{WIDTH}" height="{HEIGHT}" role="img" aria-label="{escape(indicator)} over time">',
             f'<line x1="{LEFT}" y1="{HEIGHT - PAD}" x2="{WIDTH - RIGHT}" y2="{HEIGHT - PAD}" stroke="#888"/>',
             f'<line x1="{LEFT}" y1="{PAD}" x2="{LEFT}" y2="{HEIGHT - PAD}" stroke="#888"/>',
             f'<text x="{LEFT}" y="{HEIGHT - PAD + 16}" font-size="11">{dt.date.fromordinal(d0)}</text>',
             f'<text x="{WIDTH - RIGHT}" y="{HEIGHT - PAD + 16}" font-size="11" text-anchor="end">{dt.date.fromordinal(d1)}</text>',
             f'<text x="{LEFT - 6}" y="{PAD + 4}" font-size="11" text-anchor="end">{_short(v1)}</text>',
             f'<text x="{LEFT - 6}" y="{HEIGHT - PAD}" font-size="11" text-anchor="end">{_short(v0)}</text>']
    for i, area in enumerate(areas):
        colour = COLOURS[i % len(COLOURS)]
        pts = sorted(lines[area])
        coords = " ".join(f"{x(d.toordinal()):.1f},{y(v):.1f}" for d, v in pts)
        parts.append(f'<polyline class="series" data-area="{escape(area)}" data-points="{len(pts)}" '
                     f'fill="none" stroke="{colour}" stroke-width="2" points="{coords}"/>')
        for d, v in pts:
            parts.append(f'<circle class="point" cx="{x(d.toordinal()):.1f}" cy="{y(v):.1f}" r="3" fill="{colour}">'
                         f'<title>{escape(area)}, {d}: {_short(v)}</title></circle>')
        parts.append(f'<text x="{WIDTH - RIGHT + 12}" y="{PAD + 4 + 14 * i}" font-size="11" fill="{colour}">{escape(area)}</text>')
    parts.append("</svg>")
    return "".join(parts)


def _short(v: float) -> str:
    for size, word in ((1e9, " tỷ"), (1e6, " triệu"), (1e3, " nghìn")):
        if abs(v) >= size:
            return f"{v / size:.4g}{word}"
    return f"{v:.4g}"
