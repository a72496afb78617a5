"""Demo data of the projects app, called by ``manage.py seed_demo``.

Deterministic and idempotent: every random choice comes from a seeded ``random.Random``, dates
are counted in months back from the current month, and every record has a natural key (a
project's Life QI id ``DEMO-nnn``, a forum's name, a meeting's forum and date), so running the
seed again changes nothing.

The projects tell the story the p-chart should find: five years of QI projects in which Big I
(service users or carers on the team) holds at about 20% of active projects until, about two and
a half years ago, a change idea ("no new projects without assurance of co-production") lifts it
to about 45% and it stays there. Among ended projects, those with Big I reach their aim about
2.8 times as often as those with no involvement (the seed's 2.78).
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.text import slugify

from involvement import levels
from involvement.models import Activity, ActivityKind, Person, PersonKind, TeamMembership
from involvement.months import add_months, month_of
from projects.models import (
    AimReached,
    Directorate,
    Forum,
    ForumMeeting,
    MeetingStatus,
    ProgressScore,
    Project,
    ProjectStatus,
)

# The seed's services (seed/000_…txt, first slide), as directorates of the trust.
DIRECTORATES = [
    "Newham",
    "Tower Hamlets",
    "City & Hackney",
    "Luton & Bedfordshire",
    "Forensic services",
    "Child & Adolescent services (CAMHS)",
    "Mother & Baby unit",
    "Bedfordshire Community Health Services",
    "Community Health Newham",
    "Talking therapies (IAPT)",
    "Primary care",
]


def seed_directorates() -> list[Directorate]:
    directorates = []
    for name in DIRECTORATES:
        directorate, _ = Directorate.objects.get_or_create(
            slug=slugify(name), defaults={"name": name}
        )
        directorates.append(directorate)
    return directorates


# --- projects ------------------------------------------------------------------------------------

# The generator's seed: with it the demo lands near its targets (Big I about 20% before the step
# and 45% after it; a risk ratio of about 2.8 for Big I against no involvement).
SEED = 3
PROJECT_COUNT = 150
YEARS = 5
STEP_MONTHS_AGO = 30  # the change idea that lifted Big I
BIG_I_BEFORE, BIG_I_AFTER = 0.20, 0.45
# Of the projects running at the step without Big I, the share that take an SU on then.
JOIN_AT_STEP = (BIG_I_AFTER - BIG_I_BEFORE) / (1 - BIG_I_BEFORE)
# Chance that an ended project reached its aim, by the highest level it reached.
AIM_REACHED = {"big_i": 0.58, "little_i": 0.38, "none": 0.21}

# Directorates weighted by how much QI work the demo gives them.
DIRECTORATE_WEIGHTS = {
    "Newham": 5,
    "Tower Hamlets": 4,
    "City & Hackney": 4,
    "Luton & Bedfordshire": 4,
    "Forensic services": 3,
    "Child & Adolescent services (CAMHS)": 2,
    "Mother & Baby unit": 1,
    "Bedfordshire Community Health Services": 2,
    "Community Health Newham": 2,
    "Talking therapies (IAPT)": 2,
    "Primary care": 1,
}
TOPICS = [
    "Reducing violence and aggression on",
    "Improving physical health checks in",
    "Improving the quality of carer contact on",
    "Reducing waiting times in",
    "Improving discharge planning in",
    "Reducing falls on",
    "Increasing service user involvement in",
    "Improving medication reviews in",
    "Reducing restrictive practice on",
    "Improving engagement in care in",
    "Reducing missed appointments in",
    "Improving sleep on",
    "Improving access for people with a learning disability in",
    "Increasing meaningful activity on",
]
SETTINGS = [
    "Jade Ward",
    "Ruby Ward",
    "Sapphire Ward",
    "the crisis pathway",
    "the community mental health team",
    "the liaison and diversion service",
    "the early intervention service",
    "the home treatment team",
    "the memory service",
    "the psychology service",
    "the perinatal service",
]
FIRST_NAMES = [
    "Ade", "Bea", "Chidi", "Dana", "Esme", "Farid", "Grace", "Hamid", "Ines", "Joel",
    "Kemi", "Leon", "Maya", "Nadia", "Omar", "Pat", "Rosa", "Sunil", "Tara", "Vik",
]  # fmt: skip
LAST_NAMES = [
    "Ahmed", "Brown", "Chowdhury", "Davies", "Evans", "Frost", "Green", "Hussain", "Islam",
    "Jones", "Khan", "Lewis", "Miah", "Nolan", "Okoro", "Patel", "Quinn", "Rahman",
]  # fmt: skip
ROLES = ["Team member", "Co-lead", "Service user coach", "Carer representative"]


@dataclass
class _PlannedProject:
    number: int
    title: str
    directorate: str
    start: datetime.date
    end: datetime.date | None
    status: str
    lead_name: str
    memberships: list[tuple[datetime.date, datetime.date | None, str]] = field(default_factory=list)
    activities: list[tuple[str, datetime.date, int]] = field(default_factory=list)
    scores: list[tuple[datetime.date, Decimal]] = field(default_factory=list)
    aim_reached: str = AimReached.NOT_RECORDED
    plan: str = ""
    demo_lead: bool = False

    @property
    def lifeqi_id(self) -> str:
        return f"DEMO-{self.number:03d}"


def _day(rng: random.Random, month: datetime.date) -> datetime.date:
    return month.replace(day=rng.randint(1, 28))


def _plan(today: datetime.date) -> list[_PlannedProject]:
    """Every demo project with its memberships, activities, scores and outcome: pure, so the same
    month always plans the same projects."""
    rng = random.Random(SEED)  # noqa: S311 - demo data, not security
    this_month = month_of(today)
    first_month = add_months(this_month, -12 * YEARS)
    step = add_months(this_month, -STEP_MONTHS_AGO)
    names = list(DIRECTORATE_WEIGHTS)
    weights = list(DIRECTORATE_WEIGHTS.values())
    titles: set[str] = set()
    planned = []
    for number in range(1, PROJECT_COUNT + 1):
        directorate = rng.choices(names, weights)[0]
        base = f"{rng.choice(TOPICS)} {rng.choice(SETTINGS)}"
        title, cycle = base, 1
        while title in titles:
            cycle += 1
            title = f"{base}: cycle {cycle}"
        titles.add(title)
        start = _day(rng, add_months(first_month, rng.randrange(0, 12 * YEARS - 1)))
        duration = rng.randint(6, 30)
        end = _day(rng, add_months(month_of(start), duration))
        if end < today:
            status = ProjectStatus.COMPLETED if rng.random() < 0.85 else ProjectStatus.STOPPED
        else:
            status, end = ProjectStatus.ACTIVE, None
        project = _PlannedProject(
            number=number,
            title=title,
            directorate=directorate,
            start=start,
            end=end,
            status=status,
            lead_name=f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
        )
        planned.append(project)
    # Big I is handed out in start order with an even spread (not by coin toss), so the share
    # of active projects with Big I is level before the step and after it, not a drift.
    spread = {"before": _Spread(BIG_I_BEFORE), "joins": _Spread(JOIN_AT_STEP)}
    spread["after"] = _Spread(BIG_I_AFTER)
    for project in sorted(planned, key=lambda p: (p.start, p.number)):
        _plan_involvement(project, rng, spread, step=step, today=today)
    # Outcomes, in end order, with the same even spread within each level.
    reaching = {level: _Spread(share) for level, share in AIM_REACHED.items()}
    for project in sorted(planned, key=lambda p: (p.end or today, p.number)):
        _plan_outcome_and_scores(project, rng, reaching, today=today)

    # A few drafts waiting for their co-production assurance.
    for offset, directorate in enumerate(["Newham", "Tower Hamlets", "Forensic services"]):
        number = PROJECT_COUNT + 1 + offset
        planned.append(
            _PlannedProject(
                number=number,
                title=f"{TOPICS[offset + 3]} {SETTINGS[offset + 6]} (draft)",
                directorate=directorate,
                start=_day(rng, add_months(this_month, 1)),
                end=None,
                status=ProjectStatus.DRAFT,
                lead_name=f"{FIRST_NAMES[offset]} {LAST_NAMES[offset]}",
                plan="Two service user coaches from the Working Together Group will join the "
                "team once the project starts; until then the PPL will run a focus group on "
                "the change ideas.",
            )
        )

    # The demo lead leads several Newham projects: running ones (one with a stale score), one
    # ended with its outcome not recorded, and a draft.
    newham = [p for p in planned if p.directorate == "Newham"]
    running = [p for p in newham if p.status == ProjectStatus.ACTIVE][:4]
    ended = [p for p in newham if p.status in (ProjectStatus.COMPLETED, ProjectStatus.STOPPED)][:2]
    drafts = [p for p in newham if p.status == ProjectStatus.DRAFT][:1]
    for project in running + ended + drafts:
        project.demo_lead = True
    if ended:
        ended[0].aim_reached = AimReached.NOT_RECORDED
    if running:
        stale_since = add_months(this_month, -5)
        running[0].scores = [s for s in running[0].scores if s[0] < stale_since] or [
            (max(running[0].start, add_months(this_month, -6)), Decimal("1.5"))
        ]
    return planned


class _Spread:
    """Says yes to a steady share of the calls, evenly spaced (0.2: every fifth)."""

    def __init__(self, share: float):
        self.share = share
        self.calls = 0

    def __call__(self) -> bool:
        self.calls += 1
        return int(self.calls * self.share) > int((self.calls - 1) * self.share)


def _plan_involvement(project, rng, spread, *, step, today) -> None:
    """Big I at ~20% of active projects before the step and ~45% after (projects running at the
    step join in); little i for some of the rest."""
    end = project.end
    before = project.start < step
    spans_step = before and (end is None or end >= step)
    if before and spread["before"]():
        project.memberships.append(
            (project.start + datetime.timedelta(days=rng.randint(0, 20)), None, rng.choice(ROLES))
        )
        if rng.random() < 0.4:
            project.memberships.append((project.start, None, rng.choice(ROLES)))
    elif spans_step and spread["joins"]():
        joined = _day(rng, step)
        if end is None or joined <= end:
            project.memberships.append((max(joined, project.start), None, rng.choice(ROLES)))
    elif not before and spread["after"]():
        project.memberships.append(
            (project.start + datetime.timedelta(days=rng.randint(0, 15)), None, rng.choice(ROLES))
        )
    # Memberships end with the project (or go on while it runs); clip any start past its end.
    project.memberships = [
        (min(start, end) if end else start, end, role) for start, _, role in project.memberships
    ]
    asks = rng.random() < (0.25 if project.memberships else 0.4)
    if asks:
        last = end or today
        day = project.start + datetime.timedelta(days=rng.randint(10, 60))
        while day <= last:
            project.activities.append((rng.choice(ActivityKind.values), day, rng.randint(3, 25)))
            day += datetime.timedelta(days=rng.randint(45, 110))


def _plan_outcome_and_scores(project, rng, spread, *, today) -> None:
    level = "big_i" if project.memberships else "little_i" if project.activities else "none"
    reached = None
    if project.end is not None:
        if rng.random() < 0.9:
            reached = spread[level]()
            project.aim_reached = AimReached.YES if reached else AimReached.NO
    final = Decimal("4.5") if reached else Decimal("3.0") if reached is False else Decimal("3.5")
    last = project.end or today
    stale = project.end is None and rng.random() < 0.25
    if stale:
        last = add_months(month_of(today), -rng.randint(4, 8))
    day, score = project.start + datetime.timedelta(days=14), Decimal("0.5")
    while day <= last:
        project.scores.append((day, score))
        score = min(final, score + Decimal("0.5"))
        day += datetime.timedelta(days=rng.randint(50, 80))


def _people_pool(directorate: Directorate, number: int) -> list[Person]:
    """The directorate's people: those in the register, or a few demo people made for it."""
    pool = list(Person.objects.filter(directorates=directorate).order_by("pk")[:12])
    if pool:
        return pool
    for index in range(6):
        first = FIRST_NAMES[(number * 3 + index * 7) % len(FIRST_NAMES)]
        last = LAST_NAMES[(number * 5 + index * 3) % len(LAST_NAMES)]
        person, _ = Person.objects.get_or_create(
            name=f"{first} {last}",
            defaults={"kind": PersonKind.CARER if index % 3 == 2 else PersonKind.SERVICE_USER},
        )
        person.directorates.add(directorate)
        pool.append(person)
    return pool


