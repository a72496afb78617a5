"""The p-chart maths (charts/spc.py): limits, freeze, parts, gaps and each rule at its threshold."""

from __future__ import annotations

import json
import math
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from charts.spc import (
    COMMON_CAUSE,
    CONCERN,
    IMPROVEMENT,
    binomial_quantile,
    crossings_limit,
    p_chart,
    runs_limit,
    signal_sentences,
)


def half(*numerators: int | None):
    """Rows to be judged against CL = 0.5 with ``freeze=1``.

    The first row, 50/100, is the frozen baseline: CL = 0.5 and, with n = 100 everywhere,
    σ = √(0.5·0.5/100) = 0.05, so 2σ = 0.10 and 3σ = 0.15. That first point lies on CL, so it is
    never "useful" and never extends a run. Then one row of x/100 per numerator (None = a gap,
    0/0). Labels m01, m02, … so a test can name the points it expects.
    """
    rows = [("base", 50, 100)]
    for i, x in enumerate(numerators, start=1):
        rows.append((f"m{i:02d}", 0, 0) if x is None else (f"m{i:02d}", x, 100))
    return rows


def against_half(*numerators: int | None, **options):
    return p_chart(half(*numerators), freeze=1, **options)


def labels(*indexes: int) -> list[str]:
    return [f"m{i:02d}" for i in indexes]


ABOVE, BELOW = 52, 48  # within 1σ of CL = 0.5, on either side


# --- Limits -------------------------------------------------------------------------------------


def test_centre_line_and_limits_match_hand_worked_values():
    chart = p_chart([("a", 10, 100), ("b", 20, 100), ("c", 30, 200)])
    a, b, c = chart.points
    # CL = Σx/Σn = (10 + 20 + 30) / (100 + 100 + 200) = 60/400 = 0.15
    assert a.cl == b.cl == c.cl == pytest.approx(0.15)
    # σ_a = √(0.15 × 0.85 / 100) = √0.001275 = 0.0357071…
    assert a.sigma == pytest.approx(math.sqrt(0.001275))
    assert a.sigma == pytest.approx(0.0357071, abs=1e-7)
    # UCL_a = 0.15 + 3 × 0.0357071 = 0.2571214; LCL_a = 0.15 − 0.1071214 = 0.0428786
    assert a.ucl == pytest.approx(0.2571214, abs=1e-7)
    assert a.lcl == pytest.approx(0.0428786, abs=1e-7)
    # σ_c = √(0.1275 / 200) = 0.0252488; limits 0.15 ± 0.0757463
    assert c.sigma == pytest.approx(0.0252488, abs=1e-7)
    assert c.ucl == pytest.approx(0.2257463, abs=1e-7)
    assert c.lcl == pytest.approx(0.0742537, abs=1e-7)
    assert [a.p, b.p, c.p] == [0.1, 0.2, 0.15]
    assert chart.phases[0].cl == pytest.approx(0.15)


def test_limits_are_clipped_to_zero_and_one():
    low = p_chart([("a", 1, 10), ("b", 0, 10)]).points[0]
    # CL = 1/20 = 0.05; 3σ = 3√(0.05 × 0.95 / 10) = 0.2067607: LCL = 0.05 − 0.2068 < 0 → 0
    assert low.lcl == 0.0
    assert low.ucl == pytest.approx(0.05 + 3 * math.sqrt(0.05 * 0.95 / 10))
    high = p_chart([("a", 9, 10), ("b", 10, 10)]).points[0]
    # CL = 19/20 = 0.95: UCL = 0.95 + 0.2068 > 1 → 1
    assert high.ucl == 1.0
    assert high.lcl == pytest.approx(0.95 - 3 * math.sqrt(0.05 * 0.95 / 10))


def test_a_point_exactly_on_the_three_sigma_limit_is_not_outside():
    # CL 0.5, 3σ = 0.15: 65/100 and 35/100 lie exactly on the limits; 66 and 34 are beyond.
    chart = against_half(65, 35, 66, 34)
    assert [p.outside for p in chart.points] == [False, False, False, True, True]
    assert chart.outside == labels(3, 4)


