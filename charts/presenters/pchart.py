"""One description of each chart, built once and drawn by every renderer.

``build_pchart_figure`` turns a monthly series and the reader's options into a ``PChartFigure``:
plain dataclasses holding the points (p, CL, limits, signal with its marker symbol and colour),
the stepped lines, the target, the annotations, the signal sentences and the table rows. The web
page draws it with Plotly (``charts.plotly_figure``), the PDF report with the SVG renderer
(``charts.svg``), the CSV download writes its numbers: so all three always agree.

The x axis is the month's index (0, 1, 2, …): a point sits in the middle of its month's cell,
a stepped limit runs across the whole cell (x − 0.5 to x + 0.5), and an annotation dated on day
d of a month sits at the fraction of the month that day falls in. Both renderers use these
coordinates as they are.
"""

from __future__ import annotations

import calendar
import datetime
import math
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from charts import spc
from charts.selectors import MEASURES

MONTH_NAMES = (
    "",
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)

RULE_SETS = {
    "both": "Anhøj rules and Making Data Count rules",
    "mdc": "Making Data Count rules (NHS England)",
    "anhoej": "Anhøj rules (qicharts2)",
}


def month_label(month: datetime.date) -> str:
    """The label a point carries in the maths, the CSV and the ``pchart`` command: 2023-03."""
    return f"{month:%Y-%m}"


def month_text(month: datetime.date) -> str:
    return f"{MONTH_NAMES[month.month]} {month.year}"


def short_month_text(month: datetime.date) -> str:
    return f"{MONTH_NAMES[month.month][:3]} {month.year}"


def label_text(label: str) -> str:
    """'2023-03' → 'March 2023' (for the signal sentences)."""
    year, month = label.split("-")
    return f"{MONTH_NAMES[int(month)]} {year}"


def percent_text(value: float | None, digits: int = 1) -> str:
    return "–" if value is None else f"{100 * value:.{digits}f}%"


# --- how a signal looks: a symbol AND a colour, so the chart reads without colour ----------------


@dataclass(frozen=True)
class SignalStyle:
    key: str
    label: str  # legend words
    symbol: str  # Plotly marker symbol name; the SVG renderer draws the same shape
    colour: str  # each at least 3:1 against white (WCAG non-text contrast)


COMMON = "common"
IMPROVEMENT = "improvement"
CONCERN = "concern"

STYLES = {
    COMMON: SignalStyle(COMMON, "Common cause variation", "circle", "#425563"),
    IMPROVEMENT: SignalStyle(IMPROVEMENT, "Special cause: improvement", "triangle-up", "#005EB8"),
    CONCERN: SignalStyle(CONCERN, "Special cause: concern", "triangle-down", "#C25700"),
}

LINE_COLOURS = {"data": "#768692", "cl": "#212B32", "ucl": "#4C6272", "lcl": "#4C6272"}
TARGET_COLOUR = "#007F3B"
ANNOTATION_COLOUR = "#330072"

RULE_WORDS = {
    "outside": "outside the limits",
    "shift": "shift",
    "trend": "trend",
    "two_of_three": "2 of 3 close to a limit",
    "runs": "long run (Anhøj)",
}


# --- the description -----------------------------------------------------------------------------


class FigureInputError(ValueError):
    """An option that does not fit the series (the form shows it against ``field``)."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field
        self.message = message


@dataclass(frozen=True)
class Baseline:
    """How the centre line is calculated: from all points, frozen on the first ``freeze`` points,
    or in phases starting at ``phase_months``. Typed months must lie in the chart (``strict``);
    saved months outside the chart's range are simply not used."""

    kind: str = "all"  # "all", "freeze" or "phases"
    freeze: int | None = None
    phase_months: tuple[datetime.date, ...] = ()
    strict: bool = True


@dataclass(frozen=True)
class AnnotationInput:
    date: datetime.date
    text: str
    scope_label: str = "Whole trust"


