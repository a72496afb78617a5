"""From an idea board to the p-chart: the board's facilitator turns an idea into a change idea
(an annotation with its date). It is a charts view because the charts app may read the boards,
while nothing below it may write to the chart."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from charts import services
from charts.forms import AnnotationFromIdeaForm
from involvement import access
from projects.models import Directorate
from projects.models_boards import Note


@login_required
def annotation_from_board_note(request: HttpRequest, note_id) -> HttpResponse:
    note = get_object_or_404(Note.objects.only("pk", "board_id"), pk=note_id)
    # Through the board's access rule: a note of a board the user may not see is a 404.
    board = access.get_board_for(request.user, note.board_id)
    note = get_object_or_404(board.notes, pk=note_id)
    if not access.can_facilitate(request.user, board):
        raise PermissionDenied
    board_url = reverse("boards:detail", args=[board.pk])
    directorates = list(Directorate.objects.filter(pk__in=board.directorate_ids()).order_by("name"))
    trust_wide = access.can_save_chart_notes(request.user)
    form = AnnotationFromIdeaForm(
        request.POST if request.method == "POST" else None,
        directorates=directorates,
        trust_wide=trust_wide,
        initial={
            "date": board.meeting.date if board.meeting_id else timezone.localdate(),
            "text": note.text[:120],
            "scope": str(directorates[0].pk) if len(directorates) == 1 else None,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            annotation = services.annotation_from_board_note(
                user=request.user,
                note=note,
                date=form.cleaned_data["date"],
                text=form.cleaned_data["text"],
                directorate=form.cleaned_data["scope"],
                source=board_url,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                f"“{annotation.text}” is on the p-chart from {annotation.date:%-d %B %Y}. "
                "Every reader of the chart sees it.",
            )
            return redirect(board_url)
    return render(
        request,
        "charts/annotation_from_idea.html",
        {"form": form, "board": board, "note": note, "board_url": board_url},
    )
