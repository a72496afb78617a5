"""Browser journeys of the PDFs: an admin chooses a period and downloads the involvement report; a
service user downloads their record of involvement. Every page visited passes axe."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from involvement import levels
from involvement import services_payments as payments
from involvement.access import Role
from involvement.models_payments import Rate, RateKind
from involvement.services_payments import ClaimInput
from tests import pdfs
from tests.a11y import assert_accessible
from tests.charts import report_world
from tests.factories import MembershipFactory, PersonFactory, ProjectFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _fresh_month_check():
    levels.reset_month_check()
    yield
    levels.reset_month_check()


def test_an_admin_chooses_a_period_and_downloads_the_report(
    page,
    live_server,
    sign_in,
    same_host_only,
    directorate,
    other_directorate,
    ppl,
    other_ppl,
    admin_user,
):
    report_world.build(directorate, other_directorate, ppl, other_ppl, admin_user)
    foreign = same_host_only(page)
    sign_in(page, admin_user)
    expect(page.get_by_role("heading", level=1)).to_have_text("Trust overview")
    page.get_by_role("link", name="Reports: download the involvement report (PDF)").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Reports")
    assert_accessible(page)

    # A month that does not exist: the form says so, and nothing is downloaded.
    page.get_by_label("From (month)").fill("2025-13")
    page.get_by_role("button", name="Download the report (PDF)").click()
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("Enter the ‘From’ month")
    assert page.title().startswith("Error: Reports")
    assert_accessible(page)

    page.get_by_label("Report for").select_option(label="Whole trust")
    page.get_by_label("From (month)").fill("2025-01")
    page.get_by_label("To (month)").fill("2025-06")
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Download the report (PDF)").click()
    download = download_info.value
    assert download.suggested_filename == "involvement-report-trust-2025-01-to-2025-06.pdf"
    with open(download.path(), "rb") as handle:
        reader = pdfs.read(handle.read())
    pdfs.assert_pdf_ua(reader, title="Involvement report: Whole trust, January 2025 to June 2025")
    text = pdfs.all_text(reader)
    assert "Newham 3 33% 60% 67% 2 2 £24.75 £24.75" in text
    assert "1 directorate has no PPL working there now: CAMHS." in text
    assert foreign == []


def test_a_service_user_downloads_their_record_of_involvement(
    page, live_server, sign_in, same_host_only, su_user, directorate, ppl
):
    sam = PersonFactory(name="Sam Taylor", user=su_user, directorates=[directorate])
    project = ProjectFactory(
        title="Calm wards", directorate=directorate, start_date=datetime.date(2024, 1, 15)
    )
    team = MembershipFactory(project=project, person=sam, start_date=project.start_date)
    Rate.objects.create(
        kind=RateKind.HOURLY, amount=Decimal("16.50"), effective_from=datetime.date(2024, 1, 1)
    )
    claim = payments.claim_create(
        person=sam,
        data=ClaimInput(
            rate_kind=RateKind.HOURLY,
            hours=Decimal("2"),
            date=datetime.date(2025, 3, 3),
            membership=team,
        ),
        by=ppl,
    )
    approver = UserFactory(username="approver", roles=[Role.PPL], directorates=[directorate])
    payments.claim_approve(claim=claim, by=approver)
    batch = payments.batch_create(claims=[claim], by=approver)
    payments.batch_mark_paid(batch=batch, by=approver, paid_on=timezone.localdate())

    foreign = same_host_only(page)
    sign_in(page, su_user)
    expect(page.get_by_role("heading", level=1)).to_have_text("My area")
    page.get_by_role("button", name="Your record of involvement").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your record of involvement")
    expect(page.get_by_text("Calm wards (Newham)")).to_be_visible()
    expect(page.get_by_text("£33.00")).to_have_count(0)  # amounts left out until ticked
    assert_accessible(page)

    page.get_by_label("Include amounts paid").check()
    page.get_by_role("button", name="Update the record").click()
    expect(page.get_by_text("£33.00 paid in all")).to_be_visible()
    assert_accessible(page)

    with page.expect_download() as download_info:
        page.get_by_role("button", name="Download this record as a PDF").click()
    download = download_info.value
    assert download.suggested_filename == "record-of-involvement-sam-taylor.pdf"
    with open(download.path(), "rb") as handle:
        reader = pdfs.read(handle.read())
    pdfs.assert_pdf_ua(reader, title="Record of involvement: Sam Taylor")
    text = pdfs.all_text(reader)
    assert "Calm wards (Newham) Team member 15 Jan 2024 Still on the team" in text
    assert "Hours recorded for payment 2 hours" in text
    assert "£33.00 paid in all" in text
    assert foreign == []
