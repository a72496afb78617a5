"""Scale data of payments, for ``manage.py seed_scale``: rates that rise each tax year, tens of
thousands of claims for team meetings, little-i activities, QI forum meetings and opportunities,
and monthly payment batches.

Each claim is made the way ``services_payments`` would make it, without a save per row:

- priced at the rate in force on its date (``money.fee``: unit price × units to the penny; amount =
  fee + expenses; a person who declines payment is priced at £0 and never batched);
- the paying directorate chosen by the service's rule (the person's directorates that the
  involvement belongs to, narrowed to the recording PPL's own, then the first by name);
- one claim per person a day, so the 12-hours-a-day rule holds;
- recorded by a PPL of the directorate (mostly its ``scale-office-NN``), an admin, or the person
  themselves, and decided by another PPL of the directorate: never by whoever recorded it, and
  never by the person it pays.

The newest claims of every directorate wait for approval: enough of them (15% of all claims,
shared equally between directorates) that twenty PPLs approving for a minute never run out.

Every claim gets the history the app would have written (recorded, decided, put in a batch, paid),
built as rows of the history table and inserted in bulk: the claim page shows that trail.
"""

from __future__ import annotations

import bisect
import datetime
import math
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from involvement import money
from involvement.choices import PAYMENT_WORDS, PaymentPreference
from involvement.models import Activity, Opportunity, TeamMembership
from involvement.models_payments import (
    BatchStatus,
    Claim,
    ClaimStatus,
    PaymentBatch,
    Rate,
    RateKind,
)
from involvement.months import add_months, month_of
from involvement.scale import People, ScaleUsers
from involvement.services_payments import reversal_of
from projects.models import Directorate, Forum, ForumMeeting, MeetingStatus
from projects.scale import (
    BATCH,
    ScaleSize,
    Timeline,
    at,
    insert,
    insert_values,
    past,
    random_day,
    rng_for,
    share_out,
)

PENDING_SHARE = 0.15
REJECTED_SHARE = 0.04
REVERSED_SHARE = 0.003
FIRST_RATES = {
    RateKind.HOURLY: Decimal("12.00"),
    RateKind.HALF_DAY: Decimal("40.00"),
    RateKind.FULL_DAY: Decimal("80.00"),
    RateKind.MEETING: Decimal("20.00"),
}
EXPENSES = [
    (Decimal("3.20"), "Bus fare there and back, receipt kept"),
    (Decimal("4.80"), "Bus fare there and back, receipt kept"),
    (Decimal("6.50"), "Train ticket, receipt kept"),
    (Decimal("12.00"), "Taxi (access need), receipt kept"),
]
REJECTION_REASONS = [
    "Duplicate of another claim for the same meeting",
    "The sign-in sheet shows a shorter meeting",
    "Not part of the agreed role",
]
HOURLY = [Decimal(h) for h in ("1", "1.25", "1.5", "2", "2.5", "3")]


# --- rates ---------------------------------------------------------------------------------------


def create_rates(*, timeline: Timeline, users: ScaleUsers) -> dict[str, list[Rate]]:
    """Each kind of rate from the first month of the data, rising about 4% every 6 April."""
    rates = []
    for kind, amount in FIRST_RATES.items():
        day = timeline.first_month
        while day <= timeline.today:
            rate = Rate(
                kind=kind,
                amount=amount,
                effective_from=day,
                note="Scale data: the trust's involvement rate",
                created_by=users.admin,
                created_at=at(day - datetime.timedelta(days=30)),
            )
            rate._history_date = rate.created_at
            rate._history_user = users.admin
            rates.append(rate)
            year = day.year if day < datetime.date(day.year, 4, 6) else day.year + 1
            day = datetime.date(year, 4, 6)
            # About 4% a year, to the nearest 50p (rates are round sums).
            amount = money.to_pennies((amount * Decimal("2.08")).quantize(Decimal("1")) / 2)
    bulk_create_with_history(rates, Rate, batch_size=BATCH, default_change_reason="Scale data")
    by_kind: dict[str, list[Rate]] = defaultdict(list)
    for rate in rates:
        by_kind[rate.kind].append(rate)
    return dict(by_kind)


