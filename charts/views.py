"""The chart pages: the p-chart, its CSV, small multiples, the aim analysis and the two homes
(forum chair, admin) that show a chart. Aggregates only: no page here shows personal data."""

from __future__ import annotations

import csv
import hashlib
from typing import NamedTuple
from urllib.parse import urlencode

from crispy_forms.utils import render_crispy_form
from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET, require_POST

from charts import selectors, services
from charts.forms import (
    PCHART_DEFAULTS,
    AimForm,
    AnnotationForm,
    ForumPickForm,
    PChartForm,
    PhaseForm,
    SmallMultiplesForm,
)
from charts.models import ChartAnnotation, ChartPhase
from charts.plotly_figure import PLOTLY_CONFIG, plotly_figure
from charts.presenters import (
    CONCERN,
    AnnotationInput,
    Baseline,
    FigureInputError,
    PChartFigure,
    aim_report,
    build_pchart_figure,
    month_text,
)
from charts.svg import render_svg
from involvement import access
from involvement import selectors as involvement_selectors
from involvement.access import Role
from involvement.levels import current_month
from involvement.months import add_months
from projects.models import Directorate, Level

PAGE_SIZE = 25


def _notes_as_inputs(annotations) -> list[AnnotationInput]:
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
    key = "charts:figure:" + hashlib.sha256(repr(sorted(options.items())).encode()).hexdigest()
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


def cached_form_html(form: PChartForm) -> str:
    """The chart's options form, rendered once for each distinct query, scope list and errors.

    The form (a dozen fields and a select of every directorate and forum) costs more to render
    than the rest of the page; it is a function of exactly these three things (a GET form has no
    CSRF token), so the same query string is served from the cache."""
    parts = (
        sorted(form.data.items()),
        form.fields["scope"].choices,
        form.errors.get_json_data(),
    )
    key = "charts:form:" + hashlib.sha256(repr(parts).encode()).hexdigest()
    html = cache.get(key)
    if html is None:
        html = render_crispy_form(form)
        cache.set(key, html, selectors.SERIES_TIMEOUT)
    return mark_safe(html)  # noqa: S308 - rendered by crispy's templates, autoescaped


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
    """The figure of a scope with its saved phases and annotations (what every reader sees)."""
    rows = selectors.chart_series(scope=scope, measure=measure, start=start, end=end)
    if baseline is None:
        baseline = saved_baseline(scope)
    return cached_figure(
        rows=rows,
        measure=measure,
        scope_label=scope.label,
        baseline=baseline,
        rule_set=rule_set,
        target_percent=target_percent,
        annotations=_notes_as_inputs(selectors.annotations_for(scope)),
    )


