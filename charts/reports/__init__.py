"""The involvement report: a PDF for admins and boards, for a period and a scope (the whole trust or
one directorate). The page ``/reports/`` (admins only) and the command
``python manage.py involvement_report --from YYYY-MM --to YYYY-MM [--directorate NAME] -o FILE.pdf``
make the same document.

What is in it: a cover (trust, scope, period, date made), contents with page numbers, the Big I and
"Big I or little i" p-charts as vector images with their signals in words, the aim analysis, a
table of every directorate (active projects, % with Big I now and a year before, % with any
involvement, PPLs, people involved, payments approved and paid), the flags the seed worries about
(directorates without a PPL, active projects with no involvement, role descriptions past their
review date, forums with short-notice cancellations, directorates whose Big I share fell), the
latest published stories, and the numbers behind the charts. A4, page numbers, a running header,
table headers repeated on every page, tagged as PDF/UA-1 (``projects.pdf``).

- ``data``: the numbers, all database aggregates (COUNT and SUM grouped by directorate), so the
  cost does not grow with the number of projects, memberships or claims read.
- ``build``: the report put together, its HTML (``templates/charts/report/``, styled by
  ``static/css/report.css``) and its PDF.

Performance: ``involvement_report`` is also measured by the scale benchmark (``make bench``, built
in another branch: 5,000 projects over 10 years, with ``/usr/bin/time -v`` for memory). Keep the
queries aggregate and the printed lists capped (``data.LIST_LIMIT``) so that it stays quick there.
"""

from charts.reports.build import (
    InvolvementReport,
    ReportScope,
    build_report,
    directorate_scope,
    report_html,
    report_pdf,
    trust_scope,
)
from charts.reports.data import Period

__all__ = [
    "InvolvementReport",
    "Period",
    "ReportScope",
    "build_report",
    "directorate_scope",
    "report_html",
    "report_pdf",
    "trust_scope",
]