def _in_force(rates: list[Rate], day: datetime.date) -> Rate:
    """``Rate.objects.in_force_on`` on rows in memory (sorted by date, the first in force from
    the first month of the data)."""
    index = bisect.bisect_right(rates, day, key=lambda r: r.effective_from) - 1
    return rates[index]


# --- claims --------------------------------------------------------------------------------------


@dataclass
class _Involvement:
    """What one claim is for, the day, the directorates it may be paid by, and how it is paid."""

    day: datetime.date
    directorates: set[int]
    rate_kind: str
    hours: Decimal
    description: str
    membership: TeamMembership | None = None
    activity: Activity | None = None
    forum_meeting: ForumMeeting | None = None
    opportunity: Opportunity | None = None


class _Sources:
    """Everything each person could claim for, and how to pick one at random."""

    def __init__(
        self,
        *,
        timeline,
        people,
        memberships,
        naming,
        directorates,
        forums,
        meetings,
        opportunities,
    ):
        today = timeline.today
        self.memberships: dict[int, list] = defaultdict(list)
        for membership in memberships:
            last = min(membership.end_date or today, today)
            if membership.start_date <= last:
                self.memberships[membership.person_id].append((membership, last))
        self.activities = {
            pk: [a for a in activities if a.date <= today] for pk, activities in naming.items()
        }
        # Each scale forum is one directorate's (``projects.scale.create_forums``), in order.
        directorate_of = {f.pk: d.pk for f, d in zip(forums, directorates, strict=True)}
        self.meetings: dict[int, list[ForumMeeting]] = defaultdict(list)
        for meeting in meetings:
            if meeting.status == MeetingStatus.HELD and meeting.date <= today:
                self.meetings[directorate_of[meeting.forum_id]].append(meeting)
        self.opportunities = [
            (o, min(o.end_date or today, today))
            for o in opportunities
            if o.paid and o.start_date <= today
        ]
        self.directorates_of = people.directorates_of

    def weight(self, person_pk: int) -> float:
        return (
            1
            + 2 * len(self.memberships.get(person_pk, ()))
            + len(self.activities.get(person_pk, ()))
        )

    def pick(self, rng, person) -> _Involvement | None:
        mine = set(self.directorates_of[person.pk])
        choices = []
        if self.memberships.get(person.pk):
            choices.append(("membership", 6))
        if self.activities.get(person.pk):
            choices.append(("activity", 2))
        if any(self.meetings.get(d) for d in mine):
            choices.append(("forum", 1.5))
        if self.opportunities:
            choices.append(("opportunity", 1))
        if not choices:
            return None
        kind = rng.choices([c[0] for c in choices], weights=[c[1] for c in choices])[0]
        if kind == "membership":
            membership, last = rng.choice(self.memberships[person.pk])
            meeting = rng.random() < 0.3
            return _Involvement(
                day=random_day(rng, membership.start_date, last),
                directorates={membership.project.directorate_id},
                rate_kind=RateKind.MEETING if meeting else RateKind.HOURLY,
                hours=Decimal(rng.choice(["1.5", "2"])) if meeting else rng.choice(HOURLY),
                description="Project team meeting",
                membership=membership,
            )
        if kind == "activity":
            activity = rng.choice(self.activities[person.pk])
            half_day = rng.random() < 0.3
            return _Involvement(
                day=activity.date,
                directorates={activity.project.directorate_id},
                rate_kind=RateKind.HALF_DAY if half_day else RateKind.HOURLY,
                hours=Decimal(rng.choice(["3", "3.5", "4"])) if half_day else rng.choice(HOURLY),
                description=activity.get_kind_display(),
                activity=activity,
            )
        if kind == "forum":
            directorate_id = rng.choice([d for d in mine if self.meetings.get(d)])
            meeting = rng.choice(self.meetings[directorate_id])
            return _Involvement(
                day=meeting.date,
                directorates={directorate_id} & mine,
                rate_kind=RateKind.MEETING,
                hours=Decimal("2"),
                description="QI forum meeting",
                forum_meeting=meeting,
            )
        opportunity, last = rng.choice(self.opportunities)
        if opportunity.directorate_id is not None and opportunity.directorate_id not in mine:
            return None  # not theirs: the caller tries again
        full_day = rng.random() < 0.4
        return _Involvement(
            day=random_day(rng, opportunity.start_date, last),
            directorates=mine
            if opportunity.directorate_id is None
            else {opportunity.directorate_id},
            rate_kind=RateKind.FULL_DAY if full_day else RateKind.HALF_DAY,
            hours=Decimal(rng.choice(["5", "6", "7.5"] if full_day else ["2.5", "3", "4"])),
            description=opportunity.title[:300],
            opportunity=opportunity,
        )