def test_outside_points_are_improvement_above_and_concern_below_when_higher_is_better():
    chart = against_half(66, 34)
    assert [p.variation for p in chart.points[1:]] == [IMPROVEMENT, CONCERN]
    reversed_chart = against_half(66, 34, higher_is_better=False)
    assert [p.variation for p in reversed_chart.points[1:]] == [CONCERN, IMPROVEMENT]


def test_unflagged_points_are_common_cause():
    chart = against_half(ABOVE, BELOW, ABOVE)
    assert {p.variation for p in chart.points} == {COMMON_CAUSE}
    assert chart.signals == []


# --- Making Data Count: shift ------------------------------------------------------------------


def test_seven_points_in_a_row_on_one_side_is_a_shift():
    chart = against_half(*[ABOVE] * 7)
    assert chart.shift == labels(1, 2, 3, 4, 5, 6, 7)
    assert all(p.variation == IMPROVEMENT for p in chart.points[1:])


def test_six_points_in_a_row_on_one_side_is_not_a_shift():
    chart = against_half(*[ABOVE] * 6, BELOW)
    assert chart.shift == []


def test_seven_points_below_the_centre_line_is_a_shift_of_concern():
    chart = against_half(*[BELOW] * 7)
    assert chart.shift == labels(1, 2, 3, 4, 5, 6, 7)
    assert {p.variation for p in chart.points[1:]} == {CONCERN}


def test_a_point_on_the_centre_line_breaks_a_shift():
    chart = against_half(ABOVE, ABOVE, ABOVE, 50, ABOVE, ABOVE, ABOVE, ABOVE)
    assert chart.shift == []


# --- Making Data Count: trend (7 points, 6 rises or falls, as ptd_seven_point_trend) -----------


def test_seven_points_each_higher_than_the_one_before_is_a_trend():
    # base 50 → 44 is a fall, so the trend starts at m01: 7 points, 6 rises.
    chart = against_half(44, 46, 48, 50, 52, 54, 56)
    assert chart.trend == labels(1, 2, 3, 4, 5, 6, 7)
    # A rising trend is an improvement even where it is still below the centre line.
    assert {p.variation for p in chart.points[1:]} == {IMPROVEMENT}


def test_six_points_each_higher_than_the_one_before_is_not_a_trend():
    chart = against_half(45, 47, 49, 51, 53, 55)
    assert chart.trend == []


def test_a_tie_breaks_a_trend():
    chart = against_half(44, 46, 48, 48, 50, 52, 54)
    assert chart.trend == []


def test_seven_points_each_lower_is_a_falling_trend_of_concern():
    chart = against_half(56, 54, 52, 50, 48, 46, 44)
    assert chart.trend == labels(1, 2, 3, 4, 5, 6, 7)
    assert {p.variation for p in chart.points[1:]} == {CONCERN}
    assert [s.direction for s in chart.signals] == ["down"]


# --- Making Data Count: 2 of 3 beyond 2σ ---------------------------------------------------------


def test_two_of_three_points_beyond_two_sigma_on_one_side_flags_those_two():
    # 61/100 is 0.11 from CL: beyond 2σ (0.10), inside 3σ (0.15).
    chart = against_half(61, ABOVE, 61)
    assert chart.two_of_three == labels(1, 3)
    assert [p.variation for p in chart.points[1:]] == [IMPROVEMENT, COMMON_CAUSE, IMPROVEMENT]


def test_a_point_exactly_two_sigma_from_the_centre_line_does_not_count():
    assert against_half(60, ABOVE, 61).two_of_three == []
    assert against_half(39, BELOW, 39).two_of_three == labels(1, 3)


def test_a_point_beyond_three_sigma_does_not_count_towards_two_of_three():
    chart = against_half(61, 66, ABOVE)
    assert chart.two_of_three == []
    assert chart.outside == labels(2)
    both = against_half(61, 66, 61)
    assert both.two_of_three == labels(1, 3)


