"""The p-chart as SVG markup, drawn in pure Python: for the PDF report and the small multiples.

Why not Plotly's own image export? Plotly's static export (kaleido) drives a headless
Chrome/Chromium: a web server would need a browser installed to make a PDF, and would fail
without one. WeasyPrint draws inline SVG as vectors, so this module writes the SVG itself from the
same ``PChartFigure`` the web page's Plotly chart is drawn from (``charts.presenters``): the same
points, centre line, stepped limits, signals (same marker symbols and colours), target and
annotations. No browser, no JavaScript, nothing outside the standard library.

The markup carries its data too (``data-*`` attributes), so tests and readers of the PDF source
can check what was drawn against the description. Presentation attributes only (no ``style``
attributes), so the strict Content Security Policy of the web pages allows it inline.
"""

from __future__ import annotations

from xml.sax.saxutils import escape, quoteattr

from charts.presenters import (
    ANNOTATION_COLOUR,
    LINE_COLOURS,
    STYLES,
    TARGET_COLOUR,
    FigurePoint,
    PChartFigure,
    percent_text,
)

FONT = "Arial, Helvetica, sans-serif"


def _n(value: float) -> str:
    """A coordinate with two decimals and no trailing zeros."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _attrs(**attributes) -> str:
    parts = []
    for name, value in attributes.items():
        if value is None:
            continue
        parts.append(f"{name.rstrip('_').replace('_', '-')}={quoteattr(str(value))}")
    return " ".join(parts)


def marker(symbol: str, cx: float, cy: float, size: float) -> tuple[str, str]:
    """(element name, geometry attributes) of a marker: the same shapes as Plotly's symbols."""
    if symbol == "circle":
        return "circle", f'cx="{_n(cx)}" cy="{_n(cy)}" r="{_n(size / 2)}"'
    half = size / 2
    if symbol == "triangle-up":
        corners = [(cx, cy - half), (cx - half, cy + half * 0.8), (cx + half, cy + half * 0.8)]
    elif symbol == "triangle-down":
        corners = [(cx, cy + half), (cx - half, cy - half * 0.8), (cx + half, cy - half * 0.8)]
    else:
        raise ValueError(f"no SVG shape for the symbol {symbol!r}")
    return "polygon", 'points="' + " ".join(f"{_n(x)},{_n(y)}" for x, y in corners) + '"'


