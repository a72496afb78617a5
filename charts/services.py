"""Writes of the charts app: the annotations and phases admins save on the p-chart."""

from __future__ import annotations

import datetime

from django.db import transaction

from charts.models import ChartAnnotation, ChartPhase
from projects import services_boards
from projects.models import Directorate
from projects.models_boards import ActionKind


@transaction.atomic
def annotation_create(
    *,
    user,
    date: datetime.date,
    text: str,
    directorate: Directorate | None = None,
    source: str | None = None,
) -> ChartAnnotation:
    annotation = ChartAnnotation(
        date=date,
        text=text.strip(),
        directorate=directorate,
        source=(source or "").strip() or None,
        created_by=user,
    )
    annotation.full_clean()
    annotation.save()
    return annotation


@transaction.atomic
def annotation_delete(*, annotation: ChartAnnotation) -> None:
    annotation.delete()


@transaction.atomic
def phase_create(
    *, user, month: datetime.date, directorate: Directorate | None = None, note: str = ""
) -> ChartPhase:
    phase = ChartPhase(
        month=month.replace(day=1), directorate=directorate, note=note.strip(), created_by=user
    )
    phase.full_clean()  # also checks the "one phase per month and scope" constraints
    phase.save()
    return phase


@transaction.atomic
def phase_delete(*, phase: ChartPhase) -> None:
    phase.delete()


@transaction.atomic
def annotation_from_board_note(
    *,
    user,
    note,
    date: datetime.date,
    text: str,
    directorate: Directorate | None,
    source: str,
) -> ChartAnnotation:
    """Turn an idea on an idea board into a change idea on the p-chart, and record on the board
    what it became (the board keeps the annotation's id: the charts app builds on projects, never
    the other way round)."""
    annotation = annotation_create(
        user=user, date=date, text=text, directorate=directorate, source=source
    )
    scope = f"{directorate.name}'s charts" if directorate else "every chart (whole trust)"
    services_boards.action_record(
        note=note,
        by=user,
        kind=ActionKind.ANNOTATION,
        description=f"“{annotation.text}”, from {date:%-d %B %Y}, on {scope}",
        annotation_id=annotation.pk,
    )
    return annotation
