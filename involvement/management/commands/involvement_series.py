"""``manage.py involvement_series``: the monthly series behind the p-chart, as CSV
``month,numerator,denominator`` (the input ``manage.py pchart`` reads), from the same function the
pages use (``levels.involvement_series``)."""

from __future__ import annotations

import csv

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q

from involvement import levels
from involvement.months import parse_month
from projects.models import Directorate

EXIT_BAD_INPUT = 2
MEASURES = {"big_i": "big_i", "any": "any_involvement"}


class Command(BaseCommand):
    help = (
        "Print the monthly involvement series as CSV month,numerator,denominator: projects with "
        "Big I (or with any involvement, --measure any) out of active projects, one line per "
        "month including months with none."
    )

    def add_arguments(self, parser):
        parser.add_argument("--directorate", help="one directorate's name (default: whole trust)")
        parser.add_argument("--from", dest="start", help="first month, YYYY-MM")
        parser.add_argument("--to", dest="end", help="last month, YYYY-MM")
        parser.add_argument(
            "--measure",
            choices=sorted(MEASURES),
            default="big_i",
            help="big_i (default): projects with Big I; any: with Big I or little i",
        )

    def handle(self, *args, directorate=None, start=None, end=None, measure="big_i", **options):
        def fail(reason: str):
            raise CommandError(reason, returncode=EXIT_BAD_INPUT)

        try:
            first = parse_month(start) if start else None
            last = parse_month(end) if end else None
        except ValueError as problem:
            fail(str(problem))
        if first and last and first > last:
            fail(f"--from {start} is after --to {end}.")
        directorate_ids = None
        if directorate:
            found = Directorate.objects.filter(
                Q(name__iexact=directorate.strip()) | Q(slug__iexact=directorate.strip())
            ).first()
            if found is None:
                fail(f"No directorate is called “{directorate}”.")
            directorate_ids = [found.pk]
        rows = levels.involvement_series(directorate_ids=directorate_ids, start=first, end=last)
        numerator = MEASURES[measure]
        writer = csv.writer(self.stdout, lineterminator="\n")
        writer.writerow(["month", "numerator", "denominator"])
        for row in rows:
            writer.writerow([f"{row.month:%Y-%m}", getattr(row, numerator), row.active])