def test_two_of_three_needs_all_three_points_strictly_on_one_side():
    assert against_half(61, BELOW, 61).two_of_three == []
    assert against_half(61, 50, 61).two_of_three == []


def test_one_point_beyond_two_sigma_is_not_two_of_three():
    assert against_half(61, ABOVE, ABOVE).two_of_three == []


# --- Anhøj rules ---------------------------------------------------------------------------------


def test_a_run_longer_than_the_limit_signals_and_one_at_the_limit_does_not():
    # 12 useful points: limit round(log2 12) + 3 = round(3.585) + 3 = 7.
    longer = against_half(*[ABOVE] * 8, BELOW, ABOVE, BELOW, ABOVE).phases[0]
    assert (longer.n_useful, longer.longest_run, longer.longest_run_max) == (12, 8, 7)
    assert longer.runs_signal is True
    # 5 runs → 4 crossings; minimum qbinom(0.05, 11, 0.5) = 3: no crossings signal.
    assert (longer.crossings, longer.crossings_min, longer.crossings_signal) == (4, 3, False)
    at_limit = against_half(*[ABOVE] * 7, BELOW, ABOVE, BELOW, ABOVE, BELOW).phases[0]
    assert (at_limit.n_useful, at_limit.longest_run, at_limit.longest_run_max) == (12, 7, 7)
    assert at_limit.runs_signal is False


def test_the_runs_limit_rises_from_seven_to_eight_between_22_and_23_useful_points():
    # round(log2 22) = round(4.459) = 4 → 7; round(log2 23) = round(4.524) = 5 → 8.
    alternating = [BELOW, ABOVE] * 8
    among_22 = against_half(*[ABOVE] * 8, *alternating[:14]).phases[0]
    among_23 = against_half(*[ABOVE] * 8, *alternating[:15]).phases[0]
    assert (among_22.n_useful, among_22.longest_run_max, among_22.runs_signal) == (22, 7, True)
    assert (among_23.n_useful, among_23.longest_run_max, among_23.runs_signal) == (23, 8, False)


def test_too_few_crossings_signal_and_the_minimum_rises_between_13_and_14_useful_points():
    # Runs of 4, 3, 3, 3 (13 points) and 4, 3, 4, 3 (14 points): 3 crossings each.
    thirteen = against_half(*[ABOVE] * 4, *[BELOW] * 3, *[ABOVE] * 3, *[BELOW] * 3).phases[0]
    fourteen = against_half(*[ABOVE] * 4, *[BELOW] * 3, *[ABOVE] * 4, *[BELOW] * 3).phases[0]
    # qbinom(0.05, 12, 0.5) = 3, qbinom(0.05, 13, 0.5) = 4
    assert (thirteen.crossings, thirteen.crossings_min, thirteen.crossings_signal) == (3, 3, False)
    assert (fourteen.crossings, fourteen.crossings_min, fourteen.crossings_signal) == (3, 4, True)
    assert thirteen.runs_signal is fourteen.runs_signal is False


def test_points_on_the_centre_line_are_not_useful_and_do_not_break_an_anhoej_run():
    # qicharts2 drops points on CL before rle(): the two runs of 3 and 4 become one run of 7,
    # while Making Data Count's shift is broken by the same point.
    chart = against_half(ABOVE, ABOVE, ABOVE, 50, ABOVE, ABOVE, ABOVE, ABOVE)
    phase = chart.phases[0]
    assert (phase.n_useful, phase.longest_run, phase.crossings) == (7, 7, 0)
    assert chart.shift == []


def test_no_useful_points_gives_no_anhoej_values_and_no_signal():
    phase = against_half(50, 50).phases[0]
    assert phase.n_useful == 0
    assert (phase.longest_run, phase.longest_run_max, phase.crossings) == (None, None, None)
    assert phase.crossings_min is None
    assert phase.runs_signal is phase.crossings_signal is False


