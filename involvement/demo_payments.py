"""Demo data of payments, called by ``manage.py seed_demo`` after the people and projects: the four
rates, with a rise five months ago; about a year of claims for project team meetings, little-i
activities, QI forum meetings and opportunities, in every state (waiting, approved, rejected,
paid), with expenses on some, a claim of someone who declines payment (amount 0) and a reversing
claim; and one paid payment batch. The demo ``su`` user (Sam Taylor) has claims in each state.

Everything goes through ``services_payments``, so the demo claims are priced, checked and have a
history like real ones. Deterministic (a seeded ``random.Random`` over rows in id order) and
idempotent: a planned claim is made only when no claim of that person, date and involvement
exists, and the batch only once.
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from involvement import services_payments as services
from involvement.access import Role
from involvement.choices import PaymentPreference
from involvement.models import Activity, Opportunity, Person, TeamMembership
from involvement.models_payments import Claim, PaymentBatch, Rate, RateKind
from involvement.months import add_months, month_of
from projects.models import ForumMeeting, MeetingStatus

FIRST_RATES_FROM = datetime.date(2020, 4, 6)
# (kind, amount until the rise, amount after it)
RATES = [
    (RateKind.HOURLY, Decimal("15.00"), Decimal("16.50")),
    (RateKind.HALF_DAY, Decimal("50.00"), Decimal("55.00")),
    (RateKind.FULL_DAY, Decimal("100.00"), Decimal("110.00")),
    (RateKind.MEETING, Decimal("25.00"), Decimal("27.50")),
]
BATCH_NOTE = "Demo: payments for the months before last"
SETTLED_DAYS = 60  # claims older than this are decided, and the approved ones paid
EXPENSES = Decimal("4.80")
EXPENSES_NOTE = "Bus fare there and back, receipt kept"


def rise_date(today: datetime.date) -> datetime.date:
    """When the demo rates went up: the first of the month five months ago."""
    return add_months(month_of(today), -5)


def seed_rates(*, today: datetime.date, by) -> list[Rate]:
    rates = []
    for kind, before, after in RATES:
        for day, amount in ((FIRST_RATES_FROM, before), (rise_date(today), after)):
            rate, _ = Rate.objects.get_or_create(
                kind=kind,
                effective_from=day,
                defaults={"amount": amount, "created_by": by, "note": "Demo rate"},
            )
            rates.append(rate)
    return rates


@dataclass(frozen=True)
class _Planned:
    person: Person
    data: services.ClaimInput

    @property
    def day(self) -> datetime.date:
        if self.data.date:
            return self.data.date
        return (self.data.activity or self.data.forum_meeting).date

    def exists(self) -> bool:
        d = self.data
        return Claim.objects.filter(
            person=self.person,
            date=self.day,
            membership=d.membership,
            activity=d.activity,
            forum_meeting=d.forum_meeting,
            opportunity=d.opportunity,
            reverses__isnull=True,
        ).exists()


def _expenses(rng: random.Random) -> dict:
    if rng.random() < 0.2:
        return {"expenses": EXPENSES, "expenses_note": EXPENSES_NOTE}
    return {}


def _plan(today: datetime.date) -> list[_Planned]:
    """The claims to make: pure given the database's rows, in id order."""
    rng = random.Random(5)  # noqa: S311 - demo data, not security
    since = today - datetime.timedelta(days=365)
    plan: list[_Planned] = []
    memberships = (
        TeamMembership.objects.filter(person__active=True, start_date__lte=today)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=since))
        .select_related("person__user", "project")
        .order_by("pk")
    )
    # Sam Taylor (the demo ``su``) first, so their area shows every state.
    memberships = sorted(
        memberships,
        key=lambda m: (not (m.person.user_id and m.person.user.username == "su"), m.pk),
    )[:24]
    for membership in memberships:
        start = max(membership.start_date, since)
        end = min(membership.end_date or today, today)
        month = month_of(start)
        while month <= end:
            day = month + datetime.timedelta(days=rng.randrange(0, 27))
            if start <= day <= end and rng.random() < 0.7:
                hours = Decimal(rng.choice(["1.5", "2", "2.5", "1.25"]))
                plan.append(
                    _Planned(
                        membership.person,
                        services.ClaimInput(
                            rate_kind=RateKind.HOURLY,
                            hours=hours,
                            date=day,
                            membership=membership,
                            description="Project team meeting",
                            **_expenses(rng),
                        ),
                    )
                )
            month = add_months(month, 1)

    activities = Activity.objects.filter(date__gte=since, date__lte=today).select_related("project")
    for activity in activities.order_by("pk")[:8]:
        person = (
            Person.objects.filter(directorates=activity.project.directorate_id, active=True)
            .order_by("pk")
            .first()
        )
        if person is not None:
            plan.append(
                _Planned(
                    person,
                    services.ClaimInput(
                        rate_kind=RateKind.HALF_DAY,
                        hours=Decimal("3"),
                        activity=activity,
                        description="Took part and shared ideas",
                    ),
                )
            )

    meetings = (
        ForumMeeting.objects.filter(date__gte=since, date__lte=today)
        .exclude(status=MeetingStatus.CANCELLED)
        .prefetch_related("forum__directorates")
        .order_by("pk")[:8]
    )
    for meeting in meetings:
        directorates = [d.pk for d in meeting.forum.directorates.all()]
        person = (
            Person.objects.filter(directorates__in=directorates, active=True)
            .order_by("-pk")
            .first()
        )
        if person is not None:
            plan.append(
                _Planned(
                    person,
                    services.ClaimInput(
                        rate_kind=RateKind.MEETING,
                        hours=Decimal("1.5"),
                        forum_meeting=meeting,
                        description="Presented the project at the forum",
                    ),
                )
            )

    opportunities = Opportunity.objects.filter(paid=True, start_date__lte=today).order_by("pk")
    for opportunity in opportunities[:4]:
        people = Person.objects.filter(active=True).order_by("pk")
        if opportunity.directorate_id:
            people = people.filter(directorates=opportunity.directorate_id)
        person = people.first()
        day = max(opportunity.start_date, since)
        if person is not None and (opportunity.end_date is None or day <= opportunity.end_date):
            plan.append(
                _Planned(
                    person,
                    services.ClaimInput(
                        rate_kind=RateKind.FULL_DAY,
                        hours=Decimal("6"),
                        date=day,
                        opportunity=opportunity,
                        description="A day on the panel",
                        expenses=EXPENSES,
                        expenses_note=EXPENSES_NOTE,
                    ),
                )
            )

    # Someone who declines payment: their time is recorded, with amount 0.
    declined = (
        TeamMembership.objects.filter(
            person__payment_preference=PaymentPreference.DECLINED,
            person__active=True,
            start_date__lte=today - datetime.timedelta(days=SETTLED_DAYS + 10),
        )
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=today - datetime.timedelta(days=90)))
        .select_related("person")
        .order_by("pk")
        .first()
    )
    if declined is not None:
        day = max(declined.start_date, today - datetime.timedelta(days=SETTLED_DAYS + 10))
        if declined.end_date:
            day = min(day, declined.end_date)
        plan.append(
            _Planned(
                declined.person,
                services.ClaimInput(
                    rate_kind=RateKind.HOURLY,
                    hours=Decimal("2"),
                    date=day,
                    membership=declined,
                    description="Project team meeting",
                ),
            )
        )
    return plan


