"""An approved, rejected or paid claim is never edited or deleted: not from a view, a form, the
admin site, Claim.save / Claim.delete, the queryset's update() / delete() / bulk_update(), nor raw
SQL (a database trigger). Only the allowed steps move: approved → in a batch → paid."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.db import DatabaseError, connection, transaction
from django.urls import reverse

from involvement import services_payments as services
from involvement.forms.payments import ClaimForm, involvement_options
from involvement.models_payments import Claim, ClaimLocked, ClaimStatus
from tests.involvement.payments_helpers import make_pay

pytestmark = pytest.mark.django_db

MONEY = ("hours", "units", "unit_price", "fee", "expenses", "amount", "date", "status")


@pytest.fixture
def pay(directorate, other_directorate, ppl, other_ppl, admin_user):
    return make_pay(directorate, other_directorate, ppl, other_ppl, admin_user)


@pytest.fixture
def locked(pay):
    """One claim in each state that may not change."""
    rejected = services.claim_reject(
        claim=pay.claim(day=datetime.date(2025, 3, 3)), by=pay.approver, reason="Not there"
    )
    return {
        "approved": pay.approved(day=datetime.date(2025, 3, 4)),
        "rejected": rejected,
        "paid": pay.paid(day=datetime.date(2025, 3, 5)),
    }


def _snapshot(claim: Claim) -> tuple:
    fresh = Claim.objects.get(pk=claim.pk)
    return tuple(getattr(fresh, f) for f in MONEY) + (fresh.batch_id, fresh.history.count())


# --- the ORM -------------------------------------------------------------------------------------


def test_claim_save_refuses_to_change_a_decided_or_paid_claim(locked):
    for claim in locked.values():
        before = _snapshot(claim)
        claim.amount = Decimal("999.00")
        with pytest.raises(ClaimLocked, match="cannot be changed"):
            claim.save()
        claim.refresh_from_db()
        claim.status = ClaimStatus.SUBMITTED
        with pytest.raises(ClaimLocked):
            claim.save(update_fields=["status"])
        assert _snapshot(claim) == before


def test_claim_save_allows_only_the_steps_approved_then_batched_then_paid(pay, locked):
    paid = locked["paid"]
    # A paid claim cannot leave its batch or change its date paid.
    paid.batch = None
    with pytest.raises(ClaimLocked):
        paid.save(update_fields=["batch"])
    paid.refresh_from_db()
    paid.paid_on = datetime.date(2025, 6, 1)
    with pytest.raises(ClaimLocked):
        paid.save(update_fields=["paid_on"])
    # An approved claim cannot jump to paid without a batch, nor back to waiting.
    approved = locked["approved"]
    approved.status = ClaimStatus.PAID
    approved.paid_on = datetime.date(2025, 6, 1)
    with pytest.raises(ClaimLocked):
        approved.save(update_fields=["status", "paid_on"])


def test_claim_delete_refuses_a_decided_or_paid_claim_and_allows_a_waiting_one(pay, locked):
    for claim in locked.values():
        with pytest.raises(ClaimLocked, match="cannot be changed or deleted"):
            claim.delete()
        assert Claim.objects.filter(pk=claim.pk).exists()
    waiting = pay.claim(day=datetime.date(2025, 3, 6))
    waiting.delete()
    assert not Claim.objects.filter(pk=waiting.pk).exists()


def test_queryset_update_and_delete_refuse_when_any_row_is_decided_or_paid(pay, locked):
    waiting = pay.claim(day=datetime.date(2025, 3, 6))
    before = {pk: _snapshot(c) for pk, c in locked.items()}
    with pytest.raises(ClaimLocked):
        Claim.objects.all().update(amount=Decimal("0"))
    with pytest.raises(ClaimLocked):
        Claim.objects.filter(status=ClaimStatus.PAID).update(description="changed")
    with pytest.raises(ClaimLocked):
        Claim.objects.all().delete()
    with pytest.raises(ClaimLocked):
        Claim.objects.filter(pk=locked["rejected"].pk).delete()
    claim = locked["approved"]
    claim.amount = Decimal("1.00")
    with pytest.raises(ClaimLocked), transaction.atomic():
        Claim.objects.bulk_update([claim], ["amount"])
    assert {pk: _snapshot(c) for pk, c in locked.items()} == before
    # Waiting claims are still the queryset's to change.
    assert Claim.objects.filter(pk=waiting.pk).update(description="Team meeting") == 1


def test_raw_sql_cannot_change_a_decided_claim(locked):
    """The database trigger (migration 0007): UPDATE is refused on SQLite and PostgreSQL, DELETE
    on PostgreSQL (SQLite empties its test database with DELETE, so it has no delete trigger)."""
    paid = locked["paid"]
    before = _snapshot(paid)
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE involvement_claim SET amount = 1 WHERE id = %s", [paid.pk])
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE involvement_claim SET status = 'submitted' WHERE id = %s", [paid.pk])
    if connection.vendor == "postgresql":
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("DELETE FROM involvement_claim WHERE id = %s", [paid.pk])
    assert _snapshot(paid) == before


# --- forms and views -----------------------------------------------------------------------------


def test_the_claim_form_is_never_valid_for_a_decided_claim(pay, locked):
    claim = locked["approved"]
    data = {
        "involvement": f"membership:{pay.membership.pk}",
        "date": "2025-03-04",
        "rate_kind": "hourly",
        "hours": "5",
    }
    options = involvement_options(claim.person, current=claim)
    form = ClaimForm(data, options=options, claim=claim)
    assert not form.is_valid()
    assert "cannot be changed" in form.non_field_errors()[0]
    # The same data is fine for a waiting claim.
    waiting = pay.claim(day=datetime.date(2025, 3, 6))
    assert ClaimForm(data, options=options, claim=waiting).is_valid()


def test_posting_to_the_edit_page_of_a_decided_claim_is_forbidden_and_changes_nothing(
    client, pay, locked
):
    client.force_login(pay.recorder)
    for claim in locked.values():
        before = _snapshot(claim)
        response = client.post(
            reverse("involvement:claim_edit", args=[claim.pk]),
            {
                "involvement": f"membership:{pay.membership.pk}",
                "date": "2025-03-04",
                "rate_kind": "hourly",
                "hours": "5",
            },
        )
        assert response.status_code == 403
        assert _snapshot(claim) == before


def test_approving_or_rejecting_a_decided_claim_from_the_pages_changes_nothing(client, pay, locked):
    client.force_login(pay.approver)
    for claim in locked.values():
        before = _snapshot(claim)
        response = client.post(reverse("involvement:claim_approve", args=[claim.pk]), follow=True)
        assert f"This claim is already {claim.get_status_display().lower()}." in (
            response.content.decode()
        )
        response = client.post(
            reverse("involvement:claim_reject", args=[claim.pk]), {"reason": "Changed my mind"}
        )
        assert response.status_code == 200
        assert "already" in response.content.decode()
        assert _snapshot(claim) == before


# --- the admin site ------------------------------------------------------------------------------


def test_the_admin_site_shows_claims_but_never_changes_or_deletes_a_decided_one(
    client, pay, locked
):
    client.force_login(pay.admin)
    for claim in locked.values():
        before = _snapshot(claim)
        change = reverse("admin:involvement_claim_change", args=[claim.pk])
        page = client.get(change)
        assert page.status_code == 200  # view only
        assert b'name="amount"' not in page.content
        assert client.post(change, {"amount": "999.00", "status": "submitted"}).status_code == 403
        delete = reverse("admin:involvement_claim_delete", args=[claim.pk])
        assert client.get(delete).status_code == 403
        assert client.post(delete, {"post": "yes"}).status_code == 403
        assert _snapshot(claim) == before
    listing = client.get(reverse("admin:involvement_claim_changelist"))
    assert b"delete_selected" not in listing.content
    assert client.get(reverse("admin:involvement_claim_add")).status_code == 403


def test_the_admin_site_may_delete_a_claim_still_waiting(client, pay):
    waiting = pay.claim()
    client.force_login(pay.admin)
    response = client.post(
        reverse("admin:involvement_claim_delete", args=[waiting.pk]), {"post": "yes"}
    )
    assert response.status_code == 302
    assert not Claim.objects.filter(pk=waiting.pk).exists()
