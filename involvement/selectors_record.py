"""A person's record of involvement (issue 11): what they did, something to show for it — for
example when applying for peer support work. Read only; built from the records the app already
keeps, in a fixed number of queries whatever the length of the record.

Amounts paid are personal: they are read only when the person (or the staff member printing the
record) asks for them.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, DecimalField, Max, Min, Q, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from involvement.choices import PaymentPreference
from involvement.models import Activity, Person, RoleDescription, TeamMembership, Training
from involvement.models_payments import Claim, ClaimStatus
from involvement.models_people import Opportunity

ZERO = Decimal("0.00")

# Claims that say the person took part: any not rejected. A reversal corrects the time or money of
# a claim, so it counts in the sums (it nets out) but does not add a piece of involvement.
COUNTED = (ClaimStatus.SUBMITTED, ClaimStatus.APPROVED, ClaimStatus.PAID)


def _sum(field: str, condition: Q | None = None):
    return Coalesce(
        Sum(field, filter=condition),
        Value(ZERO),
        output_field=DecimalField(max_digits=12, decimal_places=2),
    )


@dataclass(frozen=True)
class Hours:
    """Hours recorded for payment claims (those not rejected), by what they were for."""

    total: Decimal
    project_teams: Decimal
    activities: Decimal
    forum_meetings: Decimal
    opportunities: Decimal

    @property
    def parts(self) -> list[tuple[str, Decimal]]:
        return [
            (label, hours)
            for label, hours in (
                ("Project team meetings", self.project_teams),
                ("Little-i activities (feedback and ideas)", self.activities),
                ("QI forum meetings", self.forum_meetings),
                ("Opportunities beyond QI projects", self.opportunities),
            )
            if hours
        ]


@dataclass(frozen=True)
class AmountsPaid:
    total: Decimal
    bank: Decimal
    vouchers: Decimal
    payments: int  # claims paid
    first: datetime.date | None
    last: datetime.date | None


@dataclass(frozen=True)
class RecordOfInvolvement:
    person: Person
    made_on: datetime.date
    memberships: list[TeamMembership]
    activities: list[Activity]
    role_descriptions: list[RoleDescription]
    training: list[Training]
    opportunities: list[Opportunity]  # with first_date and last_date
    forum_meetings: list[dict]  # forum__name, meetings, first, last
    hours: Hours
    stories: list
    amounts: AmountsPaid | None  # None unless asked for

    @property
    def is_empty(self) -> bool:
        return not (
            self.memberships
            or self.activities
            or self.role_descriptions
            or self.training
            or self.opportunities
            or self.forum_meetings
            or self.hours.total
            or self.stories
        )

    @property
    def since(self) -> datetime.date | None:
        """The first date on the record: when they started taking part."""
        dates = [m.start_date for m in self.memberships]
        dates += [a.date for a in self.activities]
        dates += [o.first_date for o in self.opportunities]
        dates += [f["first"] for f in self.forum_meetings]
        dates += [t.completed_on for t in self.training]
        return min(dates, default=None)


def record_of(person: Person, *, include_amounts: bool = False) -> RecordOfInvolvement:
    """Everything the person has done, oldest first, with the hours (and, when asked, the amounts
    paid) summed by the database."""
    claims = Claim.objects.filter(person=person)
    counted = claims.filter(status__in=COUNTED)
    hours = counted.aggregate(
        total=_sum("hours"),
        project_teams=_sum("hours", Q(membership__isnull=False)),
        activities=_sum("hours", Q(activity__isnull=False)),
        forum_meetings=_sum("hours", Q(forum_meeting__isnull=False)),
        opportunities=_sum("hours", Q(opportunity__isnull=False)),
    )
    taking_part = counted.filter(reverses__isnull=True)
    opportunities = list(
        Opportunity.objects.filter(
            claims__in=taking_part.filter(opportunity__isnull=False).values("pk")
        )
        .annotate(first_date=Min("claims__date"), last_date=Max("claims__date"))
        .order_by("first_date", "title")
    )
    forum_meetings = list(
        taking_part.filter(forum_meeting__isnull=False)
        .values("forum_meeting__forum__name")
        .annotate(
            meetings=Count("forum_meeting", distinct=True), first=Min("date"), last=Max("date")
        )
        .order_by("first", "forum_meeting__forum__name")
    )
    amounts = None
    if include_amounts:
        paid = claims.filter(status=ClaimStatus.PAID)
        row = paid.aggregate(
            total=_sum("amount"),
            bank=_sum("amount", Q(payment_preference=PaymentPreference.PAID)),
            vouchers=_sum("amount", Q(payment_preference=PaymentPreference.VOUCHERS)),
            payments=Count("pk", filter=Q(reverses__isnull=True)),
            first=Min("paid_on"),
            last=Max("paid_on"),
        )
        amounts = AmountsPaid(**row)
    return RecordOfInvolvement(
        person=person,
        made_on=timezone.localdate(),
        memberships=list(
            person.memberships.select_related("project__directorate").order_by("start_date", "pk")
        ),
        activities=list(person.activities.select_related("project").order_by("date", "pk")),
        role_descriptions=list(
            person.role_descriptions.filter(agreed_at__isnull=False)
            .select_related("project", "ppl_agreed_by")
            .order_by("start_date", "version", "pk")
        ),
        training=list(person.training.order_by("completed_on", "course")),
        opportunities=opportunities,
        forum_meetings=forum_meetings,
        hours=Hours(**hours),
        # Stories hang off people (the stories app builds on this one), so they are reached from
        # the person: the related manager is the story queryset's, with ``published()``.
        stories=list(
            person.stories_written.published()
            .select_related("directorate")
            .order_by("published_at", "pk")
        ),
        amounts=amounts,
    )
