"""The chart pages: the p-chart and its CSV, small multiples and the aim analysis. Aggregates
only: no page here shows personal data."""

from __future__ import annotations

import csv
from urllib.parse import urlencode

from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET

from charts import figures, selectors
from charts.forms import (
    PCHART_DEFAULTS,
    AimForm,
    AnnotationForm,
    PChartForm,
    PhaseForm,
    SmallMultiplesForm,
)
from charts.models import ChartAnnotation, ChartPhase
from charts.presenters import Baseline, FigureInputError, aim_report
from involvement import access
from projects import fragments
from projects.models import Directorate
from projects.paging import paginate


def _pchart_from_request(request: HttpRequest):
    """The form and, when the options are good, the figure (the page and the CSV share it)."""
    catalogue = selectors.ScopeCatalogue()
    data = {**PCHART_DEFAULTS, **request.GET.dict()}
    form = PChartForm(data, catalogue=catalogue)
    if not form.is_valid():
        return form, None
    options = form.cleaned_data
    scope = options["scope"]
    if options["baseline"] == "saved":
        baseline = figures.saved_baseline(scope)
    elif options["baseline"] == "freeze":
        baseline = Baseline(kind="freeze", freeze=options["freeze"])
    elif options["baseline"] == "phases":
        baseline = Baseline(kind="phases", phase_months=options["phases"])
    else:
        baseline = Baseline()
    target = options["target"]
    try:
        chart = figures.scope_figure(
            scope,
            measure=options["measure"],
            start=options["start"],
            end=options["end"],
            baseline=baseline,
            rule_set=options["rules"],
            target_percent=float(target) if target is not None else None,
        )
    except FigureInputError as error:
        form.add_error(error.field, error.message)
        return form, None
    return form, chart


@require_GET
@access.role_required(*access.CHART_READERS)
def pchart(request: HttpRequest) -> HttpResponse:
    # No page fragment here: the figure is needed before the content (the head and scripts load
    # Plotly only for a chart), and its costly parts are cached already, each by its content.
    form, chart = _pchart_from_request(request)
    figure = chart.figure if chart else None
    context = {"form": form, "figure": figure, "form_html": figures.cached_form_html(form)}
    if figure is not None:
        scope = form.cleaned_data["scope"]
        context.update(
            figure_script=figures.cached_plotly_script(chart, "pchart-figure"),
            # Up to 240 rows: rendered once per figure, then read from the cache.
            table=figures.cached_fragment(chart, "charts/_table.html", table_id="pchart-table"),
            csv_url=reverse("charts:pchart_csv") + "?" + request.GET.urlencode(),
            scope=scope,
        )
        if access.can_save_chart_notes(request.user):
            here = request.get_full_path()
            context.update(_note_forms(request, scope, here))
    return render(request, "charts/pchart.html", context)


def _note_forms(request: HttpRequest, scope: selectors.Scope, here: str) -> dict:
    """The admin's forms on the chart page, posting to their own views and coming back here."""
    initial = {"directorate": scope.single_directorate_id}
    annotation_form = AnnotationForm(prefix="annotation", initial=initial)
    annotation_form.helper.form_action = (
        reverse("charts:annotation_add") + "?" + urlencode({"next": here})
    )
    phase_form = PhaseForm(prefix="phase", initial=initial)
    phase_form.helper.form_action = reverse("charts:phase_add") + "?" + urlencode({"next": here})
    return {
        "annotation_form": annotation_form,
        "phase_form": phase_form,
        # Years of notes pile up: each list pages on its own (the chart itself draws them all).
        "saved_annotations": paginate(
            request,
            ChartAnnotation.objects.for_scope(scope.directorate_ids).select_related("directorate"),
            param="notes",
        ),
        "saved_phases": paginate(
            request,
            ChartPhase.objects.for_scope(scope.directorate_ids).select_related("directorate"),
            param="phases",
        ),
        "here": here,
    }


