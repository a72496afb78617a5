"""Both renderers draw the one description: the SVG (for the PDF) and the Plotly figure (for the
page) get identical points, limits and signals from it. No database, no browser."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import date

import pytest

from charts.plotly_figure import plotly_figure
from charts.presenters import AnnotationInput, Baseline, build_pchart_figure
from charts.selectors import MeasureRow
from charts.svg import render_svg

SVG = "{http://www.w3.org/2000/svg}"
FIRST_YEAR = [10, 12, 9, 11, 10, 13, 9, 10, 11, 12, 10, 11]
SECOND_YEAR = [20, 21, 19, 22, 20, 21, 23, 20, 22, 21, 20, 22]


@pytest.fixture
def figure():
    rows = [MeasureRow(date(2021, m, 1), x, 40) for m, x in enumerate(FIRST_YEAR, start=1)]
    rows += [MeasureRow(date(2022, m, 1), x, 40) for m, x in enumerate(SECOND_YEAR, start=1)]
    rows[3] = MeasureRow(date(2021, 4, 1), 0, 0)  # a gap: no marker, lines broken
    rows[20] = MeasureRow(date(2022, 9, 1), 39, 40)  # far above the limits
    return build_pchart_figure(
        rows=rows,
        measure="big_i",
        scope_label="Newham & <Tower Hamlets>",
        baseline=Baseline(kind="phases", phase_months=(date(2022, 1, 1),)),
        target_percent=45,
        annotations=[AnnotationInput(date(2022, 1, 10), 'SU chairs all QI forums "now"')],
    )


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)  # noqa: S314 - our own markup, parsed to check it


def svg_points(root):
    return [
        el for el in root.iter() if el.get("class", "").startswith("point ") and el.get("data-p")
    ]


def test_svg_is_valid_xml_with_a_title_description_and_axis_labels(figure):
    root = parse(render_svg(figure, id_prefix="t"))
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == "t-title t-desc"
    title = root.find(f"{SVG}title")
    assert title.text == figure.title
    assert "Newham & <Tower Hamlets>" in title.text  # escaped in the markup, intact once parsed
    assert root.find(f"{SVG}desc").text == figure.description
    texts = [el.text for el in root.iter(f"{SVG}text")]
    assert "Projects with Big I (%)" in texts and "Month" in texts
    assert "Jan 2021" in texts and "0%" in texts


def test_svg_has_one_marker_per_point_with_its_signal_symbol(figure):
    root = parse(render_svg(figure))
    markers = svg_points(root)
    drawn = [p for p in figure.points if p.p is not None]
    assert len(markers) == len(drawn) == 23
    for marker, point in zip(markers, drawn, strict=True):
        assert marker.get("data-month") == point.label
        assert float(marker.get("data-p")) == point.p
        assert marker.get("data-signal") == point.signal
        assert marker.get("data-symbol") == point.style.symbol
        assert marker.get("fill") == point.style.colour
        expected_tag = "circle" if point.style.symbol == "circle" else "polygon"
        assert marker.tag == f"{SVG}{expected_tag}"
    outside = next(m for m in markers if m.get("data-month") == "2022-09")
    assert outside.get("data-signal") == "improvement"
    assert outside.get("data-symbol") == "triangle-up"
    assert outside.find(f"{SVG}title").text.startswith("September 2022: 97.5% (39 of 40")


def test_svg_limits_are_stepped_paths_per_phase(figure):
    root = parse(render_svg(figure))
    uppers = [el for el in root.iter(f"{SVG}path") if el.get("data-kind") == "ucl"]
    assert [el.get("data-phase") for el in uppers] == ["1", "2"]
    lines = [line for line in figure.lines if line.kind == "ucl"]
    for path, line in zip(uppers, lines, strict=True):
        segments = [
            [tuple(float(v) for v in pair.split(",")) for pair in part.split()]
            for part in path.get("data-values").split(" | ")
        ]
        assert segments == [list(segment) for segment in line.segments]
        # One "M" per segment (the gap in April 2021 breaks phase 1), "L" for every other corner.
        assert path.get("d").count("M") == len(line.segments)
        assert path.get("d").count("L") == sum(len(s) - 1 for s in line.segments)
    # Stepped: each corner pair is level, so the y coordinates come in equal pairs.
    ys = [float(y) for y in re.findall(r"[ML][\d.]+,([\d.]+)", uppers[1].get("d"))]
    assert ys[0::2] == ys[1::2]


def test_svg_draws_target_annotation_and_legend(figure):
    root = parse(render_svg(figure))
    target = next(el for el in root.iter(f"{SVG}line") if el.get("class") == "target")
    assert float(target.get("data-value")) == 0.45
    (note,) = [el for el in root.iter(f"{SVG}g") if el.get("class") == "annotation"]
    assert float(note.get("data-x")) == figure.annotations[0].x
    assert note.find(f"{SVG}text").text == '1. SU chairs all QI forums "now"'
    legend = next(el for el in root.iter(f"{SVG}g") if el.get("class") == "legend")
    assert "Special cause: improvement" in [t.text for t in legend.iter(f"{SVG}text")]


def test_compact_svg_keeps_the_data_and_drops_the_words(figure):
    root = parse(render_svg(figure, compact=True, width=440, height=220))
    assert len(svg_points(root)) == 23
    assert not [el for el in root.iter(f"{SVG}g") if el.get("class") == "legend"]
    assert "Month" not in [el.text for el in root.iter(f"{SVG}text")]


def plotly_points(fig):
    found = []
    for trace in fig["data"]:
        if trace.get("meta", {}).get("kind") == "points":
            symbol = trace["marker"]["symbol"]
            for x, y in zip(trace["x"], trace["y"], strict=True):
                found.append((x, y, symbol, trace["meta"]["signal"]))
    return sorted(found)


def test_plotly_and_svg_draw_identical_points_limits_and_signals(figure):
    fig = plotly_figure(figure)
    root = parse(render_svg(figure))

    from_svg = sorted(
        (int(m.get("data-x")), float(m.get("data-p")), m.get("data-symbol"), m.get("data-signal"))
        for m in svg_points(root)
    )
    from_description = sorted(
        (p.x, p.p, p.style.symbol, p.signal) for p in figure.points if p.p is not None
    )
    assert plotly_points(fig) == from_svg == from_description

    for kind in ("ucl", "cl", "lcl"):
        plotly_lines = [
            (t["meta"]["phase"], t["x"], t["y"])
            for t in fig["data"]
            if t.get("meta", {}).get("kind") == kind
        ]
        svg_lines = []
        for path in root.iter(f"{SVG}path"):
            if path.get("data-kind") != kind:
                continue
            xs, ys = [], []
            for index, part in enumerate(path.get("data-values").split(" | ")):
                if index:
                    xs.append(None)
                    ys.append(None)
                for pair in part.split():
                    x, y = pair.split(",")
                    xs.append(float(x))
                    ys.append(float(y))
            svg_lines.append((int(path.get("data-phase")), xs, ys))
        described = [
            (line.phase, *line.xy_with_breaks()) for line in figure.lines if line.kind == kind
        ]
        assert plotly_lines == svg_lines == described

    target = next(t for t in fig["data"] if t.get("meta", {}).get("kind") == "target")
    assert target["y"] == [0.45, 0.45]
    (shape,) = fig["layout"]["shapes"]
    assert shape["x0"] == shape["x1"] == figure.annotations[0].x
    assert fig["layout"]["annotations"][0]["text"] == figure.annotations[0].short_text
    assert fig["layout"]["yaxis"]["range"] == [0, figure.y_max]
    assert fig["layout"]["xaxis"]["tickvals"] == [x for x, _ in figure.x_ticks]


def test_plotly_data_line_is_broken_at_gaps(figure):
    fig = plotly_figure(figure)
    data_line = fig["data"][0]
    assert data_line["y"][3] is None
    assert data_line["connectgaps"] is False
    assert len(data_line["x"]) == 24


def test_the_plotly_figure_is_valid_in_plotlys_own_schema(figure):
    import plotly.graph_objects as go

    fig = plotly_figure(figure)
    # Raises ValueError on any property Plotly does not know (the page skips this: it is slow).
    validated = go.Figure(fig)
    assert len(validated.data) == len(fig["data"])
    assert {t.marker.symbol for t in validated.data if t.mode == "markers"} == {
        p.style.symbol for p in figure.points if p.style
    }
    assert validated.layout.yaxis.tickformat == ".0%"
    with pytest.raises(ValueError):
        go.Figure({"data": [{"type": "scatter", "colour": "red"}]})
