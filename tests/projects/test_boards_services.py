"""Idea boards' rules, through the services: anonymity, notes, dot voting, closing, actions."""

from __future__ import annotations

import datetime
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import OperationalError, connection, connections, models
from django.utils import timezone

from charts import services as chart_services
from charts.models import ChartAnnotation
from projects import services_boards as services
from projects.models import Project, ProjectStatus
from projects.models_boards import (
    ActionKind,
    Board,
    BoardAction,
    BoardParticipant,
    BoardStatus,
    Note,
    NoteAuthor,
    Vote,
    VotingStatus,
)
from tests.factories import ProjectFactory
from tests.projects.boards_support import add_note, forum_meeting, open_board


@pytest.fixture
def project(directorate, lead):
    return ProjectFactory(directorate=directorate, lead=lead, title="Calmer wards")


@pytest.fixture
def board(ppl, su_user, project):
    return open_board(ppl, project=project, invite=[su_user])


def _open_voting(board, votes=3):
    return services.voting_open(board=board, votes_per_person=votes)


# --- anonymity -----------------------------------------------------------------------------------


def test_a_note_row_has_no_column_that_could_point_to_its_writer():
    """The note table holds the board, the column, the text, the anonymous flag, its place on the
    board and the day: no user, no person, no address, no time finer than the date."""
    columns = {field.column: field for field in Note._meta.concrete_fields}
    assert set(columns) == {"id", "board_id", "column", "text", "anonymous", "number", "added_on"}
    relations = [f for f in Note._meta.concrete_fields if isinstance(f, models.ForeignKey)]
    assert [f.related_model for f in relations] == [Board]
    assert isinstance(columns["added_on"], models.DateField)
    assert not isinstance(columns["added_on"], models.DateTimeField)
    assert isinstance(columns["id"], models.UUIDField)  # random: no order across boards
    assert not hasattr(Note, "history")  # no audit trail that would keep who


def test_an_anonymous_note_stores_nothing_about_who_wrote_it(board, su_user):
    note = add_note(board, su_user, "SU chairing all QI forums", anonymous=True)
    assert NoteAuthor.objects.filter(note=note).count() == 0
    assert NoteAuthor.objects.count() == 0
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT * FROM {Note._meta.db_table} WHERE id = %s",  # noqa: S608 - our own table
            [Note._meta.pk.get_db_prep_value(note.pk, connection)],
        )
        names = [column[0] for column in cursor.description]
        row = dict(zip(names, cursor.fetchone(), strict=True))
    assert set(row) == {"id", "board_id", "column", "text", "anonymous", "number", "added_on"}
    assert row["text"] == "SU chairing all QI forums"
    assert row["anonymous"] in (True, 1)
    assert str(row["added_on"]) == str(note.added_on)  # a date, nothing finer
    assert su_user.username not in " ".join(str(value) for value in row.values())


def test_a_named_note_keeps_its_writer_apart(board, su_user):
    note = add_note(board, su_user, "Recruitment event")
    assert NoteAuthor.objects.get(note=note).user == su_user
    assert note.anonymous is False


# --- notes ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "message"),
    [("", "Write your note"), ("   \n ", "Write your note"), ("x" * 501, "yours has 501")],
)
def test_an_empty_or_too_long_note_is_refused_and_nothing_is_kept(board, su_user, text, message):
    with pytest.raises(ValidationError, match=message):
        add_note(board, su_user, text)
    assert Note.objects.count() == 0


def test_a_note_of_500_characters_is_kept_trimmed(board, su_user):
    note = add_note(board, su_user, "  " + "x" * 500 + "  ")
    assert note.text == "x" * 500


def test_a_note_goes_in_one_of_the_six_columns(board, su_user):
    with pytest.raises(ValidationError, match="column"):
        add_note(board, su_user, column="purple hat")
    assert Note.objects.count() == 0


def test_notes_are_numbered_in_the_order_they_were_added_on_their_board(board, su_user, ppl):
    first = add_note(board, su_user, "one")
    second = add_note(board, ppl, "two", anonymous=True)
    other = open_board(ppl, project=board.project)
    assert (first.number, second.number, add_note(other, ppl, "elsewhere").number) == (1, 2, 1)


def test_every_change_moves_the_board_version_on(board, su_user):
    before = Board.objects.get(pk=board.pk).version
    add_note(board, su_user)
    assert Board.objects.get(pk=board.pk).version == before + 1


def test_no_note_on_a_closed_board(board, su_user):
    services.board_close(board=board)
    with pytest.raises(ValidationError, match="closed"):
        add_note(board, su_user)
    assert Note.objects.count() == 0


def test_a_note_that_became_an_action_stays_on_the_board(board, ppl):
    note = add_note(board, ppl, "Celebrate good co-production")
    services.action_record(note=note, by=ppl, kind=ActionKind.OTHER, description="Awards night")
    with pytest.raises(ValidationError, match="stays on the board"):
        services.note_remove(note=note)
    assert Note.objects.filter(pk=note.pk).exists()