@dataclass(frozen=True)
class FigurePoint:
    x: int
    month: datetime.date
    label: str  # 2023-03
    month_text: str  # March 2023
    numerator: int
    denominator: int
    p: float | None  # None for a gap (no active project that month)
    cl: float | None
    lcl: float | None
    ucl: float | None
    phase: int
    signal: str | None  # COMMON, IMPROVEMENT or CONCERN; None for a gap or a point with no CL
    rules: tuple[str, ...]  # the rules (of the chosen set) that flag this point

    @property
    def style(self) -> SignalStyle | None:
        return STYLES[self.signal] if self.signal else None

    @property
    def signal_words(self) -> str:
        if self.p is None:
            return "No active projects"
        if self.signal is None:
            return "–"
        if self.signal == COMMON:
            return "Common cause"
        kind = "improvement" if self.signal == IMPROVEMENT else "concern"
        return f"Special cause ({kind}): " + ", ".join(RULE_WORDS[r] for r in self.rules)

    @property
    def short_signal_words(self) -> str:
        """The signal in a few words, for narrow tables: "Improvement: shift, trend"."""
        if self.signal in (IMPROVEMENT, CONCERN):
            kind = "Improvement" if self.signal == IMPROVEMENT else "Concern"
            return f"{kind}: " + ", ".join(RULE_WORDS[r] for r in self.rules)
        return self.signal_words

    @property
    def hover_text(self) -> str:
        if self.p is None:
            return f"{self.month_text}: no active projects"
        text = (
            f"{self.month_text}: {percent_text(self.p)} ({self.numerator} of "
            f"{self.denominator} projects)"
        )
        if self.signal in (IMPROVEMENT, CONCERN):
            text += f" – {self.signal_words}"
        return text


@dataclass(frozen=True)
class StepLine:
    """A stepped line (CL or a limit) of one phase: segments of (x, y) corners, broken at gaps."""

    kind: str  # "cl", "ucl" or "lcl"
    phase: int
    segments: tuple[tuple[tuple[float, float], ...], ...]
    dashed: bool = False  # a centre line is dashed where an Anhøj rule fires (as qicharts2 does)

    def xy_with_breaks(self) -> tuple[list[float | None], list[float | None]]:
        """x and y lists with None between segments (how Plotly breaks a line)."""
        xs: list[float | None] = []
        ys: list[float | None] = []
        for index, segment in enumerate(self.segments):
            if index:
                xs.append(None)
                ys.append(None)
            xs.extend(x for x, _ in segment)
            ys.extend(y for _, y in segment)
        return xs, ys


@dataclass(frozen=True)
class FigureAnnotation:
    number: int
    date: datetime.date
    x: float
    text: str
    scope_label: str

    @property
    def short_text(self) -> str:
        text = self.text if len(self.text) <= 36 else self.text[:35].rstrip() + "…"
        return f"{self.number}. {text}"


@dataclass(frozen=True)
class FigurePhase:
    index: int
    first_text: str
    last_text: str
    cl: float | None
    anhoej_signal: bool


@dataclass(frozen=True)
class TableRow:
    month_text: str
    denominator: int
    numerator: int
    percent: str
    cl: str
    lcl: str
    ucl: str
    signal: str
    signal_key: str | None
    short_month_text: str = ""  # Mar 2023
    short_signal: str = ""  # "Improvement: shift" (the PDF's narrow table)


@dataclass(frozen=True)
class PChartFigure:
    title: str
    description: str
    measure: str
    measure_label: str
    numerator_label: str
    y_title: str
    scope_label: str
    rule_set: str
    baseline_text: str
    points: tuple[FigurePoint, ...]
    lines: tuple[StepLine, ...]
    phases: tuple[FigurePhase, ...]
    annotations: tuple[FigureAnnotation, ...]
    sentences: tuple[str, ...]
    x_ticks: tuple[tuple[int, str], ...]
    y_max: float
    target: float | None = None
    assurance: str | None = None  # spc's reading: consistently_met / _missed / either
    x_title: str = "Month"
    phase_labels: tuple[str, ...] = field(default=())  # the months new phases start (2023-03)

    def describe(self, *, numbers_where: str) -> str:
        """The description, saying where the numbers are when they are not under the chart
        (in the PDF report they are in an appendix)."""
        return _description(self, numbers_where)

    @property
    def anhoej_note(self) -> str:
        if any(phase.anhoej_signal for phase in self.phases):
            return (
                "The centre line is drawn in long dashes in a phase where an Anhøj rule (a run "
                "too long, or too few crossings) finds a signal."
            )
        return ""

    @property
    def rule_set_label(self) -> str:
        return RULE_SETS[self.rule_set]

    @property
    def empty(self) -> bool:
        """True when no month has an active project: there is nothing to chart."""
        return all(point.p is None for point in self.points)

    @property
    def first_text(self) -> str:
        return self.points[0].month_text if self.points else ""

    @property
    def last_text(self) -> str:
        return self.points[-1].month_text if self.points else ""

    @property
    def table_rows(self) -> list[TableRow]:
        return [
            TableRow(
                month_text=p.month_text,
                denominator=p.denominator,
                numerator=p.numerator,
                percent=percent_text(p.p),
                cl=percent_text(p.cl),
                lcl=percent_text(p.lcl),
                ucl=percent_text(p.ucl),
                signal=p.signal_words,
                signal_key=p.signal,
                short_month_text=short_month_text(p.month),
                short_signal=p.short_signal_words,
            )
            for p in self.points
        ]

    def csv_rows(self) -> list[list[str]]:
        """The plotted numbers, unrounded (``repr`` of each float reads back as the same float)."""
        header = [
            "month",
            "numerator",
            "denominator",
            "p",
            "cl",
            "lcl",
            "ucl",
            "phase",
            "signal",
            "rules",
        ]

        def number(value: float | None) -> str:
            return "" if value is None else repr(value)

        rows = [header]
        for p in self.points:
            rows.append(
                [
                    p.label,
                    str(p.numerator),
                    str(p.denominator),
                    number(p.p),
                    number(p.cl),
                    number(p.lcl),
                    number(p.ucl),
                    str(p.phase),
                    p.signal or "",
                    " ".join(p.rules),
                ]
            )
        return rows


