"""Writes of payments: rates, claims (record, correct, approve, reject, reverse) and payment batches
(gather, export, mark paid). Keyword-only, typed, one transaction each.

Views check who may do what (``involvement.access``) before calling these; the services check it
again where money moves (approval, batches), and check what the records allow. Every change goes
through ``Claim.save`` with ``_history_user`` and ``_change_reason`` set, so the history says who
did what even outside a request (the demo data, the shell).
"""

from __future__ import annotations

import csv
import datetime
import io
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone

from involvement import access, money
from involvement.choices import PAYMENT_WORDS, PaymentPreference
from involvement.models import Activity, Opportunity, Person, TeamMembership
from involvement.models_payments import (
    BatchStatus,
    Claim,
    ClaimLocked,
    ClaimStatus,
    PaymentBatch,
    Rate,
    RateKind,
)
from projects.models import Directorate, ForumMeeting, MeetingStatus

# --- rates ---------------------------------------------------------------------------------------


@transaction.atomic
def rate_create(
    *, kind: str, amount: Decimal, effective_from: datetime.date, note: str = "", by
) -> Rate:
    """A new rate from a date. Claims already priced keep their price (they store it)."""
    if amount is not None and Decimal(amount) != money.to_pennies(amount):
        raise ValidationError({"amount": "Enter the amount in pounds and pence, like 15.50."})
    if Rate.objects.filter(kind=kind, effective_from=effective_from).exists():
        raise ValidationError(
            {
                "effective_from": f"There is already a {RateKind(kind).label.lower()} rate from "
                f"{effective_from:%-d %B %Y}. Choose another date."
            }
        )
    rate = Rate(kind=kind, amount=amount, effective_from=effective_from, note=note, created_by=by)
    rate.full_clean()
    rate._history_user = by
    rate.save()
    return rate


# --- claims: what a claim is for -----------------------------------------------------------------


@dataclass(frozen=True)
class ClaimInput:
    """What someone asks to claim; ``claim_create`` and ``claim_update`` check and price it.

    Exactly one of membership, activity, forum_meeting and opportunity is given. ``date`` may be
    None for an activity or a forum meeting: their own date is used."""

    rate_kind: str
    hours: Decimal | None
    date: datetime.date | None = None
    membership: TeamMembership | None = None
    activity: Activity | None = None
    forum_meeting: ForumMeeting | None = None
    opportunity: Opportunity | None = None
    expenses: Decimal | None = None
    expenses_note: str = ""
    description: str = ""

    @property
    def involvements(self) -> list:
        return [
            x
            for x in (self.membership, self.activity, self.forum_meeting, self.opportunity)
            if x is not None
        ]


def _d(value: datetime.date) -> str:
    return f"{value:%-d %B %Y}"


def _involvement_directorates(data: ClaimInput) -> set[int] | None:
    """The directorates the involvement belongs to (None: the whole trust)."""
    if data.membership is not None:
        return {data.membership.project.directorate_id}
    if data.activity is not None:
        return {data.activity.project.directorate_id}
    if data.forum_meeting is not None:
        return set(data.forum_meeting.forum.directorates.values_list("pk", flat=True))
    if data.opportunity.directorate_id is None:
        return None
    return {data.opportunity.directorate_id}


