"""Approving and rejecting claims (segregation of duties, and two PPLs at once on PostgreSQL),
reversing claims, and the history that records every change."""

from __future__ import annotations

import threading
import time

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from involvement import access
from involvement import services_payments as services
from involvement.access import Role
from involvement.models_payments import Claim, ClaimStatus
from tests.factories import UserFactory
from tests.involvement.payments_helpers import make_pay


@pytest.fixture
def pay(directorate, other_directorate, ppl, other_ppl, admin_user):
    return make_pay(directorate, other_directorate, ppl, other_ppl, admin_user)


def _unchanged(claim: Claim, status: str) -> None:
    claim.refresh_from_db()
    assert claim.status == status


# --- segregation of duties -----------------------------------------------------------------------


@pytest.mark.django_db
def test_another_ppl_of_the_directorate_approves(pay):
    claim = services.claim_approve(claim=pay.claim(), by=pay.approver)
    assert claim.status == ClaimStatus.APPROVED
    assert claim.decided_by == pay.approver and claim.decided_at is not None


@pytest.mark.django_db
def test_nobody_approves_a_claim_they_recorded(pay):
    claim = pay.claim()
    with pytest.raises(ValidationError, match="You recorded this claim"):
        services.claim_approve(claim=claim, by=pay.recorder)
    _unchanged(claim, ClaimStatus.SUBMITTED)
    assert not access.can_approve(pay.recorder, claim)


@pytest.mark.django_db
def test_a_ppl_who_is_also_the_person_cannot_approve_their_own_claim(pay):
    pay.person.user = pay.approver
    pay.person.save()
    claim = pay.claim()
    with pytest.raises(ValidationError, match="This is your own claim"):
        services.claim_approve(claim=claim, by=pay.approver)
    _unchanged(claim, ClaimStatus.SUBMITTED)


@pytest.mark.django_db
def test_a_ppl_of_another_directorate_and_an_admin_cannot_approve(pay):
    claim = pay.claim()
    for user in (pay.other_ppl, pay.admin):
        with pytest.raises(ValidationError, match="of the claim's directorate"):
            services.claim_approve(claim=claim, by=user)
        with pytest.raises(ValidationError, match="of the claim's directorate"):
            services.claim_reject(claim=claim, by=user, reason="No")
    _unchanged(claim, ClaimStatus.SUBMITTED)


@pytest.mark.django_db
def test_approving_a_rejected_or_paid_claim_is_a_clear_error_and_changes_nothing(pay):
    rejected = services.claim_reject(claim=pay.claim(), by=pay.approver, reason="Not there")
    paid = pay.paid(day=pay.membership.start_date.replace(year=2025, month=2, day=3))
    for claim, words in ((rejected, "already rejected"), (paid, "already paid")):
        before = claim.history.count()
        with pytest.raises(ValidationError, match=words):
            services.claim_approve(claim=claim, by=pay.approver)
        _unchanged(claim, claim.status)
        assert claim.history.count() == before


@pytest.mark.django_db
def test_a_rejection_needs_a_reason_and_keeps_it(pay):
    claim = pay.claim()
    with pytest.raises(ValidationError) as error:
        services.claim_reject(claim=claim, by=pay.approver, reason="  ")
    assert "Say why" in error.value.message_dict["reason"][0]
    _unchanged(claim, ClaimStatus.SUBMITTED)
    services.claim_reject(claim=claim, by=pay.approver, reason="They were not at the meeting")
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.REJECTED
    assert claim.decision_reason == "They were not at the meeting"


