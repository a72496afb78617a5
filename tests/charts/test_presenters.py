"""The one description of a chart (charts/presenters.py): the same numbers as spc.py, with the
reader's options, saved phases and annotations applied. No database."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest

from charts import spc
from charts.presenters import (
    CONCERN,
    IMPROVEMENT,
    STYLES,
    AnnotationInput,
    Baseline,
    FigureInputError,
    build_pchart_figure,
    label_text,
    month_text,
)
from charts.selectors import MeasureRow

# 24 months of 40 active projects: about a quarter with Big I in 2021, about half in 2022.
FIRST_YEAR = [10, 12, 9, 11, 10, 13, 9, 10, 11, 12, 10, 11]
SECOND_YEAR = [20, 21, 19, 22, 20, 21, 23, 20, 22, 21, 20, 22]


def series(first=FIRST_YEAR, second=SECOND_YEAR, n=40) -> list[MeasureRow]:
    rows = [MeasureRow(date(2021, m, 1), x, n) for m, x in enumerate(first, start=1)]
    rows += [MeasureRow(date(2022, m, 1), x, n) for m, x in enumerate(second, start=1)]
    return rows


def spc_rows(rows):
    return [(f"{r.month:%Y-%m}", r.numerator, r.denominator) for r in rows]


def figure(rows=None, **options):
    options.setdefault("measure", "big_i")
    options.setdefault("scope_label", "Whole trust")
    return build_pchart_figure(rows=series() if rows is None else rows, **options)


def test_points_centre_line_and_limits_are_exactly_spcs():
    chart = spc.p_chart(spc_rows(series()))
    built = figure()
    assert len(built.points) == 24
    for point, expected in zip(built.points, chart.points, strict=True):
        assert point.label == expected.label
        assert (point.numerator, point.denominator) == (expected.numerator, expected.denominator)
        assert (point.p, point.cl, point.lcl, point.ucl) == (
            expected.p,
            expected.cl,
            expected.lcl,
            expected.ucl,
        )
        assert point.phase == expected.phase
    # CL = (128 + 251) / 960, as worked by hand in tests/charts/test_pchart_command.py.
    assert built.points[0].cl == pytest.approx(379 / 960)
    assert built.points[0].month_text == "January 2021"
    assert built.points[0].x == 0 and built.points[-1].x == 23


def test_limits_are_steps_across_each_months_cell():
    built = figure()
    upper = next(line for line in built.lines if line.kind == "ucl")
    (segment,) = upper.segments
    assert len(segment) == 48
    for point in built.points:
        assert segment[2 * point.x] == (point.x - 0.5, point.ucl)
        assert segment[2 * point.x + 1] == (point.x + 0.5, point.ucl)
    assert {line.kind for line in built.lines} == {"ucl", "cl", "lcl"}


def test_a_month_with_no_projects_is_a_gap_that_breaks_the_lines():
    rows = series()
    rows[5] = MeasureRow(rows[5].month, 0, 0)
    built = figure(rows)
    gap = built.points[5]
    assert gap.p is None and gap.cl is None and gap.signal is None
    assert gap.signal_words == "No active projects"
    centre = next(line for line in built.lines if line.kind == "cl")
    assert [len(s) for s in centre.segments] == [10, 36]
    xs, ys = centre.xy_with_breaks()
    assert xs[10] is None and ys[10] is None


def test_the_shift_of_the_second_year_is_a_signal_with_its_symbol_and_colour():
    built = figure(rule_set="mdc")
    first, last = built.points[0], built.points[-1]
    # All of 2021 sits below the centre line and all of 2022 above it: two shifts of 12.
    assert first.signal == CONCERN and "shift" in first.rules
    assert last.signal == IMPROVEMENT and "shift" in last.rules
    assert first.style.symbol == "triangle-down" and last.style.symbol == "triangle-up"
    assert first.style.colour != last.style.colour
    assert "12 months in a row above the centre line from January 2022 to December 2022: a " in (
        " ".join(built.sentences)
    )


def test_each_kind_of_point_has_its_own_symbol_and_colour():
    assert len({s.symbol for s in STYLES.values()}) == len(STYLES)
    assert len({s.colour for s in STYLES.values()}) == len(STYLES)


def test_rule_sets_choose_which_signals_are_marked_and_listed():
    anhoej = figure(rule_set="anhoej")
    mdc = figure(rule_set="mdc")
    both = figure(rule_set="both")
    # The Anhøj runs rule flags the points of the over-long run; Making Data Count the shift.
    assert all("runs" in p.rules and "shift" not in p.rules for p in anhoej.points)
    assert all("shift" in p.rules and "runs" not in p.rules for p in mdc.points)
    assert all({"shift", "runs"} <= set(p.rules) for p in both.points)
    assert any("Anhøj" in s for s in anhoej.sentences)
    assert not any("Anhøj" in s for s in mdc.sentences)
    assert not any("a shift (" in s for s in anhoej.sentences)
    assert any("Anhøj" in s for s in both.sentences)
    assert any("a shift (" in s for s in both.sentences)
    # A centre line is dashed where an Anhøj rule fires, and only when Anhøj rules are chosen.
    assert any(line.dashed for line in anhoej.lines)
    assert not any(line.dashed for line in mdc.lines)


def test_no_signal_in_a_steady_series_says_so():
    steady = [MeasureRow(date(2021, m, 1), x, 40) for m, x in enumerate([10, 11] * 6, start=1)]
    built = figure(steady)
    assert {p.signal for p in built.points} == {"common"}
    assert built.sentences == ("No signals: only common-cause variation.",)


def test_saved_phases_become_parts_with_their_own_centre_lines():
    built = figure(baseline=Baseline(kind="phases", phase_months=(date(2022, 1, 1),)))
    chart = spc.p_chart(spc_rows(series()), parts=["2022-01"])
    assert built.phase_labels == ("2022-01",)
    assert [p.cl for p in built.points] == [p.cl for p in chart.points]
    assert built.points[0].cl == pytest.approx(128 / 480)
    assert built.points[-1].cl == pytest.approx(251 / 480)
    assert [p.phase for p in built.points] == [1] * 12 + [2] * 12
    assert [line.phase for line in built.lines if line.kind == "cl"] == [1, 2]
    assert "New phases start in January 2022" in built.baseline_text


def test_saved_phases_outside_the_range_are_not_used_but_typed_ones_are_an_error():
    outside = (date(2019, 5, 1), date(2021, 1, 1))  # before the range; at its first month
    lenient = figure(baseline=Baseline(kind="phases", phase_months=outside, strict=False))
    assert lenient.phase_labels == ()
    assert {p.phase for p in lenient.points} == {1}
    assert "no phase starts within them" in lenient.baseline_text
    with pytest.raises(FigureInputError) as error:
        figure(baseline=Baseline(kind="phases", phase_months=(date(2019, 5, 1),)))
    assert error.value.field == "phases"
    assert "May 2019 is not one of the chart's months (January 2021 to December 2022)" in str(
        error.value
    )


def test_freeze_uses_the_first_months_only_and_cannot_exceed_the_series():
    built = figure(baseline=Baseline(kind="freeze", freeze=12))
    assert [p.cl for p in built.points] == [128 / 480] * 24
    assert [p.ucl for p in built.points] == [
        p.ucl for p in spc.p_chart(spc_rows(series()), freeze=12).points
    ]
    with pytest.raises(FigureInputError) as error:
        figure(baseline=Baseline(kind="freeze", freeze=25))
    assert error.value.field == "freeze"
    assert error.value.message == "The chart has 24 months: freeze at most 24, not 25."


def test_annotations_sit_at_their_date_and_outside_ones_are_left_out():
    notes = [
        AnnotationInput(date(2022, 3, 16), "SU chairs all QI forums", "Whole trust"),
        AnnotationInput(date(2021, 1, 1), "Recruitment event", "Newham"),
        AnnotationInput(date(2020, 6, 1), "Too early to show", "Whole trust"),
    ]
    built = figure(annotations=notes)
    first, second = built.annotations
    assert (first.number, first.text, first.x) == (1, "Recruitment event", -0.5)
    # March 2022 is month 14; the 16th is 15/31 of the way through it.
    assert second.x == pytest.approx(14 - 0.5 + 15 / 31, abs=1e-4)
    assert second.short_text == "2. SU chairs all QI forums"
    assert second.scope_label == "Whole trust"


def test_target_gives_the_assurance_reading_in_words():
    phases = Baseline(kind="phases", phase_months=(date(2022, 1, 1),))
    met = figure(target_percent=5, baseline=phases)
    assert met.target == 0.05
    assert met.assurance == spc.CONSISTENTLY_MET
    assert met.sentences[-1].startswith("Target 5%: consistently met")
    missed = figure(target_percent=90)
    assert missed.sentences[-1].startswith("Target 90%: consistently missed")
    either = figure(target_percent=40)
    assert "hit and miss" in either.sentences[-1]
    assert either.y_max >= 0.4


def test_csv_rows_read_back_as_the_plotted_numbers():
    built = figure(baseline=Baseline(kind="freeze", freeze=6))
    reader = csv.DictReader(io.StringIO("\n".join(",".join(r) for r in built.csv_rows())))
    rows = list(reader)
    assert reader.fieldnames[:3] == ["month", "numerator", "denominator"]
    assert len(rows) == len(built.points)
    for row, point in zip(rows, built.points, strict=True):
        assert row["month"] == point.label
        assert int(row["numerator"]) == point.numerator
        assert float(row["p"]) == point.p
        assert float(row["cl"]) == point.cl
        assert float(row["lcl"]) == point.lcl
        assert float(row["ucl"]) == point.ucl
        assert row["signal"] == point.signal


def test_no_months_or_no_active_projects_make_an_empty_figure():
    nothing = figure([])
    assert nothing.points == () and nothing.empty
    gaps = figure([MeasureRow(date(2021, m, 1), 0, 0) for m in (1, 2, 3)])
    assert gaps.empty
    assert gaps.sentences == ()
    assert "nothing to chart" in gaps.description


def test_description_and_labels_are_plain_words():
    built = figure(measure="any", scope_label="Newham")
    assert built.title == "Percentage of active projects with Big I or little i: Newham"
    assert built.y_title == "Projects with Big I or little i (%)"
    assert built.description.startswith(
        "P-chart of the percentage of active QI projects with Big I or little i, Newham, "
        "January 2021 to December 2022 (24 months)."
    )
    assert label_text("2023-03") == "March 2023" == month_text(date(2023, 3, 1))
    assert [text for _, text in built.x_ticks][:2] == ["Jan 2021", "Apr 2021"]


def test_unknown_measure_or_rule_set_is_refused():
    with pytest.raises(FigureInputError):
        figure(measure="everything")
    with pytest.raises(FigureInputError):
        figure(rule_set="astrology")