# --- building it ---------------------------------------------------------------------------------


def build_pchart_figure(
    *,
    rows: Sequence,
    measure: str,
    scope_label: str,
    baseline: Baseline = Baseline(),
    rule_set: str = "both",
    target_percent: float | None = None,
    annotations: Sequence[AnnotationInput] = (),
) -> PChartFigure:
    """The figure of a series of rows with ``month``, ``numerator`` and ``denominator``.

    Raises ``FigureInputError`` when a typed option does not fit the series: a freeze longer
    than the series, or a typed phase month outside it.
    """
    if measure not in MEASURES:
        raise FigureInputError("measure", f"Unknown measure {measure!r}.")
    if rule_set not in RULE_SETS:
        raise FigureInputError("rules", f"Unknown rule set {rule_set!r}.")
    the_measure = MEASURES[measure]
    months = [row.month for row in rows]
    target = None if target_percent is None else float(target_percent) / 100

    freeze, parts, baseline_text = _baseline(baseline, months)
    if rows:
        chart = spc.p_chart(
            [(month_label(r.month), r.numerator, r.denominator) for r in rows],
            freeze=freeze,
            parts=parts,
            target=target,
        )
    else:
        chart = None

    points = _points(chart, months, rule_set) if chart else []
    lines = _lines(points, chart, rule_set) if chart else []
    phases = (
        [
            FigurePhase(
                index=ph.index,
                first_text=label_text(ph.first_label),
                last_text=label_text(ph.last_label),
                cl=ph.cl,
                anhoej_signal=rule_set != "mdc" and (ph.runs_signal or ph.crossings_signal),
            )
            for ph in chart.phases
        ]
        if chart
        else []
    )
    placed = _annotations(annotations, months)
    sentences = _sentences(chart, rule_set) if chart and not _all_gaps(points) else []
    if chart and target is not None:
        sentences.append(_target_sentence(target, chart.assurance))

    y_values = [v for p in points for v in (p.p, p.ucl) if v is not None]
    if target is not None:
        y_values.append(target)
    y_max = min(1.0, max(0.1, math.ceil((max(y_values, default=0.1) + 0.02) * 10) / 10))

    title = f"Percentage of active projects with {the_measure.label}: {scope_label}"
    figure = PChartFigure(
        title=title,
        description="",
        measure=measure,
        measure_label=the_measure.label,
        numerator_label=the_measure.numerator_label,
        y_title=f"Projects with {the_measure.label} (%)",
        scope_label=scope_label,
        rule_set=rule_set,
        baseline_text=baseline_text,
        points=tuple(points),
        lines=tuple(lines),
        phases=tuple(phases),
        annotations=tuple(placed),
        sentences=tuple(sentences),
        x_ticks=tuple(_x_ticks(months)),
        y_max=y_max,
        target=target,
        assurance=chart.assurance if chart else None,
        phase_labels=tuple(chart.parts) if chart else (),
    )
    return replace(figure, description=_description(figure))


