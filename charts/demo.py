"""Demo data of the charts app, called by ``manage.py seed_demo`` after the idea boards.

The seed's idea board chose "SU chairing all QI forums": the QI team put it on the trust's p-chart
as a change idea, from the month after the forum met. Idempotent: the board keeps the annotation's
id in its actions, so a second run finds it and changes nothing.
"""

from __future__ import annotations

import datetime

from django.contrib.auth import get_user_model
from django.urls import reverse

from charts.models import ChartAnnotation
from involvement.months import add_months, month_of
from projects.models_boards import ActionKind, Board, BoardAction

IDEA = "SU chairing all QI forums"
CHANGE = "SU chairs all QI forums"


def seed_board_annotation(board: Board | None) -> ChartAnnotation | None:
    if board is None or board.meeting_id is None:
        return None
    note = board.notes.filter(text=IDEA).first()
    if note is None:
        return None
    done = BoardAction.objects.filter(note=note, kind=ActionKind.ANNOTATION).first()
    if done is not None:
        return ChartAnnotation.objects.filter(pk=done.annotation_id).first()
    admin = get_user_model().objects.filter(username="admin").first()
    start = add_months(month_of(board.meeting.date), 1)
    annotation, _ = ChartAnnotation.objects.get_or_create(
        date=start,
        text=CHANGE,
        directorate=None,
        defaults={"source": reverse("boards:detail", args=[board.pk]), "created_by": admin},
    )
    BoardAction.objects.create(
        board=board,
        note=note,
        kind=ActionKind.ANNOTATION,
        description=f"“{CHANGE}”, from {start:%-d %B %Y}, on every chart (whole trust)",
        annotation_id=annotation.pk,
        taken_by=admin,
        taken_on=board.meeting.date + datetime.timedelta(days=2),
    )
    return annotation