def _check_involvement(person: Person, data: ClaimInput, day: datetime.date, errors: dict) -> None:
    """The involvement is the person's, and the date is when it happened."""
    if data.membership is not None:
        membership = data.membership
        if membership.person_id != person.pk:
            errors["involvement"] = "That project team membership is someone else's."
        elif day < membership.start_date or (membership.end_date and day > membership.end_date):
            until = f" to {_d(membership.end_date)}" if membership.end_date else ""
            errors["date"] = (
                f"{person.name} was on the team of {membership.project.title} from "
                f"{_d(membership.start_date)}{until}: the date must be within that time."
            )
    elif data.activity is not None:
        # The person need not be named among the activity's people (names are optional when an
        # activity is logged, and project leads log them without the register); the claim itself
        # records that they took part. It must be an activity of one of their directorates.
        if day != data.activity.date:
            errors["date"] = (
                f"The {data.activity.get_kind_display().lower()} was on "
                f"{_d(data.activity.date)}: the claim is for that day."
            )
    elif data.forum_meeting is not None:
        meeting = data.forum_meeting
        if meeting.status == MeetingStatus.CANCELLED:
            errors["involvement"] = "That QI forum meeting was cancelled, so it cannot be claimed."
        elif day != meeting.date:
            errors["date"] = f"The meeting was on {_d(meeting.date)}: the claim is for that day."
    else:
        opportunity = data.opportunity
        if not opportunity.paid:
            errors["involvement"] = f"“{opportunity.title}” is not a paid opportunity."
        elif day < opportunity.start_date or (opportunity.end_date and day > opportunity.end_date):
            until = f" to {_d(opportunity.end_date)}" if opportunity.end_date else ""
            errors["date"] = (
                f"“{opportunity.title}” runs from {_d(opportunity.start_date)}{until}: "
                "the date must be within that time."
            )


def _paying_directorate(person: Person, data: ClaimInput, by, errors: dict) -> int | None:
    """The directorate that pays: one of the person's, the involvement's own where it has one.
    A PPL (not an admin) records claims for their own directorates only."""
    mine = set(person.directorates.values_list("pk", flat=True))
    if not mine:
        errors["involvement"] = (
            f"{person.name} is in no directorate yet: add them to one before claiming."
        )
        return None
    involved = _involvement_directorates(data)
    candidates = mine if involved is None else mine & involved
    if not candidates:
        errors["involvement"] = (
            f"{person.name} is not in the people register of the directorate this involvement "
            "belongs to."
        )
        return None
    if by is not None and access.is_ppl(by) and not access.is_admin(by):
        own = candidates & access.ppl_directorate_ids(by)
        if own:
            candidates = own
        elif person.user_id != by.pk:
            errors["involvement"] = (
                "This involvement belongs to another directorate: a People Participation Lead "
                "(PPL) there records the claim."
            )
            return None
    # The same answer every time: the first by name.
    return (
        Directorate.objects.filter(pk__in=candidates)
        .order_by("name")
        .values_list("pk", flat=True)[0]
    )


def _check_hours(person, data: ClaimInput, day, claim_pk, errors: dict) -> None:
    problem = money.duration_problem(data.hours)
    if problem:
        errors["hours"] = problem
        return
    hours = Decimal(data.hours)
    if data.rate_kind == RateKind.HALF_DAY and hours > money.HALF_DAY_HOURS:
        errors["hours"] = (
            f"A half day is up to {money.HALF_DAY_HOURS} hours: choose a full day for longer."
        )
    elif data.rate_kind == RateKind.FULL_DAY and hours <= money.HALF_DAY_HOURS:
        errors["hours"] = (
            f"A full day is more than {money.HALF_DAY_HOURS} hours: choose a half day, or pay "
            "by the hour."
        )
    if errors.get("hours") or day is None:
        return
    # Across all their claims that day (a reversal takes its hours away again; a rejected claim
    # does not count).
    others = (
        Claim.objects.filter(person=person, date=day)
        .exclude(status=ClaimStatus.REJECTED)
        .exclude(pk=claim_pk)
        .aggregate(total=Sum("hours"))["total"]
    ) or Decimal("0")
    if others + hours > money.MAX_HOURS_A_DAY:
        errors["hours"] = (
            f"{person.name} already has {others.normalize():f} hours claimed on {_d(day)}. "
            f"No more than {money.MAX_HOURS_A_DAY} hours can be claimed for one day."
        )


