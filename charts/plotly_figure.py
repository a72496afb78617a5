"""The web page's renderer: a ``PChartFigure`` as a Plotly figure (JSON for plotly.js).

Everything drawn comes from the figure description (``charts.presenters``); nothing is computed
here but the mapping to Plotly's traces. The SVG renderer (``charts.svg``) draws the same
description for the PDF.

The figure is built as plain dicts in Plotly's figure schema rather than through
``plotly.graph_objects``: validating a figure object costs about 70 ms per chart, more than the
whole page may take. The tests validate every figure shape with ``plotly.graph_objects.Figure``
instead, so a key Plotly does not know fails there, not on a reader's page.
"""

from __future__ import annotations

from charts.presenters import (
    ANNOTATION_COLOUR,
    LINE_COLOURS,
    STYLES,
    TARGET_COLOUR,
    PChartFigure,
    percent_text,
)

LINE_NAMES = {"cl": "Centre line", "ucl": "Upper control limit", "lcl": "Lower control limit"}
# Limits dotted, the centre line solid (long dashes where an Anhøj rule fires, as qicharts2 marks
# it), the target dashed: each line tells itself apart without colour. charts.svg draws the same.
LINE_DASH = {"cl": "solid", "ucl": "dot", "lcl": "dot"}
FONT = "Arial, Helvetica, sans-serif"  # the NHS.UK frontend's own fallback for Frutiger


def plotly_figure(figure: PChartFigure) -> dict:
    """The Plotly figure as plain JSON-ready dicts and lists (data, layout)."""
    traces: list[dict] = []
    count = len(figure.points)

    # The series itself, joined point to point and broken at gaps (months with no project).
    traces.append(
        _scatter(
            x=[p.x for p in figure.points],
            y=[p.p for p in figure.points],
            mode="lines",
            line={"color": LINE_COLOURS["data"], "width": 1.5},
            name=f"Projects with {figure.measure_label}",
            connectgaps=False,
            hoverinfo="skip",
            showlegend=False,
        )
    )

    shown: set[str] = set()
    for line in figure.lines:
        xs, ys = line.xy_with_breaks()
        traces.append(
            _scatter(
                x=xs,
                y=ys,
                mode="lines",
                line={
                    "color": LINE_COLOURS[line.kind],
                    "width": 2 if line.kind == "cl" else 1.5,
                    "dash": LINE_DASH[line.kind] if not line.dashed else "longdash",
                },
                name=LINE_NAMES[line.kind],
                legendgroup=line.kind,
                showlegend=line.kind not in shown,
                hoverinfo="skip",
                meta={"kind": line.kind, "phase": line.phase},
            )
        )
        shown.add(line.kind)

    if figure.target is not None:
        traces.append(
            _scatter(
                x=[-0.5, count - 0.5],
                y=[figure.target, figure.target],
                mode="lines",
                line={"color": TARGET_COLOUR, "width": 2, "dash": "dash"},
                name=f"Target {percent_text(figure.target, 0)}",
                hoverinfo="skip",
                meta={"kind": "target"},
            )
        )

    # One marker trace per kind of point: each has its own symbol as well as its own colour.
    for style in STYLES.values():
        chosen = [p for p in figure.points if p.signal == style.key]
        if not chosen:
            continue
        traces.append(
            _scatter(
                x=[p.x for p in chosen],
                y=[p.p for p in chosen],
                mode="markers",
                marker={
                    "symbol": style.symbol,
                    "color": style.colour,
                    "size": 8 if style.key == "common" else 12,
                    "line": {"color": "#ffffff", "width": 1},
                },
                name=style.label,
                text=[p.hover_text for p in chosen],
                hovertemplate="%{text}<extra></extra>",
                meta={"kind": "points", "signal": style.key},
            )
        )

    shapes = []
    notes = []
    for index, note in enumerate(figure.annotations):
        shapes.append(
            {
                "type": "line",
                "x0": note.x,
                "x1": note.x,
                "xref": "x",
                "y0": 0,
                "y1": 1,
                "yref": "paper",
                "line": {"color": ANNOTATION_COLOUR, "width": 1.5, "dash": "dashdot"},
            }
        )
        notes.append(
            {
                "x": note.x,
                "xref": "x",
                "y": 1.02 + 0.07 * (index % 3),
                "yref": "paper",
                "text": note.short_text,
                "hovertext": f"{note.date:%-d %B %Y}: {note.text}",
                "showarrow": False,
                "xanchor": "left",
                "yanchor": "bottom",
                "font": {"size": 12, "color": ANNOTATION_COLOUR, "family": FONT},
            }
        )

    top = 40 + (24 * min(len(figure.annotations), 3))
    layout = dict(
        font={"family": FONT, "size": 14, "color": "#212B32"},
        margin={"l": 70, "r": 20, "t": top, "b": 60},
        height=460,
        hovermode="closest",
        xaxis={
            "title": {"text": figure.x_title},
            "range": [-0.5, count - 0.5],
            "tickmode": "array",
            "tickvals": [x for x, _ in figure.x_ticks],
            "ticktext": [text for _, text in figure.x_ticks],
            "showgrid": False,
            "zeroline": False,
            "fixedrange": True,
        },
        yaxis={
            "title": {"text": figure.y_title},
            "range": [0, figure.y_max],
            "tickformat": ".0%",
            "gridcolor": "#E8EDEE",
            "zeroline": False,
            "fixedrange": True,
        },
        legend={"orientation": "h", "x": 0, "y": -0.2, "yanchor": "top"},
        shapes=shapes,
        annotations=notes,
        plot_bgcolor="#ffffff",
        paper_bgcolor="#ffffff",
    )
    return {"data": traces, "layout": layout}


def _scatter(**attributes) -> dict:
    return {"type": "scatter", **attributes}


PLOTLY_CONFIG = {
    # No mode bar: its buttons are not needed (the CSV download is on the page) and its image
    # export would need blob: URLs the Content Security Policy does not allow.
    "displayModeBar": False,
    "responsive": True,
    "displaylogo": False,
}
