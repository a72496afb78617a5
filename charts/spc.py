"""The p-chart: centre line, control limits and signals, in pure Python.

This module imports nothing from Django or the project (standard library only), so analysts can
check it against their own tools and the web page, PDF and ``manage.py pchart`` share one copy.

A chart is built from rows ``(label, numerator, denominator)`` in time order:

* p = x / n for each point; CL = Σx / Σn over the baseline; σᵢ = √(CL·(1 − CL) / nᵢ);
  limits CL ± 3σᵢ clipped to [0, 1] (qicharts2 ``qic.p`` in R/helper.functions.R).
* ``freeze=k``: CL from the first k points, applied to every point; the rules judge every point
  against that frozen CL. ``parts=[labels]``: a new phase starts at each label (the label is the
  first point of the new phase), each phase with its own CL, limits and rules. Given both, parts
  win and freeze is ignored, as qicharts2 does (R/qic.R: ``if (is.null(freeze) ||
  !is.null(break.points)) freeze <- Inf``; its documentation: "Ignored if break.points argument is
  given").
* A point with n = 0 is a gap: its p, CL, limits and σ are None, and every rule skips it — it
  neither breaks nor extends a run, a shift, a trend or a 2-of-3 window (the rules run on the
  phase's points with n > 0, in order). A baseline made only of gaps has no centre line: its
  points keep their p, but CL, limits, σ and variation are None and no rule judges them.
* Points on the centre line are not "useful" for the Anhøj rules (qicharts2 drops them, so they
  do not break an Anhøj run) but do break a Making Data Count shift (NHSRplotthedots).
* With ``target``, ``assurance`` is the Making Data Count reading: see ``_assurance``.

Decisions on a point's position are exact: p, CL and σ² are fractions, so a point exactly on a
limit (or exactly 2σ from CL) is not beyond it, as in both R packages' strict ``>``/``<``.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from fractions import Fraction

COMMON_CAUSE = "common_cause"
IMPROVEMENT = "special_cause_improvement"
CONCERN = "special_cause_concern"

CONSISTENTLY_MET = "consistently_met"
CONSISTENTLY_MISSED = "consistently_missed"
EITHER = "either"

# Making Data Count thresholds as NHSRplotthedots codes them (R/ptd_calculate_point_type.R).
SHIFT_POINTS = 7  # ptd_seven_point_one_side_mean: a point and the 6 before it on one side
TREND_POINTS = 7  # ptd_seven_point_trend: sign(diff(y[i - 0:6])), 7 points = 6 rises or falls


@dataclass(frozen=True)
class Point:
    label: str
    numerator: int
    denominator: int
    p: float | None
    cl: float | None
    lcl: float | None
    ucl: float | None
    sigma: float | None
    outside: bool
    phase: int
    variation: str | None  # common_cause / special_cause_improvement / _concern; None if no CL


@dataclass(frozen=True)
class Phase:
    index: int  # 1, 2, … in time order
    first_label: str
    last_label: str
    cl: float | None  # None when the phase's baseline has no denominator at all
    n_useful: int  # points with n > 0 that are not on the centre line
    longest_run: int | None  # None when no point is useful
    longest_run_max: int | None  # round(log2(n_useful)) + 3
    crossings: int | None
    crossings_min: int | None  # qbinom(0.05, n_useful - 1, 0.5)
    runs_signal: bool
    crossings_signal: bool
    longest_run_side: str | None  # "above" / "below": side of the (latest) longest run


@dataclass(frozen=True)
class Signal:
    """One Making Data Count signal: the rule, the points it involves and what it means."""

    rule: str  # "outside", "shift", "trend" or "two_of_three"
    labels: list[str]
    direction: str  # "above"/"below" (outside, shift, two_of_three); "up"/"down" (trend)
    variation: str  # special_cause_improvement or special_cause_concern
    phase: int


@dataclass(frozen=True)
class PChart:
    points: list[Point]
    phases: list[Phase]
    outside: list[str]  # labels of points beyond the 3σ limits
    shift: list[str]  # labels of points in a run of ≥ 7 on one side of CL
    trend: list[str]  # labels of points in ≥ 7 points each higher (or lower) than the one before
    two_of_three: list[str]  # labels of the points between 2σ and 3σ that make a 2-of-3 signal
    assurance: str | None
    freeze: int | None  # as applied: None when parts were given (parts win)
    parts: list[str]
    target: float | None
    higher_is_better: bool
    signals: list[Signal]

    def to_dict(self) -> dict:
        """Everything as plain dicts, lists, numbers and strings (ready for ``json.dumps``)."""
        return asdict(self)


# --- The Anhøj limits ---------------------------------------------------------------------------


def binomial_quantile(
    p: Fraction | float, size: int, prob: Fraction | float = Fraction(1, 2)
) -> int:
    """R's ``qbinom(p, size, prob)``: the smallest k with P(X ≤ k) ≥ p, X ~ Binomial(size, prob).

    Computed exactly, with integers and fractions (no scipy, no floating sums), so the answer never
    depends on rounding. R compares with a small fuzz; for prob = 1/2 and p = 0.05 it makes no
    difference, because every P(X ≤ k) is a multiple of 1/2**size and can never equal 1/20.
    """
    if size < 0:
        raise ValueError(f"size must be 0 or more, not {size}")
    target = Fraction(p)
    q = Fraction(prob)
    if not (0 <= target <= 1 and 0 <= q <= 1):
        raise ValueError("p and prob must lie between 0 and 1")
    cumulative = Fraction(0)
    for k in range(size + 1):
        cumulative += math.comb(size, k) * q**k * (1 - q) ** (size - k)
        if cumulative >= target:
            return k
    return size


def runs_limit(n_useful: int) -> int:
    """Longest run expected by chance: ``round(log2(n_useful)) + 3`` (qicharts2 runs.analysis).

    R rounds half to even and so does Python's ``round``; log2 of a whole number is never exactly
    halfway between two integers, so the two can never disagree here.
    """
    return round(math.log2(n_useful)) + 3


def crossings_limit(n_useful: int) -> int:
    """Fewest crossings expected by chance: ``qbinom(0.05, n_useful - 1, 0.5)`` (qicharts2)."""
    return binomial_quantile(Fraction(1, 20), max(n_useful - 1, 0))


# --- The chart ----------------------------------------------------------------------------------


@dataclass
class _Calc:
    """Exact working values of one point; the public Point is built from these."""

    label: str
    x: int
    n: int
    phase: int
    p: Fraction | None = None
    cl: Fraction | None = None
    var: Fraction | None = None  # σ² = CL(1 − CL)/n
    side: int = 0  # sign(p − CL)
    outside: bool = False
    close: bool = False  # between 2σ and 3σ from CL (NHSRplotthedots close_to_limits)
    trend_dir: int = 0
    in_trend: bool = False
    in_two_of_three: bool = False
    in_shift: bool = False

    @property
    def judged(self) -> bool:
        return self.p is not None and self.cl is not None


def p_chart(
    rows: Sequence[tuple[str, int, int]],
    *,
    freeze: int | None = None,
    parts: Sequence[str] = (),
    target: float | None = None,
    higher_is_better: bool = True,
) -> PChart:
    """Build a p-chart with the Anhøj and Making Data Count signals (see the module docstring).

    Raises ValueError, naming the label, for negative numbers, a numerator larger than its
    denominator, a duplicate label, an unknown part label, a freeze outside 1..len(rows) or a
    target outside [0, 1]. Zero and full proportions and a single point are valid.
    """
    calcs = _validate(rows)
    _check_freeze(freeze, len(calcs))
    starts = _phase_starts(calcs, parts)
    if target is not None:
        if not (isinstance(target, int | float) and 0 <= target <= 1):
            raise ValueError(f"target must be a proportion between 0 and 1, not {target!r}")
        target = float(target)
    applied_freeze = None if parts else freeze

    bounds = list(zip(starts, [*starts[1:], len(calcs)], strict=True))
    phases: list[Phase] = []
    signals: list[Signal] = []
    improving = 1 if higher_is_better else -1
    for index, (start, end) in enumerate(bounds, start=1):
        members = calcs[start:end]
        baseline = calcs[:applied_freeze] if applied_freeze else members
        total_n = sum(c.n for c in baseline)
        cl = Fraction(sum(c.x for c in baseline), total_n) if total_n else None
        for c in members:
            c.phase = index
            _place(c, cl)
        judged = [c for c in members if c.judged]
        phases.append(_anhoej(index, members, judged, cl))
        signals += _mdc_rules(judged, index, improving)

    points = [_point(c, improving) for c in calcs]
    position = {c.label: i for i, c in enumerate(calcs)}
    signals.sort(key=lambda s: (position[s.labels[0]], s.rule))
    return PChart(
        points=points,
        phases=phases,
        outside=[c.label for c in calcs if c.outside],
        shift=[c.label for c in calcs if c.in_shift],
        trend=[c.label for c in calcs if c.in_trend],
        two_of_three=[c.label for c in calcs if c.in_two_of_three],
        assurance=_assurance(points, phases[-1].index, target, higher_is_better),
        freeze=applied_freeze,
        parts=[calcs[s].label for s in starts[1:]],
        target=target,
        higher_is_better=higher_is_better,
        signals=signals,
    )


def _validate(rows: Sequence[tuple[str, int, int]]) -> list[_Calc]:
    if not rows:
        raise ValueError("there are no points to chart")
    seen: set[str] = set()
    calcs = []
    for label, x, n in rows:
        for name, value in (("numerator", x), ("denominator", n)):
            if isinstance(value, bool) or not isinstance(value, int):
                raise ValueError(f"{label}: {name} {value!r} is not a whole number")
            if value < 0:
                raise ValueError(f"{label}: {name} {value} is negative")
        if x > n:
            raise ValueError(f"{label}: numerator {x} is greater than denominator {n}")
        if label in seen:
            raise ValueError(f"{label}: the label appears more than once")
        seen.add(label)
        calcs.append(_Calc(label=label, x=x, n=n, phase=1))
    return calcs


def _check_freeze(freeze: int | None, count: int) -> None:
    if freeze is None:
        return
    if isinstance(freeze, bool) or not isinstance(freeze, int) or not 1 <= freeze <= count:
        raise ValueError(
            f"freeze must be a whole number from 1 to {count} (the points), not {freeze}"
        )


def _phase_starts(calcs: list[_Calc], parts: Sequence[str]) -> list[int]:
    """Indexes where phases start; a part at the first point starts nothing new (qicharts2)."""
    where = {c.label: i for i, c in enumerate(calcs)}
    starts = {0}
    for label in parts:
        if label not in where:
            raise ValueError(f"part label {label!r} is not one of the chart's labels")
        starts.add(where[label])
    return sorted(starts)


def _place(c: _Calc, cl: Fraction | None) -> None:
    """Where a point lies relative to its CL and limits, compared exactly."""
    if c.n == 0:
        return
    c.p = Fraction(c.x, c.n)
    if cl is None:
        return
    c.cl = cl
    c.var = cl * (1 - cl) / c.n
    deviation = c.p - cl
    c.side = (deviation > 0) - (deviation < 0)
    # Beyond kσ ⇔ deviation² > k²σ² (clipping the limits to [0, 1] changes nothing for p in [0, 1]).
    c.outside = deviation * deviation > 9 * c.var
    c.close = not c.outside and deviation * deviation > 4 * c.var


def _anhoej(index: int, members: list[_Calc], judged: list[_Calc], cl: Fraction | None) -> Phase:
    """The Anhøj runs and crossings rules, following qicharts2 ``runs.analysis``.

    R/helper.functions.R: ``runs <- sign(y - cl); runs <- runs[runs != 0 & !is.na(runs)]``
    (points on CL and empty subgroups dropped), ``n.useful <- length(runs)``, ``rle`` run lengths,
    ``longest.run.max <- round(log2(n.useful)) + 3``, ``n.crossings <- max(n.runs - 1, 0)``,
    ``n.crossings.min <- qbinom(0.05, max(n.useful - 1, 0), 0.5)``; with no useful point every
    value is NA and there is no signal. There is no other minimum number of points.
    """
    sides = [c.side for c in judged if c.side != 0]
    runs: list[tuple[int, int]] = []  # (side, length)
    for side in sides:
        if runs and runs[-1][0] == side:
            runs[-1] = (side, runs[-1][1] + 1)
        else:
            runs.append((side, 1))
    common = {
        "index": index,
        "first_label": members[0].label,
        "last_label": members[-1].label,
        "cl": float(cl) if cl is not None else None,
        "n_useful": len(sides),
    }
    if not sides:
        return Phase(
            **common,
            longest_run=None,
            longest_run_max=None,
            crossings=None,
            crossings_min=None,
            runs_signal=False,
            crossings_signal=False,
            longest_run_side=None,
        )
    longest = max(length for _, length in runs)
    side_of_longest = [side for side, length in runs if length == longest][-1]
    longest_max = runs_limit(len(sides))
    crossings = len(runs) - 1
    crossings_min = crossings_limit(len(sides))
    return Phase(
        **common,
        longest_run=longest,
        longest_run_max=longest_max,
        crossings=crossings,
        crossings_min=crossings_min,
        runs_signal=longest > longest_max,
        crossings_signal=crossings < crossings_min,
        longest_run_side="above" if side_of_longest > 0 else "below",
    )


def _mdc_rules(judged: list[_Calc], phase: int, improving: int) -> list[Signal]:
    """Making Data Count rules within one phase, as NHSRplotthedots codes them.

    R/ptd_calculate_point_type.R (``ptd_special_cause_type``), applied per rebase group:
    outside the limits; ``ptd_seven_point_one_side_mean`` (7 points in a row with the same
    non-zero sign of y − CL, so a point on CL breaks the run) and ``ptd_part_of_seven_trend``
    (every point of such a run is flagged); ``ptd_seven_point_trend`` (``sign(diff(y[i - 0:6]))``
    all +1 or all −1: 7 points, 6 rises or falls, and a tie breaks it); ``ptd_two_in_three``
    (a window of 3 consecutive points with at least 2 ``close_to_limits`` — between 2σ and 3σ,
    a point beyond 3σ does not count — and ``abs(sum(relative_to_mean)) == 3``, all 3 strictly on
    one side) and ``ptd_part_of_two_in_three`` (only the close points are flagged). Gaps are not
    in ``judged``, so they neither break nor extend anything.
    """

    def variation(direction: int) -> str:
        return IMPROVEMENT if direction * improving > 0 else CONCERN

    def labels(chunk: list[_Calc]) -> list[str]:
        return [c.label for c in chunk]

    found: list[Signal] = []
    side_word = {1: "above", -1: "below"}

    for c in judged:
        if c.outside:
            found.append(Signal("outside", [c.label], side_word[c.side], variation(c.side), phase))

    i = 0
    while i < len(judged):
        j = i
        while j + 1 < len(judged) and judged[j + 1].side == judged[i].side:
            j += 1
        if judged[i].side != 0 and j - i + 1 >= SHIFT_POINTS:
            run = judged[i : j + 1]
            for c in run:
                c.in_shift = True
            side = judged[i].side
            found.append(Signal("shift", labels(run), side_word[side], variation(side), phase))
        i = j + 1

    steps = [(b.p > a.p) - (b.p < a.p) for a, b in zip(judged, judged[1:], strict=False)]
    i = 0
    while i < len(steps):
        j = i
        while j + 1 < len(steps) and steps[j + 1] == steps[i]:
            j += 1
        if steps[i] != 0 and j - i + 1 >= TREND_POINTS - 1:
            run = judged[i : j + 2]
            for c in run:
                # A peak or trough shared by a rise and a fall takes the later trend's direction,
                # as NHSRplotthedots does ("if a point is part of a trend either side, use
                # right side").
                c.in_trend = True
                c.trend_dir = steps[i]
            direction = "up" if steps[i] > 0 else "down"
            found.append(Signal("trend", labels(run), direction, variation(steps[i]), phase))
        i = j + 1

    windows = [
        k
        for k in range(len(judged) - 2)
        if sum(c.close for c in judged[k : k + 3]) >= 2
        and abs(sum(c.side for c in judged[k : k + 3])) == 3
    ]
    groups: list[list[int]] = []  # merged overlapping windows, as [first, last] indexes
    for k in windows:
        if groups and k <= groups[-1][1]:
            groups[-1][1] = k + 2
        else:
            groups.append([k, k + 2])
    for first, last in groups:
        flagged = [c for c in judged[first : last + 1] if c.close]
        for c in flagged:
            c.in_two_of_three = True
        side = flagged[0].side
        found.append(
            Signal("two_of_three", labels(flagged), side_word[side], variation(side), phase)
        )
    return found


def _point(c: _Calc, improving: int) -> Point:
    cl = sigma = lcl = ucl = None
    variation = None
    if c.judged:
        cl = float(c.cl)
        sigma = math.sqrt(c.var)
        lcl = max(0.0, cl - 3 * sigma)
        ucl = min(1.0, cl + 3 * sigma)
        # NHSRplotthedots ptd_special_cause_type: the first that applies of outside, trend,
        # 2 of 3, shift; the direction is the trend's for a trend, else the side of CL.
        if c.in_trend and not c.outside:
            variation = IMPROVEMENT if c.trend_dir * improving > 0 else CONCERN
        elif c.outside or c.in_two_of_three or c.in_shift:
            variation = IMPROVEMENT if c.side * improving > 0 else CONCERN
        else:
            variation = COMMON_CAUSE
    return Point(
        label=c.label,
        numerator=c.x,
        denominator=c.n,
        p=float(c.p) if c.p is not None else None,
        cl=cl,
        lcl=lcl,
        ucl=ucl,
        sigma=sigma,
        outside=c.outside,
        phase=c.phase,
        variation=variation,
    )


def _assurance(
    points: list[Point], last_phase: int, target: float | None, higher_is_better: bool
) -> str | None:
    """Making Data Count assurance, after NHSRplotthedots ``ptd_calculate_assurance_type``.

    That function compares the target with the limits of the last point (``target > upl`` →
    consistently missed when higher is better, ``target < lpl`` → consistently met; reversed when
    lower is better; otherwise either). A p-chart's limits vary with n, so here the target must
    lie beyond the limits at every point of the last phase (strictly, as there): above every UCL,
    or below every LCL. None when there is no target or the last phase has no limits.
    """
    if target is None:
        return None
    current = [p for p in points if p.phase == last_phase and p.ucl is not None]
    if not current:
        return None
    if all(target > p.ucl for p in current):
        return CONSISTENTLY_MISSED if higher_is_better else CONSISTENTLY_MET
    if all(target < p.lcl for p in current):
        return CONSISTENTLY_MET if higher_is_better else CONSISTENTLY_MISSED
    return EITHER


# --- The signals in words -----------------------------------------------------------------------


def signal_sentences(
    chart: PChart, label_text: Callable[[str], str] = str, unit: str = "months"
) -> list[str]:
    """The chart's signals in plain words, for readers who are not statisticians.

    ``label_text`` turns a label into words (e.g. "2023-03" → "March 2023"); ``unit`` names the
    points in the plural ("months"). Outside points first, then shifts, trends and 2-of-3 signals
    in time order, then the Anhøj rules phase by phase.
    """
    sentences: list[str] = []
    meaning = {IMPROVEMENT: "an improvement", CONCERN: "a concern"}

    outside = [s for s in chart.signals if s.rule == "outside"]
    for direction, limit in (("above", "upper"), ("below", "lower")):
        chosen = [s for s in outside if s.direction == direction]
        if not chosen:
            continue
        names = ", ".join(label_text(s.labels[0]) for s in chosen)
        kinds = {s.variation for s in chosen}
        count = len(chosen)
        sentences.append(
            f"{count} point{'s' if count > 1 else ''} outside the control limits, "
            f"{direction} the {limit} limit ({meaning[kinds.pop()]}): {names}."
        )

    for s in chart.signals:
        first, last = label_text(s.labels[0]), label_text(s.labels[-1])
        if s.rule == "shift":
            sentences.append(
                f"{len(s.labels)} {unit} in a row {s.direction} the centre line from {first} "
                f"to {last}: a shift ({meaning[s.variation]})."
            )
        elif s.rule == "trend":
            way = "higher" if s.direction == "up" else "lower"
            sentences.append(
                f"{len(s.labels)} {unit} in a row each {way} than the one before, from {first} "
                f"to {last}: a trend ({meaning[s.variation]})."
            )
        elif s.rule == "two_of_three":
            limit = "upper" if s.direction == "above" else "lower"
            names = ", ".join(label_text(label) for label in s.labels)
            sentences.append(
                f"2 of 3 {unit} in a row close to the {limit} control limit (between 2 and 3 "
                f"sigma {s.direction} the centre line): {names} ({meaning[s.variation]})."
            )

    several = len(chart.phases) > 1
    for phase in chart.phases:
        lead = (
            f"From {label_text(phase.first_label)} to {label_text(phase.last_label)}, the"
            if several
            else "The"
        )
        if phase.runs_signal:
            good = (phase.longest_run_side == "above") == chart.higher_is_better
            kind = "an improvement" if good else "a concern"
            sentences.append(
                f"{lead} longest run on one side of the centre line is {phase.longest_run} "
                f"points {phase.longest_run_side} it, more than the {phase.longest_run_max} "
                f"expected by chance: a sustained shift, {kind} (Anhøj runs rule)."
            )
        if phase.crossings_signal:
            times = {0: "0 times", 1: "once"}.get(phase.crossings, f"{phase.crossings} times")
            sentences.append(
                f"{lead} line crosses the centre line {times}, fewer than the "
                f"{phase.crossings_min} expected by chance (Anhøj crossings rule)."
            )

    return sentences or ["No signals: only common-cause variation."]
