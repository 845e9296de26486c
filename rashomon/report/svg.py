"""Small server-side SVG plots: no chart library, no download, no script.

Every plot is a plain string of SVG markup built here and inserted into the page as
``Markup``. Text that comes from articles (outlet names, timeline text) is escaped with
:func:`markupsafe.escape` before it is placed in the markup, so an outlet called
``<script>`` renders as text. Only presentation attributes are used (``fill=``,
``width=``), never ``style=``: the web app's Content-Security-Policy forbids inline
styles, and presentation attributes are not styles.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from markupsafe import Markup, escape

__all__ = ["KIND_COLORS", "coverage_dots", "coverage_header", "stacked_bars", "timeline_plot"]

#: One colour per fact label (the CSS uses the same ones, lighter, for sentence highlights).
KIND_COLORS: dict[str, str] = {
    "agreed": "#2f9e44",
    "single_source": "#1c7ed6",
    "conflict": "#e03131",
    "reworded_quote": "#f59f00",
    "different_attribution": "#9c36b5",
    "none": "#ced4da",
}

_FONT = 'font-family="system-ui, sans-serif" font-size="12"'


def _num(x: float) -> str:
    return f"{x:.1f}".rstrip("0").rstrip(".")


def stacked_bars(rows: Sequence[tuple[str, Sequence[tuple[str, int, str]]]], *, title: str,
                 width: int = 560, bar_height: int = 18, label_width: int = 150) -> Markup:
    """Horizontal stacked bars, one row per label.

    ``rows`` is ``[(row label, [(segment name, count, colour), ...]), ...]``; segment
    widths are proportional to the largest row total. Each segment carries a ``<title>``
    tooltip ("Reuters · agreed: 7").
    """
    total_max = max((sum(c for _, c, _ in segs) for _, segs in rows), default=0)
    gap = 6
    height = len(rows) * (bar_height + gap) + gap
    plot_w = width - label_width - 40
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="plot" role="img" width="{width}" '
        f'height="{height}" viewBox="0 0 {width} {height}"><title>{escape(title)}</title>'
    ]
    for i, (label, segs) in enumerate(rows):
        y = gap + i * (bar_height + gap)
        short = label if len(label) <= 22 else label[:21] + "…"
        parts.append(f'<text x="{label_width - 6}" y="{y + bar_height - 5}" text-anchor="end" {_FONT} '
                     f'fill="#343a40">{escape(short)}</text>')
        x = float(label_width)
        row_total = 0
        for name, count, colour in segs:
            if count <= 0 or total_max == 0:
                continue
            w = plot_w * count / total_max
            parts.append(
                f'<rect x="{_num(x)}" y="{y}" width="{_num(w)}" height="{bar_height}" fill="{escape(colour)}">'
                f"<title>{escape(label)} · {escape(name)}: {count}</title></rect>")
            x += w
            row_total += count
        parts.append(f'<text x="{_num(x + 4)}" y="{y + bar_height - 5}" {_FONT} fill="#495057">'
                     f"{row_total}</text>")
    parts.append("</svg>")
    return Markup("".join(parts))


def coverage_dots(columns: Sequence[str], present: Sequence[bool], *, counts: Sequence[int] = (),
                  size: int = 14) -> Markup:
    """One dot per outlet column: filled when the outlet covered the story.

    The story list draws this row for each story under a shared header of outlets, so the
    eye can run down a column and see which stories an outlet covered or skipped.
    """
    width = max(1, len(columns)) * size
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="dots" role="img" width="{width}" '
             f'height="{size}" viewBox="0 0 {width} {size}">']
    covered = [c for c, p in zip(columns, present, strict=True) if p]
    parts.append(f"<title>covered by: {escape(', '.join(covered) or 'none of these outlets')}</title>")
    r = size / 2 - 2
    for i, (col, is_there) in enumerate(zip(columns, present, strict=True)):
        cx = i * size + size / 2
        n = counts[i] if i < len(counts) else int(is_there)
        fill = "#1c7ed6" if is_there else "none"
        parts.append(f'<circle cx="{_num(cx)}" cy="{_num(size / 2)}" r="{_num(r)}" fill="{fill}" '
                     f'stroke="#1c7ed6" stroke-width="1.2"><title>{escape(col)}: '
                     f'{n} article(s)</title></circle>')
    parts.append("</svg>")
    return Markup("".join(parts))


def coverage_header(columns: Sequence[str], *, size: int = 14, height: int = 96) -> Markup:
    """Outlet names written upwards above the columns of :func:`coverage_dots`."""
    width = max(1, len(columns)) * size
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="dots-head" role="img" width="{width}" '
             f'height="{height}" viewBox="0 0 {width} {height}"><title>outlets</title>']
    for i, col in enumerate(columns):
        x = i * size + size / 2 + 4
        short = col if len(col) <= 16 else col[:15] + "…"
        parts.append(f'<text x="{_num(x)}" y="{height - 2}" transform="rotate(-60 {_num(x)} {height - 2})" '
                     f'font-family="system-ui, sans-serif" font-size="11" fill="#343a40">{escape(short)}'
                     f"<title>{escape(col)}</title></text>")
    parts.append("</svg>")
    return Markup("".join(parts))


def _parse_date(value: str | None) -> date | None:
    """ISO day, month (2018-11) or year (2019); weeks (2018-W48) map to their Monday."""
    if not value:
        return None
    try:
        if "-W" in value:
            year, week = value.split("-W", 1)
            return date.fromisocalendar(int(year), int(week[:2]), 1)
        bits = [int(b) for b in value[:10].split("-")]
        if len(bits) == 1:
            return date(bits[0], 1, 1)
        if len(bits) == 2:
            return date(bits[0], bits[1], 1)
        return date(bits[0], bits[1], bits[2])
    except (ValueError, TypeError):
        return None


def timeline_plot(entries: Sequence[dict[str, Any]], published: Sequence[tuple[str, str]], *,
                  width: int = 720) -> Markup | None:
    """Dated happenings (dots) and publication dates (triangles) on one time axis.

    ``entries`` are timeline entries (``date``, ``text``); ``published`` is
    ``[(outlet label, ISO date), ...]``. Returns ``None`` when nothing has a usable date.
    """
    points = [(d, e) for e in entries if (d := _parse_date(e.get("date"))) is not None]
    pubs = [(d, label) for label, iso in published if (d := _parse_date(iso)) is not None]
    if not points and not pubs:
        return None
    days = [d.toordinal() for d, _ in points] + [d.toordinal() for d, _ in pubs]
    lo, hi = min(days), max(days)
    if hi == lo:
        lo, hi = lo - 1, hi + 1
    margin = 40
    axis_y = 60
    height = 110

    def x_of(d: date) -> float:
        return margin + (width - 2 * margin) * (d.toordinal() - lo) / (hi - lo)

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="plot" role="img" width="{width}" '
        f'height="{height}" viewBox="0 0 {width} {height}"><title>Timeline</title>',
        f'<line x1="{margin}" y1="{axis_y}" x2="{width - margin}" y2="{axis_y}" stroke="#868e96"/>',
    ]
    for label_day in sorted({lo, hi}):
        d = date.fromordinal(label_day)
        parts.append(f'<text x="{_num(x_of(d))}" y="{axis_y + 34}" text-anchor="middle" {_FONT} '
                     f'fill="#495057">{d.isoformat()}</text>')
    stack: dict[int, int] = {}
    for d, e in points:
        level = stack.get(d.toordinal(), 0)
        stack[d.toordinal()] = level + 1
        cy = axis_y - 10 - 9 * min(level, 4)
        tip = f"{e.get('date')}: {e.get('text', '')}"
        parts.append(f'<circle cx="{_num(x_of(d))}" cy="{cy}" r="5" fill="#f08c00" stroke="#fff">'
                     f"<title>{escape(tip)}</title></circle>")
    for d, label in pubs:
        x = x_of(d)
        parts.append(f'<path d="M{_num(x - 6)} {axis_y + 14} L{_num(x + 6)} {axis_y + 14} L{_num(x)} '
                     f'{axis_y + 4} Z" fill="#1c7ed6"><title>{escape(label)} published {d.isoformat()}'
                     f"</title></path>")
    parts.append(f'<text x="{margin}" y="14" {_FONT} fill="#495057">● dated happening   '
                 f"▲ publication</text></svg>")
    return Markup("".join(parts))
