"""Journeys of the projects work: a PPL quick-logs a team member and sees the level change; an admin
previews and applies a Life QI import; a lead starts a project and meets the co-production gate.
Every page visited passes the axe check."""

from __future__ import annotations

import datetime

import pytest
from playwright.sync_api import expect

from involvement import levels
from projects.models import Project
from tests.a11y import assert_accessible
from tests.factories import PersonFactory, ProjectFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _fresh_month_check():
    levels.reset_month_check()
    yield
    levels.reset_month_check()


def test_ppl_quick_logs_a_member_and_sees_the_level_badge_change(
    page, live_server, sign_in, same_host_only, ppl, directorate
):
    today = datetime.date.today()
    project = ProjectFactory(
        title="Carer contact on Jade Ward",
        lifeqi_id="4321",
        directorate=directorate,
        start_date=today - datetime.timedelta(days=200),
    )
    ProjectFactory(title="Sleep on Ruby Ward", directorate=directorate)
    PersonFactory(name="Sam Taylor", directorates=[directorate])
    foreign = same_host_only(page)
    sign_in(page, ppl)

    # The PPL home lists the project as having no involvement this month.
    expect(page.get_by_role("heading", level=1)).to_have_text("People Participation Lead home")
    expect(page.get_by_role("link", name="Carer contact on Jade Ward", exact=True)).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Carer contact on Jade Ward", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Carer contact on Jade Ward")
    expect(page.locator(".nhsuk-tag", has_text="No involvement").first).to_be_visible()
    assert_accessible(page)

    page.goto(f"{live_server.url}/ppl/")
    page.get_by_role("link", name="Log involvement", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Log involvement")
    assert_accessible(page)

    page.get_by_label("Find a project").fill("4321")
    page.get_by_role("button", name="Find project").click()
    expect(page.get_by_text("1 project match “4321”")).to_be_visible()
    assert_accessible(page)
    # The one match is already chosen; the date is already today.
    expect(page.get_by_label("Project", exact=True)).to_have_value(str(project.pk))
    expect(page.get_by_label("Day")).to_have_value(str(today.day))
    page.get_by_label("Service user or carer").select_option(label="Sam Taylor (Newham)")
    page.get_by_role("button", name="Log involvement").click()

    expect(page.get_by_role("alert")).to_contain_text(
        "Sam Taylor joined the team of “Carer contact on Jade Ward”"
    )
    card = page.locator("#logged-project")
    expect(card).to_contain_text("Level this month: Big I")
    expect(card.locator(".nhsuk-tag--green")).to_have_text("Big I")
    assert_accessible(page)

    card.get_by_role("link", name="Open the project").click()
    expect(page.locator(".nhsuk-tag--green", has_text="Big I").first).to_be_visible()
    expect(page.get_by_role("cell", name="Sam Taylor", exact=True)).to_be_visible()
    assert_accessible(page)
    assert foreign == []


PROJECTS_CSV = (
    "lifeqi_id,title,directorate,lead,start_date,end_date,status,aim,aim_reached\n"
    "101,Reducing falls on Ruby Ward,Newham,Ada Lovelace,2021-01-04,2022-03-31,completed,,yes\n"
    "102,Carer contact on Jade Ward,Newham,,2022-05-01,,active,,\n"
)


def test_admin_previews_and_applies_a_project_import(
    page, live_server, sign_in, same_host_only, admin_user, directorate, tmp_path
):
    foreign = same_host_only(page)
    sign_in(page, admin_user)
    page.get_by_role("link", name="Import projects and involvement from Life QI").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Imports")
    assert_accessible(page)

    page.get_by_role("link", name="Import life qi projects").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Import life qi projects")
    assert_accessible(page)

    # A bad file first: the preview names the row, the column and the reason.
    bad = tmp_path / "bad.csv"
    bad.write_text(PROJECTS_CSV + "103,Lost,Atlantis,,2023-02-30,,active,,\n")
    page.get_by_label("CSV file").set_input_files(str(bad))
    page.get_by_role("button", name="Upload and preview").click()
    expect(page.get_by_role("alert")).to_contain_text(
        "Row 4, column directorate: unknown directorate “Atlantis”"
    )
    expect(page.get_by_role("alert")).to_contain_text("Row 4, column start_date")
    expect(page.get_by_role("button", name="Apply the import")).to_have_count(0)
    assert page.title().startswith("Error: ")
    assert_accessible(page)

    page.get_by_role("link", name="Upload another file").click()
    good = tmp_path / "lifeqi.csv"
    good.write_bytes(("\ufeff" + PROJECTS_CSV).encode("utf-8"))
    page.get_by_label("CSV file").set_input_files(str(good))
    page.get_by_role("button", name="Upload and preview").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check the import of lifeqi.csv")
    expect(page.get_by_text("2 rows: 2 new, 0 to update, 0 unchanged.")).to_be_visible()
    assert Project.objects.count() == 0
    assert_accessible(page)

    page.get_by_role("button", name="Apply the import").click()
    expect(page.get_by_role("alert")).to_contain_text(
        "Imported lifeqi.csv: 2 new, 0 updated, 0 unchanged."
    )
    assert_accessible(page)
    assert set(Project.objects.values_list("lifeqi_id", flat=True)) == {"101", "102"}
    assert foreign == []


def test_lead_starts_a_project_and_meets_the_coproduction_gate(
    page, live_server, sign_in, same_host_only, lead, directorate
):
    foreign = same_host_only(page)
    sign_in(page, lead)
    page.get_by_role("button", name="Start a project").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Start a QI project")
    assert_accessible(page)

    page.get_by_label("Title").fill("Reducing falls on Ruby Ward")
    page.get_by_label("Directorate").select_option(label="Newham")
    page.locator("#id_start_date_day").fill("3")
    page.locator("#id_start_date_month").fill("2")
    page.locator("#id_start_date_year").fill("2024")
    page.get_by_label("Active").check()
    page.get_by_role("button", name="Save project").click()
    expect(page.locator(".nhsuk-error-summary")).to_contain_text(
        "cannot leave draft until it has a service user or carer on its team"
    )
    assert page.title().startswith("Error: ")
    assert_accessible(page)

    page.get_by_label("Draft").check()
    page.get_by_role("button", name="Save project").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Reducing falls on Ruby Ward")
    expect(page.get_by_role("heading", name="This project is a draft")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("button", name="Make the project active").click()
    expect(page.get_by_role("region", name="Important")).to_contain_text(
        "cannot leave draft until it has a service user or carer on its team"
    )
    assert_accessible(page)
    assert Project.objects.get().status == "draft"
    assert foreign == []