@require_GET
@access.role_required(*access.CHART_READERS)
def pchart_csv(request: HttpRequest) -> HttpResponse:
    form, chart = _pchart_from_request(request)
    if chart is None:
        problems = [str(e) for errors in form.errors.values() for e in errors]
        return HttpResponse(
            "The chart's options have a problem: " + " ".join(problems) + "\n",
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    scope, figure = form.cleaned_data["scope"], chart.figure
    name = f"pchart-{figure.measure}-{scope.value}.csv"
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    writer = csv.writer(response, lineterminator="\n")
    writer.writerows(figure.csv_rows())
    return response


@require_GET
@access.role_required(*access.CHART_READERS)
def small_multiples(request: HttpRequest) -> HttpResponse:
    data = {"measure": "big_i", **request.GET.dict()}
    form = SmallMultiplesForm(data)
    # Made when the page's fragment is rendered, not when it is served from the cache.
    grid = (
        fragments.lazy(lambda: _small_multiples_grid(**form.cleaned_data))
        if form.is_valid()
        else ""
    )
    return render(request, "charts/small_multiples.html", {"form": form, "grid": grid})


def _small_multiples_grid(*, measure: str, start, end) -> str:
    """Twenty charts' cards as HTML, kept until the series, a saved note or a directorate changes.

    Building and drawing twenty figures costs several times a whole page; the key holds every
    input: the derived table's version, the options, and every saved annotation, phase and
    directorate (small tables, read whole, so an edit anywhere, even in the admin site, is a new
    key)."""
    annotations = list(ChartAnnotation.objects.select_related("directorate").order_by("pk"))
    phases = list(ChartPhase.objects.order_by("pk"))
    directorates = list(Directorate.objects.order_by("name"))
    inputs = (
        selectors.series_version(),
        measure,
        start,
        end,
        [(d.pk, d.name) for d in directorates],
        [vars_of(a) for a in annotations],
        [vars_of(p) for p in phases],
    )
    key = fragments.digest_key("charts:small-multiples", inputs)
    html = cache.get(key)
    if html is not None:
        return mark_safe(html)  # noqa: S308 - rendered below by the template engine, autoescaped
    series = selectors.directorate_series(measure=measure, start=start, end=end)
    charts = []
    for directorate in directorates:
        mine = {None, directorate.pk}
        chart = figures.cached_figure(
            rows=series.get(directorate.pk, []),
            measure=measure,
            scope_label=directorate.name,
            baseline=Baseline(
                kind="phases",
                phase_months=tuple(p.month for p in phases if p.directorate_id in mine),
                strict=False,
            ),
            annotations=figures.notes_as_inputs(a for a in annotations if a.directorate_id in mine),
        )
        query = {"scope": f"directorate-{directorate.pk}", "measure": measure}
        for name, month in (("start", start), ("end", end)):
            if month:
                query[name] = f"{month:%Y-%m}"
        charts.append(
            {
                "directorate": directorate,
                "figure": chart.figure,
                "svg": figures.cached_svg(
                    chart,
                    width=440,
                    height=220,
                    id_prefix=f"chart-{directorate.pk}",
                    compact=True,
                ),
                "url": reverse("charts:pchart") + "?" + urlencode(query),
            }
        )
    html = render_to_string("charts/_small_multiples_grid.html", {"charts": charts})
    cache.set(key, html, selectors.SERIES_TIMEOUT)
    return mark_safe(html)  # noqa: S308 - rendered by the template engine, autoescaped


def vars_of(record) -> tuple:
    """Every stored field of a saved note, for a cache key."""
    return tuple(getattr(record, f.attname) for f in record._meta.concrete_fields)


@require_GET
@access.role_required(*access.CHART_READERS)
def aims(request: HttpRequest) -> HttpResponse:
    data = {"success": "aim", **request.GET.dict()}
    form = AimForm(data)
    # Counted when the page's fragment is rendered, not when it is served from the cache.
    report = fragments.lazy(_aim_report, form.cleaned_data) if form.is_valid() else None
    return render(request, "charts/aims.html", {"form": form, "report": report})


def _aim_report(options: dict):
    directorate = options["directorate"]
    counts = selectors.aim_counts(
        success=options["success"],
        directorate_ids=[directorate.pk] if directorate else None,
    )
    return aim_report(counts)
