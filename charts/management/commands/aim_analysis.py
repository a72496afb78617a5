"""``manage.py aim_analysis``: did involvement help projects reach their aim?

The same numbers as the page ``/charts/aims/`` (both read ``charts.selectors.aim_counts`` and
``charts.presenters.aim_report``). A bad option is one line on stderr and exit code 2.
"""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandError

from charts.presenters import AimReport, aim_report
from charts.selectors import SUCCESS_AIM, SUCCESS_PROGRESS, aim_counts, directorate_by_name


class Command(BaseCommand):
    help = (
        "Among ended projects with an outcome recorded: how many reached their aim by level of "
        "involvement, with risk and odds ratios against no involvement and Fisher's exact test."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--success",
            choices=[SUCCESS_AIM, SUCCESS_PROGRESS],
            default=SUCCESS_AIM,
            help="aim: the aim was reached (default); progress: final IHI progress score ≥ 4.0.",
        )
        parser.add_argument("--directorate", metavar="NAME", help="One directorate (name or slug).")
        parser.add_argument("--json", dest="as_json", action="store_true", help="Print JSON.")

    def handle(self, *args, success=SUCCESS_AIM, directorate=None, as_json=False, **options):
        directorate_ids = None
        if directorate is not None:
            found = directorate_by_name(directorate)
            if found is None:
                raise CommandError(
                    f"--directorate {directorate}: no such directorate", returncode=2
                )
            directorate_ids = [found.pk]
        report = aim_report(aim_counts(success=success, directorate_ids=directorate_ids))
        if as_json:
            self.stdout.write(json.dumps(report.as_dict(), indent=2))
        else:
            self.stdout.write(as_text(report))


def _ratio(value, low, high) -> str:
    if value is None:
        return "not shown"
    return f"{value:.2f} (95% CI {low:.2f} to {high:.2f})"


def as_text(report: AimReport) -> str:
    lines = [f"Projects ended with an outcome recorded: {report.total}"]
    if report.left_out:
        lines.append(f"Left out (no progress score recorded): {report.left_out}")
    lines.append("")
    width = max(len(g.label) for g in report.groups)
    lines.append(f"{'involvement'.ljust(width)}  projects  {report.success_text}  %")
    for group in report.groups:
        lines.append(
            f"{group.label.ljust(width)}  {group.total:>8}  "
            f"{group.reached:>{len(report.success_text)}}  {group.percent}"
        )
    lines.append("")
    for item in report.comparisons:
        c = item.comparison
        lines.append(
            f"{item.exposed} against none: risk ratio {_ratio(c.rr, c.rr_low, c.rr_high)}; "
            f"odds ratio {_ratio(c.or_, c.or_low, c.or_high)}; Fisher's exact p "
            + ("-" if c.p_value is None else f"{c.p_value:.4f}")
        )
    lines.append("")
    for item in report.comparisons:
        lines.append(item.sentence)
        if item.or_sentence:
            lines.append(item.or_sentence)
    return "\n".join(lines)