# qbinom(0.05, size, 0.5) in R, and the same by hand: the smallest k with Σ_{i≤k} C(size, i) ≥
# 2**size / 20. size 9: C = 1, 9, 36 → cumulative 1, 10, 46 and 512/20 = 25.6 → k = 2.
R_QBINOM_05_HALF = {
    0: 0,
    1: 0,
    4: 0,
    5: 1,
    8: 2,
    9: 2,
    10: 2,
    11: 3,
    12: 3,
    13: 4,
    17: 5,
    18: 6,
    19: 6,
    20: 6,
    21: 7,
    22: 7,
    23: 8,
    28: 10,
    29: 10,
    30: 11,
    39: 14,
    49: 19,
    99: 41,
}


@pytest.mark.parametrize(("size", "expected"), sorted(R_QBINOM_05_HALF.items()))
def test_binomial_quantile_matches_r_qbinom(size, expected):
    assert binomial_quantile(0.05, size, 0.5) == expected


def test_binomial_quantile_agrees_with_a_plain_integer_sum():
    for size in range(0, 60):
        cumulative = [sum(math.comb(size, i) for i in range(k + 1)) for k in range(size + 1)]
        expected = next(k for k, total in enumerate(cumulative) if 20 * total >= 2**size)
        assert binomial_quantile(0.05, size) == expected


def test_crossings_limit_is_qbinom_of_one_fewer_than_the_useful_points():
    # Anhøj's table: 10 useful points → at least 2 crossings, 20 → 6, 30 → 10.
    assert [crossings_limit(n) for n in (10, 20, 30)] == [2, 6, 10]


def test_runs_limit_rounds_log2_like_r():
    # R and Python both round half to even (round(2.5) == 2), and log2 of a whole number is
    # never exactly halfway, so the limit changes at 6, 12, 23 and 46 useful points.
    assert round(2.5) == 2 and round(3.5) == 4
    expected = {1: 3, 2: 4, 5: 5, 6: 6, 11: 6, 12: 7, 22: 7, 23: 8, 45: 8, 46: 9}
    assert {n: runs_limit(n) for n in expected} == expected


# --- Freeze and parts ----------------------------------------------------------------------------


def test_freeze_takes_the_centre_line_from_the_first_k_points_and_applies_it_to_all():
    rows = [("a", 10, 100), ("b", 20, 100), ("c", 60, 100)]
    frozen = p_chart(rows, freeze=2)
    # CL = (10 + 20) / 200 = 0.15 at every point; c (0.6) is far above UCL 0.2571.
    assert [p.cl for p in frozen.points] == [pytest.approx(0.15)] * 3
    assert frozen.outside == ["c"]
    assert frozen.freeze == 2
    assert p_chart(rows).points[0].cl == pytest.approx(0.3)  # (10 + 20 + 60) / 300


def test_frozen_rules_judge_every_point_against_the_frozen_centre_line():
    # Without freeze CL would be (50 + 4 × 51 + 3 × 52) / 800 = 0.5125 and the 51s would fall
    # below it; frozen at 0.5 all seven are above.
    chart = against_half(51, 51, 51, 51, ABOVE, ABOVE, ABOVE)
    assert chart.shift == labels(1, 2, 3, 4, 5, 6, 7)
    assert chart.phases[0].n_useful == 7
    assert p_chart(half(51, 51, 51, 51, ABOVE, ABOVE, ABOVE)).shift == []


@pytest.mark.parametrize("freeze", [0, 4, -1])
def test_freeze_outside_the_points_is_an_error(freeze):
    with pytest.raises(ValueError, match="freeze"):
        p_chart([("a", 1, 2), ("b", 1, 2), ("c", 1, 2)], freeze=freeze)


ROWS_FOR_PARTS = [("a", 10, 100), ("b", 20, 100), ("c", 50, 100), ("d", 60, 100)]


def test_a_part_starts_a_new_phase_at_its_label_with_its_own_centre_line():
    chart = p_chart(ROWS_FOR_PARTS, parts=["c"])
    assert [p.phase for p in chart.points] == [1, 1, 2, 2]
    # Phase 1: (10 + 20) / 200 = 0.15; phase 2: (50 + 60) / 200 = 0.55.
    assert [p.cl for p in chart.points] == pytest.approx([0.15, 0.15, 0.55, 0.55])
    assert [(ph.index, ph.first_label, ph.last_label) for ph in chart.phases] == [
        (1, "a", "b"),
        (2, "c", "d"),
    ]
    assert chart.parts == ["c"]


