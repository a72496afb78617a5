"""Demo data of the people register, called by ``manage.py seed_demo``: about 60 people with varied
interests, needs and preferences (the demo ``su`` user is one of them, in Newham), some signed up
and a few invited but not yet; opportunities of every kind with some interest; role descriptions
in each status, some past their review date.

Deterministic (seeded ``random.Random``) and idempotent: natural keys and ``get_or_create``, and
many-to-many lists are set only on rows made now, so running it twice changes nothing.
"""

from __future__ import annotations

import datetime
import hashlib
import random
import zlib

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

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
from involvement.models import (
    Interest,
    Invitation,
    Opportunity,
    OpportunityInterest,
    Person,
    PersonKind,
    ProjectNeeds,
    RoleDescription,
    TeamMembership,
    Training,
)
from involvement.models_people import INVITATION_DAYS
from involvement.services_people import months_later
from projects.models import Directorate, Project, ProjectStatus

# The interests the migration seeds; recreated here if a database was flushed.
DEFAULT_INTERESTS = [
    "Measurement",
    "Meeting chairing",
    "Co-design",
    "Data",
    "Training others",
    "Interview panels",
]

FIRST_NAMES = [
    "Aisha", "Ben", "Carmen", "Daniel", "Efua", "Frank", "Grace", "Hassan", "Imogen", "Jamal",
    "Kemi", "Luke", "Maria", "Nasir", "Olivia", "Patrick", "Rosa", "Shanice", "Tariq", "Uche",
    "Vera", "Wesley", "Yasmin", "Zainab", "Arif", "Bethany", "Callum", "Delroy", "Elif", "Gloria",
]  # fmt: skip
LAST_NAMES = [
    "Ali", "Brown", "Campbell", "Dias", "Evans", "Fofana", "Green", "Hughes", "Iqbal", "Johnson",
    "Khan", "Lewis", "Mensah", "Nowak", "Osei", "Price", "Quinn", "Rahman", "Silva", "Turner",
    "Uddin", "Vaughan", "Walker", "Yilmaz", "Zaman", "Bello", "Cooper", "Doyle", "Egan", "Fraser",
]  # fmt: skip

# Where the demo people are: more in the directorates the demo PPL covers.
DIRECTORATE_WEIGHTS = [
    ("newham", 12),
    ("tower-hamlets", 8),
    ("city-hackney", 6),
    ("luton-bedfordshire", 6),
    ("forensic-services", 6),
    ("child-adolescent-services-camhs", 5),
    ("mother-baby-unit", 3),
    ("bedfordshire-community-health-services", 4),
    ("community-health-newham", 4),
    ("talking-therapies-iapt", 4),
    ("primary-care", 2),
]

PEOPLE_COUNT = 60
SIGNED_UP = 14  # the first people after Sam Taylor have their own sign-in
INVITED = 4  # the next ones were invited and have not signed up yet
LANGUAGES = ["Bengali", "Urdu", "Somali", "Polish", "Turkish", "Portuguese"]
TRAINING_START = datetime.date(2021, 3, 1)


def _interests() -> dict[str, Interest]:
    return {name: Interest.objects.get_or_create(name=name)[0] for name in DEFAULT_INTERESTS}


def _directorates() -> dict[str, Directorate]:
    return {d.slug: d for d in Directorate.objects.all()}