def render_svg(
    figure: PChartFigure,
    *,
    width: int = 760,
    height: int = 420,
    id_prefix: str = "pchart",
    compact: bool = False,
) -> str:
    """The chart as one ``<svg>`` element (a string of markup, safe to put in a page as it is).

    ``compact`` draws a small multiple: smaller type, no axis titles, legend or annotation
    text (annotation lines stay), fewer tick labels.
    """
    count = max(len(figure.points), 1)
    font = 10 if compact else 12
    note_rows = 0 if compact else min(len(figure.annotations), 3)
    left = 44 if compact else 66
    right = 10 if compact else 16
    top = 10 + note_rows * (font + 4)
    bottom = 24 if compact else 78
    plot_w = width - left - right
    plot_h = height - top - bottom
    y_max = figure.y_max or 1.0

    def sx(x: float) -> float:
        return left + (x + 0.5) / count * plot_w

    def sy(y: float) -> float:
        return top + plot_h - y / y_max * plot_h

    title_id, desc_id = f"{id_prefix}-title", f"{id_prefix}-desc"
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" '
        f'aria-labelledby="{title_id} {desc_id}" class="pchart-svg" '
        f'font-family="{FONT}" font-size="{font}" data-measure="{escape(figure.measure)}">',
        f'<title id="{title_id}">{escape(figure.title)}</title>',
        f'<desc id="{desc_id}">{escape(figure.description)}</desc>',
        f'<rect x="0" y="0" width="{width}" height="{height}" fill="#ffffff"/>',
    ]

    # Y axis: gridlines and labels every 10% (every 20% when the axis is tall or small).
    step = 0.1 if y_max <= 0.5 and not compact else 0.2
    out.append('<g class="axis axis--y">')
    ticks = int(round(y_max / step))
    for i in range(ticks + 1):
        value = round(i * step, 4)
        if value > y_max + 1e-9:
            break
        y = sy(value)
        out.append(
            f'<line x1="{_n(left)}" x2="{_n(left + plot_w)}" y1="{_n(y)}" y2="{_n(y)}" '
            'stroke="#E8EDEE" stroke-width="1"/>'
        )
        out.append(
            f'<text x="{_n(left - 6)}" y="{_n(y + font / 3)}" text-anchor="end" '
            f'fill="#212B32">{percent_text(value, 0)}</text>'
        )
    if not compact:
        mid = top + plot_h / 2
        out.append(
            f'<text class="axis-title" x="16" y="{_n(mid)}" text-anchor="middle" '
            f'transform="rotate(-90 16 {_n(mid)})" fill="#212B32">{escape(figure.y_title)}</text>'
        )
    out.append("</g>")

    # X axis: the baseline and the tick labels.
    out.append('<g class="axis axis--x">')
    out.append(
        f'<line x1="{_n(left)}" x2="{_n(left + plot_w)}" y1="{_n(top + plot_h)}" '
        f'y2="{_n(top + plot_h)}" stroke="#4C6272" stroke-width="1"/>'
    )
    x_ticks = figure.x_ticks
    if compact and len(x_ticks) > 3:
        x_ticks = x_ticks[:: -(-len(x_ticks) // 3)]
    for x, text in x_ticks:
        px = sx(x)
        out.append(
            f'<line x1="{_n(px)}" x2="{_n(px)}" y1="{_n(top + plot_h)}" '
            f'y2="{_n(top + plot_h + 4)}" stroke="#4C6272" stroke-width="1"/>'
        )
        out.append(
            f'<text x="{_n(px)}" y="{_n(top + plot_h + 6 + font)}" text-anchor="middle" '
            f'fill="#212B32">{escape(text)}</text>'
        )
    if not compact:
        out.append(
            f'<text class="axis-title" x="{_n(left + plot_w / 2)}" '
            f'y="{_n(top + plot_h + 12 + 2 * font)}" text-anchor="middle" '
            f'fill="#212B32">{escape(figure.x_title)}</text>'
        )
    out.append("</g>")

    # Target, then the centre line and limits (stepped), phase by phase.
    if figure.target is not None:
        y = sy(figure.target)
        out.append(
            f'<line class="target" data-value="{figure.target!r}" x1="{_n(left)}" '
            f'x2="{_n(left + plot_w)}" y1="{_n(y)}" y2="{_n(y)}" stroke="{TARGET_COLOUR}" '
            'stroke-width="2" stroke-dasharray="6 4"/>'
        )
    for line in figure.lines:
        d = " ".join(
            "M" + " L".join(f"{_n(sx(x))},{_n(sy(y))}" for x, y in segment)
            for segment in line.segments
        )
        values = " | ".join(
            " ".join(f"{x!r},{y!r}" for x, y in segment) for segment in line.segments
        )
        # The same dashes as the Plotly chart: limits dotted, CL solid or long dashes (Anhøj).
        dash = "10 5" if line.dashed else ("2 3" if line.kind != "cl" else None)
        kind_class = {"cl": "centre-line", "ucl": "limit limit--upper", "lcl": "limit limit--lower"}
        out.append(
            "<path "
            + _attrs(
                class_=kind_class[line.kind],
                data_kind=line.kind,
                data_phase=line.phase,
                data_values=values,
                d=d,
                fill="none",
                stroke=LINE_COLOURS[line.kind],
                stroke_width=2 if line.kind == "cl" else 1.5,
                stroke_dasharray=dash,
            )
            + "/>"
        )

    # The data line, broken at gaps.
    segments: list[list[FigurePoint]] = [[]]
    for point in figure.points:
        if point.p is None:
            segments.append([])
        else:
            segments[-1].append(point)
    d = " ".join(
        "M" + " L".join(f"{_n(sx(p.x))},{_n(sy(p.p))}" for p in segment)
        for segment in segments
        if segment
    )
    if d:
        out.append(
            f'<path class="data-line" d="{d}" fill="none" stroke="{LINE_COLOURS["data"]}" '
            'stroke-width="1.5"/>'
        )

    # Annotations: a vertical line at the date; the text above the plot (not on small charts).
    for index, note in enumerate(figure.annotations):
        x = sx(note.x)
        out.append(
            f'<g class="annotation" data-x="{note.x!r}" data-date="{note.date:%Y-%m-%d}">'
            f'<line x1="{_n(x)}" x2="{_n(x)}" y1="{_n(top)}" y2="{_n(top + plot_h)}" '
            f'stroke="{ANNOTATION_COLOUR}" stroke-width="1.5" stroke-dasharray="6 3 2 3"/>'
        )
        if not compact:
            row = index % 3
            ty = 10 + row * (font + 4) + font - 2
            anchor = "end" if x > left + plot_w * 0.7 else "start"
            out.append(
                f'<text x="{_n(x + (3 if anchor == "start" else -3))}" y="{_n(ty)}" '
                f'text-anchor="{anchor}" fill="{ANNOTATION_COLOUR}">'
                f"{escape(note.short_text)}</text>"
            )
        out.append("</g>")

    # The points: one marker each (gaps have none), shaped and coloured by their signal.
    out.append('<g class="points">')
    for point in figure.points:
        style = point.style
        if point.p is None or style is None:
            continue
        size = (7 if style.key == "common" else 11) * (0.8 if compact else 1)
        element, geometry = marker(style.symbol, sx(point.x), sy(point.p), size)
        out.append(
            f"<{element} "
            + _attrs(
                class_=f"point point--{style.key}",
                data_month=point.label,
                data_x=point.x,
                data_p=repr(point.p),
                data_signal=style.key,
                data_symbol=style.symbol,
            )
            + f' {geometry} fill="{style.colour}" stroke="#ffffff" stroke-width="1">'
            f"<title>{escape(point.hover_text)}</title></{element}>"
        )
    out.append("</g>")

    if not compact:
        out.append(_legend(figure, left, height - 26, height - 8, font))
    out.append("</svg>")
    return "\n".join(out)


def _legend(figure: PChartFigure, x: float, y: float, y2: float, font: int) -> str:
    """A key under the chart: each marker's shape and meaning (row ``y``), the lines (``y2``)."""
    items = ['<g class="legend">']
    start = x
    used = {p.signal for p in figure.points if p.signal}
    for key, style in STYLES.items():
        if key not in used:
            continue
        element, geometry = marker(style.symbol, x + 6, y - font / 3, 10)
        items.append(
            f'<{element} {geometry} fill="{style.colour}" stroke="#ffffff" stroke-width="1"/>'
            f'<text x="{_n(x + 16)}" y="{_n(y)}" fill="#212B32">{escape(style.label)}</text>'
        )
        x += 24 + len(style.label) * font * 0.52
    x, y = start, y2
    for kind, label, dash in (("cl", "Centre line", None), ("ucl", "Control limits", "2 3")):
        items.append(
            f'<line x1="{_n(x)}" x2="{_n(x + 18)}" y1="{_n(y - font / 3)}" y2="{_n(y - font / 3)}" '
            f'stroke="{LINE_COLOURS[kind]}" stroke-width="2"'
            + (f' stroke-dasharray="{dash}"' if dash else "")
            + f'/><text x="{_n(x + 22)}" y="{_n(y)}" fill="#212B32">{label}</text>'
        )
        x += 30 + len(label) * font * 0.52
    if figure.target is not None:
        items.append(
            f'<line x1="{_n(x)}" x2="{_n(x + 18)}" y1="{_n(y - font / 3)}" y2="{_n(y - font / 3)}" '
            f'stroke="{TARGET_COLOUR}" stroke-width="2" stroke-dasharray="6 4"/>'
            f'<text x="{_n(x + 22)}" y="{_n(y)}" fill="#212B32">Target</text>'
        )
    items.append("</g>")
    return "".join(items)