def _ppl_of(directorate_id: int):
    return (
        get_user_model()
        .objects.filter(groups__name=Role.PPL.value, directorates=directorate_id)
        .order_by("pk")
        .first()
    )


@transaction.atomic
def seed_payments(*, today: datetime.date | None = None) -> int:
    """Make the demo rates, claims and batch; returns how many claims were made now."""
    today = today or timezone.localdate()
    User = get_user_model()
    admin = (
        User.objects.filter(username="admin").first()
        or User.objects.filter(is_superuser=True).order_by("pk").first()
    )
    if admin is None:
        return 0
    seed_rates(today=today, by=admin)
    rng = random.Random(7)  # noqa: S311 - demo data, not security
    settled = today - datetime.timedelta(days=SETTLED_DAYS)
    made: list[Claim] = []
    for planned in _plan(today):
        decide = rng.random()
        if planned.exists():
            continue
        # The person records their own recent claims when they have a sign-in; the QI team
        # (admin) the rest, so the directorate's PPL can approve them.
        own = planned.person.user if planned.person.user_id and planned.day > settled else None
        try:
            claim = services.claim_create(
                person=planned.person, data=planned.data, by=own or admin, today=today
            )
        except ValidationError:
            continue  # e.g. over 12 hours that day: a real claim would be refused too
        made.append(claim)
        ppl = _ppl_of(claim.directorate_id)
        if ppl is None:
            continue  # a directorate without a PPL: its claims wait (the app flags it)
        if claim.date <= settled:
            if decide < 0.08:
                services.claim_reject(
                    claim=claim,
                    by=ppl,
                    reason="Not at this meeting: the team's notes do not list them.",
                )
            else:
                services.claim_approve(claim=claim, by=ppl)
        elif decide < 0.5:
            services.claim_approve(claim=claim, by=ppl)

    if not PaymentBatch.objects.filter(note=BATCH_NOTE).exists():
        to_pay = list(Claim.objects.to_pay().filter(date__lte=settled).order_by("pk"))
        if to_pay:
            batch = services.batch_create(claims=to_pay, by=admin, note=BATCH_NOTE)
            # Made a month ago and paid a little later (the demo's past, not a real change).
            PaymentBatch.objects.filter(pk=batch.pk).update(
                created_at=timezone.now() - datetime.timedelta(days=35)
            )
            batch.refresh_from_db()
            services.batch_mark_paid(
                batch=batch, by=admin, paid_on=today - datetime.timedelta(days=30), today=today
            )
            # A correction: the first paid claim's hours were wrong, so it is reversed and the
            # reversal approved (it waits for the next batch).
            original = batch.claims.order_by("pk").first()
            reversal = services.claim_reverse(
                claim=original,
                by=admin,
                reason="The meeting was shorter than recorded: reversed, to be claimed again.",
            )
            ppl = _ppl_of(reversal.directorate_id)
            if ppl is not None:
                services.claim_approve(claim=reversal, by=ppl)
    return len(made)