class _Staff:
    """Who records and who decides, by the PPL rules of ``access`` and ``services_payments``."""

    def __init__(self, users: ScaleUsers, directorates: list[Directorate]):
        self.users = users
        self.name_of = {d.pk: d.name for d in directorates}

    def paying_directorate(self, candidates: set[int], by) -> int:
        """``services_payments._paying_directorate``: a PPL (not an admin) records for their own
        directorates when they can; then the first by name."""
        if by is not self.users.admin:
            own = candidates & self.users.directorates_of.get(by.pk, set())
            if own:
                candidates = own
        return min(candidates, key=lambda pk: self.name_of[pk])

    def recorder(self, rng, person, candidates: set[int]):
        roll = rng.random()
        if person.user_id is not None and roll < 0.15:
            return person.user
        if roll < 0.25:
            return self.users.admin
        directorate_id = rng.choice(sorted(candidates))
        if roll < 0.30 and self.users.ppls_of.get(directorate_id):
            return rng.choice(self.users.ppls_of[directorate_id])
        return self.users.office_of[directorate_id]

    def decider(self, rng, claim: Claim, person):
        """A PPL of the claim's directorate who did not record it and is not the person paid:
        the benchmark PPLs first, the office PPL when they recorded it."""
        ppls = [
            u
            for u in self.users.ppls_of.get(claim.directorate_id, [])
            if u.pk != claim.created_by_id and u.pk != person.user_id
        ]
        if ppls:
            return rng.choice(ppls)
        return self.users.office_of[claim.directorate_id]


def _pk(obj) -> int | None:
    return obj.pk if obj is not None else None


def _price(claim: Claim, rate: Rate, person, rng) -> None:
    """``services_payments._price``, on a claim in memory."""
    units = claim.hours if claim.rate_kind == RateKind.HOURLY else Decimal("1")
    declined = person.payment_preference == PaymentPreference.DECLINED
    claim.rate_id = rate.pk
    claim.units = units
    claim.payment_preference = person.payment_preference
    if declined:
        claim.unit_price = Decimal("0.00")
        claim.no_payment_reason = PAYMENT_WORDS[PaymentPreference.DECLINED]
    else:
        claim.unit_price = rate.amount
        if rng.random() < 0.2:
            claim.expenses, claim.expenses_note = rng.choice(EXPENSES)
    claim.fee = money.fee(claim.unit_price, units)
    claim.amount = money.to_pennies(claim.fee + claim.expenses)


