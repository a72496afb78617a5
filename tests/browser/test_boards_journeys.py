"""Idea board journeys: a PPL opens a board from the forum page and invites a service user; the
two, in two browsers, add notes and vote at the same time and each sees the other's notes appear
without reloading; the service user takes part with the keyboard alone. Every page passes axe."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from involvement.access import Role
from projects import services_boards
from projects.models import Forum, ForumMeeting
from projects.models_boards import Board, Note, NoteAuthor, Vote
from tests.a11y import assert_accessible
from tests.factories import PASSWORD, PersonFactory, ProjectFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LIVE = 15_000  # ms: the board polls every 4 seconds


@pytest.fixture
def newham_forum(directorate, chair):
    forum = Forum.objects.create(name="Newham QI forum", chair=chair)
    forum.directorates.add(directorate)
    ForumMeeting.objects.create(
        forum=forum, date=timezone.localdate() + datetime.timedelta(days=12)
    )
    return forum


@pytest.fixture
def sam(su_user, directorate):
    su_user.first_name, su_user.last_name = "Sam", "Taylor"
    su_user.save()
    return PersonFactory(name="Sam Taylor", user=su_user, directorates=[directorate])


def test_a_ppl_and_a_service_user_work_on_one_board_at_the_same_time(
    browser, live_server, sign_in, same_host_only, ppl, su_user, sam, newham_forum
):
    ppl_context, su_context = browser.new_context(), browser.new_context()
    ppl_page, su_page = ppl_context.new_page(), su_context.new_page()
    foreign = same_host_only(ppl_page)
    su_foreign = same_host_only(su_page)

    # The PPL opens a board from the forum's page and invites Sam.
    sign_in(ppl_page, ppl)
    ppl_page.goto(f"{live_server.url}/forums/{newham_forum.pk}/")
    assert_accessible(ppl_page)
    ppl_page.get_by_role("link", name="Open an idea board").click()
    expect(ppl_page.get_by_role("heading", level=1)).to_have_text("Open an idea board")
    assert_accessible(ppl_page)
    ppl_page.get_by_label("The question the board asks").fill(
        "What are the boundaries to increasing involvement?"
    )
    ppl_page.locator("input[name=meeting]").first.check()
    ppl_page.get_by_role("button", name="Open the board").click()
    expect(ppl_page.get_by_role("heading", level=1)).to_have_text("Invite people to the board")
    assert_accessible(ppl_page)
    ppl_page.get_by_label("Sam Taylor").check()
    ppl_page.get_by_role("button", name="Invite").click()
    expect(ppl_page.locator(".nhsuk-notification-banner")).to_contain_text("Invited: Sam Taylor")
    assert_accessible(ppl_page)
    board = Board.objects.get()
    board_url = f"{live_server.url}/boards/{board.pk}/"
    ppl_page.goto(board_url)
    assert_accessible(ppl_page)

    # Sam finds the board in the header and opens it.
    sign_in(su_page, su_user)
    su_page.get_by_role("link", name="Idea boards").click()
    expect(su_page.get_by_role("heading", level=1)).to_have_text("Idea boards")
    assert_accessible(su_page)
    su_page.get_by_role("link", name="What are the boundaries to increasing involvement?").click()
    expect(su_page.get_by_role("heading", level=1)).to_have_text(
        "What are the boundaries to increasing involvement?"
    )
    assert_accessible(su_page)

    # Both add a creative idea; each sees the other's appear without reloading.
    su_page.get_by_label("Creative ideas: What creative ideas do we have?").check()
    su_page.get_by_label("Your note").fill("SU chairing all QI forums")
    ppl_page.get_by_label("Creative ideas: What creative ideas do we have?").check()
    ppl_page.get_by_label("Your note").fill("Master classes on co-production")
    su_page.get_by_role("button", name="Add the note").click()
    ppl_page.get_by_role("button", name="Add the note").click()
    expect(su_page.locator(".nhsuk-notification-banner")).to_contain_text("Your note is on")
    expect(ppl_page.locator(".nhsuk-notification-banner")).to_contain_text("Your note is on")
    creative_on_su = su_page.locator("[data-column=creative]")
    creative_on_ppl = ppl_page.locator("[data-column=creative]")
    expect(creative_on_su.get_by_text("Master classes on co-production", exact=True)).to_be_visible(
        timeout=LIVE
    )
    expect(creative_on_ppl.get_by_text("SU chairing all QI forums", exact=True)).to_be_visible(
        timeout=LIVE
    )
    # Sam adds a feeling anonymously; the PPL sees it arrive, with no name.
    su_page.get_by_label("Feelings: How do we feel about this situation?").check()
    su_page.get_by_label("Your note").fill("Not getting the opportunity")
    su_page.get_by_label("Add it anonymously").check()
    su_page.get_by_role("button", name="Add the note").click()
    feeling = ppl_page.locator("[data-column=feelings] li", has_text="Not getting the opportunity")
    expect(feeling).to_be_visible(timeout=LIVE)
    expect(feeling).to_contain_text("Anonymous")
    expect(ppl_page.locator("#board-announcer")).to_contain_text("New note in Feelings")
    assert NoteAuthor.objects.filter(note__text="Not getting the opportunity").count() == 0
    assert_accessible(ppl_page)

    # The PPL opens voting; Sam's page shows it without reloading.
    ppl_page.get_by_role("link", name="Open voting on the creative ideas").click()
    expect(ppl_page.get_by_role("heading", level=1)).to_have_text(
        "Open voting on the creative ideas"
    )
    assert_accessible(ppl_page)
    ppl_page.get_by_label("Votes for each person").fill("3")
    ppl_page.get_by_role("button", name="Open voting").click()
    expect(su_page.locator("#board-status")).to_contain_text("Voting open", timeout=LIVE)
    vote_on_chairing = su_page.get_by_role(
        "button", name="Add a vote to “SU chairing all QI forums”"
    )
    expect(vote_on_chairing).to_be_visible(timeout=LIVE)

    # Both vote at the same moment.
    vote_on_chairing.click()
    ppl_page.get_by_role("button", name="Add a vote to “SU chairing all QI forums”").click()
    expect(su_page.locator(".nhsuk-notification-banner")).to_contain_text("2 votes left")
    expect(ppl_page.locator(".nhsuk-notification-banner")).to_contain_text("2 votes left")
    su_page.get_by_role("button", name="Add a vote to “SU chairing all QI forums”").click()
    expect(su_page.locator(".nhsuk-notification-banner")).to_contain_text("1 vote left")
    assert_accessible(su_page)

    # The PPL closes voting: Sam sees the counts appear.
    ppl_page.get_by_role("link", name="Close voting").click()
    assert_accessible(ppl_page)
    ppl_page.get_by_role("button", name="Close voting").click()
    expect(su_page.locator("#board-status")).to_contain_text("Most votes", timeout=LIVE)
    expect(creative_on_su.locator("li", has_text="SU chairing all QI forums")).to_contain_text(
        "3 votes", timeout=LIVE
    )
    assert (
        Vote.objects.get(note__text="SU chairing all QI forums", participant__user=su_user).count
        == 2
    )

    # The PPL turns the winning idea into a change idea on the p-chart, closes the board and
    # prints its summary.
    ppl_page.locator("li", has_text="SU chairing all QI forums").locator("summary").click()
    ppl_page.get_by_role("link", name="A change idea on the p-chart").first.click()
    expect(ppl_page.get_by_role("heading", level=1)).to_have_text("Put the idea on the p-chart")
    assert_accessible(ppl_page)
    ppl_page.get_by_label("Change idea").fill("SU chairs all QI forums")
    ppl_page.get_by_role("button", name="Put it on the p-chart").click()
    expect(ppl_page.locator(".nhsuk-notification-banner")).to_contain_text("is on the p-chart")
    ppl_page.get_by_role("link", name="Close the board").click()
    expect(ppl_page.get_by_role("heading", level=1)).to_have_text("Close the board")
    assert_accessible(ppl_page)
    ppl_page.get_by_role("button", name="Close the board").click()
    expect(ppl_page.locator("#board-status")).to_contain_text("kept as a record")
    expect(su_page.locator("#board-status")).to_contain_text("closed", timeout=LIVE)
    assert_accessible(ppl_page)
    ppl_page.get_by_role("link", name="Printable summary").click()
    expect(ppl_page.get_by_role("heading", level=1)).to_have_text(
        "What are the boundaries to increasing involvement?"
    )
    expect(ppl_page.get_by_role("button", name="Print this summary")).to_be_visible()
    expect(
        ppl_page.get_by_text("Change idea on the p-chart: “SU chairs all QI forums”")
    ).to_be_visible()
    assert_accessible(ppl_page)
    assert foreign == [] and su_foreign == []
    ppl_context.close()
    su_context.close()


def focused_text(page) -> str:
    return page.evaluate(
        "() => { const el = document.activeElement;"
        " return (el.innerText || el.value || el.id || '').replace(/\\s+/g, ' ').trim(); }"
    )


def tab_to(page, text: str, *, max_tabs: int = 120) -> None:
    """Press Tab until the focused element's text contains ``text``."""
    for _ in range(max_tabs):
        page.keyboard.press("Tab")
        if text in focused_text(page):
            return
    raise AssertionError(f"Tab never reached {text!r}")


