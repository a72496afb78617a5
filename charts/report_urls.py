"""``/reports/``: the involvement report (admins only)."""

from django.urls import path

from charts.views import reports

app_name = "reports"

urlpatterns = [
    path("", reports.reports, name="index"),
]
