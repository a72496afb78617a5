"""The payments demo data: rates with a rise, a year of claims in every state (a declined one with
amount 0 and a reversal among them), one paid batch, Sam Taylor's claims; and idempotent."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.utils import timezone

from involvement import demo_payments, selectors_payments
from involvement.models import Person
from involvement.models_payments import BatchStatus, Claim, ClaimStatus, PaymentBatch, Rate

pytestmark = pytest.mark.django_db


def seed():
    call_command("seed_demo", "--password", "pw-for-tests-1", stdout=io.StringIO())


def snapshot():
    return (
        Rate.objects.count(),
        list(Claim.objects.order_by("pk").values_list("pk", "status", "amount", "batch_id")),
        list(PaymentBatch.objects.values_list("pk", "status")),
        Claim.history.count(),
    )


def test_the_demo_has_rates_with_a_rise_and_a_year_of_claims_in_every_state():
    seed()
    today = timezone.localdate()
    rise = demo_payments.rise_date(today)
    hourly = Rate.objects.filter(kind="hourly").order_by("effective_from")
    assert [r.amount for r in hourly] == [Decimal("15.00"), Decimal("16.50")]
    assert hourly.last().effective_from == rise
    claims = Claim.objects.all()
    assert claims.count() >= 100
    assert {c.status for c in claims} == set(ClaimStatus.values)
    assert claims.filter(date__lt=rise, rate_kind="hourly", unit_price=Decimal("15.00")).exists()
    assert claims.filter(date__gte=rise, rate_kind="hourly", unit_price=Decimal("16.50")).exists()
    assert min(c.date for c in claims) >= today - datetime.timedelta(days=366)
    declined = claims.filter(payment_preference="declined")
    assert declined.exists()
    assert {c.amount for c in declined} == {Decimal("0")}
    assert all(c.no_payment_reason for c in declined)
    assert not declined.filter(batch__isnull=False).exists()
    reversal = claims.get(reverses__isnull=False)
    assert reversal.amount == -reversal.reverses.amount
    assert reversal.reverses.status == ClaimStatus.PAID
    batch = PaymentBatch.objects.get()
    assert batch.status == BatchStatus.PAID
    assert batch.claims.exists()
    assert not batch.claims.exclude(status=ClaimStatus.PAID).exists()
    # Every claim's history starts with its recording, by someone.
    assert not Claim.history.filter(history_type="+", history_user__isnull=True).exists()


def test_the_demo_service_user_has_claims_in_several_states():
    seed()
    sam = Person.objects.get(user__username="su")
    statuses = set(sam.claims.values_list("status", flat=True))
    assert {ClaimStatus.PAID, ClaimStatus.APPROVED, ClaimStatus.SUBMITTED} <= statuses
    summary = selectors_payments.payment_summary(sam)
    assert summary.due > 0


def test_seeding_the_demo_twice_changes_nothing():
    seed()
    first = snapshot()
    seed()
    assert snapshot() == first