def _make_claims(*, size, timeline, people, sources, staff, rates, rng) -> list[Claim]:
    now = timezone.now()
    su = people.su_person
    weights = [sources.weight(p.pk) * (3 if p is su else 1) for p in people.people]
    counts = share_out(size.claims, weights)
    used: dict[int, set[datetime.date]] = defaultdict(set)
    claims: list[Claim] = []

    def attempt(person) -> bool:
        for _ in range(30):
            involvement = sources.pick(rng, person)
            if involvement is None or involvement.day in used[person.pk]:
                continue
            used[person.pk].add(involvement.day)
            by = staff.recorder(rng, person, involvement.directorates)
            made = at(
                min(timeline.today, involvement.day + datetime.timedelta(days=rng.randint(0, 10))),
                rng.randint(9, 17),
                rng.randint(0, 59),
            )
            # Keys rather than objects: cheaper to set on fifty thousand rows.
            claim = Claim(
                person_id=person.pk,
                directorate_id=staff.paying_directorate(involvement.directorates, by),
                date=involvement.day,
                membership_id=_pk(involvement.membership),
                activity_id=_pk(involvement.activity),
                forum_meeting_id=_pk(involvement.forum_meeting),
                opportunity_id=_pk(involvement.opportunity),
                description=involvement.description,
                rate_kind=involvement.rate_kind,
                hours=involvement.hours,
                status=ClaimStatus.SUBMITTED,
                created_by_id=by.pk,
                created_at=min(made, now - datetime.timedelta(minutes=5)),
            )
            _price(claim, _in_force(rates[claim.rate_kind], claim.date), person, rng)
            claims.append(claim)
            return True
        return False

    short = 0
    for person, count in zip(people.people, counts, strict=True):
        for _ in range(count):
            if not attempt(person):
                short += 1
                break
    # Whoever could not take all theirs (few days to claim for): the others take the rest.
    for person in people.people * 3:
        if short == 0:
            break
        if attempt(person):
            short -= 1
    return claims


def _decide(claims: list[Claim], *, size, timeline, people, staff, rng) -> None:
    """The newest claims of each directorate wait for approval; the rest were decided a few days
    after they were recorded, by a PPL of the directorate who did not record them."""
    now = timezone.now()
    by_pk = {p.pk: p for p in people.people}
    per_directorate = math.ceil(PENDING_SHARE * size.claims / max(1, len(staff.name_of)))
    newest: dict[int, list[Claim]] = defaultdict(list)
    for claim in claims:
        newest[claim.directorate_id].append(claim)
    waiting = set()
    for group in newest.values():
        group.sort(key=lambda c: (c.date, c.created_at), reverse=True)
        waiting.update(id(c) for c in group[:per_directorate])
    su = people.su_person
    mine = sorted((c for c in claims if c.person_id == su.pk), key=lambda c: c.date, reverse=True)
    waiting.update(id(c) for c in mine[:2])  # scale-su has claims waiting too
    for claim in claims:
        recent = claim.created_at > now - datetime.timedelta(days=14)
        if id(claim) in waiting or recent:
            continue
        claim.decided_by_id = staff.decider(rng, claim, by_pk[claim.person_id]).pk
        claim.decided_at = min(
            now - datetime.timedelta(minutes=1),
            claim.created_at + datetime.timedelta(days=rng.randint(1, 14), hours=rng.randint(0, 6)),
        )
        if rng.random() < REJECTED_SHARE:
            claim.status = ClaimStatus.REJECTED
            claim.decision_reason = rng.choice(REJECTION_REASONS)
        else:
            claim.status = ClaimStatus.APPROVED
    approved = [c for c in mine if c.status == ClaimStatus.APPROVED]
    if approved and not any(c.status == ClaimStatus.REJECTED for c in mine):
        approved[-1].status = ClaimStatus.REJECTED  # and one of theirs was rejected
        approved[-1].decision_reason = REJECTION_REASONS[0]


def _batch_month(claim: Claim) -> datetime.date:
    """Claims approved in a month are paid in a batch made early the next month."""
    return add_months(month_of(timezone.localtime(claim.decided_at).date()), 1)