def _price(claim: Claim, person: Person, data: ClaimInput, by, today, errors: dict) -> None:
    """Check ``data`` and fill in ``claim`` from it, priced at the rate in force on the day."""
    if len(data.involvements) != 1:
        errors["involvement"] = "Choose what the claim is for."
        return
    day = data.date
    if day is None and data.activity is not None:
        day = data.activity.date
    if day is None and data.forum_meeting is not None:
        day = data.forum_meeting.date
    if day is None:
        errors["date"] = "Enter the date of the involvement."
    elif day > today:
        errors["date"] = "The date cannot be in the future: claim once it has happened."
    if day is not None:
        _check_involvement(person, data, day, errors)
    directorate_id = _paying_directorate(person, data, by, errors)
    if data.rate_kind not in RateKind.values:
        errors["rate_kind"] = "Choose how the time is paid."
    else:
        _check_hours(person, data, day if "date" not in errors else None, claim.pk, errors)

    expenses = Decimal(data.expenses or 0)
    note = (data.expenses_note or "").strip()
    declined = person.payment_preference == PaymentPreference.DECLINED
    if expenses < 0:
        errors["expenses"] = "Expenses cannot be less than £0."
    elif expenses != money.to_pennies(expenses):
        errors["expenses"] = "Enter the expenses in pounds and pence, like 4.80."
    elif expenses > 0 and declined:
        errors["expenses"] = (
            f"{person.name} has chosen not to be paid, so no expenses can be paid either."
        )
    elif expenses > 0 and not note:
        errors["expenses_note"] = "Say what the receipt is for, for example “bus fare, receipt”."

    rate = None
    if day is not None and "date" not in errors and "rate_kind" not in errors:
        rate = Rate.objects.in_force_on(data.rate_kind, day)
        if rate is None:
            errors["rate_kind"] = (
                f"There is no {RateKind(data.rate_kind).label.lower()} rate in force on "
                f"{_d(day)}. An admin sets the rates."
            )
    if errors:
        return

    units = Decimal(data.hours) if data.rate_kind == RateKind.HOURLY else Decimal("1")
    claim.person = person
    claim.directorate_id = directorate_id
    claim.date = day
    claim.membership = data.membership
    claim.activity = data.activity
    claim.forum_meeting = data.forum_meeting
    claim.opportunity = data.opportunity
    claim.description = (data.description or "").strip()
    claim.rate = rate
    claim.rate_kind = data.rate_kind
    claim.hours = Decimal(data.hours)
    claim.units = units
    claim.payment_preference = person.payment_preference
    claim.expenses = money.to_pennies(expenses)
    claim.expenses_note = note
    if declined:
        # Their time is recorded, never paid.
        claim.unit_price = Decimal("0.00")
        claim.no_payment_reason = PAYMENT_WORDS[PaymentPreference.DECLINED]
    else:
        claim.unit_price = rate.amount
        claim.no_payment_reason = ""
    claim.fee = money.fee(claim.unit_price, units)
    claim.amount = money.to_pennies(claim.fee + claim.expenses)


def _save(claim: Claim, *, by, reason: str, **kwargs) -> Claim:
    claim._history_user = by
    claim._change_reason = reason
    claim.save(**kwargs)
    return claim


@transaction.atomic
def claim_create(
    *, person: Person, data: ClaimInput, by, today: datetime.date | None = None
) -> Claim:
    """Record a claim, priced at the rate in force on its date. It waits for a PPL's approval."""
    today = today or timezone.localdate()
    # One claim of a person at a time, so two at once cannot both pass the 12-hours-a-day check.
    person = Person.objects.select_for_update().get(pk=person.pk)
    claim = Claim(created_by=by, status=ClaimStatus.SUBMITTED)
    errors: dict[str, str] = {}
    _price(claim, person, data, by, today, errors)
    if errors:
        raise ValidationError(errors)
    claim.full_clean()
    return _save(claim, by=by, reason="Claim recorded")


