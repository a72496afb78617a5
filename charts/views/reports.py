"""The involvement report page: an admin chooses a period and a scope and downloads the PDF."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from charts.forms import ReportForm
from charts.reports import Period, build_report, directorate_scope, report_pdf, trust_scope
from involvement import access
from involvement.access import Role
from involvement.levels import current_month
from involvement.months import add_months
from projects.models import Directorate

FIELDS = ("scope", "start", "end")


@require_GET
@access.role_required(Role.ADMIN)
def reports(request: HttpRequest) -> HttpResponse:
    """The form (GET without options), or the PDF once the options are good (the form's own
    GET): a download is then a link that can be kept and shared among admins."""
    directorates = list(Directorate.objects.order_by("name").only("pk", "name", "slug"))
    if not any(name in request.GET for name in FIELDS):
        last = add_months(current_month(), -1)
        form = ReportForm(
            initial={
                "scope": "trust",
                "start": f"{add_months(last, -11):%Y-%m}",
                "end": f"{last:%Y-%m}",
            },
            directorates=directorates,
        )
        return render(request, "charts/report/index.html", {"form": form})
    form = ReportForm(request.GET, directorates=directorates)
    if not form.is_valid():
        return render(request, "charts/report/index.html", {"form": form})
    directorate = form.directorate
    scope = directorate_scope(directorate) if directorate else trust_scope()
    report = build_report(
        scope=scope, period=Period(form.cleaned_data["start"], form.cleaned_data["end"])
    )
    response = HttpResponse(report_pdf(report), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{report.filename}"'
    return response
