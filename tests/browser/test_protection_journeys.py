"""Browser journey of data protection: an admin reads a person's history and access log, makes the
subject access export, and erases the record after typing the person's name. Every page visited
passes axe."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from involvement.models import Person, PersonErasure
from tests.a11y import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_admin_reads_the_history_exports_and_erases_a_record(
    page, live_server, sign_in, same_host_only, admin_user, ppl, directorate
):
    from tests.factories import MembershipFactory, PersonFactory, ProjectFactory

    rosa = PersonFactory(name="Rosa Walker", email="rosa@example.org", directorates=[directorate])
    MembershipFactory(project=ProjectFactory(directorate=directorate), person=rosa)
    rosa.phone = "07700 900555"
    rosa.save()
    foreign = same_host_only(page)

    sign_in(page, admin_user)
    page.goto(f"{live_server.url}/people/{rosa.pk}/")
    expect(page.get_by_role("heading", name="Data protection")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="History of this record").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("History of Rosa Walker's record")
    expect(page.get_by_role("cell", name="07700 900555")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Back to Rosa Walker").click()

    page.get_by_role("link", name="Who has read this record").click()
    expect(page.get_by_role("cell", name="Their page in the people register").first).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Back to Rosa Walker").click()

    page.get_by_role("link", name="Subject access export").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Everything Big I holds about Rosa Walker"
    )
    expect(page.get_by_text("rosa@example.org").first).to_be_visible()
    assert_accessible(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="download the same data as a JSON file").click()
    assert download.value.suggested_filename == f"subject-access-{rosa.pk:06d}.json"
    page.get_by_role("link", name="Back to Rosa Walker").click()

    page.get_by_role("link", name="Erase this record").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Erase Rosa Walker's record")
    assert_accessible(page)
    page.get_by_label("Type the person's name to confirm").fill("Rosa W")
    page.get_by_label("Why is the record being erased?").fill("They asked us to, by letter.")
    page.get_by_role("button", name="Erase this person's record").click()
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("does not match")
    assert_accessible(page)
    assert not PersonErasure.objects.exists()

    page.get_by_label("Type the person's name to confirm").fill("Rosa Walker")
    page.get_by_role("button", name="Erase this person's record").click()
    pseudonym = f"Person {rosa.pk:06d} (erased)"
    expect(page.get_by_role("heading", level=1)).to_have_text(f"{pseudonym}: record erased")
    expect(page.get_by_text("They asked us to, by letter.")).to_be_visible()
    assert_accessible(page)
    assert Person.objects.get(pk=rosa.pk).name == pseudonym
    assert foreign == []