@transaction.atomic
def claim_update(
    *, claim: Claim, data: ClaimInput, by, today: datetime.date | None = None
) -> Claim:
    """Correct a claim that is still waiting for approval, priced again on its (new) date."""
    today = today or timezone.localdate()
    person = Person.objects.select_for_update().get(pk=claim.person_id)
    claim = Claim.objects.select_for_update(of=("self",)).get(pk=claim.pk)
    if claim.status != ClaimStatus.SUBMITTED:
        raise ClaimLocked(
            f"This claim is {claim.get_status_display().lower()}, so it cannot be changed. "
            "To correct it, make a reversing claim."
        )
    errors: dict[str, str] = {}
    _price(claim, person, data, by, today, errors)
    if errors:
        raise ValidationError(errors)
    claim.full_clean()
    return _save(claim, by=by, reason="Claim changed before approval")


def _locked_for_decision(claim: Claim) -> Claim:
    return Claim.objects.select_for_update(of=("self",)).select_related("person").get(pk=claim.pk)


@transaction.atomic
def claim_approve(*, claim: Claim, by) -> Claim:
    """Approve a claim waiting for approval. The row is locked first, so when two PPLs approve the
    same claim at once exactly one approval happens; the other is told it is already approved."""
    claim = _locked_for_decision(claim)
    problem = access.approval_problem(by, claim)
    if problem:
        raise ValidationError(problem)
    claim.status = ClaimStatus.APPROVED
    claim.decided_by = by
    claim.decided_at = timezone.now()
    return _save(
        claim,
        by=by,
        reason="Approved",
        update_fields=["status", "decided_by", "decided_at"],
    )


@transaction.atomic
def claim_reject(*, claim: Claim, by, reason: str) -> Claim:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Say why the claim is rejected."})
    claim = _locked_for_decision(claim)
    problem = access.approval_problem(by, claim)
    if problem:
        raise ValidationError(problem)
    claim.status = ClaimStatus.REJECTED
    claim.decided_by = by
    claim.decided_at = timezone.now()
    claim.decision_reason = reason
    return _save(
        claim,
        by=by,
        reason=f"Rejected: {reason}",
        update_fields=["status", "decided_by", "decided_at", "decision_reason"],
    )


def reversal_of(original: Claim) -> dict:
    """A reversing claim's fields taken from the original: the same person, date, involvement
    and rate, every quantity and amount negated (seed_scale builds its corrections from it too)."""
    return {
        "person_id": original.person_id,
        "directorate_id": original.directorate_id,
        "date": original.date,
        "membership_id": original.membership_id,
        "activity_id": original.activity_id,
        "forum_meeting_id": original.forum_meeting_id,
        "opportunity_id": original.opportunity_id,
        "rate_id": original.rate_id,
        "rate_kind": original.rate_kind,
        "hours": -original.hours,
        "units": -original.units,
        "unit_price": original.unit_price,
        "fee": -original.fee,
        "expenses": -original.expenses,
        "expenses_note": original.expenses_note,
        "amount": -original.amount,
        "payment_preference": original.payment_preference,
        "no_payment_reason": original.no_payment_reason,
        "reverses": original,
    }


