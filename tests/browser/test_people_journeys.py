"""Browser journeys of the people register: a PPL invites a person, who signs up, fills in their
interests and a role description, and both sides agree it; a service user finds an opportunity
and says they are interested, with the keyboard alone. Every page visited passes axe."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from involvement.models import OpportunityInterest, Person, RoleDescription
from tests.a11y import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NEW_PASSWORD = "a-long-unusual-phrase-42"


def test_ppl_invites_a_person_who_signs_up_drafts_a_role_description_and_both_agree(
    page, browser, live_server, sign_in, same_host_only, mailoutbox, ppl, lead, directorate
):
    from tests.factories import InterestFactory, MembershipFactory, PersonFactory, ProjectFactory

    InterestFactory(name="Data")
    InterestFactory(name="Measurement")
    project = ProjectFactory(title="Reducing waiting times", directorate=directorate, lead=lead)
    rosa = PersonFactory(name="Rosa Walker", email="rosa@example.org", directorates=[directorate])
    MembershipFactory(project=project, person=rosa)
    foreign = same_host_only(page)

    # The PPL finds Rosa in the register and invites her by email.
    sign_in(page, ppl)
    page.get_by_role("link", name="People", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("People register")
    assert_accessible(page)
    page.get_by_role("link", name="Rosa Walker").click()
    assert_accessible(page)
    page.get_by_role("button", name="Invite to sign up").click()
    expect(page.get_by_label("Email address")).to_have_value("rosa@example.org")
    assert_accessible(page)
    page.get_by_role("button", name="Send invitation").click()
    expect(page.get_by_text("Invitation sent to rosa@example.org.")).to_be_visible()
    assert_accessible(page)
    assert len(mailoutbox) == 1
    link = re.search(r"(http://\S+/invitations/\S+/)", mailoutbox[0].body).group(1)

    # Rosa, in her own browser, follows the link and sets her password.
    rosa_context = browser.new_context()
    rosa_page = rosa_context.new_page()
    rosa_foreign = same_host_only(rosa_page)
    rosa_page.goto(link)
    expect(rosa_page.get_by_role("heading", level=1)).to_have_text("Set up your account")
    assert_accessible(rosa_page)
    rosa_page.get_by_label("Password", exact=True).fill(NEW_PASSWORD)
    rosa_page.get_by_label("Type the password again").fill(NEW_PASSWORD)
    rosa_page.get_by_role("button", name="Create my account").click()
    expect(rosa_page.get_by_role("heading", level=1)).to_have_text("My area")
    assert rosa_page.url == f"{live_server.url}/me/"
    assert_accessible(rosa_page)

    # She says what she is interested in and when she is free.
    rosa_page.get_by_role(
        "button", name="Change my interests, availability and access needs"
    ).click()
    assert_accessible(rosa_page)
    rosa_page.get_by_label("Data").check()
    rosa_page.get_by_label("Tuesday").check()
    rosa_page.get_by_label("Remote (online or by phone)").check()
    rosa_page.get_by_label("An acronym sheet (what the short words mean)").check()
    rosa_page.get_by_role("button", name="Save my details").click()
    expect(rosa_page.get_by_text("Your details are saved. Thank you.")).to_be_visible()
    assert_accessible(rosa_page)
    person = Person.objects.get(pk=rosa.pk)
    assert [i.name for i in person.interests.all()] == ["Data"]
    assert person.available_days == ["tue"] and person.attendance == "remote"

    # She drafts a role description for her project, and agrees it.
    rosa_page.get_by_role("button", name="Write a role description").click()
    assert_accessible(rosa_page)
    rosa_page.get_by_label("Project", exact=True).select_option(label="Reducing waiting times")
    rosa_page.get_by_label("Time commitment").fill("1 hour every 2 weeks")
    rosa_page.get_by_label("Where will you be based?").fill("Online")
    rosa_page.get_by_label("Accountability and responsibility").fill("Bring my experience.")
    start = rosa_page.get_by_role("group", name="Start date")
    start.get_by_label("Day").fill("6")
    start.get_by_label("Month").fill("1")
    start.get_by_label("Year").fill("2025")
    review = rosa_page.get_by_role("group", name="Review date")
    review.get_by_label("Day").fill("6")
    review.get_by_label("Month").fill("7")
    review.get_by_label("Year").fill("2025")
    rosa_page.get_by_label("Contact, supervisor and support: who").fill("Priya Patel")
    rosa_page.get_by_label("What do you hope to get from this work?").fill("Learn about data")
    rosa_page.get_by_role("button", name="Save draft").click()
    expect(rosa_page.get_by_role("heading", level=1)).to_have_text("Reducing waiting times")
    assert_accessible(rosa_page)
    rosa_page.get_by_role("button", name="I agree").click()
    expect(rosa_page.get_by_text("You have agreed.")).to_be_visible()
    assert_accessible(rosa_page)
    description = RoleDescription.objects.get()
    assert description.su_agreed_by == person.user and description.status == "draft"
    assert description.interests_copy == "Data"

    # The PPL sees the draft on Rosa's page and agrees it too.
    page.goto(f"{live_server.url}/people/{rosa.pk}/")
    page.get_by_role("link", name=re.compile("Reducing waiting times: Team member")).click()
    expect(page.get_by_text("Agreed by Rosa Walker on")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="I agree").click()
    expect(page.get_by_text("Both sides have agreed.")).to_be_visible()
    expect(page.locator(".nhsuk-tag", has_text="Agreed")).to_be_visible()
    assert_accessible(page)
    description.refresh_from_db()
    assert description.status == "agreed" and description.ppl_agreed_by == ppl

    # Rosa sees it agreed in her area.
    rosa_page.goto(f"{live_server.url}/me/")
    expect(rosa_page.locator(".nhsuk-tag", has_text="Agreed")).to_be_visible()
    assert foreign == [] and rosa_foreign == []
    rosa_context.close()


def tab_to(page, name: str, *, max_tabs: int = 80) -> None:
    """Press Tab until the focused element's accessible text contains ``name``."""
    for _ in range(max_tabs):
        page.keyboard.press("Tab")
        text = page.evaluate(
            "() => { const el = document.activeElement;"
            " return (el.innerText || el.value || el.getAttribute('aria-label') || '').trim(); }"
        )
        if name in text:
            return
    raise AssertionError(f"Tab never reached {name!r}")