def test_a_service_user_adds_a_note_and_votes_with_the_keyboard_alone(
    page, live_server, same_host_only, su_user, sam, ppl, directorate
):
    project = ProjectFactory(directorate=directorate, title="Calmer wards")
    board = services_boards.board_open(
        question="How can the ward feel calmer?", by=ppl, project=project
    )
    services_boards.participants_invite(board=board, users=[su_user], by=ppl)
    services_boards.note_add(
        board=board, by=ppl, column="creative", text="Quiet room after 8pm", anonymous=False
    )
    services_boards.voting_open(board=board, votes_per_person=2)
    foreign = same_host_only(page)
    keys = page.keyboard

    # Sign in with the keyboard.
    page.goto(f"{live_server.url}/accounts/login/")
    assert_accessible(page)
    tab_to(page, "id_username")
    keys.type(su_user.username)
    keys.press("Tab")
    assert focused_text(page) == "id_password"
    keys.type(PASSWORD)
    keys.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("My area")
    assert_accessible(page)

    # My area lists the board waiting for Sam.
    tab_to(page, "How can the ward feel calmer?")
    keys.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("How can the ward feel calmer?")
    assert_accessible(page)

    # A note to Creative ideas, anonymously.
    tab_to(page, "Add a note to Creative ideas")
    keys.press("Enter")
    expect(page.locator("#id_column_4")).to_be_checked()
    keys.press("Tab")
    assert page.evaluate("() => document.activeElement.id") == "id_column_4"
    keys.press("Tab")
    assert page.evaluate("() => document.activeElement.id") == "id_text"
    keys.type("Dim the corridor lights at night")
    keys.press("Tab")
    assert page.evaluate("() => document.activeElement.id") == "id_anonymous"
    keys.press("Space")
    keys.press("Tab")
    expect(page.locator(":focus")).to_have_text("Add the note")
    keys.press("Enter")
    expect(page.locator(".nhsuk-notification-banner")).to_contain_text("without your name")
    note = Note.objects.get(text="Dim the corridor lights at night")
    assert note.anonymous and not NoteAuthor.objects.filter(note=note).exists()
    assert_accessible(page)

    # Two votes: one on each idea, with Space and Enter.
    tab_to(page, "Add a vote to “Quiet room after 8pm”")
    keys.press("Space")
    expect(page.locator(".nhsuk-notification-banner")).to_contain_text("You have 1 vote left.")
    tab_to(page, "Add a vote to “Dim the corridor lights at night”")
    keys.press("Enter")
    expect(page.locator(".nhsuk-notification-banner")).to_contain_text("You have 0 votes left.")
    assert_accessible(page)
    # Changing one's mind: a vote taken back.
    tab_to(page, "Take back a vote from “Quiet room after 8pm”")
    keys.press("Enter")
    expect(page.locator(".nhsuk-notification-banner")).to_contain_text("You have 1 vote left.")
    assert list(Vote.objects.values_list("note__text", "count")) == [
        ("Dim the corridor lights at night", 1)
    ]
    assert_accessible(page)
    assert foreign == []


