"""Browser journeys of payments: a PPL approves a service user's claim, puts it in a payment batch,
downloads the CSV for finance and marks the batch paid; the service user then sees it paid in
their area. Every page visited passes axe."""

from __future__ import annotations

import csv
import datetime
import io
import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from involvement import services_payments as services
from involvement.models_payments import BatchStatus, Claim, ClaimStatus, PaymentBatch
from tests.a11y import assert_accessible
from tests.involvement.payments_helpers import make_rates

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def sam_claim(ppl, su_user, directorate, admin_user):
    """Sam Taylor, on a Newham project team, has claimed for a team meeting (with a bus fare)."""
    from tests.factories import MembershipFactory, PersonFactory, ProjectFactory

    make_rates(admin_user)
    project = ProjectFactory(
        title="Reducing waiting times",
        directorate=directorate,
        start_date=datetime.date(2024, 1, 15),
    )
    sam = PersonFactory(name="Sam Taylor", user=su_user, directorates=[directorate])
    membership = MembershipFactory(project=project, person=sam, start_date=project.start_date)
    return services.claim_create(
        person=sam,
        data=services.ClaimInput(
            rate_kind="hourly",
            hours=Decimal("2.5"),
            date=datetime.date(2025, 3, 3),
            membership=membership,
            expenses=Decimal("4.80"),
            expenses_note="Bus fare, receipt kept",
        ),
        by=su_user,
    )