def saved_baseline(scope: selectors.Scope) -> Baseline:
    months = tuple(phase.month for phase in selectors.phases_for(scope))
    return Baseline(kind="phases", phase_months=months, strict=False)


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
        baseline = saved_baseline(scope)
    elif options["baseline"] == "freeze":
        baseline = Baseline(kind="freeze", freeze=options["freeze"])
    elif options["baseline"] == "phases":
        baseline = Baseline(kind="phases", phase_months=options["phases"])
    else:
        baseline = Baseline()
    target = options["target"]
    try:
        chart = scope_figure(
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
    form, chart = _pchart_from_request(request)
    figure = chart.figure if chart else None
    context = {"form": form, "figure": figure, "form_html": cached_form_html(form)}
    if figure is not None:
        scope = form.cleaned_data["scope"]
        context.update(
            figure_json={**plotly_figure(figure), "config": PLOTLY_CONFIG},
            # Up to 240 rows: rendered once per figure, then read from the cache.
            table=cached_fragment(chart, "charts/_table.html", table_id="pchart-table"),
            csv_url=reverse("charts:pchart_csv") + "?" + request.GET.urlencode(),
            scope=scope,
        )
        if access.can_save_chart_notes(request.user):
            here = request.get_full_path()
            context.update(_note_forms(scope, here))
    return render(request, "charts/pchart.html", context)


def _note_forms(scope: selectors.Scope, here: str) -> dict:
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
        "saved_annotations": selectors.annotations_for(scope),
        "saved_phases": selectors.phases_for(scope),
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
    charts = []
    if form.is_valid():
        options = form.cleaned_data
        measure = options["measure"]
        series = selectors.directorate_series(
            measure=measure, start=options["start"], end=options["end"]
        )
        annotations = list(ChartAnnotation.objects.select_related("directorate"))
        phases = list(ChartPhase.objects.all())
        for directorate in Directorate.objects.order_by("name"):
            mine = {None, directorate.pk}
            chart = cached_figure(
                rows=series.get(directorate.pk, []),
                measure=measure,
                scope_label=directorate.name,
                baseline=Baseline(
                    kind="phases",
                    phase_months=tuple(p.month for p in phases if p.directorate_id in mine),
                    strict=False,
                ),
                annotations=_notes_as_inputs(a for a in annotations if a.directorate_id in mine),
            )
            query = {"scope": f"directorate-{directorate.pk}", "measure": measure}
            for key in ("start", "end"):
                if options[key]:
                    query[key] = f"{options[key]:%Y-%m}"
            charts.append(
                {
                    "directorate": directorate,
                    "figure": chart.figure,
                    "svg": cached_svg(
                        chart,
                        width=440,
                        height=220,
                        id_prefix=f"chart-{directorate.pk}",
                        compact=True,
                    ),
                    "url": reverse("charts:pchart") + "?" + urlencode(query),
                }
            )
    return render(request, "charts/small_multiples.html", {"form": form, "charts": charts})


@require_GET
@access.role_required(*access.CHART_READERS)
def aims(request: HttpRequest) -> HttpResponse:
    data = {"success": "aim", **request.GET.dict()}
    form = AimForm(data)
    report = None
    if form.is_valid():
        directorate = form.cleaned_data["directorate"]
        counts = selectors.aim_counts(
            success=form.cleaned_data["success"],
            directorate_ids=[directorate.pk] if directorate else None,
        )
        report = aim_report(counts)
    return render(request, "charts/aims.html", {"form": form, "report": report})


# --- homes ---------------------------------------------------------------------------------------


@access.role_required(Role.CHAIR)
def chair_home(request: HttpRequest) -> HttpResponse:
    forums = list(access.chaired_forums(request.user).prefetch_related("directorates"))
    if not forums:
        return render(request, "charts/chair_home.html", {"forums": []})
    chosen = request.GET.get("forum")
    if chosen:
        if not chosen.isdigit():
            raise Http404
        forum = next((f for f in forums if f.pk == int(chosen)), None)
        if forum is None:
            forum = access.get_chaired_forum(request.user, int(chosen))  # 404: not theirs
    else:
        forum = forums[0]
    scope = selectors.Scope(
        f"forum-{forum.pk}",
        forum.name,
        tuple(sorted(d.pk for d in forum.directorates.all())),
    )
    chart = scope_figure(scope)
    today = timezone.localdate()
    upcoming, recent = selectors.forum_meetings(forum, today=today)
    projects = Paginator(selectors.forum_projects(forum), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    context = {
        "forums": forums,
        "forum": forum,
        "figure": chart.figure,
        "svg": cached_svg(chart, id_prefix="forum-chart"),
        "chart_url": reverse("charts:pchart") + "?" + urlencode({"scope": scope.value}),
        "projects": projects,
        "level_counts": [
            (Level(level).label, count)
            for level, count in selectors.forum_level_counts(forum).items()
        ],
        "upcoming": upcoming,
        "recent": recent,
        "page_query": urlencode({"forum": forum.pk}),
        "form": ForumPickForm(
            initial={"forum": forum.pk}, forums=access.chaired_forums(request.user)
        )
        if len(forums) > 1
        else None,
    }
    return render(request, "charts/chair_home.html", context)


@access.role_required(Role.ADMIN)
def admin_home(request: HttpRequest) -> HttpResponse:
    directorates = Directorate.objects.prefetch_related(
        Prefetch("staff", queryset=involvement_selectors.ppl_users(), to_attr="ppls")
    )
    chart = scope_figure(selectors.TRUST)
    return render(
        request,
        "charts/admin_home.html",
        {
            "directorates": directorates,
            "without_ppl": involvement_selectors.directorates_without_ppl(),
            "figure": chart.figure,
            "svg": cached_svg(chart, id_prefix="trust-chart"),
            "no_involvement_count": selectors.projects_without_involvement().count(),
            "this_month": month_text(current_month()),
            "falling": falling_directorates(),
        },
    )


def falling_directorates(*, recent_months: int = 3) -> list[dict]:
    """Directorates whose Big I proportion fell: lower this quarter than in the same months a
    year before, or a special cause concern in the last ``recent_months`` months of their chart
    (the last two years, with their saved phases)."""
    month = current_month()
    changes = {c.directorate.pk: c for c in selectors.big_i_by_quarter(today_month=month)}
    series = selectors.directorate_series(measure="big_i", start=add_months(month, -23), end=month)
    phases = list(ChartPhase.objects.all())
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
            flagged.append(
                {
                    "directorate": change.directorate,
                    "reasons": reasons,
                    "url": reverse("charts:pchart")
                    + "?"
                    + urlencode({"scope": f"directorate-{pk}"}),
                }
            )
    return flagged


@access.role_required(Role.ADMIN)
def no_involvement(request: HttpRequest) -> HttpResponse:
    projects = (
        selectors.projects_without_involvement()
        .select_related("directorate")
        .only("pk", "title", "start_date", "directorate__name")
        .order_by("directorate__name", "title", "pk")
    )
    page = Paginator(projects, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "charts/no_involvement.html",
        {"page": page, "this_month": month_text(current_month())},
    )


# --- what admins save on the chart ---------------------------------------------------------------


def _back(request: HttpRequest) -> str:
    target = request.GET.get("next") or request.POST.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("charts:pchart")


@access.role_required(Role.ADMIN)
def annotation_add(request: HttpRequest) -> HttpResponse:
    form = AnnotationForm(request.POST or None, prefix="annotation")
    if request.method == "POST" and form.is_valid():
        try:
            services.annotation_create(
                user=request.user,
                date=form.cleaned_data["date"],
                text=form.cleaned_data["text"],
                directorate=form.cleaned_data["directorate"],
                source=form.cleaned_data["source"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Annotation saved: every reader of the chart sees it.")
            return redirect(_back(request))
    return render(
        request,
        "charts/note_form.html",
        {"form": form, "heading": "Add an annotation to the p-chart", "back": _back(request)},
    )


@access.role_required(Role.ADMIN)
def phase_add(request: HttpRequest) -> HttpResponse:
    form = PhaseForm(request.POST or None, prefix="phase")
    if request.method == "POST" and form.is_valid():
        try:
            services.phase_create(
                user=request.user,
                month=form.cleaned_data["month"],
                directorate=form.cleaned_data["directorate"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Phase saved: every reader of the chart sees it.")
            return redirect(_back(request))
    return render(
        request,
        "charts/note_form.html",
        {"form": form, "heading": "Start a new phase on the p-chart", "back": _back(request)},
    )


@require_POST
@access.role_required(Role.ADMIN)
def annotation_delete(request: HttpRequest, pk: int) -> HttpResponse:
    services.annotation_delete(annotation=get_object_or_404(ChartAnnotation, pk=pk))
    messages.success(request, "Annotation removed.")
    return redirect(_back(request))


@require_POST
@access.role_required(Role.ADMIN)
def phase_delete(request: HttpRequest, pk: int) -> HttpResponse:
    services.phase_delete(phase=get_object_or_404(ChartPhase, pk=pk))
    messages.success(request, "Phase removed.")
    return redirect(_back(request))