def test_the_board_updates_without_moving_focus(
    page, live_server, sign_in, su_user, sam, ppl, directorate
):
    """A note arriving while someone types does not take their focus or their words."""
    project = ProjectFactory(directorate=directorate)
    board = services_boards.board_open(question="Typing?", by=ppl, project=project)
    services_boards.participants_invite(board=board, users=[su_user], by=ppl)
    sign_in(page, su_user)
    page.goto(f"{live_server.url}/boards/{board.pk}/")
    page.get_by_label("Your note").fill("Half a thought")
    page.get_by_label("Your note").focus()
    services_boards.note_add(
        board=board, by=ppl, column="positives", text="Arrived meanwhile", anonymous=False
    )
    expect(
        page.locator("[data-column=positives]").get_by_text("Arrived meanwhile", exact=True)
    ).to_be_visible(timeout=LIVE)
    expect(page.locator("[data-column=positives] [data-count]")).to_have_text("1 note")
    assert page.evaluate("() => document.activeElement.id") == "id_text"
    expect(page.get_by_label("Your note")).to_have_value("Half a thought")
    expect(page.locator("#board-announcer")).to_have_text(
        "New note in Positives: Arrived meanwhile", timeout=LIVE
    )


def test_an_outsider_cannot_open_the_board(page, live_server, sign_in, ppl, directorate):
    board = services_boards.board_open(
        question="Private?", by=ppl, project=ProjectFactory(directorate=directorate)
    )
    outsider = UserFactory(roles=[Role.SU])
    sign_in(page, outsider)
    response = page.goto(f"{live_server.url}/boards/{board.pk}/")
    assert response.status == 404
