"""The charts tests' own projects: a deterministic trust with a step change in Big I.

Used where the tests need "the demo data" and the demo projects (``projects/demo.py``, built on
another branch) are not there yet: about 150 projects over the last five years, Big I on about
20% of the projects that started in the first half and about 50% of those that started in the
second, so the trust's Big I p-chart has a real shift to find. Seeded, so every run is the same.
"""

from __future__ import annotations

import datetime
import random

from django.utils import timezone

from involvement.levels import deferred_rebuilds
from involvement.models import Activity, Person, TeamMembership
from involvement.months import add_months, month_of
from projects.models import Directorate, Project


def build_step_change_projects(*, count: int = 150, seed: int = 6) -> list[Project]:
    rng = random.Random(seed)
    today = timezone.localdate()
    this_month = month_of(today)
    directorates = list(Directorate.objects.order_by("name"))
    if not directorates:
        directorates = [Directorate.objects.create(name="Newham", slug="newham")]
    people = [
        Person.objects.get_or_create(
            email=f"step-person-{i}@example.org", defaults={"name": f"Step person {i}"}
        )[0]
        for i in range(20)
    ]
    projects = []
    with deferred_rebuilds():
        for index in range(count):
            start_offset = -60 + (index * 58) // count  # spread over the five years
            start = add_months(this_month, start_offset)
            start += datetime.timedelta(days=rng.randrange(27))
            months = rng.randrange(8, 20)
            end = add_months(month_of(start), months) + datetime.timedelta(days=rng.randrange(27))
            ended = end < today
            later_half = start_offset >= -30
            big_i = rng.random() < (0.5 if later_half else 0.2)
            little_i = not big_i and rng.random() < 0.3
            reached = rng.random() < (0.7 if big_i else 0.55 if little_i else 0.3)
            project = Project.objects.create(
                title=f"Step change project {index + 1}",
                directorate=directorates[index % len(directorates)],
                start_date=start,
                end_date=end if ended else None,
                status=("completed" if reached or index % 4 else "stopped") if ended else "active",
                aim_reached=("yes" if reached else "no") if ended else "",
            )
            if big_i:
                TeamMembership.objects.create(
                    project=project,
                    person=people[index % len(people)],
                    start_date=start,
                    end_date=project.end_date,
                )
            if little_i:
                Activity.objects.create(project=project, kind="survey", date=start, participants=8)
            projects.append(project)
    return projects