def test_a_ppl_approves_batches_exports_and_pays_a_claim_and_the_service_user_sees_it_paid(
    page, browser, live_server, sign_in, same_host_only, ppl, su_user, sam_claim
):
    foreign = same_host_only(page)
    reference = sam_claim.reference

    # The PPL finds the claim waiting and approves it.
    sign_in(page, ppl)
    expect(page.get_by_role("heading", name="Claims waiting for approval")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Payments", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Claims waiting for approval")
    assert_accessible(page)
    page.get_by_role("link", name=reference, exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Claim {reference}")
    expect(page.get_by_text("2.5 hours at £16.50 an hour = £41.25")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Approve claim").click()
    expect(page.get_by_text(f"Claim {reference} approved.")).to_be_visible()
    expect(page.locator(".nhsuk-tag", has_text="Approved")).to_be_visible()
    assert_accessible(page)

    # They gather it into a payment batch.
    page.get_by_role("link", name="Payments", exact=True).click()
    page.get_by_role("link", name="Payment batches").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Payment batches")
    assert_accessible(page)
    page.get_by_role("button", name="Make a payment batch").click()
    expect(page.get_by_role("heading", name="1 claim, £46.05 in all")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Note for the batch (optional)").fill("March payments")
    page.get_by_role("button", name="Make the batch with these 1 claim").click()
    batch = PaymentBatch.objects.get()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Payment batch {batch.reference}")
    assert_accessible(page)

    # They download the CSV for the finance team.
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Download the CSV file for finance").click()
    download = download_info.value
    assert download.suggested_filename == f"payment-batch-{batch.reference}.csv"
    text = open(download.path(), encoding="utf-8-sig").read()  # noqa: SIM115
    rows = list(csv.DictReader(io.StringIO(text)))
    lines = [r for r in rows if r["Line"] == "Claim"]
    assert [(r["Name"], r["Payment method"], r["Amount"]) for r in lines] == [
        ("Sam Taylor", "Bank payment", "46.05")
    ]
    assert [r["Amount"] for r in rows if r["Line"] == "Grand total"] == ["46.05"]

    # The finance team paid it: the PPL marks the batch paid (today is filled in).
    page.reload()
    expect(page.get_by_text("Last downloaded")).to_be_visible()
    page.get_by_role("button", name="Mark as paid").click()
    expect(page.get_by_text(f"Payment batch {batch.reference} is marked as paid.")).to_be_visible()
    assert_accessible(page)
    batch.refresh_from_db()
    assert batch.status == BatchStatus.PAID
    assert Claim.objects.get(pk=sam_claim.pk).status == ClaimStatus.PAID

    # Sam signs in, in their own browser, and sees the claim paid.
    sam_context = browser.new_context()
    sam_page = sam_context.new_page()
    sam_foreign = same_host_only(sam_page)
    sign_in(sam_page, su_user)
    expect(sam_page.get_by_role("heading", level=1)).to_have_text("My area")
    expect(sam_page.get_by_text(re.compile(r"you have been paid £46\.05"))).to_be_visible()
    assert_accessible(sam_page)
    sam_page.get_by_role("button", name="Your payments").click()
    expect(sam_page.get_by_role("heading", level=1)).to_have_text("Your payments")
    row = sam_page.get_by_role("row", name=re.compile(reference))
    expect(row.locator(".nhsuk-tag")).to_have_text("Paid")
    expect(sam_page.get_by_role("definition").filter(has_text="£46.05")).to_be_visible()
    assert_accessible(sam_page)
    sam_page.get_by_role("link", name=reference, exact=True).click()
    expect(
        sam_page.get_by_text(re.compile(rf"In payment batch {batch.reference}, paid on"))
    ).to_be_visible()
    expect(sam_page.get_by_role("cell", name=f"Paid with batch {batch.reference}")).to_be_visible()
    assert_accessible(sam_page)
    assert foreign == [] and sam_foreign == []
    sam_context.close()


def test_the_other_payments_pages_pass_axe(
    page, live_server, sign_in, same_host_only, ppl, admin_user, su_user, sam_claim
):
    from involvement.access import Role
    from tests.factories import UserFactory

    approver = UserFactory(
        username="ppl-two", roles=[Role.PPL], directorates=list(ppl.directorates.all())
    )
    approved = services.claim_approve(claim=sam_claim, by=approver)
    foreign = same_host_only(page)
    person_pk = sam_claim.person_id

    sign_in(page, ppl)
    for path, heading in [
        ("/payments/claims/", "All claims"),
        ("/payments/claims/new/", "Record a claim"),
        (f"/payments/claims/new/{person_pk}/", "Record a claim for Sam Taylor"),
        (f"/payments/claims/{approved.pk}/reverse/", f"Correct claim {approved.reference}"),
        ("/payments/rates/", "Payment rates"),
    ]:
        page.goto(f"{live_server.url}{path}")
        expect(page.get_by_role("heading", level=1)).to_have_text(heading)
        assert_accessible(page)

    # A claim form with errors: the summary, and the "Error:" title.
    page.goto(f"{live_server.url}/payments/claims/new/{person_pk}/")
    page.get_by_label("How many hours").fill("0")
    page.get_by_role("button", name="Save claim").click()
    expect(page.get_by_role("alert")).to_contain_text("There is a problem")
    assert page.title().startswith("Error: ")
    assert_accessible(page)

    page.context.clear_cookies()
    sign_in(page, admin_user)
    for path, heading in [
        ("/payments/totals/", "Payments by directorate and month"),
        ("/payments/rates/new/", "Add a rate"),
        ("/payments/batches/new/", "Make a payment batch"),
    ]:
        page.goto(f"{live_server.url}{path}")
        expect(page.get_by_role("heading", level=1)).to_have_text(heading)
        assert_accessible(page)

    waiting = services.claim_create(
        person=sam_claim.person,
        data=services.ClaimInput(
            rate_kind="meeting",
            hours=Decimal("1"),
            date=datetime.date(2025, 3, 4),
            membership=sam_claim.membership,
        ),
        by=admin_user,
    )
    page.context.clear_cookies()
    sign_in(page, ppl)
    page.goto(f"{live_server.url}/payments/claims/{waiting.pk}/reject/")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Reject claim {waiting.reference}")
    assert_accessible(page)
    page.goto(f"{live_server.url}/payments/claims/{waiting.pk}/edit/")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Change claim {waiting.reference}")
    assert_accessible(page)

    page.context.clear_cookies()
    sign_in(page, su_user)
    page.goto(f"{live_server.url}/me/payments/new/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Claim for your time")
    assert_accessible(page)
    assert foreign == []
