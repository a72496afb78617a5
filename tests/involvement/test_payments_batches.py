"""Payment batches: gathering approved claims (each in one batch at most), the CSV for finance
(parsed back and checked to the penny), marking paid, all or nothing; and a person's totals this
tax year."""

from __future__ import annotations

import csv
import datetime
import io
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from involvement import selectors_payments
from involvement import services_payments as services
from involvement.models_payments import BatchStatus, Claim, ClaimStatus, PaymentBatch
from tests.factories import MembershipFactory, PersonFactory
from tests.involvement.payments_helpers import TODAY, make_pay

pytestmark = pytest.mark.django_db


@pytest.fixture
def pay(directorate, other_directorate, ppl, other_ppl, admin_user):
    return make_pay(directorate, other_directorate, ppl, other_ppl, admin_user)


def _member(pay, name: str, preference: str = "paid"):
    person = PersonFactory(name=name, directorates=[pay.directorate], payment_preference=preference)
    membership = MembershipFactory(
        project=pay.project, person=person, start_date=pay.project.start_date
    )
    return person, membership


# --- gathering -----------------------------------------------------------------------------------


def test_approved_claims_are_gathered_into_a_batch(pay):
    first = pay.approved(day=datetime.date(2025, 3, 3))
    second = pay.approved(day=datetime.date(2025, 3, 4))
    waiting = pay.claim(day=datetime.date(2025, 3, 5))
    assert set(Claim.objects.to_pay()) == {first, second}
    batch = services.batch_create(claims=[first, second], by=pay.recorder, note="March")
    assert set(batch.claims.all()) == {first, second}
    assert batch.status == BatchStatus.OPEN and batch.note == "March"
    waiting.refresh_from_db()
    assert waiting.batch_id is None


def test_a_claim_already_in_a_batch_cannot_go_in_a_second_one(pay):
    claim = pay.approved()
    first = services.batch_create(claims=[claim], by=pay.recorder)
    batches = PaymentBatch.objects.count()
    with pytest.raises(ValidationError, match=f"already in payment batch {first.reference}"):
        services.batch_create(claims=[claim], by=pay.approver)
    claim.refresh_from_db()
    assert claim.batch == first
    assert PaymentBatch.objects.count() == batches


def test_only_approved_claims_of_ones_own_directorates_are_batched(pay):
    waiting = pay.claim(day=datetime.date(2025, 3, 3))
    with pytest.raises(ValidationError, match="only approved claims are paid"):
        services.batch_create(claims=[waiting], by=pay.approver)
    approved = pay.approved(day=datetime.date(2025, 3, 4))
    with pytest.raises(ValidationError, match="not a claim of your directorates"):
        services.batch_create(claims=[approved], by=pay.other_ppl)
    with pytest.raises(ValidationError, match="no approved claims"):
        services.batch_create(claims=[], by=pay.approver)
    assert not PaymentBatch.objects.exists()
    # An admin gathers any directorate's claims.
    assert services.batch_create(claims=[approved], by=pay.admin).claims.get() == approved


def test_a_failure_half_way_through_making_a_batch_leaves_no_claim_changed(pay):
    first = pay.approved(day=datetime.date(2025, 3, 3))
    second = pay.approved(day=datetime.date(2025, 3, 4))
    # The second claim (in id order) goes into another batch first: the first claim has already
    # been put in the new batch when the second one fails.
    other = services.batch_create(claims=[second], by=pay.approver)
    with pytest.raises(ValidationError, match="already in payment batch"):
        services.batch_create(claims=[first, second], by=pay.recorder)
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.batch_id is None and second.batch == other
    assert list(PaymentBatch.objects.all()) == [other]
    assert first.history.count() == 2  # recorded and approved: nothing about a batch


def test_the_database_keeps_a_declined_claim_out_of_any_batch(pay):
    person, membership = _member(pay, "Dee Clined", "declined")
    claim = pay.approved(person=person, membership=membership)
    batch = services.batch_create(
        claims=[pay.approved(day=datetime.date(2025, 3, 4))], by=pay.admin
    )
    # Even past the service's check, the database's constraint refuses it.
    claim.batch = batch
    with pytest.raises(IntegrityError), transaction.atomic():
        claim.save(update_fields=["batch"])
    claim.refresh_from_db()
    assert claim.batch_id is None


# --- the CSV for finance -------------------------------------------------------------------------


def _rows(text: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(text)))


