"""Shared set-up of the payments tests: rates with a rise, a Newham person on a project team, two
PPLs of Newham (one records, the other approves), and a helper that records a claim through the
service. Each test module makes its ``pay`` fixture with ``make_pay``."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from involvement import services_payments as services
from involvement.access import Role
from involvement.models_payments import Claim, Rate, RateKind
from involvement.services_payments import ClaimInput

# A fixed "today" for the services, so the tests do not depend on the calendar.
TODAY = datetime.date(2025, 6, 30)
RISE = datetime.date(2024, 10, 1)  # the hourly rate goes from £15.00 to £16.50
BEFORE_RISE = datetime.date(2024, 9, 30)


@dataclass
class Pay:
    directorate: object
    other_directorate: object
    recorder: object  # a PPL of Newham who records claims
    approver: object  # another PPL of Newham, who approves them
    admin: object
    other_ppl: object
    person: object
    project: object
    membership: object

    def claim(
        self,
        *,
        hours: str = "2",
        day: datetime.date = datetime.date(2025, 3, 3),
        by=None,
        person=None,
        membership=None,
        rate_kind: str = RateKind.HOURLY,
        today: datetime.date = TODAY,
        **extra,
    ) -> Claim:
        """Record a claim for a team meeting (by the recording PPL unless ``by`` says)."""
        data = ClaimInput(
            rate_kind=rate_kind,
            hours=Decimal(hours) if hours is not None else None,
            date=day,
            membership=membership or self.membership,
            **extra,
        )
        return services.claim_create(
            person=person or self.person, data=data, by=by or self.recorder, today=today
        )

    def approved(self, **kwargs) -> Claim:
        claim = self.claim(**kwargs)
        return services.claim_approve(claim=claim, by=self.approver)

    def paid(self, *, paid_on: datetime.date = datetime.date(2025, 4, 10), **kwargs) -> Claim:
        import time_machine

        claim = self.approved(**kwargs)
        # The batch is made on the day it is paid (a batch cannot be paid before it was made).
        with time_machine.travel(datetime.datetime(paid_on.year, paid_on.month, paid_on.day, 12)):
            batch = services.batch_create(claims=[claim], by=self.approver)
        services.batch_mark_paid(batch=batch, by=self.approver, paid_on=paid_on, today=TODAY)
        claim.refresh_from_db()
        return claim


def make_rates(by=None) -> None:
    for kind, amount, day in [
        (RateKind.HOURLY, "15.00", datetime.date(2024, 4, 6)),
        (RateKind.HOURLY, "16.50", RISE),
        (RateKind.HALF_DAY, "50.00", datetime.date(2024, 4, 6)),
        (RateKind.FULL_DAY, "100.00", datetime.date(2024, 4, 6)),
        (RateKind.MEETING, "25.00", datetime.date(2024, 4, 6)),
    ]:
        Rate.objects.create(kind=kind, amount=Decimal(amount), effective_from=day, created_by=by)


def make_pay(directorate, other_directorate, ppl, other_ppl, admin_user) -> Pay:
    from tests.factories import MembershipFactory, PersonFactory, ProjectFactory, UserFactory

    make_rates(admin_user)
    approver = UserFactory(username="ppl-approver", roles=[Role.PPL], directorates=[directorate])
    project = ProjectFactory(
        title="Calmer wards", directorate=directorate, start_date=datetime.date(2024, 1, 15)
    )
    person = PersonFactory(name="Rosa Walker", directorates=[directorate])
    membership = MembershipFactory(
        project=project, person=person, start_date=datetime.date(2024, 1, 15)
    )
    return Pay(
        directorate=directorate,
        other_directorate=other_directorate,
        recorder=ppl,
        approver=approver,
        admin=admin_user,
        other_ppl=other_ppl,
        person=person,
        project=project,
        membership=membership,
    )
