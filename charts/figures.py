"""Figures as the pages serve them: built from the cached series with the scope's saved phases
and annotations, and kept in the cache with their SVG and HTML fragments.

Every cache key here is built from the content it stands for (the series' rows, the options, the
saved notes, the query string), so nothing served is ever stale: a change is a new key. The one
exception is ``scope_figure``, kept under the derived table's version and the generations of the
tables it read (``projects.fragments``).
"""

from __future__ import annotations

import datetime
from typing import NamedTuple

from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from charts import selectors
from charts.forms import PChartForm
from charts.models import ChartPhase
from charts.presenters import (
    CONCERN,
    AnnotationInput,
    Baseline,
    PChartFigure,
    build_pchart_figure,
)
from charts.svg import render_svg
from involvement.levels import current_month
from involvement.months import add_months
from projects import fragments
from projects.forms_nhsuk import cached_get_form_html
from projects.models import Directorate


def notes_as_inputs(annotations) -> list[AnnotationInput]:
    return [AnnotationInput(a.date, a.text, a.scope_label) for a in annotations]


class Chart(NamedTuple):
    """A figure and the cache key it was built under (its SVG is cached under the same key)."""

    figure: PChartFigure
    key: str


def cached_figure(**options) -> Chart:
    """``build_pchart_figure`` behind the cache, keyed by everything the figure is built from
    (the series' rows themselves, the options, the saved notes): a change to any of them is a
    new key, so a cached figure is never stale. Bad options raise and are not cached.

    The spc maths works in exact fractions (some milliseconds for ten years of months), so the
    figure is kept; drawing it as Plotly JSON takes a fraction of a millisecond and is not."""
    key = fragments.digest_key("charts:figure", sorted(options.items()))
    figure = cache.get(key)
    if figure is None:
        figure = build_pchart_figure(**options)
        cache.set(key, figure, selectors.SERIES_TIMEOUT)
    return Chart(figure, key)


def cached_svg(chart: Chart, **options) -> str | None:
    """The chart's SVG markup (None when there is nothing to chart), cached like its figure:
    drawing it takes a few milliseconds."""
    if chart.figure.empty:
        return None
    key = f"{chart.key}:svg:" + ",".join(f"{k}={v}" for k, v in sorted(options.items()))
    markup = cache.get(key)
    if markup is None:
        markup = render_svg(chart.figure, **options)
        cache.set(key, markup, selectors.SERIES_TIMEOUT)
    return mark_safe(markup)  # noqa: S308 - built by charts.svg, which escapes every text


def cached_fragment(chart: Chart, template: str, **context) -> str:
    """A template fragment that depends on the figure only, rendered once per figure."""
    key = f"{chart.key}:html:{template}:" + ",".join(f"{k}={v}" for k, v in sorted(context.items()))
    html = cache.get(key)
    if html is None:
        html = render_to_string(template, {"figure": chart.figure, **context})
        cache.set(key, html, selectors.SERIES_TIMEOUT)
    return mark_safe(html)  # noqa: S308 - rendered by the template engine, autoescaped


def cached_plotly_script(chart: Chart, element_id: str) -> str:
    """The figure as Plotly JSON in a ``<script type="application/json">`` element (read by
    static/js/pchart.mjs), serialised once per figure: ten years of points make it the largest
    part of the page."""
    from django.utils.html import json_script

    from charts.plotly_figure import PLOTLY_CONFIG, plotly_figure

    key = f"{chart.key}:plotly-json:{element_id}"
    markup = cache.get(key)
    if markup is None:
        markup = str(
            json_script({**plotly_figure(chart.figure), "config": PLOTLY_CONFIG}, element_id)
        )
        cache.set(key, markup, selectors.SERIES_TIMEOUT)
    return mark_safe(markup)  # noqa: S308 - json_script escapes <, > and & inside the JSON