def test_the_csv_has_every_claim_per_person_totals_and_grand_totals_to_the_penny(pay):
    vera, vera_membership = _member(pay, "Vera Vouchers", "vouchers")
    claims = [
        pay.approved(hours="1.25", day=datetime.date(2025, 3, 3)),  # 20.63
        pay.approved(
            hours="2.5",
            day=datetime.date(2025, 3, 10),
            expenses=Decimal("4.80"),
            expenses_note="Bus fare, receipt kept",
        ),  # 41.25 + 4.80 = 46.05
        pay.approved(
            hours="0.25", day=datetime.date(2025, 3, 3), person=vera, membership=vera_membership
        ),  # 4.13
        pay.approved(
            hours="3.5",
            day=datetime.date(2025, 3, 17),
            person=vera,
            membership=vera_membership,
            rate_kind="half_day",
        ),  # 50.00
    ]
    batch = services.batch_create(claims=claims, by=pay.approver)
    rows = _rows(services.batch_export(batch=batch, by=pay.approver))
    claim_rows = [r for r in rows if r["Line"] == "Claim"]
    assert len(claim_rows) == 4
    rosa = [r for r in claim_rows if r["Name"] == "Rosa Walker"]
    assert {r["Person reference"] for r in rosa} == {f"SU-{pay.person.pk:06d}"}
    assert {r["Payment method"] for r in rosa} == {"Bank payment"}
    assert [
        (r["Date"], r["Hours"], r["Unit price"], r["Fee"], r["Expenses"], r["Amount"]) for r in rosa
    ] == [
        ("2025-03-03", "1.25", "16.50", "20.63", "0.00", "20.63"),
        ("2025-03-10", "2.50", "16.50", "41.25", "4.80", "46.05"),
    ]
    assert rosa[1]["Expenses note"] == "Bus fare, receipt kept"
    assert {r["Payment method"] for r in claim_rows if r["Name"] == "Vera Vouchers"} == {"Vouchers"}

    totals = {(r["Name"], r["Payment method"]): r for r in rows if r["Line"] == "Person total"}
    assert totals[("Rosa Walker", "Bank payment")]["Amount"] == "66.68"
    assert totals[("Rosa Walker", "Bank payment")]["Expenses"] == "4.80"
    assert totals[("Vera Vouchers", "Vouchers")]["Amount"] == "54.13"
    # Each person's total is the sum of their lines; the grand total the sum of all lines.
    for (name, method), total in totals.items():
        lines = [r for r in claim_rows if (r["Name"], r["Payment method"]) == (name, method)]
        assert sum(Decimal(r["Amount"]) for r in lines) == Decimal(total["Amount"])
    grand = {
        r["Line"]: Decimal(r["Amount"]) for r in rows if r["Line"].startswith(("Total", "Grand"))
    }
    assert grand == {
        "Total: bank payments": Decimal("66.68"),
        "Total: vouchers": Decimal("54.13"),
        "Grand total": Decimal("120.81"),
    }
    assert sum(Decimal(r["Amount"]) for r in claim_rows) == grand["Grand total"]
    batch.refresh_from_db()
    assert batch.exported_by == pay.approver and batch.exported_at is not None


def test_a_reversal_is_a_negative_line_and_the_totals_net_out(pay):
    original = pay.paid(hours="2", day=datetime.date(2025, 3, 3))
    reversal = services.claim_reverse(claim=original, by=pay.recorder, reason="Wrong hours")
    services.claim_approve(claim=reversal, by=pay.approver)
    right = pay.approved(hours="1.5", day=datetime.date(2025, 3, 3))
    batch = services.batch_create(claims=[reversal, right], by=pay.approver)
    rows = _rows(services.batch_csv_text(batch))
    amounts = sorted(r["Amount"] for r in rows if r["Line"] == "Claim")
    assert amounts == ["-33.00", "24.75"]
    assert [r["Amount"] for r in rows if r["Line"] == "Grand total"] == ["-8.25"]


def test_names_that_look_like_formulas_are_written_as_text(pay):
    person, membership = _member(pay, "=HYPERLINK(1)")
    claim = pay.approved(person=person, membership=membership)
    rows = _rows(services.batch_csv_text(services.batch_create(claims=[claim], by=pay.approver)))
    assert {r["Name"] for r in rows if r["Line"] == "Claim"} == {"'=HYPERLINK(1)"}


# --- marking paid --------------------------------------------------------------------------------


def test_marking_a_batch_paid_marks_every_claim_in_it_paid(pay):
    claims = [pay.approved(day=datetime.date(2025, 3, d)) for d in (3, 4)]
    with time_machine.travel(datetime.datetime(2025, 4, 1, 12)):
        batch = services.batch_create(claims=claims, by=pay.approver)
    services.batch_mark_paid(
        batch=batch, by=pay.recorder, paid_on=datetime.date(2025, 4, 10), today=TODAY
    )
    batch.refresh_from_db()
    assert (batch.status, batch.paid_on, batch.paid_by) == (
        BatchStatus.PAID,
        datetime.date(2025, 4, 10),
        pay.recorder,
    )
    for claim in claims:
        claim.refresh_from_db()
        assert (claim.status, claim.paid_on) == (ClaimStatus.PAID, datetime.date(2025, 4, 10))
    with pytest.raises(ValidationError, match="already paid"):
        services.batch_mark_paid(batch=batch, by=pay.recorder, paid_on=TODAY, today=TODAY)