@transaction.atomic
def claim_reverse(*, claim: Claim, by, reason: str) -> Claim:
    """A correction: a new claim with every quantity negated, pointing at the original, which
    stays as it was. It is approved (by someone else) and paid like any claim, so the money nets
    out in the finance team's records."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Say why the claim is being corrected."})
    original = Claim.objects.select_for_update(of=("self",)).get(pk=claim.pk)
    if original.reverses_id:
        raise ValidationError(
            "This claim is itself a correction: record a new claim instead of reversing it."
        )
    if original.status not in (ClaimStatus.APPROVED, ClaimStatus.PAID):
        raise ValidationError(
            f"This claim is {original.get_status_display().lower()}: only an approved or paid "
            "claim is corrected by a reversing claim."
        )
    if original.reversals.exclude(status=ClaimStatus.REJECTED).exists():
        raise ValidationError("This claim already has a reversing claim.")
    reversal = Claim(
        **reversal_of(original),
        description=f"Reverses {original.reference}",
        reason=reason,
        created_by=by,
        status=ClaimStatus.SUBMITTED,
    )
    reversal.full_clean()
    try:
        with transaction.atomic():
            return _save(reversal, by=by, reason=f"Reversing claim for {original.reference}")
    except IntegrityError:
        # Two corrections at once: the database's one-live-reversal rule let only one in.
        raise ValidationError("This claim already has a reversing claim.") from None


# --- payment batches -----------------------------------------------------------------------------


def _batch_problem(claim: Claim, by, batch: PaymentBatch) -> str | None:
    if claim.batch_id is not None and claim.batch_id != batch.pk:
        return f"{claim.reference} is already in payment batch B-{claim.batch_id:06d}."
    if claim.status != ClaimStatus.APPROVED:
        return (
            f"{claim.reference} is {claim.get_status_display().lower()}: only approved claims "
            "are paid."
        )
    if claim.payment_preference == PaymentPreference.DECLINED:
        return f"{claim.reference} is for someone who declines payment: it is never paid."
    if not access.is_admin(by) and claim.directorate_id not in access.ppl_directorate_ids(by):
        return f"{claim.reference} is not a claim of your directorates."
    return None


@transaction.atomic
def batch_create(*, claims, by, note: str = "") -> PaymentBatch:
    """Gather approved claims into a new batch. All or nothing: when one claim cannot go in (it
    is already in a batch, not approved, for someone who declines payment, or not yours), no
    claim is changed and no batch is made."""
    ids = sorted({claim.pk for claim in claims})
    if not ids:
        raise ValidationError("There are no approved claims to put in a batch.")
    batch = PaymentBatch(created_by=by, note=(note or "").strip())
    batch.full_clean()
    batch._history_user = by
    batch.save()
    # Locked in id order, so two batches made at once cannot deadlock or share a claim.
    locked = list(Claim.objects.select_for_update(of=("self",)).filter(pk__in=ids).order_by("pk"))
    if len(locked) != len(ids):
        raise ValidationError("Some of the claims no longer exist. Look at the list again.")
    for claim in locked:
        problem = _batch_problem(claim, by, batch)
        if problem:
            raise ValidationError(problem)
        claim.batch = batch
        _save(
            claim, by=by, reason=f"Put in payment batch {batch.reference}", update_fields=["batch"]
        )
    return batch


# The CSV the finance team pays from: one line per claim, a total per person (and way of payment),
# totals for bank payments and for vouchers, and a grand total.
CSV_HEADER = [
    "Line",
    "Person reference",
    "Name",
    "Payment method",
    "Claim reference",
    "Date",
    "What for",
    "Hours",
    "Paid as",
    "Unit price",
    "Fee",
    "Expenses",
    "Expenses note",
    "Amount",
]
PAYMENT_METHOD = {
    PaymentPreference.PAID: "Bank payment",
    PaymentPreference.VOUCHERS: "Vouchers",
    PaymentPreference.DECLINED: "Not paid (declined)",
}


def _cell(text: str) -> str:
    """Text as a spreadsheet shows it, never as a formula (a name starting with = or @)."""
    text = str(text)
    return f"'{text}" if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def batch_csv_text(batch: PaymentBatch) -> str:
    """The batch as CSV. Totals come from the database's sums, not from adding up here."""
    from involvement import selectors_payments

    claims = (
        batch.claims.with_people()
        .select_related("person")
        .order_by("person__name", "person_id", "payment_preference", "date", "pk")
    )
    person_totals = {
        (row["person_id"], row["payment_preference"]): row
        for row in selectors_payments.batch_person_totals(batch)
    }
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_HEADER)
    current = None
    last = None

    def person_total(key, claim):
        total = person_totals[key]
        writer.writerow(
            [
                "Person total",
                claim.person_reference,
                _cell(claim.person.name),
                PAYMENT_METHOD[PaymentPreference(claim.payment_preference)],
                "",
                "",
                "",
                f"{total['total_hours']:.2f}",
                "",
                "",
                f"{total['total_fee']:.2f}",
                f"{total['total_expenses']:.2f}",
                "",
                f"{total['total']:.2f}",
            ]
        )

    for claim in claims:
        key = (claim.person_id, claim.payment_preference)
        if current is not None and key != current:
            person_total(current, last)
        current, last = key, claim
        writer.writerow(
            [
                "Claim",
                claim.person_reference,
                _cell(claim.person.name),
                PAYMENT_METHOD[PaymentPreference(claim.payment_preference)],
                claim.reference,
                claim.date.isoformat(),
                _cell(claim.involvement_words),
                f"{claim.hours:.2f}",
                RateKind(claim.rate_kind).label,
                f"{claim.unit_price:.2f}",
                f"{claim.fee:.2f}",
                f"{claim.expenses:.2f}",
                _cell(claim.expenses_note),
                f"{claim.amount:.2f}",
            ]
        )
    if current is not None:
        person_total(current, last)
    totals = selectors_payments.batch_totals(batch)
    blank = [""] * 12
    writer.writerow(["Total: bank payments", *blank, f"{totals.bank:.2f}"])
    writer.writerow(["Total: vouchers", *blank, f"{totals.vouchers:.2f}"])
    writer.writerow(["Grand total", *blank, f"{totals.total:.2f}"])
    return out.getvalue()


