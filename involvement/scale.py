"""Scale data of the involvement app, for ``manage.py seed_scale``: the users the benchmark signs in
as, the people register, team memberships (Big I), little-i activities, the derived table of
project levels per month, opportunities, what projects need, and role descriptions.

Bulk inserts throughout (see ``projects.scale``). The rows whose history the app shows (people,
team memberships, role descriptions) get their "created" history row, dated when the record was
made: ``bulk_create_with_history`` for the smaller tables, ``insert_with_history`` (the same rows,
by COPY) for the 20,000 memberships. The many-to-many parts of a person's history (their
directorates and interests) are not written: simple-history records those only from the
``m2m_changed`` signal, and the erasure and history pages read them from the person's rows, which
are there.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from involvement import levels
from involvement.access import Role, role_group
from involvement.choices import (
    AccessNeed,
    AttendanceMode,
    Day,
    OpportunityKind,
    PaymentPreference,
    RoleDescriptionStatus,
    TimeOfDay,
)
from involvement.demo_people import DEFAULT_INTERESTS, FIRST_NAMES, LANGUAGES, LAST_NAMES
from involvement.models import (
    Activity,
    ActivityKind,
    Interest,
    LevelsState,
    Opportunity,
    OpportunityInterest,
    Person,
    PersonKind,
    PreferredContact,
    ProjectMonth,
    ProjectNeeds,
    RoleDescription,
    TeamMembership,
    Training,
)
from involvement.services_people import months_later
from projects.models import Directorate, Level, Project, ProjectStatus
from projects.scale import (
    BATCH,
    ProjectPlan,
    ScaleSize,
    Timeline,
    at,
    directorate_weight,
    end_of,
    given_timestamps,
    insert,
    insert_with_history,
    month_span,
    past,
    random_day,
    rng_for,
    share_out,
)

PPL_COUNT = 20
ROLES = ["Team member", "Co-lead", "Service user coach", "Carer representative"]
ACTIVITY_NOTES = [
    "Ideas for the next test of change",
    "Feedback on the new leaflet",
    "What would make the ward feel safer",
    "Views on the discharge checklist",
    "",
    "",
]


# --- users ---------------------------------------------------------------------------------------


@dataclass
class ScaleUsers:
    """The accounts the benchmark signs in as, and the staff who record and decide things."""

    admin: object
    ppls: list  # scale-ppl-01 … scale-ppl-20
    ppls_of: dict[int, list]  # directorate pk → its benchmark PPLs
    office_of: dict[int, object]  # directorate pk → the PPL who records its claims
    lead: object
    chair: object
    su: object
    # Directorates each staff user works in (the PPL rules read them).
    directorates_of: dict[int, set[int]] = field(default_factory=dict)


def _user(username: str, first: str, last: str, password_hash: str, joined, **extra):
    User = get_user_model()
    return User(
        username=username,
        first_name=first,
        last_name=last,
        email=f"{username}@example.nhs.uk",
        password=password_hash,
        date_joined=joined,
        **extra,
    )


def create_users(
    *, directorates: list[Directorate], password_hash: str, timeline: Timeline
) -> ScaleUsers:
    """``scale-admin``, ``scale-ppl-01`` … ``-20`` spread over the directorates (each has at least
    one), a second PPL per directorate (``scale-office-NN``) who records claims so the benchmark
    PPLs have claims to approve that are not their own, ``scale-lead``, ``scale-chair`` and
    ``scale-su``. Every one has the same password (hashed once by the caller)."""
    User = get_user_model()
    joined = at(timeline.first_month)
    admin = _user(
        "scale-admin", "Ama", "Owusu", password_hash, joined, is_staff=True, is_superuser=True
    )
    ppls = [
        _user(
            f"scale-ppl-{i + 1:02d}",
            FIRST_NAMES[i % len(FIRST_NAMES)],
            LAST_NAMES[(i * 7) % len(LAST_NAMES)],
            password_hash,
            joined,
        )
        for i in range(PPL_COUNT)
    ]
    office = [
        _user(f"scale-office-{i + 1:02d}", "Office", d.name[:100], password_hash, joined)
        for i, d in enumerate(directorates)
    ]
    lead = _user("scale-lead", "Lola", "Byrne", password_hash, joined)
    chair = _user("scale-chair", "Chris", "Mensah", password_hash, joined)
    su = _user("scale-su", "Sasha", "Morgan", password_hash, joined)
    everyone = [admin, *ppls, *office, lead, chair, su]
    User.objects.bulk_create(everyone)

    roles = [(admin, Role.ADMIN), (lead, Role.LEAD), (chair, Role.CHAIR), (su, Role.SU)]
    roles += [(user, Role.PPL) for user in ppls + office]
    Groups = User.groups.through
    Groups.objects.bulk_create(
        [Groups(user_id=user.pk, group_id=role_group(role).pk) for user, role in roles]
    )
    ppls_of: dict[int, list] = defaultdict(list)
    staff = []
    for index, user in enumerate(ppls):
        directorate = directorates[index % len(directorates)]
        ppls_of[directorate.pk].append(user)
        staff.append((directorate.pk, user))
    office_of = {}
    for directorate, user in zip(directorates, office, strict=True):
        office_of[directorate.pk] = user
        staff.append((directorate.pk, user))
    staff.append((directorates[0].pk, lead))
    Staff = Directorate.staff.through
    Staff.objects.bulk_create(
        [Staff(directorate_id=pk, user_id=user.pk) for pk, user in staff], batch_size=BATCH
    )
    directorates_of: dict[int, set[int]] = defaultdict(set)
    for pk, user in staff:
        directorates_of[user.pk].add(pk)
    return ScaleUsers(
        admin=admin,
        ppls=ppls,
        ppls_of=dict(ppls_of),
        office_of=office_of,
        lead=lead,
        chair=chair,
        su=su,
        directorates_of=dict(directorates_of),
    )


# --- people --------------------------------------------------------------------------------------


@dataclass
class People:
    people: list[Person]
    directorates_of: dict[int, list[int]]  # person pk → directorate pks
    interests_of: dict[int, list[str]]  # person pk → interest names
    pools: dict[int, list[Person]]  # directorate pk → its people (scale-su left out)
    su_person: Person
    logins: list  # the people's own users (scale-su's included)


def _interests() -> list[Interest]:
    interests = list(Interest.objects.order_by("name"))
    if not interests:
        Interest.objects.bulk_create([Interest(name=name) for name in DEFAULT_INTERESTS])
        interests = list(Interest.objects.order_by("name"))
    return interests


def _sorted_sample(rng, values: list[str], most: int) -> list[str]:
    chosen = set(rng.sample(values, rng.randint(0, most)))
    return [value for value in values if value in chosen]


def create_people(
    *,
    size: ScaleSize,
    timeline: Timeline,
    directorates: list[Directorate],
    users: ScaleUsers,
    password_hash: str,
    seed: int,
) -> People:
    """The register: service users and carers with interests, availability, access needs and
    payment preferences; a fifth have signed up (their own sign-in, in the SU group). The first
    is ``scale-su``'s record, in the first directorate."""
    rng = rng_for(seed, "people")
    interests = _interests()
    weights = [directorate_weight(i) for i in range(len(directorates))]
    User = get_user_model()
    people: list[Person] = []
    homes: list[list[Directorate]] = []
    chosen_interests: list[list[Interest]] = []
    latest_join = max(timeline.first_month, timeline.today - datetime.timedelta(days=30))
    for number in range(size.people):
        first = FIRST_NAMES[rng.randrange(len(FIRST_NAMES))]
        last = LAST_NAMES[rng.randrange(len(LAST_NAMES))]
        name = f"{first} {last}" if number else "Sasha Morgan"
        if number == 0:
            home = [directorates[0]]
        elif number < len(directorates):
            home = [directorates[number]]  # every directorate has someone
        else:
            home = [rng.choices(directorates, weights=weights)[0]]
        if number and rng.random() < 0.15:
            other = rng.choices(directorates, weights=weights)[0]
            if other is not home[0]:
                home.append(other)
        needs = [need for need in AccessNeed.values if rng.random() < 0.15]
        payment = rng.choices(PaymentPreference.values, weights=[7, 2, 1])[0]
        joined = at(random_day(rng, timeline.first_month, latest_join), 9 + rng.randint(0, 8))
        person = Person(
            kind=rng.choices(PersonKind.values, weights=[6, 3, 1])[0],
            name=name,
            email=f"{name.replace(' ', '.')}.{number + 1}@example.org".lower(),
            phone=f"07700 9{number % 100000:05d}",
            address=f"{rng.randint(1, 200)} {rng.choice(LAST_NAMES)} Road, London"
            if rng.random() < 0.6
            else "",
            preferred_contact=rng.choice(PreferredContact.values),
            available_days=_sorted_sample(rng, Day.values[:5], 3),
            available_times=_sorted_sample(rng, TimeOfDay.values, 2),
            attendance=rng.choices(AttendanceMode.values, weights=[3, 3, 4])[0],
            access_needs=needs,
            interpreter_language=rng.choice(LANGUAGES) if AccessNeed.INTERPRETER in needs else "",
            lifeqi_access=rng.random() < 0.4,
            payment_preference=PaymentPreference.PAID if number == 0 else payment,
            active=number == 0 or rng.random() > 0.07,
            created_at=joined,
            updated_at=joined,
        )
        person._history_date = joined
        people.append(person)
        homes.append(home)
        chosen_interests.append(rng.sample(interests, rng.randint(0, 3)))

    # Sign-ins: scale-su's, and a fifth of the others (active people) who have signed up.
    signed_up = sorted(
        rng.sample(
            [i for i in range(1, size.people) if people[i].active],
            min(size.people_with_logins, sum(1 for p in people[1:] if p.active)),
        )
    )
    people[0].user = users.su
    logins = [users.su]
    new_users = []
    for index in signed_up:
        person = people[index]
        first, _, last = person.name.partition(" ")
        new_users.append(
            _user(f"scale-person-{index:05d}", first, last, password_hash, person.created_at)
        )
    User.objects.bulk_create(new_users, batch_size=BATCH)
    Groups = User.groups.through
    su_group = role_group(Role.SU).pk
    Groups.objects.bulk_create(
        [Groups(user_id=user.pk, group_id=su_group) for user in new_users], batch_size=BATCH
    )
    for index, user in zip(signed_up, new_users, strict=True):
        people[index].user = user
    logins += new_users

    with given_timestamps(Person):
        bulk_create_with_history(
            people, Person, batch_size=BATCH, default_change_reason="Scale data"
        )
    PersonDirectorates = Person.directorates.through
    PersonDirectorates.objects.bulk_create(
        [
            PersonDirectorates(person_id=person.pk, directorate_id=d.pk)
            for person, home in zip(people, homes, strict=True)
            for d in home
        ],
        batch_size=BATCH,
    )
    PersonInterests = Person.interests.through
    PersonInterests.objects.bulk_create(
        [
            PersonInterests(person_id=person.pk, interest_id=interest.pk)
            for person, chosen in zip(people, chosen_interests, strict=True)
            for interest in chosen
        ],
        batch_size=BATCH,
    )
    Training.objects.bulk_create(
        [
            Training(
                person=person,
                course="Pocket QI",
                completed_on=random_day(rng, person.created_at.date(), timeline.today),
            )
            for person in people
            if rng.random() < 0.4
        ],
        batch_size=BATCH,
    )
    pools: dict[int, list[Person]] = defaultdict(list)
    for person, home in zip(people[1:], homes[1:], strict=True):
        for d in home:
            pools[d.pk].append(person)
    return People(
        people=people,
        directorates_of={p.pk: [d.pk for d in home] for p, home in zip(people, homes, strict=True)},
        interests_of={
            p.pk: [i.name for i in chosen]
            for p, chosen in zip(people, chosen_interests, strict=True)
        },
        pools=dict(pools),
        su_person=people[0],
        logins=logins,
    )


