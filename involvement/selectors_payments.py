"""Reads of payments that pages share: the approval queue, a claim's history in words, a batch's
totals, a person's payments this tax year, and the totals by directorate and month. Sums are done
by the database; every user-facing list starts from ``involvement.access``."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, DecimalField, Q, Sum, Value
from django.db.models.functions import Coalesce, TruncMonth
from django.utils import timezone

from involvement import access, money
from involvement.choices import PaymentPreference
from involvement.models import Person
from involvement.models_payments import Claim, ClaimStatus, PaymentBatch
from projects import fragments

ZERO = Decimal("0.00")


def sum_or_zero(expression: str, **filters):
    """A SUM that is 0.00, not None, when there is nothing to add."""
    return Coalesce(
        Sum(expression, filter=Q(**filters) if filters else None),
        Value(ZERO),
        output_field=DecimalField(max_digits=12, decimal_places=2),
    )


# --- the approval queue and the PPL home ---------------------------------------------------------


def claims_waiting_for(user):
    """Claims the user may see that wait for approval, oldest first."""
    return access.claims_for(user).waiting().with_people().order_by("date", "pk")


def ppl_home_context(user) -> dict:
    """What payments add to the PPL home: the claims waiting for this PPL's decision."""
    waiting = claims_waiting_for(user)
    return {
        "claims_waiting": waiting[:10],
        "claims_waiting_count": fragments.lazy(waiting.count),
    }


# --- a claim's history ---------------------------------------------------------------------------

# Fields the history shows, with their names in words; bookkeeping fields are left out.
_HISTORY_FIELDS = {
    "status": "Status",
    "date": "Date",
    "hours": "Hours",
    "rate_kind": "Paid as",
    "unit_price": "Unit price",
    "fee": "Fee",
    "expenses": "Expenses",
    "expenses_note": "Receipt note",
    "amount": "Amount",
    "description": "What they did",
    "decision_reason": "Reason",
    "batch": "Payment batch",
    "paid_on": "Date paid",
    "membership": "Project team",
    "activity": "Activity",
    "forum_meeting": "QI forum meeting",
    "opportunity": "Opportunity",
}
_MONEY_FIELDS = {"unit_price", "fee", "expenses", "amount"}


@dataclass(frozen=True)
class HistoryEntry:
    when: datetime.datetime
    who: str
    what: str
    changes: list[str] = field(default_factory=list)


def _words(name: str, value, record) -> str:
    if value in (None, ""):
        return "none"
    if name == "status":
        return ClaimStatus(value).label
    if name == "rate_kind":
        return getattr(record, "get_rate_kind_display", lambda: value)()
    if name in _MONEY_FIELDS:
        return money.pounds(value)
    if name == "batch":
        return f"B-{int(value):06d}"
    if name in {"membership", "activity", "forum_meeting", "opportunity"}:
        return f"number {value}"
    if isinstance(value, datetime.date):
        return f"{value:%-d %B %Y}"
    if isinstance(value, Decimal):
        return f"{value.normalize():f}"
    return str(value)


def claim_history(claim: Claim) -> list[HistoryEntry]:
    """Every saved change of the claim, oldest first: who, when, what, and the fields changed."""
    records = list(claim.history.select_related("history_user").order_by("history_id"))
    entries = []
    previous = None
    for record in records:
        user = record.history_user
        who = (user.get_full_name() or user.get_username()) if user else "The system"
        changes = []
        if previous is not None:
            delta = record.diff_against(previous, included_fields=list(_HISTORY_FIELDS))
            for change in delta.changes:
                changes.append(
                    f"{_HISTORY_FIELDS[change.field]}: {_words(change.field, change.old, record)}"
                    f" → {_words(change.field, change.new, record)}"
                )
        what = (
            record.history_change_reason
            or {"+": "Created", "~": "Changed", "-": "Deleted"}[record.history_type]
        )
        entries.append(HistoryEntry(record.history_date, who, what, changes))
        previous = record
    return entries


# --- batches -------------------------------------------------------------------------------------


def batch_person_totals(batch: PaymentBatch):
    """One row per person and way of payment: total_hours, total_fee, total_expenses, total,
    claims."""
    return (
        batch.claims.values("person_id", "person__name", "payment_preference")
        .annotate(
            total_hours=Sum("hours"),
            total_fee=sum_or_zero("fee"),
            total_expenses=sum_or_zero("expenses"),
            total=sum_or_zero("amount"),
            claims=Count("pk"),
        )
        .order_by("person__name", "person_id", "payment_preference")
    )


