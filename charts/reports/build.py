"""The involvement report put together: its scope and period, every section's data, the HTML
document and the PDF.

The two p-charts are the same figures the web page draws for the same options (scope, measure,
months, the scope's saved phases, both rule sets): ``charts.figures.scope_figure`` builds the one
description and ``charts.svg`` draws it as inline SVG, which WeasyPrint draws as vectors. No
browser is needed on the server (Plotly's own image export would need one).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone

from charts import figures, selectors
from charts.presenters import AimReport, PChartFigure, aim_report
from charts.reports import data
from charts.reports.data import CappedList, DirectorateFigures, Period
from projects.models import Directorate
from projects.pdf import html_to_pdf

TEMPLATE = "charts/report/report.html"
# The SVG's own size in px; the style sheet scales it to the page's width (174 mm), which keeps
# its 12 px type at about 8.5 pt.
CHART_WIDTH = 720
CHART_HEIGHT = 400


@dataclass(frozen=True)
class ReportScope:
    """What the report covers: the whole trust or one directorate."""

    label: str  # "Whole trust" or the directorate's name
    slug: str  # for the file name
    chart_scope: selectors.Scope
    directorate_ids: tuple[int, ...]  # every directorate of the scope
    directorate: Directorate | None = None

    @property
    def is_trust(self) -> bool:
        return self.directorate is None


def trust_scope() -> ReportScope:
    ids = tuple(Directorate.objects.order_by("pk").values_list("pk", flat=True))
    return ReportScope("Whole trust", "trust", selectors.TRUST, ids)


def directorate_scope(directorate: Directorate) -> ReportScope:
    chart_scope = selectors.Scope(
        f"directorate-{directorate.pk}", directorate.name, (directorate.pk,)
    )
    return ReportScope(
        directorate.name, directorate.slug, chart_scope, (directorate.pk,), directorate
    )


@dataclass(frozen=True)
class ReportChart:
    key: str  # "big_i" or "any"
    anchor: str  # the section's id, for the contents
    heading: str
    figure: PChartFigure
    svg: str | None  # the SVG markup; None when no project was active in the period

    @property
    def empty(self) -> bool:
        return self.svg is None

    @property
    def caption(self) -> str:
        return self.figure.describe(numbers_where="in “The numbers behind the charts”")


@dataclass(frozen=True)
class InvolvementReport:
    trust_name: str
    scope: ReportScope
    period: Period
    made_at: datetime.datetime
    charts: tuple[ReportChart, ...]
    aims: AimReport
    directorates: list[DirectorateFigures]
    total: DirectorateFigures
    without_ppl: list[Directorate]
    quiet_projects: CappedList
    past_review: CappedList
    review_on: datetime.date
    short_notice: list[dict]
    falling: list[figures.FallingDirectorate]
    stories: list

    @property
    def title(self) -> str:
        return f"Involvement report: {self.scope.label}, {self.period.label}"

    @property
    def filename(self) -> str:
        return f"involvement-report-{self.scope.slug}-{self.period.slug}.pdf"

    @property
    def any_active(self) -> bool:
        """True when some project was active in some month of the period."""
        return any(not chart.empty for chart in self.charts)


CHARTS = (
    ("big_i", "big-i", "Big I: service users or carers on the project team"),
    ("any", "any-involvement", "Big I or little i: any involvement"),
)


def build_report(
    *, scope: ReportScope, period: Period, made_at: datetime.datetime | None = None
) -> InvolvementReport:
    """Everything the report shows, read in a few dozen aggregate queries."""
    made_at = made_at or timezone.localtime()
    charts = []
    for measure, anchor, heading in CHARTS:
        chart = figures.scope_figure(
            scope.chart_scope, measure=measure, start=period.start, end=period.end
        )
        svg = figures.cached_svg(
            chart, width=CHART_WIDTH, height=CHART_HEIGHT, id_prefix=f"report-{anchor}"
        )
        charts.append(ReportChart(measure, anchor, heading, chart.figure, svg))
    ids = None if scope.is_trust else list(scope.directorate_ids)
    rows, total = data.directorate_figures(directorate_ids=scope.directorate_ids, period=period)
    review_on = min(period.last_day, made_at.date())
    falling = [
        item
        for item in figures.falling_directorates(month=period.end)
        if item.directorate.pk in scope.directorate_ids
    ]
    return InvolvementReport(
        trust_name=settings.TRUST_NAME,
        scope=scope,
        period=period,
        made_at=made_at,
        charts=tuple(charts),
        aims=aim_report(
            selectors.aim_counts(
                directorate_ids=ids, ended_from=period.first_day, ended_to=period.last_day
            )
        ),
        directorates=rows,
        total=total,
        without_ppl=data.directorates_without_ppl(scope.directorate_ids),
        quiet_projects=data.projects_without_involvement(scope.directorate_ids, period.end),
        past_review=data.role_descriptions_past_review(ids, review_on),
        review_on=review_on,
        short_notice=data.forums_with_short_notice_cancellations(scope.directorate_ids, period),
        falling=falling,
        stories=data.latest_stories(ids, period),
    )


def report_html(report: InvolvementReport) -> str:
    return render_to_string(TEMPLATE, {"report": report, "list_limit": data.LIST_LIMIT})


def report_pdf(report: InvolvementReport) -> bytes:
    """The report as a tagged (PDF/UA-1) A4 PDF."""
    return html_to_pdf(report_html(report))