# --- two PPLs at once ----------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_two_ppls_approving_the_same_claim_at_once_make_exactly_one_approval(pay, monkeypatch):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL row locking")
    second = UserFactory(username="ppl-third", roles=[Role.PPL], directorates=[pay.directorate])
    claim = pay.claim()
    # Hold the decision open a moment after reading the claim, so that without the row lock both
    # approvals would read "submitted" and both would write.
    original = access.approval_problem

    def slow_problem(user, claim):
        answer = original(user, claim)
        time.sleep(0.3)
        return answer

    monkeypatch.setattr(access, "approval_problem", slow_problem)
    barrier = threading.Barrier(2)
    results: list[str] = []

    def approve(user_pk: int) -> None:
        from django.contrib.auth import get_user_model

        try:
            user = get_user_model().objects.get(pk=user_pk)
            barrier.wait(timeout=10)
            services.claim_approve(claim=Claim.objects.get(pk=claim.pk), by=user)
            results.append("approved")
        except ValidationError as error:
            results.append(error.messages[0])
        finally:
            connection.close()

    threads = [threading.Thread(target=approve, args=(user.pk,)) for user in (pay.approver, second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(results) == ["This claim is already approved.", "approved"]
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.APPROVED
    assert claim.history.filter(history_change_reason="Approved").count() == 1


# --- reversal ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_reversing_claim_negates_the_original_which_stays_as_it_was(pay):
    import datetime
    from decimal import Decimal

    original = pay.paid(
        hours="2.5",
        day=datetime.date(2025, 2, 3),
        expenses=Decimal("4.80"),
        expenses_note="Bus fare",
    )
    reversal = services.claim_reverse(claim=original, by=pay.recorder, reason="Hours were wrong")
    assert reversal.reverses == original and reversal.reason == "Hours were wrong"
    assert (reversal.hours, reversal.fee, reversal.expenses, reversal.amount) == (
        -original.hours,
        -original.fee,
        -original.expenses,
        -original.amount,
    )
    assert reversal.amount == Decimal("-46.05")
    assert reversal.status == ClaimStatus.SUBMITTED
    original_again = Claim.objects.get(pk=original.pk)
    assert (original_again.status, original_again.amount) == (ClaimStatus.PAID, original.amount)
    # It needs approval like any claim, by someone who did not make it.
    with pytest.raises(ValidationError, match="You recorded this claim"):
        services.claim_approve(claim=reversal, by=pay.recorder)
    services.claim_approve(claim=reversal, by=pay.approver)
    # The day's hours net out, so the right claim can be made again.
    assert pay.claim(hours="12", day=datetime.date(2025, 2, 3)).hours == Decimal("12")


@pytest.mark.django_db
def test_a_claim_is_reversed_once_and_only_when_approved_or_paid(pay):
    submitted = pay.claim()
    with pytest.raises(ValidationError, match="only an approved or paid claim"):
        services.claim_reverse(claim=submitted, by=pay.recorder, reason="Oops")
    approved = services.claim_approve(claim=submitted, by=pay.approver)
    with pytest.raises(ValidationError) as error:
        services.claim_reverse(claim=approved, by=pay.recorder, reason="")
    assert "Say why" in error.value.message_dict["reason"][0]
    reversal = services.claim_reverse(claim=approved, by=pay.recorder, reason="Oops")
    with pytest.raises(ValidationError, match="already has a reversing claim"):
        services.claim_reverse(claim=approved, by=pay.recorder, reason="Again")
    with pytest.raises(ValidationError, match="itself a correction"):
        services.claim_reverse(
            claim=services.claim_approve(claim=reversal, by=pay.approver),
            by=pay.recorder,
            reason="Undo the undo",
        )
    assert Claim.objects.filter(reverses=approved).count() == 1


@pytest.mark.django_db
def test_a_rejected_reversal_may_be_tried_again(pay):
    approved = pay.approved()
    first = services.claim_reverse(claim=approved, by=pay.recorder, reason="Oops")
    services.claim_reject(claim=first, by=pay.approver, reason="The claim was right")
    second = services.claim_reverse(
        claim=approved, by=pay.recorder, reason="It was wrong after all"
    )
    assert second.reverses == approved


# --- history -------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_every_state_change_is_in_the_history_with_who_and_what(pay):
    from involvement import selectors_payments

    claim = pay.paid()
    reversal = services.claim_reverse(claim=claim, by=pay.recorder, reason="Wrong hours")
    records = list(claim.history.order_by("history_id"))
    assert [(r.status, r.history_user, r.history_change_reason) for r in records] == [
        ("submitted", pay.recorder, "Claim recorded"),
        ("approved", pay.approver, "Approved"),
        ("approved", pay.approver, f"Put in payment batch {claim.batch.reference}"),
        ("paid", pay.approver, f"Paid with batch {claim.batch.reference}"),
    ]
    entries = selectors_payments.claim_history(claim)
    assert entries[1].changes == ["Status: Waiting for approval → Approved"]
    assert entries[2].changes == [f"Payment batch: none → {claim.batch.reference}"]
    assert "Status: Approved → Paid" in entries[3].changes
    assert reversal.history.get().history_change_reason == f"Reversing claim for {claim.reference}"


@pytest.mark.django_db
def test_a_rejection_and_a_change_before_approval_are_in_the_history(pay):
    import datetime
    from decimal import Decimal

    from involvement.services_payments import ClaimInput

    claim = pay.claim(hours="2")
    services.claim_update(
        claim=claim,
        data=ClaimInput(
            rate_kind="hourly",
            hours=Decimal("3"),
            date=datetime.date(2025, 3, 3),
            membership=pay.membership,
        ),
        by=pay.recorder,
        today=datetime.date(2025, 6, 30),
    )
    services.claim_reject(claim=claim, by=pay.approver, reason="Duplicate")
    from involvement import selectors_payments

    entries = selectors_payments.claim_history(claim)
    assert [e.what for e in entries] == [
        "Claim recorded",
        "Claim changed before approval",
        "Rejected: Duplicate",
    ]
    assert "Hours: 2 → 3" in entries[1].changes
    assert "Amount: £33.00 → £49.50" in entries[1].changes
    assert entries[2].who == pay.approver.get_full_name()