def _batch(
    claims: list[Claim], batches: dict[datetime.date, PaymentBatch], *, timeline, users
) -> None:
    """Put approved claims in the month's batch (``batches``, by month, made as needed): a
    trust-wide batch a month, made by an admin on the 3rd, downloaded the next day and paid a week
    later; the latest may still be waiting to be paid."""
    now = timezone.now()
    for claim in claims:
        if claim.status != ClaimStatus.APPROVED or claim.payment_preference == (
            PaymentPreference.DECLINED
        ):
            continue
        month = _batch_month(claim)
        made = at(month + datetime.timedelta(days=2), 11)
        if made >= now:
            continue  # approved, waiting for the next batch
        batch = batches.get(month)
        if batch is None:
            paid_on = made.date() + datetime.timedelta(days=7)
            batch = PaymentBatch(
                note=f"Payments for claims approved in {add_months(month, -1):%B %Y}",
                created_by=users.admin,
                created_at=made,
            )
            downloaded = made + datetime.timedelta(days=1)
            if downloaded < now:
                batch.exported_by, batch.exported_at = users.admin, downloaded
            if paid_on <= timeline.today:
                batch.status, batch.paid_on, batch.paid_by = BatchStatus.PAID, paid_on, users.admin
            batches[month] = batch
        claim.batch = batch
        if batch.status == BatchStatus.PAID:
            claim.status = ClaimStatus.PAID
            claim.paid_on = batch.paid_on


def _reversals(claims: list[Claim], *, timeline, people, staff, rng) -> list[Claim]:
    """A few paid claims were corrected later by a reversing claim (every quantity negated),
    approved by another PPL."""
    now = timezone.now()
    by_pk = {p.pk: p for p in people.people}
    reversals = []
    for original in claims:
        if original.status != ClaimStatus.PAID or rng.random() >= REVERSED_SHARE:
            continue
        made = at(original.paid_on + datetime.timedelta(days=rng.randint(5, 40)), 12)
        decided = made + datetime.timedelta(days=rng.randint(1, 7))
        if decided >= now:
            continue
        by = staff.users.office_of[original.directorate_id]
        reversal = Claim(
            **reversal_of(original),
            description="",  # "Reverses C-…" once the original has its number
            reason="Paid for the wrong number of hours",
            created_by_id=by.pk,
            created_at=made,
            status=ClaimStatus.APPROVED,
            decided_at=decided,
        )
        reversal.decided_by_id = staff.decider(rng, reversal, by_pk[original.person_id]).pk
        reversals.append(reversal)
    return reversals


def _history(claims: list[Claim], batches: dict[int, PaymentBatch]) -> list[dict]:
    """The history the service would have written for each claim, step by step (rows of the
    history table, as dicts: a model instance each would cost more than the insert)."""
    tracked = [f.attname for f in Claim.history.model.tracked_fields]
    rows = []

    def row(claim, when, by_id, reason, history_type="~", **changes):
        values = {name: getattr(claim, name) for name in tracked}
        values.update(changes)
        values.update(
            history_date=when,
            history_user_id=by_id,
            history_change_reason=reason,
            history_type=history_type,
        )
        rows.append(values)

    for claim in claims:
        undecided = {
            "status": ClaimStatus.SUBMITTED,
            "decided_by_id": None,
            "decided_at": None,
            "decision_reason": "",
            "batch_id": None,
            "paid_on": None,
        }
        reason = (
            f"Reversing claim for C-{claim.reverses_id:06d}"
            if claim.reverses_id
            else "Claim recorded"
        )
        row(claim, claim.created_at, claim.created_by_id, reason, "+", **undecided)
        if claim.decided_at is None:
            continue
        decided = {**undecided, "status": claim.status}
        decided.update(
            decided_by_id=claim.decided_by_id,
            decided_at=claim.decided_at,
            decision_reason=claim.decision_reason,
        )
        if claim.status == ClaimStatus.REJECTED:
            reason = f"Rejected: {claim.decision_reason}"
        else:
            reason = "Approved"
            decided["status"] = ClaimStatus.APPROVED
        row(claim, claim.decided_at, claim.decided_by_id, reason, **decided)
        if claim.batch_id is None:
            continue
        # By key: giving a claim its batch's key empties the cache of the batch object.
        batch = batches[claim.batch_id]
        reference = f"B-{batch.pk:06d}"
        decided["batch_id"] = batch.pk
        row(
            claim,
            batch.created_at,
            batch.created_by_id,
            f"Put in payment batch {reference}",
            **decided,
        )
        if claim.status == ClaimStatus.PAID:
            decided.update(status=ClaimStatus.PAID, paid_on=claim.paid_on)
            paid_at = past(at(claim.paid_on, 16))
            row(claim, paid_at, batch.paid_by_id, f"Paid with batch {reference}", **decided)
    return rows