def seed_projects(*, today: datetime.date | None = None) -> int:
    """Create the demo projects, their involvement and forums; returns how many projects were
    created now (0 on a second run)."""
    today = today or timezone.localdate()
    directorates = {d.name: d for d in Directorate.objects.all()}
    lead_user = get_user_model().objects.filter(username="lead").first()
    pools: dict[str, list[Person]] = {}
    created = 0
    with levels.deferred_rebuilds():
        existing = set(
            Project.objects.filter(lifeqi_id__startswith="DEMO-").values_list(
                "lifeqi_id", flat=True
            )
        )
        memberships, activities, scores, activity_people = [], [], [], []
        for planned in _plan(today):
            if planned.lifeqi_id in existing or planned.directorate not in directorates:
                continue
            directorate = directorates[planned.directorate]
            project = Project.objects.create(
                lifeqi_id=planned.lifeqi_id,
                title=planned.title,
                directorate=directorate,
                lead=lead_user if planned.demo_lead else None,
                lead_name="" if planned.demo_lead and lead_user else planned.lead_name,
                aim=f"By {add_months(month_of(planned.start), 12):%B %Y}, "
                f"{planned.title[0].lower()}{planned.title[1:]} by 30%.",
                start_date=planned.start,
                end_date=planned.end,
                status=planned.status,
                aim_reached=planned.aim_reached,
                coproduction_plan=planned.plan,
            )
            created += 1
            if planned.directorate not in pools:
                pools[planned.directorate] = _people_pool(directorate, len(pools))
            pool = pools[planned.directorate]
            members = random.Random(planned.number).sample(  # noqa: S311
                pool, min(len(pool), len(planned.memberships))
            )
            for person, (start, end, role) in zip(members, planned.memberships, strict=False):
                memberships.append(
                    TeamMembership(
                        project=project, person=person, start_date=start, end_date=end, role=role
                    )
                )
            for index, (kind, day, count) in enumerate(planned.activities):
                activity = Activity(project=project, kind=kind, date=day, participants=count)
                activities.append(activity)
                if index % 2 == 0 and pool:
                    activity_people.append((activity, pool[(planned.number + index) % len(pool)]))
            scores.extend(
                ProgressScore(project=project, date=day, score=score)
                for day, score in planned.scores
            )
        # Bulk writes send no signals: every project here was just created, so the deferred
        # rebuild at the end of this block already covers it.
        TeamMembership.objects.bulk_create(memberships)
        Activity.objects.bulk_create(activities)
        ProgressScore.objects.bulk_create(scores)
        Activity.people.through.objects.bulk_create(
            [
                Activity.people.through(activity_id=activity.pk, person_id=person.pk)
                for activity, person in activity_people
            ]
        )
    seed_forums(today=today)
    return created