@transaction.atomic
def batch_export(*, batch: PaymentBatch, by) -> str:
    """The batch's CSV, and a note of who downloaded it when. The whole file is made before
    anything is recorded, in one transaction: a failure records nothing."""
    batch = PaymentBatch.objects.select_for_update().get(pk=batch.pk)
    text = batch_csv_text(batch)
    batch.exported_by = by
    batch.exported_at = timezone.now()
    batch._history_user = by
    batch.save(update_fields=["exported_by", "exported_at"])
    return text


@transaction.atomic
def batch_mark_paid(
    *, batch: PaymentBatch, by, paid_on: datetime.date, today: datetime.date | None = None
) -> PaymentBatch:
    """Mark the batch and every claim in it paid, all or nothing."""
    today = today or timezone.localdate()
    batch = PaymentBatch.objects.select_for_update().get(pk=batch.pk)
    if batch.status == BatchStatus.PAID:
        raise ValidationError(f"Payment batch {batch.reference} is already paid.")
    if paid_on is None:
        raise ValidationError({"paid_on": "Enter the date the finance team paid the batch."})
    if paid_on > today:
        raise ValidationError({"paid_on": "The date paid cannot be in the future."})
    made = timezone.localdate(batch.created_at)
    if paid_on < made:
        raise ValidationError(
            {"paid_on": f"The batch was made on {_d(made)}: it cannot be paid before that."}
        )
    claims = list(Claim.objects.select_for_update(of=("self",)).filter(batch=batch).order_by("pk"))
    for claim in claims:
        if claim.status != ClaimStatus.APPROVED:
            raise ValidationError(
                f"{claim.reference} is {claim.get_status_display().lower()}: the batch cannot "
                "be marked paid."
            )
        claim.status = ClaimStatus.PAID
        claim.paid_on = paid_on
        _save(
            claim,
            by=by,
            reason=f"Paid with batch {batch.reference}",
            update_fields=["status", "paid_on"],
        )
    batch.status = BatchStatus.PAID
    batch.paid_on = paid_on
    batch.paid_by = by
    batch.full_clean()
    batch._history_user = by
    batch.save(update_fields=["status", "paid_on", "paid_by"])
    return batch