def _batch_history(batches: list[PaymentBatch]) -> list[dict]:
    """Made, downloaded, paid: the batch's history rows."""
    tracked = [f.attname for f in PaymentBatch.history.model.tracked_fields]
    rows = []

    def row(values: dict, when, by_id, history_type="~") -> None:
        rows.append(
            {
                **values,
                "history_date": when,
                "history_user_id": by_id,
                "history_change_reason": None,
                "history_type": history_type,
            }
        )

    for batch in batches:
        values = {name: getattr(batch, name) for name in tracked}
        made = {
            **values,
            "status": BatchStatus.OPEN,
            "exported_by_id": None,
            "exported_at": None,
            "paid_by_id": None,
            "paid_on": None,
        }
        row(made, batch.created_at, batch.created_by_id, "+")
        if batch.exported_at:
            made = {**made, "exported_by_id": batch.exported_by_id}
            made["exported_at"] = batch.exported_at
            row(made, batch.exported_at, batch.exported_by_id)
        if batch.status == BatchStatus.PAID:
            row(values, past(at(batch.paid_on, 16)), batch.paid_by_id)
    return rows


def create_claims(
    *,
    size: ScaleSize,
    timeline: Timeline,
    directorates: list[Directorate],
    users: ScaleUsers,
    people: People,
    memberships: list[TeamMembership],
    naming: dict[int, list[Activity]],
    forums: list[Forum],
    meetings: list[ForumMeeting],
    opportunities: list[Opportunity],
    rates: dict[str, list[Rate]],
    seed: int,
) -> tuple[list[Claim], list[PaymentBatch]]:
    """``size.claims`` claims (and a few reversing claims on top), their batches and history."""
    rng = rng_for(seed, "claims")
    sources = _Sources(
        timeline=timeline,
        people=people,
        memberships=memberships,
        naming=naming,
        directorates=directorates,
        forums=forums,
        meetings=meetings,
        opportunities=opportunities,
    )
    staff = _Staff(users, directorates)
    claims = _make_claims(
        size=size,
        timeline=timeline,
        people=people,
        sources=sources,
        staff=staff,
        rates=rates,
        rng=rng,
    )
    _decide(claims, size=size, timeline=timeline, people=people, staff=staff, rng=rng)
    batches: dict[datetime.date, PaymentBatch] = {}
    _batch(claims, batches, timeline=timeline, users=users)
    reversals = _reversals(claims, timeline=timeline, people=people, staff=staff, rng=rng)
    _batch(reversals, batches, timeline=timeline, users=users)
    ordered = sorted(batches.values(), key=lambda b: b.created_at)
    insert(PaymentBatch, ordered)
    # Claims are numbered in the order they were recorded, as the app numbers them.
    claims.sort(key=lambda c: c.created_at)
    insert(Claim, claims)
    for reversal in reversals:
        reversal.description = f"Reverses C-{reversal.reverses.pk:06d}"
    reversals.sort(key=lambda c: c.created_at)
    insert(Claim, reversals)
    everything = claims + reversals
    insert_values(Claim.history.model, _history(everything, {b.pk: b for b in ordered}))
    insert_values(PaymentBatch.history.model, _batch_history(ordered))
    return everything, ordered