def _people_plan() -> list[dict]:
    """What each demo person is like: the same list on every run."""
    rng = random.Random(20240401)  # noqa: S311 - demo data, not security
    slugs = [slug for slug, weight in DIRECTORATE_WEIGHTS for _ in range(weight)]
    plan = [
        {
            "name": "Sam Taylor",
            "email": "sam.taylor@example.org",
            "kind": PersonKind.SERVICE_USER,
            "directorates": ["newham"],
            "interests": ["Measurement", "Data", "Co-design"],
            "days": [Day.TUESDAY, Day.THURSDAY],
            "times": [TimeOfDay.AFTERNOON],
            "attendance": AttendanceMode.EITHER,
            "needs": [AccessNeed.ACRONYM_SHEET, AccessNeed.NOT_ON_THE_SPOT],
            "language": "",
            "payment": PaymentPreference.PAID,
            "lifeqi": True,
            "training": [TRAINING_START + datetime.timedelta(days=200)],
            "active": True,
        }
    ]
    used = {"Sam Taylor"}
    index = 0
    while len(plan) < PEOPLE_COUNT:
        first = FIRST_NAMES[index % len(FIRST_NAMES)]
        last = LAST_NAMES[(index * 7 + index // len(FIRST_NAMES)) % len(LAST_NAMES)]
        index += 1
        name = f"{first} {last}"
        if name in used:
            continue
        used.add(name)
        home = rng.choice(slugs)
        directorates = [home]
        if rng.random() < 0.15:
            other = rng.choice(slugs)
            if other != home:
                directorates.append(other)
        needs = [need for need in AccessNeed.values if rng.random() < 0.18]
        plan.append(
            {
                "name": name,
                "email": f"{first}.{last}@example.org".lower(),
                "kind": rng.choices(PersonKind.values, weights=[6, 3, 1])[0],
                "directorates": directorates,
                "interests": rng.sample(DEFAULT_INTERESTS, rng.randint(0, 3)),
                "days": sorted(rng.sample(Day.values[:5], rng.randint(0, 3)), key=Day.values.index),
                "times": sorted(
                    rng.sample(TimeOfDay.values, rng.randint(0, 2)), key=TimeOfDay.values.index
                ),
                "attendance": rng.choices(AttendanceMode.values, weights=[3, 3, 4])[0],
                "needs": needs,
                "language": rng.choice(LANGUAGES) if AccessNeed.INTERPRETER in needs else "",
                # About one in ten declines payment, two in ten take vouchers.
                "payment": {3: PaymentPreference.DECLINED, 5: PaymentPreference.VOUCHERS}.get(
                    len(plan) % 10,
                    PaymentPreference.VOUCHERS if len(plan) % 10 == 8 else PaymentPreference.PAID,
                ),
                "lifeqi": rng.random() < 0.4,
                "training": (
                    [TRAINING_START + datetime.timedelta(days=rng.randint(0, 1200))]
                    if rng.random() < 0.45
                    else []
                ),
                # A few have left.
                "active": rng.random() > 0.07,
            }
        )
    return plan


def _sign_in_for(person: Person, username: str | None = None):
    """A demo sign-in for a person who has "signed up" (no usable password unless it is the demo
    ``su`` user, whose password seed_users sets)."""
    User = get_user_model()
    user = None
    if username:
        user = User.objects.filter(username=username).first()
    if user is None:
        first, _, last = person.name.partition(" ")
        user, created = User.objects.get_or_create(
            username=person.email,
            defaults={"email": person.email, "first_name": first, "last_name": last},
        )
        if created:
            user.set_unusable_password()
            user.save()
    user.groups.add(role_group(Role.SU))
    return user


@transaction.atomic
def seed_people() -> list[Person]:
    interests = _interests()
    directorates = _directorates()
    people = []
    now = timezone.now()
    for number, row in enumerate(_people_plan()):
        person, created = Person.objects.get_or_create(
            email=row["email"],
            defaults={
                "name": row["name"],
                "kind": row["kind"],
                "phone": f"07700 900{number:03d}",
                "preferred_contact": "email" if number % 3 else "phone",
                "available_days": list(row["days"]),
                "available_times": list(row["times"]),
                "attendance": row["attendance"],
                "access_needs": list(row["needs"]),
                "interpreter_language": row["language"],
                "payment_preference": row["payment"],
                "lifeqi_access": row["lifeqi"],
                "active": row["active"],
            },
        )
        if created:
            person.full_clean()
            person.directorates.set(
                [directorates[slug] for slug in row["directorates"] if slug in directorates]
            )
            person.interests.set([interests[name] for name in row["interests"]])
            for day in row["training"]:
                Training.objects.create(person=person, course="Pocket QI", completed_on=day)
        people.append(person)
        if number == 0 and person.user_id is None:
            # The demo ``su`` user is Sam Taylor, in Newham.
            if get_user_model().objects.filter(username="su").exists():
                person.user = _sign_in_for(person, "su")
                person.save(update_fields=["user"])
        elif 0 < number <= SIGNED_UP and person.active and person.user_id is None:
            person.user = _sign_in_for(person)
            person.save(update_fields=["user"])
        elif SIGNED_UP < number <= SIGNED_UP + INVITED and not person.invitations.exists():
            # Invited, not signed up; the first one's link has expired.
            days_ago = INVITATION_DAYS + 3 if number == SIGNED_UP + 1 else number % 4 + 1
            sent = now - datetime.timedelta(days=days_ago)
            Invitation.objects.create(
                person=person,
                email=person.email,
                nonce_hash=hashlib.sha256(f"demo-{person.email}".encode()).hexdigest(),
                created_at=sent,
                expires_at=sent + datetime.timedelta(days=INVITATION_DAYS),
            )
    _seed_opportunities(people, interests, directorates)
    return people


# --- opportunities -------------------------------------------------------------------------------

# (title, kind, directorate slug or None for the whole trust, interests, paid, places,
#  days from today to start, days open for interest (None: no closing date; negative: closed))
OPPORTUNITIES = [
    ("Quality assurance visits to Newham wards", OpportunityKind.QUALITY_ASSURANCE, "newham",
     ["Data", "Measurement"], True, 4, 21, 14),
    ("Checking the quality of carer information packs", OpportunityKind.QUALITY_ASSURANCE,
     "city-hackney", ["Co-design"], True, 2, 30, None),
    ("Bid writing for a new community crisis service", OpportunityKind.BID_WRITING, None,
     ["Co-design", "Data"], True, 3, 14, 10),
    ("Writing the service user section of a tender", OpportunityKind.BID_WRITING,
     "luton-bedfordshire", [], True, 2, 40, None),
    ("Research advisory group on recovery", OpportunityKind.RESEARCH, None,
     ["Data", "Measurement"], True, 6, 35, 28),
    ("Peer researcher for a forensic services study", OpportunityKind.RESEARCH,
     "forensic-services", ["Data"], True, 2, 20, -5),
    ("Co-facilitating Pocket QI training", OpportunityKind.TRAINING, None,
     ["Training others"], True, 4, 10, 7),
    ("Teaching staff about carers' experiences", OpportunityKind.TRAINING, "tower-hamlets",
     ["Training others", "Meeting chairing"], True, 2, 28, None),
    ("Annual planning day for Newham", OpportunityKind.STRATEGY, "newham",
     ["Meeting chairing", "Co-design"], True, 5, 45, 30),
    ("Shaping the trust's involvement strategy", OpportunityKind.STRATEGY, None,
     ["Co-design"], True, 8, 60, 40),
    ("Interview panel for a new ward manager", OpportunityKind.INTERVIEW_PANEL, "newham",
     ["Interview panels"], True, 2, 12, 6),
    ("Interview panels for psychology posts", OpportunityKind.INTERVIEW_PANEL,
     "child-adolescent-services-camhs", ["Interview panels"], True, 3, 25, None),
    ("Befriending people new to the ward", OpportunityKind.BEFRIENDING, "tower-hamlets",
     [], False, 6, 7, None),
    ("Telephone befriending for carers", OpportunityKind.BEFRIENDING, "community-health-newham",
     [], False, 4, 15, None),
    ("Peer support group co-facilitator", OpportunityKind.PEER_SUPPORT, "talking-therapies-iapt",
     ["Meeting chairing"], True, 2, 18, 12),
    ("Peer support for new mothers", OpportunityKind.PEER_SUPPORT, "mother-baby-unit",
     [], False, 3, 9, None),
]  # fmt: skip


def _seed_opportunities(people, interests, directorates) -> None:
    today = timezone.localdate()
    for index, row in enumerate(OPPORTUNITIES):
        title, kind, slug, wanted, paid, places, start_in, open_for = row
        start = today + datetime.timedelta(days=start_in)
        closes = None if open_for is None else today + datetime.timedelta(days=open_for)
        if open_for is not None and open_for < 0:
            start = today - datetime.timedelta(days=10)
        opportunity, created = Opportunity.objects.get_or_create(
            title=title,
            defaults={
                "kind": kind,
                "directorate": directorates.get(slug) if slug else None,
                "description": (
                    f"{title}. You will work alongside staff as an equal partner. "
                    "Your People Participation Lead can tell you more and answer questions."
                ),
                "start_date": start,
                "end_date": start + datetime.timedelta(days=90),
                "closes_on": closes,
                "paid": paid,
                "places": places,
                "attendance": [
                    AttendanceMode.EITHER,
                    AttendanceMode.IN_PERSON,
                    AttendanceMode.REMOTE,
                ][index % 3],
            },
        )
        if not created:
            continue
        opportunity.interests.set([interests[name] for name in wanted])
        # Some people in its directorates (or anyone, for the whole trust) said they are
        # interested: every third eligible person, up to three.
        eligible = [
            p
            for p in people
            if p.active
            and p.user_id
            and (slug is None or any(d.slug == slug for d in p.directorates.all()))
        ]
        for person in eligible[index % 3 :: 3][:3]:
            OpportunityInterest.objects.get_or_create(opportunity=opportunity, person=person)


# --- role descriptions ---------------------------------------------------------------------------

# Used only when a directorate has no open project yet (the projects demo usually makes them).
FALLBACK_PROJECTS = {
    "newham": [
        "Reducing waiting times for first appointments in Newham",
        "Improving physical health checks on Newham wards",
    ],
    "tower-hamlets": ["Co-designing a welcome pack for Tower Hamlets wards"],
    "city-hackney": ["Improving the quality of carer contact on Jade Ward"],
    "forensic-services": ["Boosting service user involvement in forensic services"],
    "luton-bedfordshire": ["Improving engagement in the Luton liaison and diversion service"],
}


def _projects(directorate: Directorate, count: int) -> list[Project]:
    projects = list(
        Project.objects.filter(directorate=directorate, status=ProjectStatus.ACTIVE).order_by(
            "start_date", "pk"
        )[:count]
    )
    for title in FALLBACK_PROJECTS.get(directorate.slug, []):
        if len(projects) >= count:
            break
        project, _ = Project.objects.get_or_create(
            title=title,
            defaults={
                "directorate": directorate,
                "start_date": datetime.date(2024, 1, 15),
                "status": ProjectStatus.ACTIVE,
                "aim": "To be agreed with the team, service users and carers.",
                # The demo project lead works in Newham; elsewhere the lead is a name only.
                "lead": (
                    get_user_model().objects.filter(username="lead").first()
                    if directorate.slug == "newham"
                    else None
                ),
                "lead_name": "" if directorate.slug == "newham" else "Dr Jo Adams",
            },
        )
        if project not in projects:
            projects.append(project)
    return projects


def _ppl_of(directorate: Directorate):
    return (
        get_user_model()
        .objects.filter(groups__name=Role.PPL, directorates=directorate)
        .order_by("username")
        .first()
    )


def _description(person, project, *, version=1, previous=None, start, review, **extra):
    """Get or make one description (natural key: person, project, version)."""
    description = RoleDescription.objects.filter(
        person=person, project=project, version=version
    ).first()
    if description:
        return description, False
    needs = "; ".join(person.access_needs_labels)
    description = RoleDescription(
        person=person,
        project=project,
        version=version,
        previous=previous,
        role=extra.pop("role", "Team member"),
        time_commitment="A 1 hour meeting every 2 weeks, and about 1 hour of reading",
        where_based={
            AttendanceMode.REMOTE: "Online (remote)",
            AttendanceMode.IN_PERSON: "In person, at the team's base",
        }.get(person.attendance, "Online or in person"),
        accountability=(
            "An equal member of the project team: take part in meetings and tests of change, "
            "bring your experience of services, and keep what the team discusses confidential. "
            "You answer to the project lead."
        ),
        start_date=start,
        review_date=review,
        length="6 months, to be reviewed",
        contact_name=project.lead_display or "The project lead",
        meeting_frequency="2 or 3 times during the role, at times you agree",
        working_needs=needs or "None given",
        hopes="To learn about QI, use my experience to improve services, and build confidence.",
        **extra,
    )
    description.copy_from_person()
    description.full_clean()
    description.save()
    return description, True


def _agree(description, *, su_user, ppl, when) -> None:
    description.su_agreed_by = su_user
    description.su_agreed_at = when
    description.ppl_agreed_by = ppl
    description.ppl_agreed_at = when
    description.agreed_at = when
    description.status = RoleDescriptionStatus.AGREED
    description.save()


@transaction.atomic
def seed_role_descriptions() -> list[RoleDescription]:
    """Role descriptions in each status (some past review), and what some open projects need."""
    today = timezone.localdate()
    now = timezone.now()
    made: list[RoleDescription] = []
    directorates = _directorates()
    people = {p.email: p for p in Person.objects.filter(user__isnull=False, active=True)}

    # The demo ``su`` user (Sam Taylor, Newham): one agreed, one draft waiting for them to agree.
    sam = Person.objects.filter(email="sam.taylor@example.org").first()
    newham = directorates.get("newham")
    if sam and newham:
        first, second = (_projects(newham, 2) + [None, None])[:2]
        ppl = _ppl_of(newham)
        if first:
            agreed, created = _description(
                sam,
                first,
                start=today - datetime.timedelta(days=60),
                review=months_later(today - datetime.timedelta(days=60), 6),
            )
            if created and sam.user_id and ppl:
                _agree(agreed, su_user=sam.user, ppl=ppl, when=now - datetime.timedelta(days=55))
            made.append(agreed)
            if not TeamMembership.objects.filter(project=first, person=sam).exists():
                membership = TeamMembership(
                    project=first,
                    person=sam,
                    role="Team member",
                    start_date=max(first.start_date, today - datetime.timedelta(days=60)),
                )
                try:
                    membership.full_clean()
                except ValidationError:
                    pass  # the project's dates do not allow it: Sam is simply not on its team
                else:
                    membership.save()
        if second:
            draft, created = _description(
                sam, second, start=today, review=months_later(today, 6), role="Co-chair"
            )
            if created and ppl:
                draft.ppl_agreed_by = ppl
                draft.ppl_agreed_at = now - datetime.timedelta(days=1)
                draft.save()
            made.append(draft)

    # Others across directorates: each status, some agreed ones past their review date.
    plans = [
        # (status, start days ago, review in days (negative: past), has a new version)
        ("draft", 0, 180, False),
        ("draft_su", 3, 180, False),
        ("agreed", 200, -20, False),
        ("agreed", 250, -45, False),
        ("agreed", 30, 150, False),
        ("ended", 400, -200, False),
        ("agreed", 190, -10, True),
        ("replaced", 380, -190, False),
    ]
    candidates = [
        p
        for p in sorted(people.values(), key=lambda p: p.name)
        if p.email != "sam.taylor@example.org"
    ]
    for index, (status, started, review_in, new_version) in enumerate(plans):
        if index >= len(candidates):
            break
        person = candidates[index]
        directorate = person.directorates.order_by("name").first()
        if directorate is None:
            continue
        projects = _projects(directorate, 1)
        if not projects:
            continue
        project = projects[0]
        ppl = _ppl_of(directorate)
        start = today - datetime.timedelta(days=started)
        review = today + datetime.timedelta(days=review_in)
        if review <= start:
            review = start + datetime.timedelta(days=180)
        description, created = _description(person, project, start=start, review=review)
        made.append(description)
        if not created:
            continue
        agreed_when = now - datetime.timedelta(days=max(started - 5, 1))
        if status == "draft_su":
            description.su_agreed_by = person.user
            description.su_agreed_at = now - datetime.timedelta(days=1)
            description.save()
        elif status in {"agreed", "ended", "replaced"} and ppl:
            _agree(description, su_user=person.user, ppl=ppl, when=agreed_when)
            if status == "ended":
                description.status = RoleDescriptionStatus.ENDED
                description.ended_at = now - datetime.timedelta(days=30)
                description.ended_by = ppl
                description.end_reason = "The project finished."
                description.save()
            if status == "replaced":
                # Version 2 was agreed; version 1 ended when it was.
                second, _ = _description(
                    person,
                    project,
                    version=2,
                    previous=description,
                    start=today - datetime.timedelta(days=20),
                    review=months_later(today, 5),
                )
                _agree(second, su_user=person.user, ppl=ppl, when=now - datetime.timedelta(days=18))
                description.status = RoleDescriptionStatus.ENDED
                description.ended_at = now - datetime.timedelta(days=18)
                description.ended_by = ppl
                description.end_reason = "Replaced by version 2."
                description.save()
                made.append(second)
            if new_version:
                # Past its review: a new version is being drafted.
                draft, _ = _description(
                    person,
                    project,
                    version=2,
                    previous=description,
                    start=today,
                    review=months_later(today, 6),
                )
                made.append(draft)
    _seed_project_needs(directorates)
    return made


def _seed_project_needs(directorates: dict[str, Directorate]) -> None:
    """What some open projects need from a service user or carer, so matching has input."""
    interests = _interests()
    names = sorted(interests)
    projects = (
        Project.objects.filter(status__in=[ProjectStatus.DRAFT, ProjectStatus.ACTIVE])
        .filter(needs__isnull=True)
        .order_by("directorate__name", "title")
    )
    # Counted from what is there, so a second run adds nothing.
    per_directorate: dict[int, int] = {}
    for directorate_id in ProjectNeeds.objects.values_list("project__directorate", flat=True):
        per_directorate[directorate_id] = per_directorate.get(directorate_id, 0) + 1
    for project in projects:
        # Up to eight projects in each directorate say what they need.
        if per_directorate.get(project.directorate_id, 0) >= 8:
            continue
        per_directorate[project.directorate_id] = per_directorate.get(project.directorate_id, 0) + 1
        rng = random.Random(zlib.crc32(project.title.encode()))  # noqa: S311 - demo data
        needs = ProjectNeeds.objects.create(
            project=project,
            meeting_days=sorted(
                rng.sample(Day.values[:5], rng.randint(0, 2)), key=Day.values.index
            ),
            meeting_times=sorted(rng.sample(TimeOfDay.values, rng.randint(0, 1))),
            attendance=rng.choice(AttendanceMode.values),
        )
        needs.interests.set([interests[name] for name in rng.sample(names, rng.randint(1, 2))])