def cached_form_html(form: PChartForm) -> str:
    """The chart's options form (a dozen fields and a select of every directorate and forum),
    rendered once per distinct query, scope list and errors (see ``cached_get_form_html``)."""
    return cached_get_form_html(form)


def scope_figure(
    scope: selectors.Scope,
    *,
    measure: str = "big_i",
    start=None,
    end=None,
    baseline: Baseline | None = None,
    rule_set: str = "both",
    target_percent=None,
) -> Chart:
    """The figure of a scope with its saved phases and annotations (what every reader sees).

    Kept whole until a saved phase or note, or a directorate is written (``projects.fragments``
    sees those writes), so a chart page served again runs one query, not five. The derived
    table's version is in the key, read from the database each time (and extended into a new
    month first), so a rebuild by any process shows at once."""

    def build() -> Chart:
        rows = selectors.chart_series(scope=scope, measure=measure, start=start, end=end)
        return cached_figure(
            rows=rows,
            measure=measure,
            scope_label=scope.label,
            baseline=saved_baseline(scope) if baseline is None else baseline,
            rule_set=rule_set,
            target_percent=target_percent,
            annotations=notes_as_inputs(selectors.annotations_for(scope)),
        )

    options = (measure, start, end, baseline, rule_set, target_percent)
    version = selectors.series_version()
    return fragments.cached(("scope_figure", scope, *options, version), build)


def saved_baseline(scope: selectors.Scope) -> Baseline:
    months = tuple(phase.month for phase in selectors.phases_for(scope))
    return Baseline(kind="phases", phase_months=months, strict=False)


class FallingDirectorate(NamedTuple):
    directorate: Directorate
    reasons: list[str]


def falling_directorates(
    *, recent_months: int = 3, month: datetime.date | None = None
) -> list[FallingDirectorate]:
    """Directorates whose Big I proportion fell: lower this quarter than in the same months a
    year before, or a special cause concern in the last ``recent_months`` months of their chart
    (the last two years, with their saved phases).

    ``month`` is the month to look back from: this month by default (the admin's home); the
    involvement report passes its period's last month."""
    month = month or current_month()
    phases = list(ChartPhase.objects.order_by("pk"))
    # Twenty directorates' figures: kept whole until the derived table, a saved phase or a
    # directorate's name changes (each is in the key).
    key = fragments.digest_key(
        "charts:falling",
        (
            selectors.series_version(),
            month,
            recent_months,
            [(p.pk, p.month, p.directorate_id) for p in phases],
            list(Directorate.objects.order_by("pk").values_list("pk", "name")),
        ),
    )
    flagged = cache.get(key)
    if flagged is None:
        flagged = _falling(month, recent_months, phases)
        cache.set(key, flagged, selectors.SERIES_TIMEOUT)
    return flagged


def _falling(month, recent_months: int, phases: list) -> list[FallingDirectorate]:
    changes = {c.directorate.pk: c for c in selectors.big_i_by_quarter(today_month=month)}
    series = selectors.directorate_series(measure="big_i", start=add_months(month, -23), end=month)
    flagged = []
    for pk, change in changes.items():
        rows = series.get(pk, [])
        figure, _ = cached_figure(
            rows=rows,
            measure="big_i",
            scope_label=change.directorate.name,
            baseline=Baseline(
                kind="phases",
                phase_months=tuple(p.month for p in phases if p.directorate_id in (None, pk)),
                strict=False,
            ),
        )
        concern = [p for p in figure.points[-recent_months:] if p.signal == CONCERN]
        reasons = []
        if change.fell:
            reasons.append(
                f"{change.now_percent:.0f}% of project-months with Big I in {change.months}, "
                f"down from {change.before_percent:.0f}% a year before"
            )
        if concern:
            reasons.append(
                "a special cause concern on its chart in "
                + ", ".join(p.month_text for p in concern)
            )
        if reasons:
            flagged.append(FallingDirectorate(change.directorate, reasons))
    return flagged
