"""Writes to idea boards. Each one checks the board's state and saves in one transaction.

Every write starts by bumping the board's ``version`` with an UPDATE. That does two jobs: the
polling script sees something changed, and the UPDATE takes the board row's write lock first
(a row lock on PostgreSQL, the database's write lock on SQLite), so two writes to one board, say a
person voting from two tabs, run one after the other and the second one sees the first's result.
The rules (votes left, voting still open, board still open) are checked after the lock, on fresh
rows.

The callers (views) decide who may do what through ``involvement.access``; these functions keep
the rules that hold whoever calls them.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Sum
from django.utils import timezone

from projects import services as project_services
from projects.models import Directorate, ForumMeeting, Project, ProjectStatus
from projects.models_boards import (
    MOST_VOTES,
    NOTE_MAX_LENGTH,
    NOTES_PER_BOARD,
    ActionKind,
    Board,
    BoardAction,
    BoardParticipant,
    BoardStatus,
    Hat,
    Note,
    NoteAuthor,
    Vote,
    VotingStatus,
)

CLOSED_MESSAGE = "This board is closed: notes and votes can no longer be added or changed."


def _lock(board: Board) -> Board:
    """Bump the version (taking the board's write lock) and read the board again, fresh."""
    Board.objects.filter(pk=board.pk).update(version=F("version") + 1)
    return Board.objects.select_related("project", "meeting__forum").get(pk=board.pk)


def _require_open(board: Board) -> None:
    if board.status != BoardStatus.OPEN:
        raise ValidationError(CLOSED_MESSAGE)


def clean_note_text(text: str) -> str:
    """Notes are plain text: trimmed, never empty, at most 500 characters."""
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": "Write your note before adding it."})
    if len(text) > NOTE_MAX_LENGTH:
        raise ValidationError(
            {
                "text": f"A note can be up to {NOTE_MAX_LENGTH} characters: yours has "
                f"{len(text)}. Shorten it, or split it into two notes."
            }
        )
    return text


# --- opening and inviting ------------------------------------------------------------------------


@transaction.atomic
def board_open(
    *,
    question: str,
    by,
    meeting: ForumMeeting | None = None,
    project: Project | None = None,
) -> Board:
    """Open a board for a forum meeting or a project; the person opening it takes part too."""
    today = timezone.localdate()
    board = Board(
        question=" ".join((question or "").split()),
        meeting=meeting,
        project=project,
        opened_by=by,
        opened_on=today,
    )
    if not board.question:
        raise ValidationError({"question": "Write the question the board asks."})
    board.full_clean()
    board.save()
    BoardParticipant.objects.create(board=board, user=by, invited_by=by, invited_on=today)
    return board


@transaction.atomic
def participants_invite(*, board: Board, users, by) -> list[BoardParticipant]:
    """Invite people (users) to the board; those already invited are left as they are."""
    board = _lock(board)
    _require_open(board)
    already = set(board.participants.values_list("user_id", flat=True))
    today = timezone.localdate()
    new = []
    for user in users:
        if user.pk in already:
            continue
        already.add(user.pk)
        new.append(BoardParticipant(board=board, user=user, invited_by=by, invited_on=today))
    if not new:
        raise ValidationError("Everyone you chose is already invited.")
    return BoardParticipant.objects.bulk_create(new)


@transaction.atomic
def participant_remove(*, board: Board, participant: BoardParticipant) -> None:
    """Take back an invitation. Their notes stay (they were written for everyone); their votes go,
    as they are no longer taking part."""
    board = _lock(board)
    _require_open(board)
    if participant.board_id != board.pk:
        raise ValidationError("That person is not invited to this board.")
    if participant.user_id == board.opened_by_id:
        raise ValidationError("The person who opened the board stays on it.")
    participant.delete()


def _participant(board: Board, user) -> BoardParticipant:
    """The user's participant row, made now for a facilitator who was not invited (facilitators
    take part). Uses its own savepoint, so a double click making it twice is harmless."""
    try:
        with transaction.atomic():
            return BoardParticipant.objects.get_or_create(
                board=board,
                user=user,
                defaults={"invited_by": user, "invited_on": timezone.localdate()},
            )[0]
    except IntegrityError:
        return BoardParticipant.objects.get(board=board, user=user)


# --- notes ---------------------------------------------------------------------------------------


@transaction.atomic
def note_add(*, board: Board, by, column: str, text: str, anonymous: bool) -> Note:
    """Add a note. An anonymous note keeps nothing about ``by``: no author row, no user, no time
    finer than the day."""
    text = clean_note_text(text)
    if column not in Hat.values:
        raise ValidationError({"column": "Choose the column for your note."})
    board = _lock(board)
    _require_open(board)
    if board.notes.count() >= NOTES_PER_BOARD:
        raise ValidationError(
            f"This board is full ({NOTES_PER_BOARD} notes). Ask the facilitator to open another."
        )
    # The board row is locked, so the next place is this board's alone.
    number = (board.notes.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    note = Note(
        board=board,
        column=column,
        text=text,
        anonymous=anonymous,
        number=number,
        added_on=timezone.localdate(),
    )
    note.full_clean()
    note.save()
    if not anonymous:
        NoteAuthor.objects.create(note=note, user=by)
    return note


@transaction.atomic
def note_remove(*, note: Note) -> None:
    """Take a note off an open board (its votes go with it). A note that became an action stays:
    the action points back to it."""
    board = _lock(note.board)
    _require_open(board)
    if note.actions.exists():
        raise ValidationError(
            "This idea has been turned into an action, so it stays on the board as its record."
        )
    note.delete()


# --- voting --------------------------------------------------------------------------------------


@transaction.atomic
def voting_open(*, board: Board, votes_per_person: int) -> Board:
    board = _lock(board)
    _require_open(board)
    if board.voting == VotingStatus.OPEN:
        raise ValidationError("Voting is already open.")
    if board.voting == VotingStatus.CLOSED:
        raise ValidationError("Voting has closed on this board; its results are kept as they are.")
    if not (1 <= votes_per_person <= MOST_VOTES):
        raise ValidationError(
            {"votes_per_person": f"Give each person from 1 to {MOST_VOTES} votes."}
        )
    if not board.notes.filter(column=Hat.CREATIVE).exists():
        raise ValidationError("There are no creative ideas to vote on yet.")
    board.voting = VotingStatus.OPEN
    board.votes_per_person = votes_per_person
    board.full_clean()
    board.save(update_fields=["voting", "votes_per_person"])
    return board


@transaction.atomic
def voting_close(*, board: Board) -> Board:
    board = _lock(board)
    if board.voting != VotingStatus.OPEN:
        raise ValidationError("Voting is not open.")
    board.voting = VotingStatus.CLOSED
    board.save(update_fields=["voting"])
    return board


def votes_used(*, board: Board, user) -> int:
    return (
        Vote.objects.filter(board=board, participant__user=user).aggregate(used=Sum("count"))[
            "used"
        ]
        or 0
    )


@transaction.atomic
def vote_change(*, board: Board, user, note: Note, change: int) -> int:
    """Place (``change`` = 1) or take back (``change`` = -1) one of the user's votes on an idea.
    Returns the votes they have left. The board is locked first, so two tabs voting at once are
    counted one after the other and never go past the limit."""
    if change not in (1, -1):
        raise ValidationError("A vote is placed or taken back one at a time.")
    board = _lock(board)  # first, so a second tab waits here until this vote is counted
    _require_open(board)
    if board.voting != VotingStatus.OPEN:
        raise ValidationError(
            "Voting has closed: the votes are counted and can no longer change."
            if board.voting == VotingStatus.CLOSED
            else "Voting has not opened yet: the facilitator opens it."
        )
    note = board.notes.filter(pk=note.pk).first()
    if note is None:
        raise ValidationError("That idea is no longer on the board.")
    if note.column != Hat.CREATIVE:
        raise ValidationError("Votes go on the creative ideas only.")
    participant = _participant(board, user)
    vote = Vote.objects.filter(note=note, participant=participant).first()
    used = votes_used(board=board, user=user)
    if change == 1:
        if used >= board.votes_per_person:
            raise ValidationError(
                f"You have used all {board.votes_per_person} of your votes. Take one back from "
                "another idea to place it here."
            )
        if vote is None:
            Vote.objects.create(board=board, note=note, participant=participant, count=1)
        else:
            Vote.objects.filter(pk=vote.pk).update(count=F("count") + 1)
        return board.votes_per_person - used - 1
    if vote is None:
        raise ValidationError("You have no vote on this idea to take back.")
    if vote.count <= 1:
        vote.delete()
    else:
        Vote.objects.filter(pk=vote.pk).update(count=F("count") - 1)
    return board.votes_per_person - used + 1


# --- closing -------------------------------------------------------------------------------------


@transaction.atomic
def board_close(*, board: Board) -> Board:
    """Close the board: no more notes or votes; open voting closes with it (its counts are the
    result)."""
    board = _lock(board)
    _require_open(board)
    board.status = BoardStatus.CLOSED
    board.closed_on = timezone.localdate()
    if board.voting == VotingStatus.OPEN:
        board.voting = VotingStatus.CLOSED
    board.save(update_fields=["status", "closed_on", "voting"])
    return board


# --- from idea to action -------------------------------------------------------------------------


@transaction.atomic
def action_record(
    *,
    note: Note,
    by,
    kind: str,
    description: str,
    annotation_id: int | None = None,
    project: Project | None = None,
) -> BoardAction:
    """Record what an idea became, on the board. Open and closed boards alike: actions are the
    follow-up of a session, often decided after it."""
    board = _lock(note.board)
    action = BoardAction(
        board=board,
        note=note,
        kind=kind,
        description=" ".join((description or "").split()),
        annotation_id=annotation_id,
        project=project,
        taken_by=by,
        taken_on=timezone.localdate(),
    )
    if not action.description:
        raise ValidationError({"description": "Say what was done with the idea."})
    action.full_clean()
    action.save()
    return action


@transaction.atomic
def project_from_note(
    *,
    note: Note,
    by,
    title: str,
    directorate: Directorate,
    start_date: datetime.date,
    lead=None,
) -> tuple[Project, BoardAction]:
    """A draft QI project from an idea: its title from the note, its aim left for the team to
    write. Saved through the projects service, so the co-production gate applies when it goes
    live."""
    project = project_services.project_save(
        project=Project(
            title=" ".join((title or "").split()),
            directorate=directorate,
            start_date=start_date,
            status=ProjectStatus.DRAFT,
            lead=lead,
        )
    )
    action = action_record(
        note=note,
        by=by,
        kind=ActionKind.PROJECT,
        description=f"“{project.title}” ({directorate.name}), a draft for its team to plan",
        project=project,
    )
    return project, action
