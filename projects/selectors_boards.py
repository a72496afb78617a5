"""Reads of idea boards: a board as one person sees it (its columns, their notes, the person's own
votes, the counts once voting has closed, the actions taken), in a fixed number of queries."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Sum

from projects.models_boards import (
    HAT_PROMPTS,
    Board,
    BoardAction,
    Hat,
    Note,
    Vote,
    VotingStatus,
)


def author_label(note: Note) -> str:
    """The name shown with a note: the writer's, or "Anonymous". A named note whose writer's
    account was since deleted says so rather than pretending it was anonymous."""
    if note.anonymous:
        return "Anonymous"
    author = getattr(note, "author", None)
    if author is None:
        return "Name no longer kept"
    return author.user.get_full_name() or author.user.get_username()


@dataclass
class NoteView:
    note: Note
    author: str
    mine: bool  # written under the viewer's name (they may take it off while the board is open)
    my_votes: int = 0
    total_votes: int = 0
    actions: list[BoardAction] = field(default_factory=list)

    @property
    def id(self) -> str:
        return str(self.note.pk)


@dataclass
class ColumnView:
    key: str
    label: str
    prompt: str
    notes: list[NoteView]


@dataclass
class BoardView:
    board: Board
    columns: list[ColumnView]
    votes_left: int
    votes_used: int
    participants: int
    voters: int
    total_votes: int
    actions: list[BoardAction]

    @property
    def ideas_by_votes(self) -> list[NoteView]:
        """The creative ideas, most votes first (ties in the board's order)."""
        creative = next(c for c in self.columns if c.key == Hat.CREATIVE)
        return sorted(creative.notes, key=lambda n: (-n.total_votes, n.note.number))

    @property
    def note_count(self) -> int:
        return sum(len(c.notes) for c in self.columns)


def board_view(board: Board, user) -> BoardView:
    notes = list(board.notes.select_related("author__user").order_by("number"))
    actions = list(
        BoardAction.objects.filter(board=board)
        .select_related("project", "note")
        .order_by("taken_on", "pk")
    )
    by_note: dict = defaultdict(list)
    for action in actions:
        by_note[action.note_id].append(action)

    mine = dict(
        Vote.objects.filter(board=board, participant__user=user).values_list("note_id", "count")
    )
    totals: dict = {}
    if board.voting == VotingStatus.CLOSED:
        totals = dict(
            Vote.objects.filter(board=board)
            .values("note_id")
            .annotate(total=Sum("count"))
            .values_list("note_id", "total")
        )
    summary = Vote.objects.filter(board=board).aggregate(
        total=Sum("count"), voters=Count("participant", distinct=True)
    )
    columns = {hat: ColumnView(hat.value, hat.label, HAT_PROMPTS[hat], []) for hat in Hat}
    for note in notes:
        author = getattr(note, "author", None) if not note.anonymous else None
        columns[Hat(note.column)].notes.append(
            NoteView(
                note=note,
                author=author_label(note),
                mine=author is not None and author.user_id == user.pk,
                my_votes=mine.get(note.pk, 0),
                total_votes=totals.get(note.pk, 0),
                actions=by_note.get(note.pk, []),
            )
        )
    used = sum(mine.values())
    return BoardView(
        board=board,
        columns=list(columns.values()),
        votes_left=max(board.votes_per_person - used, 0),
        votes_used=used,
        participants=board.participants.count(),
        voters=summary["voters"] or 0,
        total_votes=summary["total"] or 0,
        actions=actions,
    )