@dataclass(frozen=True)
class BatchTotals:
    claims: int
    people: int
    total: Decimal
    bank: Decimal
    vouchers: Decimal


def batch_totals(batch: PaymentBatch) -> BatchTotals:
    row = batch.claims.aggregate(
        claims=Count("pk"),
        people=Count("person", distinct=True),
        total=sum_or_zero("amount"),
        bank=sum_or_zero("amount", payment_preference=PaymentPreference.PAID),
        vouchers=sum_or_zero("amount", payment_preference=PaymentPreference.VOUCHERS),
    )
    return BatchTotals(**row)


def batches_with_totals(user):
    """The batches the user may see, each with its number of claims and total."""
    return (
        access.batches_for(user)
        .select_related("created_by", "paid_by")
        .annotate(claim_count=Count("claims"), total=sum_or_zero("claims__amount"))
        .order_by("-created_at", "-pk")
    )


def claims_to_batch_for(user, *, directorate_id: int | None = None, up_to=None):
    """Approved claims not yet in a batch, of the user's directorates (all for admins), never
    those of people who decline payment."""
    claims = access.claims_for(user).to_pay()
    if directorate_id:
        claims = claims.filter(directorate_id=directorate_id)
    if up_to:
        claims = claims.filter(date__lte=up_to)
    return claims.with_people().order_by("person__name", "date", "pk")


# --- a person's own payments ---------------------------------------------------------------------


@dataclass(frozen=True)
class PaymentSummary:
    """A person's payments in plain figures, for My area."""

    tax_year_start: datetime.date
    tax_year_end: datetime.date
    tax_year_label: str
    paid_this_year: Decimal  # paid to them on a date in this tax year
    approved_to_pay: Decimal  # approved, waiting to be paid
    waiting_approval: Decimal  # recorded, waiting for a PPL to approve
    hours_this_year: Decimal  # time given this tax year (claims not rejected)
    unpaid_hours_this_year: Decimal  # of that, time recorded without payment (declined)

    @property
    def due(self) -> Decimal:
        return self.approved_to_pay + self.waiting_approval


def payment_summary(person: Person, today: datetime.date | None = None) -> PaymentSummary:
    """What has been paid to the person in this tax year (6 April to 5 April, by the date paid,
    which is what benefits and tax rules look at), and what is still due, in one query."""
    today = today or timezone.localdate()
    start, end = money.tax_year_of(today)
    row = Claim.objects.filter(person=person).aggregate(
        paid=sum_or_zero("amount", status=ClaimStatus.PAID, paid_on__gte=start, paid_on__lte=end),
        approved=sum_or_zero(
            "amount",
            status=ClaimStatus.APPROVED,
            payment_preference__in=[PaymentPreference.PAID, PaymentPreference.VOUCHERS],
        ),
        waiting=sum_or_zero("amount", status=ClaimStatus.SUBMITTED),
        time=sum_or_zero(
            "hours",
            date__gte=start,
            date__lte=end,
            status__in=[ClaimStatus.SUBMITTED, ClaimStatus.APPROVED, ClaimStatus.PAID],
        ),
        unpaid_time=sum_or_zero(
            "hours",
            date__gte=start,
            date__lte=end,
            status__in=[ClaimStatus.SUBMITTED, ClaimStatus.APPROVED, ClaimStatus.PAID],
            payment_preference=PaymentPreference.DECLINED,
        ),
    )
    return PaymentSummary(
        tax_year_start=start,
        tax_year_end=end,
        tax_year_label=money.tax_year_label(today),
        paid_this_year=row["paid"],
        approved_to_pay=row["approved"],
        waiting_approval=row["waiting"],
        hours_this_year=row["time"],
        unpaid_hours_this_year=row["unpaid_time"],
    )


def claims_of(person: Person):
    return Claim.objects.filter(person=person).with_people().order_by("-date", "-pk")


# --- totals by directorate and month (admins) ----------------------------------------------------


def directorate_month_totals(start: datetime.date, end: datetime.date):
    """Approved and paid claims dated from ``start`` to ``end``, summed by directorate and month
    in the database: claims, total_hours, total (amount), and how much of it is paid."""
    return (
        Claim.objects.filter(
            date__gte=start,
            date__lte=end,
            status__in=[ClaimStatus.APPROVED, ClaimStatus.PAID],
        )
        .annotate(month=TruncMonth("date"))
        .values("directorate__name", "month")
        .annotate(
            claims=Count("pk"),
            total_hours=Sum("hours"),
            total=sum_or_zero("amount"),
            paid=sum_or_zero("amount", status=ClaimStatus.PAID),
        )
        .order_by("directorate__name", "month")
    )