# --- team memberships (Big I) --------------------------------------------------------------------


def _recorder(users: ScaleUsers, directorate_id: int, rng):
    """Who logged it: one of the directorate's PPLs."""
    return rng.choice([*users.ppls_of.get(directorate_id, []), users.office_of[directorate_id]])


def _membership_end(rng, plan: ProjectPlan, start: datetime.date, today: datetime.date):
    project = plan.project
    if project.end_date is not None:
        return project.end_date if rng.random() < 0.7 else random_day(rng, start, project.end_date)
    return None if rng.random() < 0.75 else random_day(rng, start, today)


def _stints(rng, first: datetime.date, last: datetime.date, count: int) -> list[datetime.date]:
    """Start days of ``count`` back-to-back stints from ``first`` to ``last`` (a person who left
    the team and came back)."""
    if count == 1:
        return [first]
    cuts = sorted(rng.sample(range(1, (last - first).days + 1), count - 1))
    return [first] + [first + datetime.timedelta(days=cut) for cut in cuts]


def create_memberships(
    *,
    size: ScaleSize,
    timeline: Timeline,
    plans: list[ProjectPlan],
    people: People,
    users: ScaleUsers,
    seed: int,
) -> list[TeamMembership]:
    """``size.memberships`` SU team memberships on the projects planned to have Big I, from the
    people of each project's directorate, more on longer projects. ``scale-su`` is on the team of
    three projects of the first directorate (two running, one ended)."""
    rng = rng_for(seed, "memberships")
    today = timeline.today
    memberships: list[TeamMembership] = []

    def add(plan, person, start, end, role):
        directorate_id = plan.project.directorate_id
        if not person.active and end is None:
            end = random_day(rng, start, today)  # they have left
        membership = TeamMembership(
            project=plan.project,
            person=person,
            role=role,
            start_date=start,
            end_date=end,
            created_by=_recorder(users, directorate_id, rng),
            created_at=past(at(min(today, start + datetime.timedelta(rng.randint(0, 7))), 11)),
        )
        membership._history_date = membership.created_at
        membership._history_user_id = membership.created_by_id
        memberships.append(membership)

    big_i = [p for p in plans if p.big_i_from is not None]
    first_directorate = people.directorates_of[people.su_person.pk][0]
    su_projects = [p for p in big_i if p.project.directorate_id == first_directorate]
    running = [p for p in su_projects if p.project.end_date is None][:2]
    ended = [p for p in su_projects if p.project.end_date is not None][-1:]
    for plan in running + ended:
        start = random_day(rng, plan.big_i_from, end_of(timeline, plan.project))
        add(plan, people.su_person, start, plan.project.end_date, "Service user coach")

    spans = [(end_of(timeline, p.project) - p.big_i_from).days for p in big_i]
    weights = [month_span(p.big_i_from, end_of(timeline, p.project)) for p in big_i]
    caps = [
        len(people.pools.get(p.project.directorate_id, [])) * max(1, min(4, span // 60))
        for p, span in zip(big_i, spans, strict=True)
    ]
    counts = share_out(size.memberships - len(memberships), weights, caps)
    for plan, count in zip(big_i, counts, strict=True):
        if not count:
            continue
        pool = people.pools[plan.project.directorate_id]
        last = end_of(timeline, plan.project)
        order = rng.sample(pool, min(count, len(pool)))
        # Person i takes every len(order)-th slot: one stint each, more on a long project.
        for index, person in enumerate(order):
            stints = len(range(index, count, len(order)))
            first = plan.big_i_from
            if index and stints == 1:
                # Others join later (the first SU joins when the plan says Big I starts).
                first = random_day(rng, first, first + (last - first) // 2)
            starts = _stints(rng, first, last, stints)
            for number, start in enumerate(starts):
                if number + 1 < len(starts):
                    end = starts[number + 1] - datetime.timedelta(days=1)
                else:
                    end = _membership_end(rng, plan, start, today)
                add(plan, person, start, end, rng.choice(ROLES))
    with given_timestamps(TeamMembership):
        insert_with_history(TeamMembership, memberships, reason="Scale data")
    return memberships


# --- little-i activities -------------------------------------------------------------------------


def create_activities(
    *,
    size: ScaleSize,
    timeline: Timeline,
    plans: list[ProjectPlan],
    people: People,
    users: ScaleUsers,
    seed: int,
) -> tuple[list[Activity], dict[int, list[Activity]]]:
    """``size.activities`` little-i activities on the projects planned to ask for ideas, more on
    longer projects; some name the people who took part. Returns the activities and, per person
    pk, the activities naming them."""
    rng = rng_for(seed, "activities")
    today = timeline.today
    asking = [p for p in plans if p.little_i] or [
        p for p in plans if p.project.status != ProjectStatus.DRAFT
    ]
    weights = [month_span(p.project.start_date, end_of(timeline, p.project)) for p in asking]
    counts = share_out(size.activities, weights)
    activities: list[Activity] = []
    named: list[tuple[Activity, Person]] = []
    kinds = ActivityKind.values
    for plan, count in zip(asking, counts, strict=True):
        project = plan.project
        pool = people.pools.get(project.directorate_id, [])
        last = end_of(timeline, project)
        for _ in range(count):
            day = random_day(rng, project.start_date, last)
            by = users.lead if project.lead_id else _recorder(users, project.directorate_id, rng)
            activity = Activity(
                project=project,
                kind=rng.choices(kinds, weights=[4, 3, 3, 2, 1])[0],
                date=day,
                participants=rng.randint(3, 25),
                note=rng.choice(ACTIVITY_NOTES),
                created_by=by,
                created_at=past(at(min(today, day + datetime.timedelta(rng.randint(0, 5))), 15)),
            )
            activities.append(activity)
            if pool and rng.random() < 0.3:
                for person in rng.sample(pool, min(len(pool), rng.randint(1, 2))):
                    named.append((activity, person))
    # scale-su took part in a few of their directorate's activities.
    su = people.su_person
    first_directorate = people.directorates_of[su.pk][0]
    mine = [a for a in activities if a.project.directorate_id == first_directorate]
    for activity in sorted(mine, key=lambda a: a.date, reverse=True)[:3]:
        named.append((activity, su))

    with given_timestamps(Activity):
        insert(Activity, activities)
    Through = Activity.people.through
    insert(Through, [Through(activity_id=a.pk, person_id=p.pk) for a, p in named])
    naming: dict[int, list[Activity]] = defaultdict(list)
    for activity, person in named:
        naming[person.pk].append(activity)
    return activities, dict(naming)


# --- the derived table ---------------------------------------------------------------------------


def fill_levels(
    *,
    plans: list[ProjectPlan],
    memberships: Iterable[TeamMembership],
    activities: Iterable[Activity],
    through: datetime.date | None = None,
) -> int:
    """The derived table of project levels per month, and each project's current and overall
    level, from the rows just made and the app's own rule (``levels.project_levels``): the same
    rows ``manage.py rebuild_levels`` writes, without reading back what is already in memory.
    Returns the rows written."""
    through = through or levels.current_month()
    spans: dict[int, list] = defaultdict(list)
    for membership in memberships:
        spans[membership.project_id].append((membership.start_date, membership.end_date))
    days: dict[int, list] = defaultdict(list)
    for activity in activities:
        days[activity.project_id].append(activity.date)
    rows = []
    changed = []
    for plan in plans:
        project = plan.project
        by_month = levels.project_levels(
            status=project.status,
            start_date=project.start_date,
            end_date=project.end_date,
            memberships=spans[project.pk],
            activity_dates=days[project.pk],
            through=through,
        )
        rows.extend(
            ProjectMonth(
                project_id=project.pk,
                directorate_id=project.directorate_id,
                month=month,
                level=level,
            )
            for month, level in by_month.items()
        )
        current = by_month[max(by_month)] if by_month else Level.NONE
        overall = max(by_month.values(), default=Level.NONE)
        if (current, overall) != (project.current_level, project.overall_level):
            project.current_level, project.overall_level = current, overall
            changed.append(project)
    insert(ProjectMonth, rows)
    Project.objects.bulk_update(changed, ["current_level", "overall_level"], batch_size=500)
    state, _ = LevelsState.objects.get_or_create(pk=1)
    LevelsState.objects.filter(pk=state.pk).update(built_through=through, version=state.version + 1)
    return len(rows)


# --- opportunities, project needs, role descriptions ---------------------------------------------


OPPORTUNITY_TITLES = {
    OpportunityKind.QUALITY_ASSURANCE: "Quality assurance visits to {where}",
    OpportunityKind.BID_WRITING: "Bid writing for a new service in {where}",
    OpportunityKind.RESEARCH: "Research advisory group in {where}",
    OpportunityKind.TRAINING: "Co-facilitating Pocket QI training in {where}",
    OpportunityKind.STRATEGY: "Annual planning day for {where}",
    OpportunityKind.INTERVIEW_PANEL: "Interview panel for a ward manager in {where}",
    OpportunityKind.BEFRIENDING: "Befriending people new to services in {where}",
    OpportunityKind.PEER_SUPPORT: "Peer support group co-facilitator in {where}",
}


def create_opportunities(
    *,
    size: ScaleSize,
    timeline: Timeline,
    directorates: list[Directorate],
    people: People,
    users: ScaleUsers,
    seed: int,
) -> list[Opportunity]:
    """Opportunities beyond QI projects over the years, most paid, some trust-wide; people who
    signed up said they are interested in some."""
    rng = rng_for(seed, "opportunities")
    interests = _interests()
    kinds = list(OPPORTUNITY_TITLES)
    opportunities = []
    for number in range(size.opportunities):
        kind = kinds[number % len(kinds)]
        directorate = rng.choice(directorates) if rng.random() < 0.7 else None
        # Half in the last year, so some are still open.
        recent = rng.random() < 0.5
        first = timeline.today - datetime.timedelta(days=365) if recent else timeline.first_month
        start = random_day(rng, first, timeline.today + datetime.timedelta(days=60))
        end = start + datetime.timedelta(days=rng.randint(30, 365)) if rng.random() < 0.8 else None
        closes = start - datetime.timedelta(days=rng.randint(0, 20)) if rng.random() < 0.7 else None
        if closes is not None and end is not None:
            closes = min(closes, end)
        title = OPPORTUNITY_TITLES[kind].format(
            where=directorate.name if directorate else "the trust"
        )
        opportunities.append(
            Opportunity(
                title=title,
                kind=kind,
                directorate=directorate,
                description=f"{title}. You will work alongside staff as an equal partner. Your "
                "People Participation Lead can tell you more and answer questions.",
                start_date=start,
                end_date=end,
                closes_on=closes,
                paid=kind not in (OpportunityKind.BEFRIENDING, OpportunityKind.PEER_SUPPORT)
                or rng.random() < 0.3,
                places=rng.randint(1, 6),
                attendance=rng.choice(AttendanceMode.values),
                created_by=users.admin if directorate is None else users.office_of[directorate.pk],
                created_at=past(at(start - datetime.timedelta(days=30))),
                updated_at=past(at(start - datetime.timedelta(days=30))),
            )
        )
    with given_timestamps(Opportunity):
        Opportunity.objects.bulk_create(opportunities, batch_size=BATCH)
    Fits = Opportunity.interests.through
    Fits.objects.bulk_create(
        [
            Fits(opportunity_id=o.pk, interest_id=i.pk)
            for o in opportunities
            for i in rng.sample(interests, rng.randint(0, 2))
        ]
    )
    signed_up = [p for p in people.people if p.user_id and p.active]
    said = []
    for opportunity in opportunities:
        eligible = [
            p
            for p in signed_up
            if opportunity.directorate_id is None
            or opportunity.directorate_id in people.directorates_of[p.pk]
        ]
        for person in rng.sample(eligible, min(len(eligible), rng.randint(0, 4))):
            said.append(
                OpportunityInterest(
                    opportunity=opportunity,
                    person=person,
                    created_at=past(
                        opportunity.created_at + datetime.timedelta(days=rng.randint(1, 20))
                    ),
                )
            )
    OpportunityInterest.objects.bulk_create(said, batch_size=BATCH)
    return opportunities


def create_project_needs(*, plans: list[ProjectPlan], users: ScaleUsers, seed: int) -> int:
    """What half the running projects need from an SU team member (the matching page reads it)."""
    rng = rng_for(seed, "needs")
    interests = _interests()
    needs = []
    for plan in plans:
        project = plan.project
        if project.status != ProjectStatus.ACTIVE or rng.random() < 0.5:
            continue
        needs.append(
            ProjectNeeds(
                project=project,
                meeting_days=_sorted_sample(rng, Day.values[:5], 2) or [Day.TUESDAY],
                meeting_times=_sorted_sample(rng, TimeOfDay.values, 1) or [TimeOfDay.MORNING],
                attendance=rng.choice(AttendanceMode.values),
                updated_by=users.office_of[project.directorate_id],
            )
        )
    ProjectNeeds.objects.bulk_create(needs, batch_size=BATCH)
    Wanted = ProjectNeeds.interests.through
    Wanted.objects.bulk_create(
        [
            Wanted(projectneeds_id=n.pk, interest_id=i.pk)
            for n in needs
            for i in rng.sample(interests, rng.randint(1, 2))
        ],
        batch_size=BATCH,
    )
    return len(needs)


def create_role_descriptions(
    *,
    timeline: Timeline,
    memberships: list[TeamMembership],
    plans: list[ProjectPlan],
    people: People,
    users: ScaleUsers,
    seed: int,
) -> list[RoleDescription]:
    """Role descriptions for team members who have signed up (both sides agree in the app, so only
    they have them): agreed while the membership runs (some past review), ended when it ended;
    ``scale-su`` has one for each membership and a draft for a new project waiting for them."""
    rng = rng_for(seed, "role_descriptions")
    today = timeline.today
    now = timezone.now()
    by_pk = {p.pk: p for p in people.people}
    descriptions = []

    def describe(person, project, start, status, ended_on=None):
        directorate_id = project.directorate_id
        ppl = rng.choice(users.ppls_of.get(directorate_id, [users.office_of[directorate_id]]))
        made = at(start - datetime.timedelta(days=10), 10)
        description = RoleDescription(
            person=person,
            project=project,
            role=rng.choice(ROLES),
            time_commitment="A 1 hour meeting every 2 weeks and about 1 hour of reading",
            where_based=rng.choice(["Online (remote)", "Online or in person", "On the ward"]),
            accountability="Take part in the project team's meetings and tests of change as an "
            "equal member, bring your experience of services, and keep what the team discusses "
            "confidential.",
            start_date=start,
            review_date=months_later(start, 6),
            contact_name=project.lead_name or "Lola Byrne",
            meeting_frequency="2 or 3 times, at times you agree",
            working_needs="Papers a week before the meeting",
            hopes=rng.choice(["", "To learn about QI", "To help other people like me"]),
            payment_preference=person.payment_preference,
            interests_copy=", ".join(people.interests_of[person.pk])[:500] or "None given",
            availability_copy=person.availability_words[:500],
            status=status,
            created_by=ppl,
            created_at=made,
            updated_at=made,
        )
        if status != RoleDescriptionStatus.DRAFT:
            description.su_agreed_by = person.user
            description.su_agreed_at = made + datetime.timedelta(days=3)
            description.ppl_agreed_by = ppl
            description.ppl_agreed_at = made + datetime.timedelta(days=4)
            description.agreed_at = description.ppl_agreed_at
        else:
            description.ppl_agreed_by = ppl
            description.ppl_agreed_at = min(now, made + datetime.timedelta(days=1))
        if status == RoleDescriptionStatus.ENDED:
            description.ended_at = at(ended_on, 16)
            description.ended_by = ppl
            description.end_reason = "The project ended." if project.end_date else "Left the team."
        description._history_date = description.agreed_at or description.created_at
        description._history_user = ppl
        descriptions.append(description)
        return description

    su = people.su_person
    for membership in memberships:
        person = by_pk[membership.person_id]
        if person.user_id is None or (person is not su and rng.random() < 0.4):
            continue
        ended = membership.end_date is not None and membership.end_date < today
        status = RoleDescriptionStatus.ENDED if ended else RoleDescriptionStatus.AGREED
        description = describe(
            person, membership.project, membership.start_date, status, membership.end_date
        )
        if not ended and description.review_date < today and rng.random() < 0.8:
            # Most running roles were reviewed on time; the rest are due (the PPL home lists them).
            description.review_date = today + datetime.timedelta(days=rng.randint(10, 180))
    first_directorate = people.directorates_of[su.pk][0]
    theirs = {m.project_id for m in memberships if m.person_id == su.pk}
    for plan in plans:
        project = plan.project
        if (
            project.directorate_id == first_directorate
            and project.status == ProjectStatus.ACTIVE
            and project.pk not in theirs
        ):
            describe(su, project, today, RoleDescriptionStatus.DRAFT)
            break
    with given_timestamps(RoleDescription):
        bulk_create_with_history(
            descriptions, RoleDescription, batch_size=BATCH, default_change_reason="Scale data"
        )
    return descriptions
