"""Imports at the scale of a whole trust (issue 10, item 3): 5,000 Life QI projects, then 120,000
rows of involvement (team memberships and little-i activities) through the two management
commands, each timed. The target is under 60 s each.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bigi_import_bench SECRET_KEY=x \\
        .venv/bin/python tests/benchmarks/import_csvs.py

Expects a freshly migrated, empty database: it adds the directorates the files name (imports never
create directorates), writes the two CSV files into a temporary directory, runs `import_projects`
and `import_involvement` on them and prints one JSON line:

    {"import_projects": {"rows": N, "seconds": S}, "import_involvement": {"rows": N, "seconds": S}}

`--rerun` times a second run of each file too (every row "no change"); `--keep DIR` writes the
files into DIR and leaves them there (to try them in the admin's import page).
"""

from __future__ import annotations

import argparse
import csv
import datetime
import io
import json
import os
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

PROJECTS = 5_000
MEMBERS_PER_PROJECT = 4  # 20,000 membership rows
ACTIVITY_ROWS = 100_000  # 120,000 involvement rows in all
PEOPLE_PER_DIRECTORATE = 100  # 2,000 people across the trust
TODAY = datetime.date(2025, 6, 30)  # fixed, so every run writes the same files

DIRECTORATES = [
    "Newham",
    "Tower Hamlets",
    "City and Hackney",
    "Forensic services",
    "Bedfordshire",
    "Luton",
    "Community health Newham",
    "Specialist addiction services",
    "Children and young people",
    "Older adults",
    "Learning disabilities",
    "Perinatal services",
    "Primary care",
    "Psychological therapies",
    "Crisis services",
    "Rehabilitation",
    "Eating disorders",
    "Corporate services",
    "Estates and facilities",
    "Pharmacy",
]
FIRST = "Sam Alex Jo Chris Pat Robin Ali Nadia Priya Tom Grace Ada Zoe Ravi Femi Lena Omar".split()
LAST = "Taylor Patel Khan Smith Jones Okafor Brown Ahmed Green Lee Walker Begum Clarke Reid".split()


def _day(start: datetime.date, end: datetime.date, rng: random.Random) -> datetime.date:
    return start + datetime.timedelta(days=rng.randint(0, max(0, (end - start).days)))


def _people(rng: random.Random) -> dict[str, list[str]]:
    """About 100 distinct names per directorate (a name is unique within its directorate, so the
    import can find each person again)."""
    names = [f"{first} {last}" for first in FIRST for last in LAST]
    people = {}
    for directorate in DIRECTORATES:
        chosen = rng.sample(names, min(PEOPLE_PER_DIRECTORATE, len(names)))
        people[directorate] = chosen
    return people


def write_files(folder: Path, seed: int = 10) -> tuple[Path, int, Path, int]:
    from involvement.models import ActivityKind
    from projects.imports import INVOLVEMENT_COLUMNS, PROJECT_COLUMNS  # the files' own columns

    rng = random.Random(seed)
    people = _people(rng)
    projects = []  # (lifeqi_id, directorate, start, last day involvement may happen)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(PROJECT_COLUMNS)
    for number in range(1, PROJECTS + 1):
        lifeqi_id = f"LQI-{number:05d}"
        directorate = DIRECTORATES[number % len(DIRECTORATES)]
        start = _day(datetime.date(2015, 1, 1), datetime.date(2025, 3, 31), rng)
        status = rng.choices(["completed", "stopped", "active", "draft"], [45, 10, 42, 3])[0]
        end = None
        if status in {"completed", "stopped"}:
            end = min(TODAY, start + datetime.timedelta(days=rng.randint(90, 1100)))
        aim_reached = rng.choice(["yes", "no", ""]) if end else ""
        writer.writerow(
            [
                lifeqi_id,
                f"Improving care, project {number} in {directorate}",
                directorate,
                f"{rng.choice(FIRST)} {rng.choice(LAST)}",
                start.isoformat(),
                end.isoformat() if end else "",
                status,
                f"Reduce waiting times by {rng.randint(5, 50)}% within a year",
                aim_reached,
            ]
        )
        last = end or min(TODAY, start + datetime.timedelta(days=1100))
        projects.append((lifeqi_id, directorate, start, last))
    projects_path = folder / "lifeqi_projects.csv"
    projects_path.write_text(out.getvalue(), encoding="utf-8")

    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(INVOLVEMENT_COLUMNS)
    rows = 0
    for lifeqi_id, directorate, start, last in projects:
        # Team members: four different people, one after another or side by side.
        for name in rng.sample(people[directorate], MEMBERS_PER_PROJECT):
            joined = _day(start, last, rng)
            left = _day(joined, last, rng) if rng.random() < 0.6 else None
            kind = rng.choices(["service_user", "carer", "both"], [70, 25, 5])[0]
            writer.writerow(
                [
                    lifeqi_id,
                    "member",
                    name,
                    kind,
                    joined.isoformat(),
                    left.isoformat() if left else "",
                    "",
                ]
            )
            rows += 1
    per_project = ACTIVITY_ROWS // len(projects)
    for lifeqi_id, directorate, start, last in projects:
        taken: set[tuple[str, datetime.date]] = set()
        while len(taken) < per_project:
            kind = rng.choice(ActivityKind.values)
            day = _day(start, last, rng)
            if (kind, day) in taken:
                continue
            taken.add((kind, day))
            # One activity in four names someone who took part (they join the register).
            named = rng.choice(people[directorate]) if rng.random() < 0.25 else ""
            writer.writerow(
                [
                    lifeqi_id,
                    kind,
                    named,
                    "",
                    day.isoformat(),
                    "",
                    rng.randint(1, 40) if not named or rng.random() < 0.9 else "",
                ]
            )
            rows += 1
    involvement_path = folder / "involvement.csv"
    involvement_path.write_text(out.getvalue(), encoding="utf-8")
    return projects_path, PROJECTS, involvement_path, rows


def add_directorates() -> None:
    from django.utils.text import slugify

    from projects.models import Directorate

    for name in DIRECTORATES:
        Directorate.objects.get_or_create(name=name, defaults={"slug": slugify(name)})


def timed(command: str, path: Path) -> float:
    from django.core.management import call_command

    started = time.perf_counter()
    call_command(command, str(path), stdout=io.StringIO())
    return round(time.perf_counter() - started, 2)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rerun", action="store_true", help="time a second run of each file too")
    parser.add_argument("--keep", metavar="DIR", help="write the CSV files here and keep them")
    arguments = parser.parse_args()

    import django

    django.setup()
    from projects.models import Project

    if Project.objects.exists():
        sys.stderr.write("note: the database already holds projects; rows may be updates.\n")
    add_directorates()

    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(arguments.keep or scratch)
        folder.mkdir(parents=True, exist_ok=True)
        projects_csv, project_rows, involvement_csv, involvement_rows = write_files(folder)

        def time_both() -> dict:
            return {
                "import_projects": {
                    "rows": project_rows,
                    "seconds": timed("import_projects", projects_csv),
                },
                "import_involvement": {
                    "rows": involvement_rows,
                    "seconds": timed("import_involvement", involvement_csv),
                },
            }

        result = time_both()
        if arguments.rerun:
            result["rerun"] = time_both()  # every row "no change" now
    print(json.dumps(result))


if __name__ == "__main__":
    main()
