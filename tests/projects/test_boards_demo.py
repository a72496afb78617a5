"""The demo idea boards: the seed's slide as a closed board (every note in its column, its votes
with "SU chairing all QI forums" first, its actions) and an open board for Newham's next forum
meeting; deterministic and idempotent."""

from __future__ import annotations

import datetime
import io

import pytest
import time_machine
from django.core.management import call_command
from django.db.models import Sum

from charts.models import ChartAnnotation
from involvement import levels
from projects.demo_boards import OPEN_QUESTION, SEED_NOTES, SEED_QUESTION
from projects.models_boards import (
    ActionKind,
    Board,
    BoardAction,
    BoardParticipant,
    Note,
    NoteAuthor,
    Vote,
)
from projects.selectors_boards import board_view

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2025, 6, 15)


def seed():
    levels.reset_month_check()
    with time_machine.travel(TODAY):
        call_command("seed_demo", "--password", "pw-for-tests-1", stdout=io.StringIO())
    levels.reset_month_check()


def snapshot():
    return (
        sorted(Board.objects.values_list("question", "status", "voting", "opened_on", "version")),
        sorted(Note.objects.values_list("board__question", "column", "text", "anonymous")),
        NoteAuthor.objects.count(),
        sorted(Vote.objects.values_list("note__text", "participant__user__username", "count")),
        sorted(BoardAction.objects.values_list("kind", "description", "taken_on")),
        BoardParticipant.objects.count(),
        sorted(ChartAnnotation.objects.values_list("date", "text", "source")),
    )


@pytest.fixture
def seeded():
    seed()


def test_the_closed_board_reproduces_the_seed_slide(seeded):
    board = Board.objects.get(question=SEED_QUESTION)
    assert board.status == "closed" and board.voting == "closed"
    assert board.meeting.forum.name == "Newham QI forum"
    on_board = {
        column: list(board.notes.filter(column=column).values_list("text", flat=True))
        for column in SEED_NOTES
    }
    assert on_board == {column: [text for text, _ in notes] for column, notes in SEED_NOTES.items()}
    assert "SU chairing all QI forums" in on_board["creative"]
    assert "No quality control from when we first saw improvement" in on_board["conclusions"]
    anonymous = sum(1 for notes in SEED_NOTES.values() for _, who in notes if who is None)
    assert board.notes.filter(anonymous=True).count() == anonymous
    assert NoteAuthor.objects.filter(note__board=board).count() == board.notes.count() - anonymous


def test_the_seed_boards_votes_put_su_chairing_first_within_each_persons_three(seeded):
    board = Board.objects.get(question=SEED_QUESTION)
    ranking = board_view(board, board.opened_by).ideas_by_votes
    assert ranking[0].note.text == "SU chairing all QI forums"
    assert ranking[0].total_votes > ranking[1].total_votes
    per_person = Vote.objects.filter(board=board).values("participant").annotate(used=Sum("count"))
    assert {row["used"] for row in per_person} == {3}
    assert per_person.count() == board.participants.count() == 8


def test_the_seed_boards_actions_are_a_trust_annotation_and_the_coproduction_rule(seeded):
    board = Board.objects.get(question=SEED_QUESTION)
    annotation_action = board.actions.get(kind=ActionKind.ANNOTATION)
    annotation = ChartAnnotation.objects.get(pk=annotation_action.annotation_id)
    assert annotation.text == "SU chairs all QI forums"
    assert annotation.directorate is None
    assert annotation.source == f"/boards/{board.pk}/"
    assert annotation.date > board.meeting.date
    assert annotation_action.note.text == "SU chairing all QI forums"
    rule = board.actions.get(kind=ActionKind.OTHER)
    assert rule.note.text == "No new projects without assurance of coproduction"


def test_the_open_board_is_for_newhams_next_meeting_with_ppl_and_su_invited(seeded):
    board = Board.objects.get(question=OPEN_QUESTION)
    assert board.status == "open" and board.voting == "not_started"
    assert board.meeting.date >= TODAY and board.meeting.forum.name == "Newham QI forum"
    assert set(board.participants.values_list("user__username", flat=True)) == {"ppl", "su"}
    assert board.notes.count() >= 3


def test_seeding_again_changes_nothing(seeded):
    before = snapshot()
    seed()
    assert snapshot() == before