def _baseline(baseline: Baseline, months: list[datetime.date]) -> tuple[int | None, list[str], str]:
    count = len(months)
    if baseline.kind == "freeze":
        k = baseline.freeze
        if k is None or k < 1:
            raise FigureInputError("freeze", "Enter how many months to freeze, 1 or more.")
        if k > count:
            raise FigureInputError(
                "freeze",
                f"The chart has {count} month{'s' if count != 1 else ''}: freeze at most "
                f"{count}, not {k}.",
            )
        return (
            k,
            [],
            f"Centre line and limits from the first {k} month{'s' if k != 1 else ''} "
            "(frozen); later months are judged against them.",
        )
    if baseline.kind == "phases":
        inside = set(months)
        chosen: list[datetime.date] = []
        for month in sorted(set(baseline.phase_months)):
            if month not in inside:
                if baseline.strict:
                    first, last = (
                        (month_text(months[0]), month_text(months[-1]))
                        if months
                        else (
                            "",
                            "",
                        )
                    )
                    raise FigureInputError(
                        "phases",
                        f"{month_text(month)} is not one of the chart's months "
                        f"({first} to {last}).",
                    )
                continue
            if months and month == months[0]:
                continue  # a phase starting at the first month starts nothing new
            chosen.append(month)
        if chosen:
            starts = ", ".join(month_text(m) for m in chosen)
            return (
                None,
                [month_label(m) for m in chosen],
                f"New phases start in {starts}: each phase has its own centre line and limits.",
            )
        return (
            None,
            [],
            f"Centre line and limits from all {count} months (no phase starts within them).",
        )
    return None, [], f"Centre line and limits from all {count} months."


def _side(point: spc.Point) -> int:
    # p and CL are each the float nearest an exact fraction (x/n, Σx/Σn); two different fractions
    # with these denominators differ by far more than a rounding step, so comparing the floats
    # gives the same side as the exact comparison spc.py makes.
    if point.p is None or point.cl is None:
        return 0
    return (point.p > point.cl) - (point.p < point.cl)


def _anhoej_runs(chart: spc.PChart) -> dict[str, int]:
    """Labels of the points in a run longer than its phase's limit, with the run's side."""
    flagged: dict[str, int] = {}
    for phase in chart.phases:
        if not phase.runs_signal:
            continue
        useful = [
            (p.label, _side(p)) for p in chart.points if p.phase == phase.index and _side(p) != 0
        ]
        run: list[tuple[str, int]] = []
        for item in [*useful, ("", 0)]:
            if run and item[1] != run[-1][1]:
                if len(run) > phase.longest_run_max:
                    flagged.update(run)
                run = []
            run.append(item)
    return flagged


def _points(chart: spc.PChart, months: list[datetime.date], rule_set: str) -> list[FigurePoint]:
    mdc = rule_set in ("mdc", "both")
    anhoej = rule_set in ("anhoej", "both")
    by_rule = {
        "outside": set(chart.outside),
        "shift": set(chart.shift) if mdc else set(),
        "trend": set(chart.trend) if mdc else set(),
        "two_of_three": set(chart.two_of_three) if mdc else set(),
    }
    runs = _anhoej_runs(chart) if anhoej else {}
    points = []
    for index, (point, month) in enumerate(zip(chart.points, months, strict=True)):
        rules = tuple(rule for rule, labels in by_rule.items() if point.label in labels)
        if point.label in runs:
            rules += ("runs",)
        signal = None
        if point.cl is not None and point.p is not None:
            signal = COMMON
            if mdc and point.variation in (spc.IMPROVEMENT, spc.CONCERN):
                signal = IMPROVEMENT if point.variation == spc.IMPROVEMENT else CONCERN
            elif point.outside or point.label in runs:
                side = runs.get(point.label) or _side(point)
                signal = IMPROVEMENT if side > 0 else CONCERN  # higher is better here
        points.append(
            FigurePoint(
                x=index,
                month=month,
                label=point.label,
                month_text=month_text(month),
                numerator=point.numerator,
                denominator=point.denominator,
                p=point.p,
                cl=point.cl,
                lcl=point.lcl,
                ucl=point.ucl,
                phase=point.phase,
                signal=signal,
                rules=rules if signal in (IMPROVEMENT, CONCERN) else (),
            )
        )
    return points


