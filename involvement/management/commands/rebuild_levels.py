"""Rebuild the derived table of project levels per month, or extend it to the current month."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand

from involvement import levels


class Command(BaseCommand):
    help = (
        "Rebuild every project's level per month from memberships and activities. "
        "With --extend, only add the current month to running projects (run it monthly)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--extend", action="store_true")

    def handle(self, *args, extend=False, **options):
        started = time.perf_counter()
        if extend:
            levels.reset_month_check()
            count = levels.ensure_current_month()
            self.stdout.write(f"Extended {count} running project(s) to the current month.")
        else:
            rows = levels.rebuild_all()
            self.stdout.write(f"Rebuilt {rows} project-month rows.")
        self.stdout.write(f"Took {time.perf_counter() - started:.2f} s.")