def test_parts_win_over_freeze():
    chart = p_chart(ROWS_FOR_PARTS, parts=["c"], freeze=1)
    assert [p.cl for p in chart.points] == pytest.approx([0.15, 0.15, 0.55, 0.55])
    assert chart.freeze is None


def test_a_part_at_the_first_label_starts_no_new_phase():
    chart = p_chart(ROWS_FOR_PARTS, parts=["a"])
    assert len(chart.phases) == 1
    assert chart.parts == []


def test_rules_apply_within_each_phase():
    rows = half(44, 46, 48, 50, 52, 54, 56)
    assert p_chart(rows, freeze=1).trend == labels(1, 2, 3, 4, 5, 6, 7)
    split = p_chart(rows, parts=["m05"])
    assert split.trend == []
    assert len(split.phases) == 2


def test_an_unknown_part_label_is_an_error_naming_it():
    with pytest.raises(ValueError, match="'2030-01' is not one of the chart's labels"):
        p_chart(ROWS_FOR_PARTS, parts=["2030-01"])


# --- Gaps, zero and full proportions, a single point --------------------------------------------


def test_a_gap_has_no_proportion_centre_line_limits_or_variation():
    gap = against_half(ABOVE, None, ABOVE).points[2]
    assert (gap.p, gap.cl, gap.lcl, gap.ucl, gap.sigma) == (None, None, None, None, None)
    assert gap.variation is None
    assert gap.outside is False


def test_a_gap_neither_breaks_nor_extends_a_shift():
    across_gap = against_half(ABOVE, ABOVE, ABOVE, None, ABOVE, ABOVE, ABOVE, ABOVE)
    assert across_gap.shift == labels(1, 2, 3, 5, 6, 7, 8)
    six_and_a_gap = against_half(ABOVE, ABOVE, ABOVE, None, ABOVE, ABOVE, ABOVE, BELOW)
    assert six_and_a_gap.shift == []


def test_a_gap_neither_breaks_nor_extends_a_trend_or_anhoej_run():
    chart = against_half(44, 46, 48, None, 50, 52, 54, 56)
    assert chart.trend == labels(1, 2, 3, 5, 6, 7, 8)
    assert chart.phases[0].n_useful == 6  # 7 points off the gap, one of them (50) on CL


def test_a_gap_does_not_separate_the_points_of_a_two_of_three_window():
    # The window is 52, 61, 61: the gap between the two 61s is skipped.
    assert against_half(ABOVE, 61, None, 61).two_of_three == labels(2, 4)


def test_all_zero_proportions_give_a_zero_centre_line_and_no_signal():
    chart = p_chart([("a", 0, 10), ("b", 0, 20)])
    assert [(p.p, p.cl, p.lcl, p.ucl, p.sigma) for p in chart.points] == [(0, 0, 0, 0, 0)] * 2
    assert chart.outside == [] and chart.signals == []
    assert chart.phases[0].n_useful == 0


def test_all_full_proportions_give_a_centre_line_of_one_and_no_signal():
    chart = p_chart([("a", 10, 10), ("b", 20, 20)])
    assert [(p.p, p.cl, p.lcl, p.ucl) for p in chart.points] == [(1, 1, 1, 1)] * 2
    assert chart.signals == []


def test_a_frozen_baseline_of_gaps_gives_no_centre_line_and_judges_nothing():
    chart = p_chart([("a", 0, 0), ("b", 1, 2), ("c", 2, 2)], freeze=1, target=0.5)
    assert [p.p for p in chart.points] == [None, 0.5, 1.0]
    assert {(p.cl, p.ucl, p.variation) for p in chart.points} == {(None, None, None)}
    assert chart.phases[0].cl is None and chart.assurance is None
    assert signal_sentences(chart) == ["No signals: only common-cause variation."]