def test_removing_a_note_takes_its_votes_with_it(board, su_user, ppl):
    note = add_note(board, ppl)
    _open_voting(board)
    services.vote_change(board=board, user=su_user, note=note, change=1)
    services.note_remove(note=note)
    assert Vote.objects.count() == 0


# --- invitations ---------------------------------------------------------------------------------


def test_the_person_who_opens_a_board_takes_part(board, ppl):
    assert board.participants.filter(user=ppl).exists()
    assert board.opened_on == timezone.localdate()


def test_inviting_someone_twice_changes_nothing(board, su_user):
    with pytest.raises(ValidationError, match="already invited"):
        services.participants_invite(board=board, users=[su_user], by=board.opened_by)
    assert board.participants.filter(user=su_user).count() == 1


def test_taking_back_an_invitation_takes_back_the_votes_but_keeps_the_notes(board, su_user, ppl):
    note = add_note(board, su_user, "Stories of projects with involvement")
    _open_voting(board)
    services.vote_change(board=board, user=su_user, note=note, change=1)
    participant = board.participants.get(user=su_user)
    services.participant_remove(board=board, participant=participant)
    assert Vote.objects.count() == 0
    assert Note.objects.filter(pk=note.pk).exists()


def test_the_person_who_opened_the_board_stays_on_it(board, ppl):
    with pytest.raises(ValidationError, match="stays on it"):
        services.participant_remove(board=board, participant=board.participants.get(user=ppl))
    assert board.participants.filter(user=ppl).exists()


def test_a_board_is_for_a_meeting_or_a_project_not_both(ppl, project, directorate):
    meeting = forum_meeting(directorate)
    with pytest.raises(ValidationError):
        services.board_open(question="Both?", by=ppl, project=project, meeting=meeting)
    with pytest.raises(ValidationError):
        services.board_open(question="Neither?", by=ppl)
    assert Board.objects.count() == 0


# --- votes ---------------------------------------------------------------------------------------


@pytest.fixture
def ideas(board, ppl):
    return [add_note(board, ppl, f"Idea {n}") for n in range(3)]


def test_votes_can_go_on_one_idea_or_be_spread_and_are_limited(board, su_user, ideas):
    _open_voting(board, votes=3)
    assert services.vote_change(board=board, user=su_user, note=ideas[0], change=1) == 2
    assert services.vote_change(board=board, user=su_user, note=ideas[0], change=1) == 1
    assert services.vote_change(board=board, user=su_user, note=ideas[1], change=1) == 0
    with pytest.raises(ValidationError, match="used all 3"):
        services.vote_change(board=board, user=su_user, note=ideas[2], change=1)
    counts = dict(Vote.objects.values_list("note__text", "count"))
    assert counts == {"Idea 0": 2, "Idea 1": 1}


def test_a_vote_can_be_taken_back_and_placed_elsewhere(board, su_user, ideas):
    _open_voting(board, votes=1)
    services.vote_change(board=board, user=su_user, note=ideas[0], change=1)
    assert services.vote_change(board=board, user=su_user, note=ideas[0], change=-1) == 1
    assert services.vote_change(board=board, user=su_user, note=ideas[1], change=1) == 0
    assert list(Vote.objects.values_list("note__text", "count")) == [("Idea 1", 1)]


def test_taking_back_a_vote_that_is_not_there_is_refused(board, su_user, ideas):
    _open_voting(board)
    with pytest.raises(ValidationError, match="no vote on this idea"):
        services.vote_change(board=board, user=su_user, note=ideas[0], change=-1)


def test_no_vote_before_voting_opens_or_after_it_closes(board, su_user, ideas):
    with pytest.raises(ValidationError, match="not opened yet"):
        services.vote_change(board=board, user=su_user, note=ideas[0], change=1)
    _open_voting(board)
    services.vote_change(board=board, user=su_user, note=ideas[0], change=1)
    services.voting_close(board=board)
    with pytest.raises(ValidationError, match="Voting has closed"):
        services.vote_change(board=board, user=su_user, note=ideas[0], change=-1)
    assert Vote.objects.get().count == 1


def test_votes_go_on_creative_ideas_only(board, su_user, ppl, ideas):
    feeling = add_note(board, ppl, "Motivated to change", column="feelings")
    _open_voting(board)
    with pytest.raises(ValidationError, match="creative ideas only"):
        services.vote_change(board=board, user=su_user, note=feeling, change=1)
    assert Vote.objects.count() == 0


def test_anonymous_ideas_can_be_voted_on(board, su_user, ppl):
    idea = add_note(board, ppl, "SU approving projects", anonymous=True)
    _open_voting(board)
    services.vote_change(board=board, user=su_user, note=idea, change=1)
    assert Vote.objects.get().note == idea


def test_a_facilitator_who_was_not_invited_votes_as_a_participant(board, admin_user, ideas):
    _open_voting(board)
    services.vote_change(board=board, user=admin_user, note=ideas[0], change=1)
    assert board.participants.filter(user=admin_user).exists()


