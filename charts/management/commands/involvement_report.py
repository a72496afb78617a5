"""``manage.py involvement_report --from YYYY-MM --to YYYY-MM [--directorate NAME] -o FILE.pdf``:
the involvement report as a PDF, for scheduled runs (the same document as ``/reports/``).

Bad input — a malformed month, ``--from`` after ``--to``, a period over 20 years, an unknown
directorate — is one line on stderr and exit code 2, and no file is written. A period with no data
is not an error: the report says so in each section. Also run by the scale benchmark
(``make bench``).
"""

from __future__ import annotations

import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from charts.forms import LONGEST_RANGE
from charts.reports import Period, build_report, directorate_scope, report_pdf, trust_scope
from charts.selectors import directorate_by_name
from involvement.months import months_between, parse_month

EXIT_BAD_INPUT = 2


class Command(BaseCommand):
    help = (
        "Write the involvement report (PDF) for a period: p-charts, aim analysis, directorates, "
        "flags and stories, for the whole trust or one directorate."
    )

    def add_arguments(self, parser):
        parser.add_argument("--from", dest="start", required=True, help="first month, YYYY-MM")
        parser.add_argument("--to", dest="end", required=True, help="last month, YYYY-MM")
        parser.add_argument(
            "--directorate", metavar="NAME", help="one directorate (name or slug); default: trust"
        )
        parser.add_argument(
            "-o", "--output", required=True, metavar="FILE.pdf", help="where to write the PDF"
        )

    def handle(self, *args, start, end, output, directorate=None, **options):
        def fail(reason: str):
            raise CommandError(reason, returncode=EXIT_BAD_INPUT)

        try:
            first, last = parse_month(start), parse_month(end)
        except ValueError as problem:
            fail(str(problem))
        if first > last:
            fail(f"--from {start} is after --to {end}.")
        if len(list(months_between(first, last))) > LONGEST_RANGE:
            fail(f"The period is longer than {LONGEST_RANGE // 12} years: choose a shorter one.")
        if directorate is None:
            scope = trust_scope()
        else:
            found = directorate_by_name(directorate)
            if found is None:
                fail(f"No directorate is called “{directorate}”.")
            scope = directorate_scope(found)
        target = Path(output)
        if not target.parent.is_dir():
            fail(f"Cannot write {output}: the folder {target.parent} does not exist.")

        began = time.perf_counter()
        report = build_report(scope=scope, period=Period(first, last))
        pdf = report_pdf(report)
        target.write_bytes(pdf)
        seconds = time.perf_counter() - began
        self.stdout.write(
            f"Wrote {output}: {report.title} ({len(pdf) // 1024} KB, {seconds:.1f} s)."
        )
