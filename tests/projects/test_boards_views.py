"""Idea board pages: who sees and does what, notes and votes through the forms (with and without a
mistake), the polling endpoint, closing and the summary."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from involvement import access
from involvement.access import Role
from projects import services_boards as services
from projects.models_boards import Board, BoardStatus, Note, NoteAuthor, Vote
from tests.factories import PersonFactory, ProjectFactory, UserFactory
from tests.projects.boards_support import add_note, forum_meeting, open_board
from tests.querycount import assert_constant_queries

XSS_SCRIPT = '<script>alert("board")</script>'
XSS_IMG = '<img src=x onerror="alert(1)">'


@pytest.fixture
def project(directorate, lead):
    return ProjectFactory(directorate=directorate, lead=lead, title="Calmer wards")


@pytest.fixture
def board(ppl, su_user, project):
    return open_board(ppl, project=project, invite=[su_user])


def _messages(response) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


def url(name, board, *args):
    return reverse(f"boards:{name}", args=[board.pk, *args])


# --- seeing a board ------------------------------------------------------------------------------


def test_an_invited_service_user_sees_the_board_and_can_add_a_note(client, board, su_user):
    client.force_login(su_user)
    response = client.get(url("detail", board))
    assert response.status_code == 200
    html = response.content.decode()
    assert board.question in html
    assert 'id="add-note"' in html
    assert "You are facilitating this board" not in html
    assert "Information" in html and "What information do we have available" in html


@pytest.mark.parametrize("who", ["other_su", "other_ppl", "other_lead", "chair"])
def test_people_not_invited_get_404_and_change_nothing(client, board, request, who, other_ppl):
    users = {
        "other_su": lambda: UserFactory(roles=[Role.SU]),
        "other_ppl": lambda: other_ppl,
        "other_lead": lambda: UserFactory(roles=[Role.LEAD]),
        "chair": lambda: request.getfixturevalue("chair"),
    }
    client.force_login(users[who]())
    note = add_note(board, board.opened_by, "Existing idea")
    assert client.get(url("detail", board)).status_code == 404
    assert client.get(url("notes", board)).status_code == 404
    assert client.get(url("summary", board)).status_code == 404
    response = client.post(url("note_add", board), {"column": "creative", "text": "Sneaky"})
    assert response.status_code == 404
    services.voting_open(board=board, votes_per_person=3)
    assert client.post(url("vote", board, note.pk), {"change": "add"}).status_code == 404
    assert Note.objects.count() == 1 and Vote.objects.count() == 0


def test_the_facilitator_sees_the_facilitating_card(client, board, ppl):
    client.force_login(ppl)
    html = client.get(url("detail", board)).content.decode()
    assert "You are facilitating this board" in html
    assert url("invite", board) in html and url("voting_open", board) in html


def test_a_participant_gets_403_on_facilitators_pages(client, board, su_user):
    note = add_note(board, su_user, "An idea")
    client.force_login(su_user)
    for name, args in [
        ("invite", ()),
        ("voting_open", ()),
        ("voting_close", ()),
        ("close", ()),
        ("note_to_project", (note.pk,)),
        ("note_action", (note.pk,)),
    ]:
        assert client.get(url(name, board, *args)).status_code == 403, name
    annotation_url = reverse("charts:annotation_from_board_note", args=[note.pk])
    assert client.get(annotation_url).status_code == 403
    assert client.post(url("close", board)).status_code == 403
    assert Board.objects.get(pk=board.pk).status == BoardStatus.OPEN


def test_a_ppl_of_another_directorate_cannot_facilitate(other_ppl, board):
    assert not access.can_facilitate(other_ppl, board)
    assert not access.boards_for(other_ppl).filter(pk=board.pk).exists()


def test_who_facilitates_a_forum_meetings_board(directorate, other_directorate, chair, ppl, lead):
    meeting = forum_meeting(directorate, chair=chair)
    board = open_board(chair, meeting=meeting)
    other_chair = UserFactory(roles=[Role.CHAIR])
    assert access.can_facilitate(chair, board)
    assert access.can_facilitate(ppl, board)
    assert not access.can_facilitate(lead, board)
    assert not access.can_facilitate(other_chair, board)
    assert set(access.boards_for(chair)) == {board}
    assert not access.boards_for(other_chair).exists()


def test_the_board_list_shows_only_the_boards_a_user_may_see(client, board, su_user, project):
    other = open_board(UserFactory(roles=[Role.ADMIN]), project=project, question="Not yours")
    client.force_login(su_user)
    html = client.get(reverse("boards:list")).content.decode()
    assert board.question in html and other.question not in html


def test_the_board_list_is_paginated(client, ppl, project):
    for n in range(27):
        open_board(ppl, project=project, question=f"Question {n:02d}")
    client.force_login(ppl)
    response = client.get(reverse("boards:list"))
    assert len(response.context["page"].object_list) == 25
    assert "Pages of idea boards" in response.content.decode()


def test_the_board_page_costs_the_same_queries_however_many_notes(client, board, ppl, su_user):
    first = add_note(board, ppl, "First idea")
    services.voting_open(board=board, votes_per_person=3)
    services.vote_change(board=board, user=su_user, note=first, change=1)
    services.action_record(note=first, by=ppl, kind="other", description="Done")
    client.force_login(su_user)
    columns = ["creative", "feelings", "conclusions"]

    def add_rows(count):
        for n in range(count):
            add_note(
                board,
                ppl if n % 2 else su_user,
                f"Note {n}",
                column=columns[n % 3],
                anonymous=n % 4 == 0,
            )

    assert_constant_queries(client, url("detail", board), add_rows)


def test_the_polling_endpoint_costs_the_same_queries_however_many_notes(client, board, su_user):
    client.force_login(su_user)

    def add_rows(count):
        for n in range(count):
            add_note(board, su_user, f"Note {n}", column="positives")

    assert_constant_queries(client, url("notes", board), add_rows)


# --- adding notes --------------------------------------------------------------------------------


def test_a_note_added_through_the_form_is_on_the_board(client, board, su_user):
    client.force_login(su_user)
    response = client.post(
        url("note_add", board), {"column": "creative", "text": " Recruitment event "}, follow=True
    )
    assert response.redirect_chain[-1][0] == url("detail", board)
    note = Note.objects.get()
    assert (note.text, note.column, note.anonymous) == ("Recruitment event", "creative", False)
    assert NoteAuthor.objects.get(note=note).user == su_user
    assert "Your note is on the board, in Creative ideas." in _messages(response)


def test_an_anonymous_note_shows_no_name_to_anyone(client, board, su_user, ppl):
    client.force_login(su_user)
    response = client.post(
        url("note_add", board),
        {"column": "feelings", "text": "Not getting the opportunity", "anonymous": "on"},
        follow=True,
    )
    assert "without your name" in _messages(response)[0]
    assert NoteAuthor.objects.count() == 0
    client.force_login(ppl)
    html = client.get(url("detail", board)).content.decode()
    note = Note.objects.get()
    start = html.index(f'id="note-{note.pk}"')
    note_html = html[start : html.index("</li>", start)]
    assert "Not getting the opportunity" in note_html and "Anonymous" in note_html
    assert su_user.get_full_name() not in html


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "Write your note before adding it."),
        ("x" * 501, "A note can be up to 500 characters: yours has 501."),
    ],
)
def test_an_empty_or_too_long_note_gets_a_clear_message(client, board, su_user, text, message):
    client.force_login(su_user)
    response = client.post(url("note_add", board), {"column": "negatives", "text": text})
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html
    assert "There is a problem" in html
    assert response.context["form"].errors
    assert html.count("<title>Error: ") == 1
    assert Note.objects.count() == 0


def test_a_note_without_a_column_gets_a_clear_message(client, board, su_user):
    client.force_login(su_user)
    response = client.post(url("note_add", board), {"text": "Where does this go?"})
    assert "Choose the column for your note." in response.content.decode()
    assert Note.objects.count() == 0


def test_a_note_on_a_closed_board_gets_a_clear_message(client, board, su_user):
    services.board_close(board=board)
    client.force_login(su_user)
    response = client.post(url("note_add", board), {"column": "creative", "text": "Too late"})
    assert response.status_code == 200
    assert "This board is closed" in response.content.decode()
    assert Note.objects.count() == 0


@pytest.mark.parametrize("payload", [XSS_SCRIPT, XSS_IMG])
def test_notes_are_plain_text_on_the_page(client, board, su_user, payload):
    add_note(board, su_user, payload)
    client.force_login(su_user)
    html = client.get(url("detail", board)).content.decode()
    assert payload not in html
    assert "&lt;" in html and ("&lt;script&gt;" in html or "&lt;img" in html)


def test_a_writer_takes_their_own_named_note_off_but_not_others(client, board, su_user, ppl):
    mine = add_note(board, su_user, "Mine")
    theirs = add_note(board, ppl, "Theirs")
    anonymous = add_note(board, su_user, "Nobody's", anonymous=True)
    client.force_login(su_user)
    assert client.post(url("note_remove", board, theirs.pk)).status_code == 403
    assert client.post(url("note_remove", board, anonymous.pk)).status_code == 403
    assert client.post(url("note_remove", board, mine.pk)).status_code == 302
    assert set(Note.objects.values_list("text", flat=True)) == {"Theirs", "Nobody's"}
    client.force_login(ppl)  # the facilitator may take any note off
    client.post(url("note_remove", board, anonymous.pk))
    assert list(Note.objects.values_list("text", flat=True)) == ["Theirs"]


# --- votes through the page ----------------------------------------------------------------------


@pytest.fixture
def voting(board, ppl):
    ideas = [add_note(board, ppl, text) for text in ("Idea A", "Idea B")]
    services.voting_open(board=board, votes_per_person=2)
    return ideas


def test_votes_through_the_buttons_with_votes_left_in_words(client, board, su_user, voting):
    client.force_login(su_user)
    page = client.get(url("detail", board)).content.decode()
    assert "Votes are counted, never shown by name" in page
    assert "Add a vote" in page and 'form="board-buttons"' in page
    response = client.post(url("vote", board, voting[0].pk), {"change": "add"}, follow=True)
    assert "Vote placed on “Idea A”. You have 1 vote left." in _messages(response)
    client.post(url("vote", board, voting[0].pk), {"change": "add"})
    response = client.post(url("vote", board, voting[1].pk), {"change": "add"}, follow=True)
    assert any("used all 2" in m for m in _messages(response))
    response = client.post(url("vote", board, voting[0].pk), {"change": "remove"}, follow=True)
    assert "You have 1 vote left." in _messages(response)[0]
    assert Vote.objects.get().count == 1


def test_counts_are_hidden_while_voting_and_shown_once_it_closes(client, board, su_user, voting):
    client.force_login(su_user)
    client.post(url("vote", board, voting[1].pk), {"change": "add"})
    client.post(url("vote", board, voting[1].pk), {"change": "add"})
    html = client.get(url("detail", board)).content.decode()
    assert 'nhsuk-tag--blue">2 votes' not in html and "Most votes" not in html
    assert "Your votes on this idea: <strong>2</strong>" in html
    services.voting_close(board=board)
    html = client.get(url("detail", board)).content.decode()
    assert 'nhsuk-tag--blue">2 votes' in html and "Most votes" in html


def test_a_vote_after_voting_closed_gets_a_clear_message(client, board, su_user, voting):
    services.voting_close(board=board)
    client.force_login(su_user)
    response = client.post(url("vote", board, voting[0].pk), {"change": "add"}, follow=True)
    assert any("Voting has closed" in m for m in _messages(response))
    assert Vote.objects.count() == 0


def test_a_vote_on_a_closed_board_gets_a_clear_message(client, board, su_user, voting):
    services.board_close(board=board)
    client.force_login(su_user)
    response = client.post(url("vote", board, voting[0].pk), {"change": "add"}, follow=True)
    assert any("This board is closed" in m for m in _messages(response))
    assert Vote.objects.count() == 0


def test_a_vote_on_a_note_outside_creative_ideas_gets_a_clear_message(
    client, board, su_user, voting
):
    feeling = add_note(board, su_user, "Motivated", column="feelings")
    client.force_login(su_user)
    response = client.post(url("vote", board, feeling.pk), {"change": "add"}, follow=True)
    assert any("creative ideas only" in m for m in _messages(response))
    assert Vote.objects.count() == 0


def test_a_vote_with_no_choice_gets_a_clear_message(client, board, su_user, voting):
    client.force_login(su_user)
    response = client.post(url("vote", board, voting[0].pk), {"change": "lots"}, follow=True)
    assert any("add a vote or to take one back" in m for m in _messages(response))
    assert Vote.objects.count() == 0


def test_a_vote_that_waited_too_long_for_the_database_says_try_again(
    client, board, su_user, voting, monkeypatch
):
    from django.db import OperationalError

    def locked(**kwargs):
        raise OperationalError("database table is locked")

    monkeypatch.setattr(services, "vote_change", locked)
    client.force_login(su_user)
    response = client.post(url("vote", board, voting[0].pk), {"change": "add"}, follow=True)
    assert any("try again" in m for m in _messages(response))


# --- the polling endpoint ------------------------------------------------------------------------


def test_the_poll_returns_the_notes_and_304_while_nothing_changed(client, board, su_user, ppl):
    add_note(board, ppl, "First")
    client.force_login(su_user)
    response = client.get(url("notes", board))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert "no-cache" in response["Cache-Control"]
    etag = response["ETag"]
    data = json.loads(response.content)
    assert [n["announce"] for n in data["columns"]["creative"]] == [
        "New note in Creative ideas: First"
    ]
    assert data["open"] is True and set(data["columns"]) == {
        "information",
        "negatives",
        "positives",
        "feelings",
        "creative",
        "conclusions",
    }

    unchanged = client.get(url("notes", board), HTTP_IF_NONE_MATCH=etag)
    assert unchanged.status_code == 304
    assert unchanged.content == b""

    add_note(board, ppl, "Second", column="conclusions", anonymous=True)
    changed = client.get(url("notes", board), HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200 and changed["ETag"] != etag
    conclusions = json.loads(changed.content)["columns"]["conclusions"]
    assert "Second" in conclusions[0]["html"] and "Anonymous" in conclusions[0]["html"]


def test_the_poll_keeps_a_note_fingerprint_until_the_note_changes(client, board, su_user, ppl):
    idea = add_note(board, ppl, "Steady")
    client.force_login(su_user)
    first = json.loads(client.get(url("notes", board)).content)["columns"]["creative"][0]
    add_note(board, ppl, "Another", column="positives")
    again = json.loads(client.get(url("notes", board)).content)["columns"]["creative"][0]
    assert first["key"] == again["key"] and first["html"] == again["html"]
    assert f'data-key="{first["key"]}"' in first["html"]
    assert "csrfmiddlewaretoken" not in first["html"]
    services.voting_open(board=board, votes_per_person=3)
    voting = json.loads(client.get(url("notes", board)).content)["columns"]["creative"][0]
    assert voting["key"] != first["key"] and "Add a vote" in voting["html"]
    assert voting["id"] == str(idea.pk)


def test_the_etag_is_per_person(client, board, su_user, ppl):
    client.force_login(su_user)
    mine = client.get(url("notes", board))["ETag"]
    client.force_login(ppl)
    assert client.get(url("notes", board), HTTP_IF_NONE_MATCH=mine).status_code == 200


@pytest.mark.parametrize("payload", [XSS_SCRIPT, XSS_IMG])
def test_the_poll_escapes_notes(client, board, su_user, payload):
    add_note(board, su_user, payload)
    client.force_login(su_user)
    raw = client.get(url("notes", board)).content.decode()
    assert "<script" not in raw and "<img" not in raw and "<li" not in raw  # JSON escapes < > &
    note = json.loads(raw)["columns"]["creative"][0]
    assert payload not in note["html"]
    assert "&lt;" in note["html"]
    assert note["announce"].endswith(payload)  # plain text, for textContent


def test_the_poll_of_a_closed_board_says_it_is_closed(client, board, su_user):
    services.board_close(board=board)
    client.force_login(su_user)
    data = json.loads(client.get(url("notes", board)).content)
    assert data["open"] is False and data["stateText"] == "The board is now closed."


# --- closing and the summary ---------------------------------------------------------------------


def test_a_closed_board_is_read_only(client, board, su_user, ppl, voting):
    client.force_login(su_user)
    client.post(url("vote", board, voting[0].pk), {"change": "add"})
    client.force_login(ppl)
    response = client.post(url("close", board), follow=True)
    assert "The board is closed. Its summary is ready to print." in _messages(response)
    client.force_login(su_user)
    html = client.get(url("detail", board)).content.decode()
    assert 'id="add-note"' not in html
    assert "Add a vote" not in html and "Take this note off" not in html
    assert "board.mjs" not in html  # nothing left to poll
    assert "It is kept as a record" in html
    assert "1 vote" in html


def test_the_summary_lists_question_notes_votes_and_actions_without_names(
    client, board, su_user, ppl, voting
):
    add_note(board, su_user, "Motivated to change", column="feelings")
    client.force_login(su_user)
    client.post(url("vote", board, voting[1].pk), {"change": "add"})
    services.action_record(note=voting[1], by=ppl, kind="other", description="Agreed at forum")
    services.board_close(board=board)
    response = client.get(url("summary", board))
    html = response.content.decode()
    assert response.status_code == 200
    assert board.question in html and "Motivated to change" in html
    assert "Idea B" in html and "Agreed at forum" in html
    assert "Creative ideas by votes" in html
    assert su_user.get_full_name() not in html and ppl.get_full_name() not in html
    assert "nhsuk-header" not in html  # a page of its own, for printing and PDFs
    assert html.index("Idea B") < html.index("Idea A", html.index("Creative ideas by votes"))


def test_the_summary_pdf_holds_the_same_content_as_an_accessible_pdf(
    client, board, su_user, ppl, voting, other_ppl
):
    from tests.pdfs import all_text, assert_pdf_ua, flat, read

    add_note(board, su_user, "Motivated to change", column="feelings")
    services.action_record(note=voting[1], by=ppl, kind="other", description="Agreed at forum")
    services.board_close(board=board)
    client.force_login(ppl)
    response = client.get(url("summary_pdf", board))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    reader = read(response.content)
    text = flat(all_text(reader))
    assert board.question in text and "Motivated to change" in text
    assert "Agreed at forum" in text and "Actions taken" in text
    assert su_user.get_full_name() not in text and ppl.get_full_name() not in text
    assert_pdf_ua(reader, title=f"Idea board summary: {board.question}")
    # The same access as the board: someone not invited gets a 404, and no PDF.
    client.force_login(other_ppl)
    assert client.get(url("summary_pdf", board)).status_code == 404


def test_closing_asks_first(client, board, ppl):
    client.force_login(ppl)
    response = client.get(url("close", board))
    assert response.status_code == 200
    assert "Close the board" in response.content.decode()
    assert Board.objects.get(pk=board.pk).status == BoardStatus.OPEN


def test_voting_opens_with_the_number_the_facilitator_sets(client, board, ppl):
    add_note(board, ppl, "An idea")
    client.force_login(ppl)
    response = client.post(url("voting_open", board), {"votes_per_person": "0"})
    assert "Give each person from 1 to 10 votes." in response.content.decode()
    client.post(url("voting_open", board), {"votes_per_person": "4"})
    board.refresh_from_db()
    assert (board.voting, board.votes_per_person) == ("open", 4)
    client.post(url("voting_close", board))
    board.refresh_from_db()
    assert board.voting == "closed"


# --- opening and inviting ------------------------------------------------------------------------


def test_a_lead_opens_a_board_for_their_project_then_invites(client, lead, project):
    client.force_login(lead)
    response = client.post(
        reverse("boards:open_for_project", args=[project.pk]),
        {"question": "What would make the ward calmer?"},
    )
    board = Board.objects.get()
    assert response.url == url("invite", board)
    assert (board.project, board.opened_by) == (project, lead)
    assert board.participants.filter(user=lead).exists()


def test_a_lead_cannot_open_a_board_for_someone_elses_project(client, directorate):
    project = ProjectFactory(directorate=directorate, lead=UserFactory(roles=[Role.LEAD]))
    own_lead = UserFactory(roles=[Role.LEAD], directorates=[directorate])
    client.force_login(own_lead)
    assert client.get(reverse("boards:open_for_project", args=[project.pk])).status_code == 404


def test_a_chair_opens_a_board_for_a_meeting_of_their_forum(client, chair, directorate):
    meeting = forum_meeting(directorate, chair=chair)
    client.force_login(chair)
    open_url = reverse("boards:open_for_forum", args=[meeting.forum.pk])
    response = client.post(open_url, {"question": "Why?", "meeting": "999999"})
    assert "Choose one of the forum&#x27;s meetings." in response.content.decode()
    client.post(open_url, {"question": "Why?", "meeting": str(meeting.pk)})
    assert Board.objects.get().meeting == meeting


def test_another_chair_cannot_open_a_board_for_the_forum(client, chair, directorate):
    meeting = forum_meeting(directorate, chair=UserFactory(roles=[Role.CHAIR]))
    client.force_login(chair)
    response = client.get(reverse("boards:open_for_forum", args=[meeting.forum.pk]))
    assert response.status_code == 403


def test_a_ppl_invites_service_users_with_an_account_from_their_register(
    client, board, ppl, directorate, other_directorate
):
    signed_up = PersonFactory(
        name="Rosa Quinn", user=UserFactory(roles=[Role.SU]), directorates=[directorate]
    )
    PersonFactory(name="Not Signed-Up", directorates=[directorate])
    PersonFactory(
        name="Other Directorate",
        user=UserFactory(roles=[Role.SU]),
        directorates=[other_directorate],
    )
    client.force_login(ppl)
    html = client.get(url("invite", board)).content.decode()
    assert "Rosa Quinn" in html
    assert "Not Signed-Up" not in html and "Other Directorate" not in html
    response = client.post(url("invite", board), {"people": [signed_up.pk]}, follow=True)
    assert any("Invited: " in m for m in _messages(response))
    assert board.participants.filter(user=signed_up.user).exists()


def test_staff_are_invited_by_username_and_others_are_refused(client, board, ppl, chair):
    su = UserFactory(username="someone-su", roles=[Role.SU])
    client.force_login(ppl)
    response = client.post(url("invite", board), {"username": "someone-su"})
    assert "No member of staff has the username" in response.content.decode()
    response = client.post(url("invite", board), {"username": "nobody-here"})
    assert "No member of staff has the username" in response.content.decode()
    response = client.post(url("invite", board), {})
    assert "Choose someone to invite" in response.content.decode()
    client.post(url("invite", board), {"username": "CHAIR"})
    assert board.participants.filter(user=chair).exists()
    assert not board.participants.filter(user=su).exists()


def test_a_lead_invites_their_projects_team_members(client, board, lead, project):
    from tests.factories import MembershipFactory

    member = PersonFactory(name="Team Member", user=UserFactory(roles=[Role.SU]))
    MembershipFactory(project=project, person=member)
    client.force_login(lead)
    html = client.get(url("invite", board)).content.decode()
    assert "Team Member" in html


# --- links from elsewhere ------------------------------------------------------------------------


def test_an_invited_service_user_sees_idea_boards_in_the_header_and_my_area(client, board, su_user):
    labels = [item.label for item in access.navigation(su_user, "/me/")]
    assert "Idea boards" in labels
    PersonFactory(user=su_user)
    client.force_login(su_user)
    html = client.get(reverse("involvement:my_area")).content.decode()
    assert "Idea boards waiting for you" in html and board.question in html


def test_a_service_user_not_invited_sees_no_idea_boards_link(su_user):
    assert "Idea boards" not in [item.label for item in access.navigation(su_user, "/me/")]


def test_staff_see_idea_boards_in_the_header(ppl, lead, chair, admin_user):
    for user in (ppl, lead, chair, admin_user):
        assert "Idea boards" in [item.label for item in access.navigation(user, "/")]


def test_the_project_page_offers_to_open_a_board_and_lists_its_boards(client, board, lead, project):
    other = open_board(lead, project=ProjectFactory(lead=lead), question="Another project's")
    client.force_login(lead)
    html = client.get(reverse("projects:detail", args=[project.pk])).content.decode()
    assert "Open an idea board" in html
    assert reverse("boards:open_for_project", args=[project.pk]) in html
    listed = client.get(reverse("boards:list"), {"project": project.pk}).content.decode()
    assert board.question in listed and other.question not in listed
    assert "Calmer wards" in listed


def test_the_forum_page_offers_to_open_a_board_to_those_who_may(client, chair, lead, directorate):
    meeting = forum_meeting(directorate, chair=chair)
    board = open_board(chair, meeting=meeting)
    client.force_login(chair)
    html = client.get(reverse("forums:detail", args=[meeting.forum.pk])).content.decode()
    assert reverse("boards:open_for_forum", args=[meeting.forum.pk]) in html
    listed = client.get(reverse("boards:list"), {"forum": meeting.forum.pk}).content.decode()
    assert board.question in listed
    assert client.get(reverse("boards:list"), {"forum": "x"}).status_code == 200
    client.force_login(lead)
    html = client.get(reverse("forums:detail", args=[meeting.forum.pk])).content.decode()
    assert "Open an idea board" not in html


def test_a_long_register_shows_the_first_fifty_and_finds_others_by_name(
    client, board, ppl, directorate
):
    for n in range(51):
        PersonFactory(
            name=f"Person {n:02d}", user=UserFactory(roles=[Role.SU]), directorates=[directorate]
        )
    zora = PersonFactory(
        name="Zora Find", user=UserFactory(roles=[Role.SU]), directorates=[directorate]
    )
    client.force_login(ppl)
    html = client.get(url("invite", board)).content.decode()
    assert "find others by name" in html and "Person 49" in html
    assert "Person 50" not in html and "Zora Find" not in html
    html = client.get(url("invite", board), {"q": "zora"}).content.decode()
    assert "Zora Find" in html and "Person 00" not in html
    client.post(url("invite", board), {"people": [zora.pk]})
    assert board.participants.filter(user=zora.user).exists()
