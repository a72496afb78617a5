"""The journey of a long import (issue 10): an admin uploads a CSV, checks the preview, applies it,
follows its progress on the job's page (updated in place by the page's script) and then sees the
result. The import runs in its background thread, held by the test at each step so the progress
can be seen. Every page visited passes the axe check."""

from __future__ import annotations

import threading

import pytest
from playwright.sync_api import expect

from involvement import levels
from projects import imports
from projects.models import ImportJob, Project
from tests.a11y import assert_accessible
from tests.factories import ProjectFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

INVOLVEMENT_CSV = (
    "lifeqi_id,kind,person,person_type,start_date,end_date,participants\n"
    "4321,member,Sam Taylor,service_user,2024-02-01,,\n"
    "4321,focus_group,,,2024-03-07,,6\n"
)


@pytest.fixture(autouse=True)
def _fresh_month_check():
    levels.reset_month_check()
    yield
    levels.reset_month_check()


@pytest.fixture
def held_import(monkeypatch, settings):
    """Imports run in the background, and stop at "checking" and at "writing" until the test
    lets them go on: the page's progress can be seen moving."""
    settings.IMPORTS_IN_BACKGROUND = True
    steps = {"checked": threading.Event(), "written": threading.Event()}
    real_apply = imports.apply

    def held_apply(kind, text, *, progress=None, user=None):
        progress(imports.CHECKING, 1, 2)
        assert steps["checked"].wait(timeout=60)
        progress(imports.WRITING, 1, 2)
        assert steps["written"].wait(timeout=60)
        return real_apply(kind, text, progress=progress, user=user)

    monkeypatch.setattr(imports, "apply", held_apply)
    yield steps
    for step in steps.values():
        step.set()  # never leave a thread waiting


def test_admin_applies_an_import_and_follows_its_progress_to_the_result(
    page, live_server, sign_in, same_host_only, admin_user, directorate, tmp_path, held_import
):
    import datetime

    ProjectFactory(
        lifeqi_id="4321",
        title="Carer contact on Jade Ward",
        directorate=directorate,
        start_date=datetime.date(2024, 1, 15),
    )
    foreign = same_host_only(page)
    sign_in(page, admin_user)
    page.goto(f"{live_server.url}/projects/import/")
    page.get_by_role("link", name="Import team members and activities").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Import team members and activities")

    csv_file = tmp_path / "involvement.csv"
    csv_file.write_text(INVOLVEMENT_CSV)
    page.get_by_label("CSV file").set_input_files(str(csv_file))
    page.get_by_role("button", name="Upload and preview").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check the import of involvement.csv")
    expect(page.get_by_text("2 rows: 2 new, 0 to update, 0 unchanged.")).to_be_visible()
    assert_accessible(page)

    # "Apply" answers at once: the import goes on in the background, shown step by step.
    page.get_by_role("button", name="Apply the import").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Importing involvement.csv")
    words = page.locator("#import-progress-words")
    expect(words).to_have_text("Checking rows (step 1 of 3): 1 of 2 rows.")
    expect(page.locator("#import-progress-bar")).to_have_attribute("value", "20")
    expect(page.get_by_role("link", name="Refresh")).to_be_visible()
    assert Project.objects.get().memberships.count() == 0
    assert_accessible(page)

    # The script moves the words and the bar without reloading the page.
    page.evaluate("window.stillTheSamePage = true")
    held_import["checked"].set()
    expect(words).to_have_text("Writing rows (step 2 of 3): 1 of 2 new or changed rows.")
    expect(page.locator("#import-progress-bar")).to_have_attribute("value", "57")
    assert page.evaluate("window.stillTheSamePage") is True
    assert_accessible(page)

    # When the import ends, the page loads again with the result.
    held_import["written"].set()
    expect(page.get_by_role("alert")).to_contain_text(
        "Imported involvement.csv: 2 new, 0 updated, 0 unchanged.", timeout=15_000
    )
    expect(page.get_by_role("heading", level=1)).to_have_text("Imported involvement.csv")
    expect(page.locator("#import-progress-words")).to_have_count(0)
    assert_accessible(page)
    project = Project.objects.get()
    assert project.memberships.get().person.name == "Sam Taylor"
    assert project.activities.get().participants == 6
    assert ImportJob.objects.get().status == "done"

    # The Imports page lists it, and leads back to its page.
    page.get_by_role("link", name="Import another file").click()
    expect(page.get_by_role("heading", name="Recent imports")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="involvement.csv").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Imported involvement.csv")
    assert foreign == []