def _lines(points: list[FigurePoint], chart: spc.PChart, rule_set: str) -> list[StepLine]:
    dashed_phases = {
        ph.index
        for ph in chart.phases
        if rule_set != "mdc" and (ph.runs_signal or ph.crossings_signal)
    }
    lines = []
    for phase in chart.phases:
        members = [p for p in points if p.phase == phase.index]
        for kind in ("ucl", "cl", "lcl"):
            segments: list[tuple[tuple[float, float], ...]] = []
            current: list[tuple[float, float]] = []
            for p in members:
                value = getattr(p, kind)
                if value is None:
                    if current:
                        segments.append(tuple(current))
                    current = []
                    continue
                current += [(p.x - 0.5, value), (p.x + 0.5, value)]
            if current:
                segments.append(tuple(current))
            if segments:
                lines.append(
                    StepLine(
                        kind=kind,
                        phase=phase.index,
                        segments=tuple(segments),
                        dashed=kind == "cl" and phase.index in dashed_phases,
                    )
                )
    return lines


def _annotations(
    annotations: Sequence[AnnotationInput], months: list[datetime.date]
) -> list[FigureAnnotation]:
    if not months:
        return []
    index = {m: i for i, m in enumerate(months)}
    placed = []
    for note in sorted(annotations, key=lambda a: (a.date, a.text)):
        month = note.date.replace(day=1)
        if month not in index:
            continue
        days = calendar.monthrange(month.year, month.month)[1]
        x = index[month] - 0.5 + (note.date.day - 1) / days
        placed.append(
            FigureAnnotation(
                number=len(placed) + 1,
                date=note.date,
                x=round(x, 4),
                text=note.text,
                scope_label=note.scope_label,
            )
        )
    return placed


def _all_gaps(points: list[FigurePoint]) -> bool:
    return all(p.p is None for p in points)


def _sentences(chart: spc.PChart, rule_set: str) -> list[str]:
    if rule_set == "mdc":
        chart = replace(
            chart,
            phases=[replace(ph, runs_signal=False, crossings_signal=False) for ph in chart.phases],
        )
    elif rule_set == "anhoej":
        # A point outside the limits is a signal in both sets; the rest are Making Data Count's.
        chart = replace(chart, signals=[s for s in chart.signals if s.rule == "outside"])
    return spc.signal_sentences(chart, label_text=label_text)


def _target_sentence(target: float, assurance: str | None) -> str:
    lead = f"Target {percent_text(target, 0 if (target * 100).is_integer() else 1)}:"
    if assurance == spc.CONSISTENTLY_MET:
        return (
            f"{lead} consistently met – every lower limit of the latest phase is above it, so "
            "the target will be met month after month unless something changes."
        )
    if assurance == spc.CONSISTENTLY_MISSED:
        return (
            f"{lead} consistently missed – it is above every upper limit of the latest phase, "
            "so the target will not be met without a change to the way we work."
        )
    if assurance == spc.EITHER:
        return (
            f"{lead} it lies within the limits of the latest phase, so some months will meet "
            "it and some will not (hit and miss)."
        )
    return f"{lead} no reading is possible, as the latest phase has no limits."


def _x_ticks(months: list[datetime.date]) -> list[tuple[int, str]]:
    """At most about 8 labelled months, on a step a reader counts easily, on calendar boundaries
    (January, April, … or every other January) so labels line up across charts."""
    if not months:
        return []
    count = len(months)
    step = next((s for s in (1, 2, 3, 4, 6, 12, 24, 36, 60) if count / s <= 8), 120)
    if step <= 12:
        chosen = [i for i, m in enumerate(months) if (m.month - 1) % step == 0]
    else:
        years = step // 12
        chosen = [i for i, m in enumerate(months) if m.month == 1 and m.year % years == 0]
    return [(i, short_month_text(months[i])) for i in chosen or [0]]


def _description(figure: PChartFigure, numbers_where: str = "in the table below the chart") -> str:
    if not figure.points:
        return f"{figure.title}. There are no months to chart."
    if figure.empty:
        return (
            f"{figure.title}, {figure.first_text} to {figure.last_text}: no project was active "
            "in these months, so there is nothing to chart."
        )
    lines = [p.cl for p in figure.phases if p.cl is not None]
    centre = " then ".join(percent_text(cl) for cl in lines) or "none"
    signals = sum(1 for p in figure.points if p.signal in (IMPROVEMENT, CONCERN))
    return (
        f"P-chart of the percentage of active QI projects with {figure.measure_label}, "
        f"{figure.scope_label}, {figure.first_text} to {figure.last_text} "
        f"({len(figure.points)} months). Centre line {centre}. "
        f"{signals} month{'s' if signals != 1 else ''} marked as special cause variation. "
        f"The numbers are {numbers_where}."
    )