# --- forums --------------------------------------------------------------------------------------

FORUMS = [
    ("Newham QI forum", ["Newham", "Community Health Newham"]),
    ("Tower Hamlets QI forum", ["Tower Hamlets"]),
    ("City & Hackney QI forum", ["City & Hackney"]),
    (
        "Luton & Bedfordshire QI forum",
        ["Luton & Bedfordshire", "Bedfordshire Community Health Services"],
    ),
    ("Forensic services QI forum", ["Forensic services"]),
    (
        "Children, young people and families QI forum",
        ["Child & Adolescent services (CAMHS)", "Mother & Baby unit"],
    ),
    ("Primary care and talking therapies QI forum", ["Primary care", "Talking therapies (IAPT)"]),
]
CHAIRED_BY_DEMO_CHAIR = "Newham QI forum"
CANCELLATION_NOTES = [
    "Chair unwell",
    "Room not available",
    "Low attendance expected",
    "Clash with the trust's board meeting",
]


def _second_tuesday(month: datetime.date) -> datetime.date:
    first_tuesday = month + datetime.timedelta(days=(1 - month.weekday()) % 7)
    return first_tuesday + datetime.timedelta(days=7)


def seed_forums(*, today: datetime.date) -> None:
    """One forum per group of directorates, meeting on the second Tuesday of each month for the
    last two years (some cancelled, a few at short notice) and planned for the next two months."""
    chair = get_user_model().objects.filter(username="chair").first()
    directorates = {d.name: d for d in Directorate.objects.all()}
    this_month = month_of(today)
    for index, (name, members) in enumerate(FORUMS):
        forum, created = Forum.objects.get_or_create(
            name=name, defaults={"chair": chair if name == CHAIRED_BY_DEMO_CHAIR else None}
        )
        forum.directorates.add(*[directorates[m] for m in members if m in directorates])
        if not created:
            continue
        rng = random.Random(SEED + index)  # noqa: S311 - demo data, not security
        meetings = []
        for offset in range(-24, 3):
            date = _second_tuesday(add_months(this_month, offset))
            meeting = ForumMeeting(forum=forum, date=date, status=MeetingStatus.PLANNED)
            if date < today:
                meeting.status = MeetingStatus.HELD
                roll = rng.random()
                # The chair's forum gets two short-notice cancellations in the last year, so its
                # page has something to show.
                forced = name == CHAIRED_BY_DEMO_CHAIR and offset in (-3, -8)
                if forced or roll < 0.06:
                    meeting.status = MeetingStatus.CANCELLED
                    meeting.cancellation_announced_on = date - datetime.timedelta(
                        days=rng.randint(1, 4)
                    )
                    meeting.note = rng.choice(CANCELLATION_NOTES)
                elif roll < 0.14:
                    meeting.status = MeetingStatus.CANCELLED
                    meeting.cancellation_announced_on = date - datetime.timedelta(
                        days=rng.randint(14, 30)
                    )
                    meeting.note = "Moved to the joint forum this month"
            meetings.append(meeting)
        ForumMeeting.objects.bulk_create(meetings, ignore_conflicts=True)