def test_a_point_after_a_frozen_zero_centre_line_is_outside():
    chart = p_chart([("a", 0, 10), ("b", 1, 10)], freeze=1)
    assert chart.outside == ["b"]


def test_a_single_point_is_its_own_centre_line_with_no_signal():
    chart = p_chart([("only", 3, 12)])
    (point,) = chart.points
    assert point.p == point.cl == 0.25
    assert chart.phases[0].n_useful == 0
    assert signal_sentences(chart) == ["No signals: only common-cause variation."]


# --- Validation ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ([("a", 1, 2), ("jan", -1, 2)], "jan: numerator -1 is negative"),
        ([("feb", 0, -2)], "feb: denominator -2 is negative"),
        ([("mar", 3, 2)], "mar: numerator 3 is greater than denominator 2"),
        ([("apr", 1, 2), ("apr", 1, 2)], "apr: the label appears more than once"),
        ([("may", 1.5, 2)], "may: numerator 1.5 is not a whole number"),
        ([], "no points"),
    ],
)
def test_bad_rows_are_a_value_error_naming_the_label(rows, message):
    with pytest.raises(ValueError, match=message):
        p_chart(rows)


@pytest.mark.parametrize("target", [-0.1, 1.5])
def test_a_target_outside_zero_to_one_is_an_error(target):
    with pytest.raises(ValueError, match="target"):
        p_chart([("a", 1, 2)], target=target)


# --- Assurance -----------------------------------------------------------------------------------


def test_assurance_reads_the_target_against_the_limits_when_higher_is_better():
    # CL 0.5, limits 0.35 to 0.65 at every point.
    assert against_half(ABOVE).assurance is None
    assert against_half(ABOVE, target=0.3).assurance == "consistently_met"
    assert against_half(ABOVE, target=0.7).assurance == "consistently_missed"
    assert against_half(ABOVE, target=0.5).assurance == "either"
    assert against_half(ABOVE, target=0.65).assurance == "either"  # on the limit: not beyond


def test_assurance_is_reversed_when_lower_is_better():
    options = {"higher_is_better": False}
    assert against_half(ABOVE, target=0.3, **options).assurance == "consistently_missed"
    assert against_half(ABOVE, target=0.7, **options).assurance == "consistently_met"


def test_assurance_needs_the_target_beyond_the_limits_of_every_point_of_the_last_phase():
    # Phase 2 (c, d): CL = 60/110 = 0.5455; d's n of 10 gives LCL 0.5455 − 3√(0.5455 × 0.4545 / 10)
    # = 0.5455 − 0.4724 = 0.0731, below the target.
    rows = [("a", 10, 100), ("b", 20, 100), ("c", 55, 100), ("d", 5, 10)]
    assert p_chart(rows, parts=["c"], target=0.3).assurance == "either"
    # c alone: 0.55 ± 3√(0.55 × 0.45 / 100) = 0.55 ± 0.1492 → 0.4008 to 0.6992
    narrow = [("a", 10, 100), ("b", 20, 100), ("c", 55, 100), ("d", 55, 100)]
    assert p_chart(narrow, parts=["c"], target=0.3).assurance == "consistently_met"


# --- Signals in words ----------------------------------------------------------------------------


def month_name(label: str) -> str:
    year, month = label.split("-")
    return date(int(year), int(month), 1).strftime("%B %Y")


def monthly(numerators: list[int], first: tuple[int, int] = (2023, 1)) -> list:
    rows = []
    year, month = first
    for x in numerators:
        rows.append((f"{year}-{month:02d}", x, 100))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return rows


def test_a_shift_is_described_with_its_months_and_meaning():
    rows = [("2022-12", 50, 100), *monthly([48, 48, *[52] * 8])]
    chart = p_chart(rows, freeze=1)
    assert (
        "8 months in a row above the centre line from March 2023 to October 2023: "
        "a shift (an improvement)."
    ) in signal_sentences(chart, label_text=month_name)