def test_a_service_user_finds_an_opportunity_and_says_they_are_interested_by_keyboard(
    page, live_server, same_host_only, su_user, directorate
):
    from tests.factories import PASSWORD, InterestFactory, OpportunityFactory, PersonFactory

    data = InterestFactory(name="Data")
    sam = PersonFactory(name="Sam Taylor", user=su_user, directorates=[directorate])
    sam.interests.set([data])
    research = OpportunityFactory(title="Research advisory group", directorate=directorate)
    research.interests.set([data])
    OpportunityFactory(title="Befriending service", kind="befriending", directorate=directorate)
    foreign = same_host_only(page)

    # Sign in with the keyboard.
    page.goto(f"{live_server.url}/accounts/login/")
    assert_accessible(page)
    for _ in range(30):
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement.id") == "id_username":
            break
    page.keyboard.type(su_user.username)
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.id") == "id_password"
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("My area")
    assert_accessible(page)

    # From My area to the opportunities, the fitting one first.
    tab_to(page, "See all opportunities")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Opportunities for you")
    assert_accessible(page)
    titles = page.locator(".nhsuk-card__heading").all_inner_texts()
    assert titles == ["Research advisory group", "Befriending service"]
    expect(page.get_by_text("Why it fits you: interests: data")).to_be_visible()

    tab_to(page, "Research advisory group")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Research advisory group")
    assert_accessible(page)

    tab_to(page, "I am interested")
    page.keyboard.press("Space")
    expect(page.get_by_text("Thank you. Your People Participation Lead will see")).to_be_visible()
    expect(page.locator(".nhsuk-tag", has_text="You are interested")).to_be_visible()
    assert_accessible(page)
    assert OpportunityInterest.objects.filter(person=sam, opportunity=research).count() == 1

    # And changes their mind, still with the keyboard.
    tab_to(page, "I am no longer interested")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Opportunities for you")
    assert_accessible(page)
    assert not OpportunityInterest.objects.exists()
    assert foreign == []


def test_the_other_people_pages_pass_axe(
    page, live_server, sign_in, same_host_only, ppl, su_user, directorate
):
    from involvement.services_people import role_description_agree
    from tests.factories import (
        InterestFactory,
        OpportunityFactory,
        PersonFactory,
        ProjectFactory,
        RoleDescriptionFactory,
    )

    data = InterestFactory(name="Data")
    project = ProjectFactory(title="Reducing waiting times", directorate=directorate)
    sam = PersonFactory(name="Sam Taylor", user=su_user, directorates=[directorate])
    sam.interests.set([data])
    description = RoleDescriptionFactory(person=sam, project=project)
    role_description_agree(description=description, by=su_user, side="su")
    role_description_agree(description=description, by=ppl, side="ppl")
    opportunity = OpportunityFactory(title="Research advisory group", directorate=directorate)
    foreign = same_host_only(page)

    page.goto(f"{live_server.url}/invitations/not-a-real-link/")
    expect(page.get_by_role("heading", level=1)).to_have_text("This invitation link does not work")
    assert_accessible(page)

    sign_in(page, ppl)
    for path, heading in [
        ("/ppl/", "People Participation Lead home"),
        ("/people/new/", "Add a person to the register"),
        ("/people/matching/", "Projects that need a service user or carer"),
        (f"/people/matching/projects/{project.pk}/", "Who fits Reducing waiting times"),
        (
            f"/people/matching/projects/{project.pk}/needs/",
            "What the project needs from a service user or carer",
        ),
        ("/people/role-descriptions/", "Role descriptions"),
        (f"/people/role-descriptions/{description.pk}/", "Reducing waiting times"),
        (f"/people/role-descriptions/{description.pk}/print/", "Reducing waiting times"),
        (f"/people/role-descriptions/{description.pk}/end/", "End the role description"),
        (f"/people/{sam.pk}/training/add/", "Add training for Sam Taylor"),
        ("/opportunities/", "Opportunities beyond QI projects"),
        ("/opportunities/new/", "Add an opportunity"),
        (f"/opportunities/{opportunity.pk}/", "Research advisory group"),
    ]:
        page.goto(f"{live_server.url}{path}")
        expect(page.get_by_role("heading", level=1)).to_contain_text(heading)
        assert_accessible(page)

    # A form with errors: the summary, and the "Error:" title.
    page.goto(f"{live_server.url}/people/new/")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("alert")).to_contain_text("There is a problem")
    assert page.title().startswith("Error: ")
    assert_accessible(page)
    assert foreign == []