def test_a_paid_date_in_the_future_or_before_the_batch_is_refused(pay):
    with time_machine.travel(datetime.datetime(2025, 4, 1, 12)):
        batch = services.batch_create(claims=[pay.approved()], by=pay.approver)
    for day, words in (
        (TODAY + datetime.timedelta(days=1), "cannot be in the future"),
        (datetime.date(2025, 3, 31), "made on 1 April 2025"),
    ):
        with pytest.raises(ValidationError) as error:
            services.batch_mark_paid(batch=batch, by=pay.approver, paid_on=day, today=TODAY)
        assert words in error.value.message_dict["paid_on"][0]
    batch.refresh_from_db()
    assert batch.status == BatchStatus.OPEN
    assert not Claim.objects.filter(status=ClaimStatus.PAID).exists()


def test_a_failure_half_way_through_marking_paid_leaves_no_claim_changed(pay, monkeypatch):
    claims = [pay.approved(day=datetime.date(2025, 3, d)) for d in (3, 4)]
    with time_machine.travel(datetime.datetime(2025, 4, 1, 12)):
        batch = services.batch_create(claims=claims, by=pay.approver)
    real_save = services._save
    calls = []

    def failing_save(claim, **kwargs):
        calls.append(claim.pk)
        if len(calls) == 2:
            raise RuntimeError("the database went away")
        return real_save(claim, **kwargs)

    monkeypatch.setattr(services, "_save", failing_save)
    with pytest.raises(RuntimeError):
        services.batch_mark_paid(
            batch=batch, by=pay.approver, paid_on=datetime.date(2025, 4, 10), today=TODAY
        )
    assert len(calls) == 2  # the first claim had been marked paid when the second failed
    for claim in claims:
        claim.refresh_from_db()
        assert (claim.status, claim.paid_on) == (ClaimStatus.APPROVED, None)
    batch.refresh_from_db()
    assert batch.status == BatchStatus.OPEN


def test_a_failure_while_exporting_records_nothing(pay, monkeypatch):
    batch = services.batch_create(claims=[pay.approved()], by=pay.approver)

    def broken(batch):
        raise RuntimeError("out of memory")

    monkeypatch.setattr(services, "batch_csv_text", broken)
    with pytest.raises(RuntimeError):
        services.batch_export(batch=batch, by=pay.approver)
    batch.refresh_from_db()
    assert batch.exported_at is None and batch.exported_by is None


# --- a person's payments this tax year -----------------------------------------------------------


def test_the_tax_year_totals_count_payments_by_the_date_paid_at_the_edges(pay):
    # Paid on 5 April 2025: the 2024–25 tax year. Paid on 6 April 2025: 2025–26.
    last_year = pay.paid(
        hours="2", day=datetime.date(2025, 3, 3), paid_on=datetime.date(2025, 4, 5)
    )
    this_year = pay.paid(
        hours="1", day=datetime.date(2025, 3, 4), paid_on=datetime.date(2025, 4, 6)
    )
    approved = pay.approved(hours="1.5", day=datetime.date(2025, 5, 1))
    waiting = pay.claim(hours="0.5", day=datetime.date(2025, 5, 2))
    summary = selectors_payments.payment_summary(pay.person, datetime.date(2025, 4, 6))
    assert (summary.tax_year_start, summary.tax_year_end) == (
        datetime.date(2025, 4, 6),
        datetime.date(2026, 4, 5),
    )
    assert summary.paid_this_year == this_year.amount == Decimal("16.50")
    assert summary.approved_to_pay == approved.amount == Decimal("24.75")
    assert summary.waiting_approval == waiting.amount == Decimal("8.25")
    assert summary.due == Decimal("33.00")
    # Hours count by the date of the involvement: May's 2 hours only.
    assert summary.hours_this_year == Decimal("2.0")

    earlier = selectors_payments.payment_summary(pay.person, datetime.date(2025, 4, 5))
    assert earlier.tax_year_label == "2024 to 2025"
    assert earlier.paid_this_year == last_year.amount == Decimal("33.00")
    assert earlier.hours_this_year == Decimal("3")


def test_time_recorded_without_payment_is_counted_but_not_paid(pay):
    person, membership = _member(pay, "Dee Clined", "declined")
    pay.approved(person=person, membership=membership, hours="2.5", day=datetime.date(2025, 5, 1))
    summary = selectors_payments.payment_summary(person, TODAY)
    assert summary.hours_this_year == summary.unpaid_hours_this_year == Decimal("2.5")
    assert summary.paid_this_year == summary.approved_to_pay == summary.due == Decimal("0")


def test_totals_by_directorate_and_month_are_summed_in_the_database(pay):
    pay.approved(hours="2", day=datetime.date(2025, 3, 3))
    pay.paid(hours="1", day=datetime.date(2025, 3, 20))
    pay.approved(hours="1", day=datetime.date(2025, 4, 7))
    pay.claim(hours="3", day=datetime.date(2025, 4, 8))  # waiting: not counted
    rows = list(
        selectors_payments.directorate_month_totals(
            datetime.date(2024, 4, 6), datetime.date(2026, 4, 5)
        )
    )
    assert [
        (r["directorate__name"], r["month"], r["claims"], r["total"], r["paid"]) for r in rows
    ] == [
        ("Newham", datetime.date(2025, 3, 1), 2, Decimal("49.50"), Decimal("16.50")),
        ("Newham", datetime.date(2025, 4, 1), 1, Decimal("16.50"), Decimal("0")),
    ]
