"""Known data for the involvement report's tests, every figure of the report worked out by hand.

The period is January to June 2025 ("now" is June 2025; a year before is June 2024).

Newham (PPLs: ``ppl`` and ``both``; an inactive PPL and a project lead do not count):
- P1 Calm wards, from Jan 2024, Alex on the team from the start → Big I now and a year before.
- P2 Kind words, from Jan 2024, a survey on 10 May 2025 naming Bea → little i now, none before.
- P3 New clinic, from Feb 2025, nothing → no involvement now (a flag); not active a year before.
- P4 Old project, Jan–Dec 2024, Dee on the team all along → Big I a year before; ended.
- P5 Done well, Jan 2024 – 31 Mar 2025, completed, aim reached, Alex on the team → Big I before.
- P6 Done badly, Jan 2024 – 31 May 2025, stopped, aim not reached, no involvement.
  Now: 3 active (P1–P3), 1 Big I (33%), 2 any (67%). A year before: 5 active (P1, P2, P4–P6),
  3 Big I (60%). People involved in the period: Alex, Bea (Dee's membership ended before it).
Forensic services (PPLs: ``other_ppl`` and ``both``):
- F1 Secure ward, from June 2024, Cat on the team March–April 2025, a focus group on 10 Feb 2025
  naming Alex → no involvement now (a flag). People involved: Alex, Cat.
CAMHS: no PPL (a flag), no projects.
All together: 4 active now, 1 Big I (25%), 2 any (50%); a year before 6 active, 3 Big I (50%);
3 PPLs (``both`` once); 3 people (Alex once).

Payments (claims for involvement dated in the period; hourly rate £16.50): Newham £33.00 approved
on 3 Mar 2025 then reversed (−£33.00), £24.75 (1.5 h) paid, a rejected and a waiting claim and
one from December 2024 that do not count → approved £24.75, of which paid £24.75. Forensic:
£16.50 (1 h) approved, not paid. All together £41.25 approved, £24.75 paid.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone

from charts.reports import Period
from involvement import services_payments as payments
from involvement.access import Role
from involvement.models_payments import Rate, RateKind
from involvement.services_payments import ClaimInput
from projects.models import Forum
from tests.factories import (
    ActivityFactory,
    DirectorateFactory,
    MembershipFactory,
    PersonFactory,
    ProjectFactory,
    RoleDescriptionFactory,
    UserFactory,
)

D = datetime.date
PERIOD = Period(D(2025, 1, 1), D(2025, 6, 1))
JAN_2024 = D(2024, 1, 15)


@dataclass
class ReportWorld:
    newham: object
    forensic: object
    camhs: object
    projects: dict
    people: dict
    users: dict
    extra: dict = field(default_factory=dict)


def build(directorate, other_directorate, ppl, other_ppl, admin_user) -> ReportWorld:
    newham, forensic = directorate, other_directorate
    camhs = DirectorateFactory(name="CAMHS")
    both = UserFactory(username="ppl-both", roles=[Role.PPL], directorates=[newham, forensic])
    UserFactory(username="ppl-left", roles=[Role.PPL], directorates=[newham], is_active=False)
    UserFactory(username="lead-newham", roles=[Role.LEAD], directorates=[newham])

    alex = PersonFactory(name="Alex Example", directorates=[newham, forensic])
    bea = PersonFactory(name="Bea Example", directorates=[newham])
    cat = PersonFactory(name="Cat Example", directorates=[forensic])
    dee = PersonFactory(name="Dee Example", directorates=[newham])

    p1 = ProjectFactory(title="Calm wards", directorate=newham, start_date=JAN_2024)
    m1 = MembershipFactory(project=p1, person=alex, start_date=JAN_2024)
    p2 = ProjectFactory(title="Kind words", directorate=newham, start_date=JAN_2024)
    survey = ActivityFactory(project=p2, date=D(2025, 5, 10))
    survey.people.add(bea)
    p3 = ProjectFactory(title="New clinic", directorate=newham, start_date=D(2025, 2, 1))
    p4 = ProjectFactory(
        title="Old project",
        directorate=newham,
        start_date=JAN_2024,
        end_date=D(2024, 12, 31),
        status="completed",
        aim_reached="no",
    )
    MembershipFactory(project=p4, person=dee, start_date=JAN_2024, end_date=D(2024, 12, 31))
    p5 = ProjectFactory(
        title="Done well",
        directorate=newham,
        start_date=JAN_2024,
        end_date=D(2025, 3, 31),
        status="completed",
        aim_reached="yes",
    )
    MembershipFactory(project=p5, person=alex, start_date=JAN_2024, end_date=D(2025, 3, 31))
    p6 = ProjectFactory(
        title="Done badly",
        directorate=newham,
        start_date=JAN_2024,
        end_date=D(2025, 5, 31),
        status="stopped",
        aim_reached="no",
    )
    f1 = ProjectFactory(title="Secure ward", directorate=forensic, start_date=D(2024, 6, 1))
    mf = MembershipFactory(
        project=f1, person=cat, start_date=D(2025, 3, 1), end_date=D(2025, 4, 30)
    )
    group = ActivityFactory(project=f1, kind="focus_group", date=D(2025, 2, 10))
    group.people.add(alex)

    world = ReportWorld(
        newham=newham,
        forensic=forensic,
        camhs=camhs,
        projects={"p1": p1, "p2": p2, "p3": p3, "p4": p4, "p5": p5, "p6": p6, "f1": f1},
        people={"alex": alex, "bea": bea, "cat": cat, "dee": dee},
        users={"ppl": ppl, "other_ppl": other_ppl, "both": both, "admin": admin_user},
    )
    _payments(world, m1, mf)
    _role_descriptions(world)
    _forums(world)
    return world


def _payments(world: ReportWorld, newham_membership, forensic_membership) -> None:
    ppl, other_ppl, both = world.users["ppl"], world.users["other_ppl"], world.users["both"]
    Rate.objects.create(kind=RateKind.HOURLY, amount=Decimal("16.50"), effective_from=D(2024, 4, 6))

    def claim(membership, day, hours, by):
        return payments.claim_create(
            person=membership.person,
            data=ClaimInput(
                rate_kind=RateKind.HOURLY, hours=Decimal(hours), date=day, membership=membership
            ),
            by=by,
        )

    approved = payments.claim_approve(
        claim=claim(newham_membership, D(2025, 3, 3), "2", ppl), by=both
    )
    reversal = payments.claim_reverse(claim=approved, by=ppl, reason="Counted twice")
    payments.claim_approve(claim=reversal, by=both)
    paid = payments.claim_approve(
        claim=claim(newham_membership, D(2025, 4, 7), "1.5", ppl), by=both
    )
    batch = payments.batch_create(claims=[paid], by=both)
    payments.batch_mark_paid(batch=batch, by=both, paid_on=timezone.localdate())
    payments.claim_reject(
        claim=claim(newham_membership, D(2025, 2, 10), "3", ppl), by=both, reason="Not a meeting"
    )
    claim(newham_membership, D(2025, 5, 5), "2", ppl)  # waiting for approval
    payments.claim_approve(claim=claim(newham_membership, D(2024, 12, 2), "2", ppl), by=both)
    payments.claim_approve(
        claim=claim(forensic_membership, D(2025, 3, 10), "1", other_ppl), by=both
    )


def _role_descriptions(world: ReportWorld) -> None:
    alex, p1 = world.people["alex"], world.projects["p1"]
    world.extra["due"] = RoleDescriptionFactory(
        person=alex, project=p1, status="agreed", role="Co-chair", review_date=D(2024, 8, 1)
    )
    RoleDescriptionFactory(  # agreed, reviewed later than the period: not due
        person=alex, project=p1, status="agreed", review_date=D(2025, 12, 1)
    )
    RoleDescriptionFactory(person=alex, project=p1, review_date=D(2024, 8, 1))  # a draft


def _forums(world: ReportWorld) -> None:
    newham_forum = Forum.objects.create(name="Newham QI forum")
    newham_forum.directorates.add(world.newham)
    meetings = newham_forum.meetings
    meetings.create(
        date=D(2025, 3, 10), status="cancelled", cancellation_announced_on=D(2025, 3, 8)
    )
    meetings.create(
        date=D(2025, 4, 14), status="cancelled", cancellation_announced_on=D(2025, 3, 1)
    )
    meetings.create(
        date=D(2024, 11, 11), status="cancelled", cancellation_announced_on=D(2024, 11, 10)
    )
    meetings.create(date=D(2025, 5, 12), status="held")
    forensic_forum = Forum.objects.create(name="Forensic QI forum")
    forensic_forum.directorates.add(world.forensic)


def add_stories(world: ReportWorld) -> dict:
    """Published stories around the period's end (30 June 2025), and two that must not show."""
    from stories.models import Story

    def story(title, day, directorate=None, status="published", easy=""):
        at = timezone.make_aware(datetime.datetime(day.year, day.month, day.day, 12))
        return Story.objects.create(
            title=title,
            body="What happened.",
            summary=f"Summary of {title}.",
            easy_read_summary=easy,
            directorate=directorate,
            status=status,
            published_at=at,
        )

    return {
        "newham_old": story("Newham listens", D(2025, 1, 10), world.newham, easy="We listened."),
        "trust": story("Everyone together", D(2025, 5, 1), easy="We worked together."),
        "forensic": story("Forensic voices", D(2025, 6, 20), world.forensic),
        "too_late": story("After the period", D(2025, 8, 1), world.newham),
        "withdrawn": story("Taken back", D(2025, 6, 25), world.newham, status="withdrawn"),
    }
