"""A PPL works through the claims queue in two browsers at once. The queue's list is a cached
fragment (projects/fragments.py): a page served from the cache must carry each browser's own CSRF
token, so its Approve buttons work, and must show an approval made in the other browser at once.
Every page visited passes axe."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from involvement import services_payments as services
from involvement.models_payments import Claim, ClaimStatus
from tests.a11y import assert_accessible
from tests.involvement.payments_helpers import make_rates

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def two_claims(ppl, su_user, directorate, admin_user):
    from tests.factories import MembershipFactory, PersonFactory, ProjectFactory

    make_rates(admin_user)
    project = ProjectFactory(
        title="Fewer missed appointments",
        directorate=directorate,
        start_date=datetime.date(2024, 1, 15),
    )
    claims = []
    for name, day in (("Ada Lovelace", 3), ("Grace Hopper", 4)):
        person = PersonFactory(name=name, directorates=[directorate])
        membership = MembershipFactory(
            project=project, person=person, start_date=project.start_date
        )
        claims.append(
            services.claim_create(
                person=person,
                data=services.ClaimInput(
                    rate_kind="hourly",
                    hours=Decimal("2"),
                    date=datetime.date(2025, 3, day),
                    membership=membership,
                ),
                by=su_user,
            )
        )
    return claims


def _open_queue(page, live_server) -> None:
    page.goto(f"{live_server.url}/payments/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Claims waiting for approval")


def test_a_ppl_approves_from_a_cached_queue_in_two_browsers(
    page, browser, live_server, sign_in, same_host_only, ppl, two_claims
):
    first, second = two_claims
    foreign = same_host_only(page)
    sign_in(page, ppl)
    _open_queue(page, live_server)
    page.reload()  # the list now comes from the cache
    expect(page.get_by_text("Ada Lovelace")).to_be_visible()
    assert_accessible(page)

    # The same PPL on a second computer: another session and CSRF cookie, the same cached list.
    other = browser.new_context().new_page()
    sign_in(other, ppl)
    _open_queue(other, live_server)
    expect(other.get_by_text("Grace Hopper")).to_be_visible()

    page.get_by_role("button", name=f"Approve claim {first.reference}").click()
    expect(page.get_by_text(f"Claim {first.reference} approved.")).to_be_visible()
    assert_accessible(page)

    # The second browser's copy was served before the approval; its button still works, and the
    # queue it comes back to no longer lists the approved claim.
    other.get_by_role("button", name=f"Approve claim {second.reference}").click()
    expect(other.get_by_text(f"Claim {second.reference} approved.")).to_be_visible()
    _open_queue(other, live_server)
    expect(other.get_by_text("No claims are waiting for approval.")).to_be_visible()
    assert_accessible(other)

    _open_queue(page, live_server)
    expect(page.get_by_text("No claims are waiting for approval.")).to_be_visible()
    assert set(Claim.objects.values_list("status", flat=True)) == {ClaimStatus.APPROVED}
    assert foreign == []
    other.context.close()