def test_points_outside_the_limits_are_listed_by_side():
    rows = [("2021-05", 50, 100), ("2021-06", 70, 100), ("2021-07", 66, 100), ("2021-08", 20, 100)]
    sentences = signal_sentences(p_chart(rows, freeze=1), label_text=month_name)
    assert sentences[:2] == [
        "2 points outside the control limits, above the upper limit (an improvement): "
        "June 2021, July 2021.",
        "1 point outside the control limits, below the lower limit (a concern): August 2021.",
    ]


def test_a_trend_and_two_of_three_are_described():
    sentences = signal_sentences(against_half(56, 54, 52, 50, 48, 46, 44, 61, ABOVE, 61))
    assert (
        "7 months in a row each lower than the one before, from m01 to m07: a trend (a concern)."
    ) in sentences
    assert (
        "2 of 3 months in a row close to the upper control limit (between 2 and 3 sigma above "
        "the centre line): m08, m10 (an improvement)."
    ) in sentences


def test_anhoej_signals_are_described_with_their_limits():
    chart = against_half(*[BELOW] * 11, *[ABOVE] * 8)  # 19 useful points: limit 7, minimum 6
    sentences = signal_sentences(chart, unit="weeks")
    assert (
        "The longest run on one side of the centre line is 11 points below it, more than the 7 "
        "expected by chance: a sustained shift, a concern (Anhøj runs rule)."
    ) in sentences
    assert (
        "The line crosses the centre line once, fewer than the 6 expected by chance "
        "(Anhøj crossings rule)."
    ) in sentences
    assert "11 weeks in a row below the centre line from m01 to m11: a shift (a concern)." in (
        sentences
    )


def test_anhoej_sentences_name_the_phase_when_there_are_several():
    rows = half(*[BELOW] * 11, *[ABOVE] * 8, 50, 50)
    chart = p_chart(rows, parts=["m20"])
    sentences = signal_sentences(chart)
    assert any(s.startswith("From base to m19, the longest run") for s in sentences)


def test_no_signals_is_said_plainly():
    assert signal_sentences(against_half(ABOVE, BELOW)) == [
        "No signals: only common-cause variation."
    ]


def test_the_chart_as_a_dict_is_json_ready():
    chart = against_half(*[ABOVE] * 7, None, 66, target=0.3)
    data = json.loads(json.dumps(chart.to_dict()))
    assert data["shift"] == labels(1, 2, 3, 4, 5, 6, 7, 9)  # 66 is above CL too: a run of 8
    assert data["outside"] == labels(9)
    assert data["points"][8] == {
        "label": "m08",
        "numerator": 0,
        "denominator": 0,
        "p": None,
        "cl": None,
        "lcl": None,
        "ucl": None,
        "sigma": None,
        "outside": False,
        "phase": 1,
        "variation": None,
    }
    assert data["phases"][0]["longest_run"] == 8
    assert data["assurance"] == "consistently_met"  # 0.3 is below every LCL (0.35)
    assert {s["rule"] for s in data["signals"]} == {"shift", "outside"}


# --- Properties ----------------------------------------------------------------------------------


@st.composite
def charts(draw):
    size = draw(st.integers(min_value=1, max_value=25))
    rows = []
    for i in range(size):
        n = draw(st.integers(min_value=0, max_value=400))
        rows.append((f"p{i}", draw(st.integers(min_value=0, max_value=n)), n))
    freeze = draw(st.none() | st.integers(min_value=1, max_value=size))
    return p_chart(rows, freeze=freeze)


@given(charts())
def test_limits_lie_around_the_centre_line_within_zero_and_one(chart):
    for point in chart.points:
        if point.cl is not None:
            assert 0 <= point.lcl <= point.cl <= point.ucl <= 1
            assert 0 <= point.p <= 1


@given(charts())
def test_limits_widen_as_the_denominator_shrinks_for_the_same_centre_line(chart):
    judged = [p for p in chart.points if p.cl is not None]
    for big in judged:
        for small in judged:
            if big.phase == small.phase and small.denominator <= big.denominator:
                assert small.ucl >= big.ucl
                assert small.lcl <= big.lcl
                assert small.sigma >= big.sigma
