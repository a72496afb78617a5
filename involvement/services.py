"""Writes to team memberships and little-i activities.

Each locks the project row first, so two people logging the same membership at once cannot both
pass the overlap check; the derived level table is rebuilt by the signals in the same
transaction.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction

from involvement.models import Activity, Person, TeamMembership
from projects.models import Project


def _lock(project: Project) -> Project:
    return Project.objects.select_for_update().get(pk=project.pk)


def _check_directorate(project: Project, people: Iterable[Person], field: str) -> None:
    for person in people:
        if not person.directorates.filter(pk=project.directorate_id).exists():
            raise ValidationError(
                {field: f"{person} is not in the people register of {project.directorate}."}
            )


@transaction.atomic
def membership_add(
    *,
    project: Project,
    person: Person,
    start_date: datetime.date,
    end_date: datetime.date | None = None,
    role: str = "Team member",
    by=None,
) -> TeamMembership:
    project = _lock(project)
    _check_directorate(project, [person], "person")
    membership = TeamMembership(
        project=project,
        person=person,
        start_date=start_date,
        end_date=end_date,
        role=role or "Team member",
        created_by=by,
    )
    membership.full_clean()
    membership.save()
    return membership


@transaction.atomic
def membership_end(*, membership: TeamMembership, end_date: datetime.date) -> TeamMembership:
    _lock(membership.project)
    membership = TeamMembership.objects.select_related("project", "person").get(pk=membership.pk)
    membership.end_date = end_date
    membership.full_clean()
    membership.save(update_fields=["end_date"])
    return membership


@transaction.atomic
def membership_remove(*, membership: TeamMembership) -> None:
    """Delete a membership logged by mistake (to record that someone left, end it instead)."""
    _lock(membership.project)
    membership.delete()


@transaction.atomic
def activity_add(
    *,
    project: Project,
    kind: str,
    date: datetime.date,
    participants: int = 1,
    note: str = "",
    people: Iterable[Person] = (),
    by=None,
) -> Activity:
    project = _lock(project)
    people = list(people)
    _check_directorate(project, people, "people")
    if participants is not None and len(people) > participants:
        raise ValidationError(
            {"participants": f"{len(people)} people are named: at least that many took part."}
        )
    activity = Activity(
        project=project,
        kind=kind,
        date=date,
        participants=participants,
        note=note,
        created_by=by,
    )
    activity.full_clean()
    activity.save()
    if people:
        activity.people.set(people)
    return activity


@transaction.atomic
def activity_remove(*, activity: Activity) -> None:
    _lock(activity.project)
    activity.delete()
