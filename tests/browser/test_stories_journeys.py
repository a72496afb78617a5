"""Stories and reflections, end to end in Chromium; every page visited passes axe."""

from __future__ import annotations

import datetime
import xml.etree.ElementTree as ET

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from stories.models import Answer, Reflection, ReflectionAuthor, Story, StoryStatus
from tests.a11y import assert_accessible
from tests.factories import MembershipFactory, PersonFactory, ProjectFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TITLE = "We chose the measures together"


def log_out(page):
    page.get_by_role("button", name="Log out").click()
    # Wait for the sign-in page: signing in again before the log-out lands would race it.
    page.wait_for_url("**/accounts/login/")


def test_an_su_submits_a_story_a_ppl_publishes_it_and_it_reaches_library_and_feed(
    page, live_server, sign_in, same_host_only, su_user, ppl, directorate
):
    PersonFactory(user=su_user, name="Sam Storyteller", directorates=[directorate])
    foreign = same_host_only(page)

    # The SU tells their story.
    sign_in(page, su_user)
    page.get_by_role("link", name="Stories", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Co-production stories")
    assert_accessible(page)
    page.get_by_role("link", name="Tell your story").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Tell your story")
    assert_accessible(page)
    page.get_by_label("Title").fill(TITLE)
    page.get_by_label("What happened?").fill(
        "Our team picked **three measures** with the service users on it.\n\n"
        "<script>alert('not run')</script>"
    )
    page.get_by_label("Easy read summary (optional)").fill("We chose together.")
    page.get_by_label("Collaborate").check()
    page.get_by_label("Respect", exact=False).first.check()
    expect(page.get_by_label("Which part of the trust is it about? (optional)")).to_have_value(
        str(directorate.pk)
    )
    page.get_by_role("button", name="Send for review").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(page.locator(".nhsuk-notification-banner")).to_contain_text("sent for review")
    expect(page.locator(".bigi-story-body")).to_contain_text("<script>alert('not run')</script>")
    assert_accessible(page)
    log_out(page)

    # The PPL of the directorate publishes it.
    sign_in(page, ppl)
    page.get_by_role("link", name="Stories", exact=True).click()
    page.get_by_role("link", name="Stories waiting for review").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Stories waiting for review")
    assert_accessible(page)
    page.get_by_role("link", name=TITLE).click()
    assert_accessible(page)
    page.get_by_role("button", name="Publish the story").click()
    expect(page.locator(".nhsuk-notification-banner")).to_contain_text("published in the library")
    assert_accessible(page)
    story = Story.objects.get(title=TITLE)
    assert story.status == StoryStatus.PUBLISHED
    assert [p.value for p in story.principles] == ["collaborate", "respect"]  # both ticks kept

    # It is in the library, in print, and in the feed.
    page.get_by_role("link", name="All stories").click()
    expect(page.get_by_role("link", name=TITLE)).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Search the stories").fill("measures")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_role("heading", name="1 story found")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name=TITLE).click()
    page.get_by_role("link", name="Print this story to share at your QI forum").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(page.get_by_role("button", name="Print this story")).to_be_visible()
    assert_accessible(page)

    response = page.request.get(f"{live_server.url}/stories/feed/")
    assert response.ok
    channel = ET.fromstring(response.body()).find("channel")  # noqa: S314 - our own feed
    titles = [item.findtext("title") for item in channel.findall("item")]
    assert titles == [TITLE]
    assert foreign == []


def focused(page) -> str:
    return page.evaluate("document.activeElement.id || document.activeElement.className")


def test_an_su_answers_a_reflection_with_the_keyboard_alone(
    page, live_server, sign_in, same_host_only, su_user, directorate
):
    project = ProjectFactory(
        title="Easy read letters", directorate=directorate, start_date=datetime.date(2024, 1, 1)
    )
    MembershipFactory(project=project, person=PersonFactory(user=su_user))
    foreign = same_host_only(page)
    sign_in(page, su_user)
    page.goto(f"{live_server.url}/stories/reflections/projects/{project.pk}/new/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Reflect on a meeting")
    assert_accessible(page)
    keys = page.keyboard

    keys.press("Tab")
    assert "nhsuk-skip-link" in focused(page)
    keys.press("Enter")  # skip to the main content
    keys.press("Tab")
    assert "nhsuk-back-link" in focused(page)
    keys.press("Tab")
    assert focused(page) == "id_meeting_date_day"
    for part in ("12", "3", "2024"):
        keys.press("Control+A")
        keys.type(part)
        keys.press("Tab")

    # Collaborate: kept, with a comment.
    assert focused(page) == "id_answer_collaborate_0"
    keys.press("Space")
    keys.press("Tab")
    assert focused(page) == "id_comment_collaborate"
    keys.type("We voted together.")
    # Openhearted: partly kept (arrow keys move within the radio group).
    keys.press("Tab")
    assert focused(page) == "id_answer_openhearted_0"
    keys.press("ArrowRight")
    keys.press("Tab")
    # Courage: not kept, with a comment.
    keys.press("Tab")
    assert focused(page) == "id_answer_courage_0"
    keys.press("ArrowRight")
    keys.press("ArrowRight")
    keys.press("Tab")
    keys.type("I was asked on the spot.")
    # Skip the other seven principles: each is a radio group and a comment box.
    for _ in range(7 * 2):
        keys.press("Tab")
    keys.press("Tab")
    assert focused(page) == "id_comment"
    keys.type("How frustrating I found that meeting.")
    keys.press("Tab")
    assert focused(page) == "id_anonymous"
    keys.press("Space")
    keys.press("Tab")
    expect(page.locator(":focus")).to_have_text("Send my reflection")
    keys.press("Enter")

    expect(page.get_by_role("heading", level=1)).to_have_text("Charter reflections")
    expect(page.locator(".nhsuk-notification-banner")).to_contain_text("without your name")
    expect(page.get_by_text("How frustrating I found that meeting.")).to_be_visible()
    assert_accessible(page)

    reflection = Reflection.objects.get()
    assert reflection.meeting_date == datetime.date(2024, 3, 12)
    assert {(a.principle, a.answer, a.comment) for a in reflection.answers.all()} == {
        ("collaborate", Answer.KEPT, "We voted together."),
        ("openhearted", Answer.PARTLY, ""),
        ("courage", Answer.NOT_KEPT, "I was asked on the spot."),
    }
    assert ReflectionAuthor.objects.count() == 0  # anonymous: nothing kept about who
    assert foreign == []


def test_a_reflection_with_no_answers_shows_the_error_summary(
    page, live_server, sign_in, su_user, directorate
):
    project = ProjectFactory(directorate=directorate, start_date=datetime.date(2024, 1, 1))
    MembershipFactory(project=project, person=PersonFactory(user=su_user))
    sign_in(page, su_user)
    page.goto(f"{live_server.url}/stories/reflections/projects/{project.pk}/new/")
    page.get_by_role("button", name="Send my reflection").click()
    expect(page.get_by_role("alert")).to_contain_text("Answer at least one principle")
    assert page.title().startswith("Error: ")
    assert_accessible(page)
    assert Reflection.objects.count() == 0


def test_the_ppl_reflections_overview_passes_axe(page, live_server, sign_in, ppl, directorate):
    project = ProjectFactory(directorate=directorate, start_date=datetime.date(2024, 1, 1))
    Reflection.objects.create(project=project, meeting_date=timezone.localdate()).answers.create(
        principle="translate", answer=Answer.NOT_KEPT
    )
    sign_in(page, ppl)
    page.get_by_role("link", name="Stories", exact=True).click()
    page.get_by_role("link", name="Charter reflections: the principles most often not kept").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Charter reflections")
    expect(page.get_by_role("table").first).to_contain_text("Translate")
    assert_accessible(page)
    page.get_by_role("link", name=project.title).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Charter reflections")
    assert_accessible(page)


def test_consent_refusal_consent_and_withdrawal_pages_pass_axe(
    page, live_server, sign_in, su_user, ppl, directorate
):
    from stories import services

    story = services.story_create(
        author=su_user,
        title="Garden group",
        body="We planted a garden with Joan.",
        directorate=directorate,
        submit=True,
    )
    sign_in(page, ppl)
    page.goto(f"{live_server.url}{story.get_absolute_url()}")
    page.get_by_role("link", name="Ask the author for changes").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ask the author for changes")
    assert_accessible(page)
    page.get_by_role("link", name="Back to the story").click()
    page.get_by_role("link", name="Change the story").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Change “Garden group”")
    assert_accessible(page)
    page.get_by_role("link", name="Back").click()
    page.get_by_role("link", name="People named and their consent").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("People named in")
    assert_accessible(page)
    page.get_by_label("Their name, as the story gives it").fill("Joan Smith")
    page.get_by_role("button", name="Add this person").click()
    expect(page.get_by_role("table")).to_contain_text("No consent yet")
    assert_accessible(page)

    # Publishing is refused, naming Joan.
    page.get_by_role("link", name="Back to the story").click()
    page.get_by_role("button", name="Publish the story").click()
    expect(page.locator(".nhsuk-notification-banner")).to_contain_text(
        "Joan Smith has not consented"
    )
    assert_accessible(page)

    page.get_by_role("link", name="People named and their consent").click()
    page.get_by_role("link", name="Record consent of Joan Smith").click()
    assert_accessible(page)
    today = timezone.localdate()
    page.get_by_label("Day").fill(str(today.day))
    page.get_by_label("Month").fill(str(today.month))
    page.get_by_label("Year").fill(str(today.year))
    page.get_by_role("button", name="Record consent").click()
    expect(page.get_by_role("table")).to_contain_text("Consent given")
    page.get_by_role("link", name="Back to the story").click()
    page.get_by_role("button", name="Publish the story").click()
    expect(page.locator(".nhsuk-notification-banner")).to_contain_text("published")

    page.get_by_role("link", name="Withdraw the story").click()
    assert_accessible(page)
    page.get_by_role("button", name="Withdraw the story").click()
    expect(page.locator(".nhsuk-error-summary")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Why is it being withdrawn?").fill("Joan withdrew her consent.")
    page.get_by_role("button", name="Withdraw the story").click()
    expect(page.locator(".nhsuk-notification-banner")).to_contain_text("withdrawn")
    assert_accessible(page)
    story.refresh_from_db()
    assert story.status == StoryStatus.WITHDRAWN
    log_out(page)

    # The author still sees it, marked withdrawn, among their stories.
    sign_in(page, su_user)
    page.goto(f"{live_server.url}/stories/mine/")
    expect(page.get_by_role("link", name="Garden group")).to_be_visible()
    expect(page.locator(".nhsuk-tag").first).to_have_text("Withdrawn")
    assert_accessible(page)
