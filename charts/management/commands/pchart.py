"""``manage.py pchart FILE.csv``: the app's p-chart maths on an analyst's own CSV.

The CSV has the header ``month,numerator,denominator`` and one row per month (UTF-8, with or
without a byte-order mark). Any problem with the file or the options is one line on stderr naming
the line of the file, and exit code 2.
"""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from charts.spc import PChart, p_chart, signal_sentences

HEADER = ["month", "numerator", "denominator"]
_WHOLE = re.compile(r"-?[0-9]+")


def _fail(message: str) -> CommandError:
    return CommandError(message, returncode=2)


def read_rows(path: Path) -> list[tuple[str, int, int]]:
    """The rows of the CSV, checked; a CommandError (exit code 2) names the first bad line."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise _fail(f"{path}: no such file") from None
    except UnicodeDecodeError:
        raise _fail(f"{path}: not UTF-8 text") from None
    except OSError as error:
        raise _fail(f"{path}: cannot be read ({error.strerror})") from None

    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader, None)
        if header is None:
            raise _fail(f"{path} is empty: expected the header {','.join(HEADER)}")
        if header != HEADER:
            raise _fail(
                f"{path}, line 1: the header must be exactly {','.join(HEADER)}, "
                f"not {','.join(header)}"
            )
        rows: list[tuple[str, int, int]] = []
        first_seen: dict[str, int] = {}
        for values in reader:
            line = reader.line_num
            if not values:
                continue  # a blank line
            where = f"{path}, line {line}"
            if len(values) != len(HEADER):
                raise _fail(
                    f"{where}: expected 3 values (month,numerator,denominator), found {len(values)}"
                )
            month = values[0].strip()
            if not month:
                raise _fail(f"{where}: the month is empty")
            where = f"{where} ({month})"
            numerator, denominator = (
                _whole(values[i].strip(), name, where)
                for i, name in ((1, "numerator"), (2, "denominator"))
            )
            if numerator > denominator:
                raise _fail(
                    f"{where}: numerator {numerator} is greater than denominator {denominator}"
                )
            if month in first_seen:
                raise _fail(
                    f"{where}: month {month} appears twice (first on line {first_seen[month]})"
                )
            first_seen[month] = line
            rows.append((month, numerator, denominator))
    except csv.Error as error:
        raise _fail(f"{path}, line {reader.line_num}: not valid CSV ({error})") from None
    if not rows:
        raise _fail(f"{path} has a header but no rows of data")
    return rows


def _whole(value: str, name: str, where: str) -> int:
    if not _WHOLE.fullmatch(value):
        raise _fail(f"{where}: {name} {value!r} is not a whole number")
    number = int(value)
    if number < 0:
        raise _fail(f"{where}: {name} {number} is negative")
    return number


class Command(BaseCommand):
    help = (
        "Compute a p-chart (centre line, limits, Anhøj and Making Data Count signals) from a CSV "
        "of month,numerator,denominator."
    )
    requires_system_checks: list[str] = []  # pure maths: no models, no database

    def add_arguments(self, parser):
        parser.add_argument(
            "file", type=Path, help="CSV with the header month,numerator,denominator"
        )
        parser.add_argument(
            "--freeze",
            type=int,
            metavar="K",
            help="Centre line and limits from the first K months only, applied to all of them.",
        )
        parser.add_argument(
            "--part",
            dest="parts",
            action="extend",
            nargs="+",
            default=[],
            metavar="LABEL",
            help="A new phase starts at this month (repeatable). Parts win over --freeze.",
        )
        parser.add_argument(
            "--target", type=float, metavar="P", help="Target proportion, e.g. 0.3 (assurance)."
        )
        parser.add_argument("--json", dest="as_json", action="store_true", help="Print JSON.")

    def handle(self, *args, file, freeze=None, parts=(), target=None, as_json=False, **options):
        rows = read_rows(file)
        months = {label for label, _, _ in rows}
        if freeze is not None and freeze < 1:
            raise _fail(f"--freeze {freeze}: it must be 1 or more")
        if freeze is not None and freeze > len(rows):
            raise _fail(f"--freeze {freeze} is larger than the {len(rows)} rows of {file}")
        for label in parts:
            if label not in months:
                raise _fail(f"--part {label} is not a month in {file}")
        if target is not None and not 0 <= target <= 1:
            raise _fail(f"--target {target}: it must be a proportion between 0 and 1")
        try:
            chart = p_chart(rows, freeze=freeze, parts=parts, target=target)
        except ValueError as error:  # checked above; kept so no input can end in a traceback
            raise _fail(str(error)) from None

        if as_json:
            self.stdout.write(json.dumps(as_json_document(chart), indent=2))
        else:
            self.stdout.write(as_table(chart))


def as_json_document(chart: PChart) -> dict:
    return {
        "points": [
            {
                "label": p.label,
                "numerator": p.numerator,
                "denominator": p.denominator,
                "p": p.p,
                "cl": p.cl,
                "lcl": p.lcl,
                "ucl": p.ucl,
                "sigma": p.sigma,
                "outside": p.outside,
                "phase": p.phase,
                "variation": p.variation,
            }
            for p in chart.points
        ],
        "signals": {
            "phases": [
                {
                    "phase": ph.index,
                    "first_label": ph.first_label,
                    "last_label": ph.last_label,
                    "cl": ph.cl,
                    "n_useful": ph.n_useful,
                    "longest_run": ph.longest_run,
                    "longest_run_max": ph.longest_run_max,
                    "runs_signal": ph.runs_signal,
                    "crossings": ph.crossings,
                    "crossings_min": ph.crossings_min,
                    "crossings_signal": ph.crossings_signal,
                }
                for ph in chart.phases
            ],
            "outside": chart.outside,
            "shift": chart.shift,
            "trend": chart.trend,
            "two_of_three": chart.two_of_three,
            "assurance": chart.assurance,
        },
        "sentences": signal_sentences(chart),
    }


def _number(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f}"


def as_table(chart: PChart) -> str:
    headings = ["month", "n", "x", "p", "CL", "LCL", "UCL", "outside", "variation"]
    body = [
        [
            p.label,
            str(p.denominator),
            str(p.numerator),
            _number(p.p),
            _number(p.cl),
            _number(p.lcl),
            _number(p.ucl),
            "yes" if p.outside else "no",
            (p.variation or "-").replace("_", " "),
        ]
        for p in chart.points
    ]
    widths = [max(len(row[i]) for row in [headings, *body]) for i in range(len(headings))]
    lines = [
        "  ".join(
            cell.ljust(width) if i in (0, 8) else cell.rjust(width)
            for i, (cell, width) in enumerate(zip(row, widths, strict=True))
        ).rstrip()
        for row in [headings, *body]
    ]
    lines.append("")
    for ph in chart.phases:
        cl = _number(ph.cl)
        if ph.longest_run is None:
            runs = "no points off the centre line"
        else:
            runs = (
                f"longest run {ph.longest_run} (limit {ph.longest_run_max}), "
                f"crossings {ph.crossings} (minimum {ph.crossings_min})"
            )
        lines.append(f"Phase {ph.index}, {ph.first_label} to {ph.last_label}: CL {cl}; {runs}.")
    if chart.assurance:
        lines.append(f"Target {chart.target:g}: {chart.assurance.replace('_', ' ')}.")
    lines.append("")
    lines.extend(signal_sentences(chart))
    return "\n".join(lines)
