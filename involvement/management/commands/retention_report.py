"""``manage.py retention_report [--months N]``: people inactive for longer than the retention
period, with the date and kind of their last activity. It changes nothing: what to do with each
(keep, contact, erase at /people/<id>/erase/) is a person's decision."""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from involvement.services_protection import retention_report

EXIT_BAD_INPUT = 2


class Command(BaseCommand):
    help = (
        "List people with no team membership, activity, role description, claim or sign-in for "
        "longer than the retention period (settings RETENTION_MONTHS, default 72 months), with "
        "the date of their last activity. Changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--months",
            type=int,
            default=None,
            help=f"the retention period in months (default: RETENTION_MONTHS, "
            f"now {settings.RETENTION_MONTHS})",
        )

    def handle(self, *args, months=None, **options):
        months = settings.RETENTION_MONTHS if months is None else months
        if months < 1:
            raise CommandError("--months must be 1 or more.", returncode=EXIT_BAD_INPUT)
        cutoff, rows = retention_report(months=months)
        self.stdout.write(
            f"People inactive for more than {months} months (last activity before "
            f"{cutoff:%-d %B %Y}): {len(rows)}"
        )
        if not rows:
            return
        self.stdout.write("id\tlast active\tlast activity\tdirectorates\tname")
        for row in rows:
            directorates = ", ".join(d.name for d in row.person.directorates.all()) or "-"
            self.stdout.write(
                f"{row.person.pk}\t{row.last_active:%Y-%m-%d}\t{row.last_activity}\t"
                f"{directorates}\t{row.person.name}"
            )
        self.stdout.write(
            "Nothing was changed. Review each person: an erasure is at /people/<id>/erase/."
        )