def test_voting_opens_once_with_from_1_to_10_votes_and_needs_an_idea(board, ppl):
    with pytest.raises(ValidationError, match="no creative ideas"):
        _open_voting(board)
    add_note(board, ppl)
    for bad in (0, 11):
        with pytest.raises(ValidationError, match="from 1 to 10"):
            _open_voting(board, votes=bad)
    _open_voting(board, votes=5)
    with pytest.raises(ValidationError, match="already open"):
        _open_voting(board)
    services.voting_close(board=board)
    with pytest.raises(ValidationError, match="has closed"):
        _open_voting(board)
    assert Board.objects.get(pk=board.pk).votes_per_person == 5


def _vote_at_once(board, user, note, workers: int = 2) -> list[object]:
    """Several requests from the same person voting at the same moment (two tabs), each on its
    own database connection."""
    barrier = threading.Barrier(workers)
    results: list[object] = []

    def work():
        try:
            barrier.wait()
            results.append(services.vote_change(board=board, user=user, note=note, change=1))
        except (ValidationError, OperationalError) as error:
            results.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work) for _ in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


@pytest.mark.django_db(transaction=True)
def test_two_tabs_voting_at_once_never_go_past_the_limit(directorate, ppl, su_user):
    project = ProjectFactory(directorate=directorate)
    board = open_board(ppl, project=project, invite=[su_user])
    idea = add_note(board, ppl, "Recruitment event")
    _open_voting(board, votes=1)
    results = _vote_at_once(board, su_user, idea)
    placed = [r for r in results if r == 0]
    assert len(placed) == 1, results
    assert services.votes_used(board=board, user=su_user) == 1
    refused = [r for r in results if r != 0]
    if connection.vendor == "postgresql":
        # The second request waited for the first and then found no vote left.
        assert "used all 1" in str(refused[0])
    else:
        # SQLite may refuse the second writer outright ("locked"); either way nothing extra.
        assert isinstance(refused[0], ValidationError | OperationalError)


# --- closing -------------------------------------------------------------------------------------


def test_closing_a_board_closes_its_voting_and_keeps_the_counts(board, su_user, ideas):
    _open_voting(board)
    services.vote_change(board=board, user=su_user, note=ideas[0], change=1)
    closed = services.board_close(board=board)
    assert closed.status == BoardStatus.CLOSED
    assert closed.voting == VotingStatus.CLOSED
    assert closed.closed_on is not None
    assert Vote.objects.get().count == 1
    with pytest.raises(ValidationError, match="closed"):
        services.board_close(board=board)
    with pytest.raises(ValidationError, match="closed"):
        services.participants_invite(board=board, users=[board.opened_by], by=board.opened_by)


# --- from idea to action -------------------------------------------------------------------------


def test_an_idea_becomes_a_chart_annotation_linked_both_ways(board, ppl, directorate):
    note = add_note(board, ppl, "SU chairing all QI forums")
    annotation = chart_services.annotation_from_board_note(
        user=ppl,
        note=note,
        date=datetime.date(2024, 5, 1),
        text="SU chairs all QI forums",
        directorate=directorate,
        source=f"/boards/{board.pk}/",
    )
    assert ChartAnnotation.objects.get() == annotation
    assert (annotation.date, annotation.directorate, annotation.source) == (
        datetime.date(2024, 5, 1),
        directorate,
        f"/boards/{board.pk}/",
    )
    action = BoardAction.objects.get()
    assert (action.kind, action.annotation_id, action.note) == (
        ActionKind.ANNOTATION,
        annotation.pk,
        note,
    )
    assert "SU chairs all QI forums" in action.description


def test_a_bad_annotation_leaves_no_action_behind(board, ppl):
    note = add_note(board, ppl, "An idea")
    with pytest.raises(ValidationError):
        chart_services.annotation_from_board_note(
            user=ppl,
            note=note,
            date=datetime.date(2024, 5, 1),
            text="",
            directorate=None,
            source="",
        )
    assert ChartAnnotation.objects.count() == 0
    assert BoardAction.objects.count() == 0


def test_an_idea_becomes_a_draft_project_with_no_aim(board, ppl, directorate, lead):
    note = add_note(board, ppl, "SU initiating project to increase involvement")
    project, action = services.project_from_note(
        note=note,
        by=ppl,
        title=note.text,
        directorate=directorate,
        start_date=datetime.date(2026, 12, 1),
        lead=lead,
    )
    project = Project.objects.get(pk=project.pk)
    assert (project.title, project.status, project.aim, project.directorate, project.lead) == (
        "SU initiating project to increase involvement",
        ProjectStatus.DRAFT,
        "",
        directorate,
        lead,
    )
    assert action.project == project and action.kind == ActionKind.PROJECT
    assert action.note == note and action.board == board


def test_facilitators_invited_rows_exist_for_every_vote(board, su_user, ideas):
    _open_voting(board)
    services.vote_change(board=board, user=su_user, note=ideas[1], change=1)
    assert Vote.objects.get().participant == BoardParticipant.objects.get(board=board, user=su_user)
