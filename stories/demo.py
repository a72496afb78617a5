"""Demo data of the stories app, called by ``manage.py seed_demo`` after the users and projects.

The twelve stories of the seed's "Library of Co-production Stories" (bodies written for the demo),
three more in review, and charter reflections for a dozen projects. Deterministic (fixed dates,
a seeded random generator) and idempotent: a story or a project's reflections already there are
left alone.
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from involvement.access import ppl_directorate_ids
from involvement.models import Person
from involvement.months import add_months, month_of
from projects.models import Directorate, Project, ProjectStatus
from stories.models import (
    Answer,
    NamedPerson,
    Reflection,
    ReflectionAnswer,
    ReflectionAuthor,
    Story,
    StoryEvent,
    StoryEventKind,
    StoryPrinciple,
    StoryStatus,
)
from stories.principles import ORDER, Principle

P = Principle


@dataclass(frozen=True)
class DemoStory:
    title: str
    directorate: str | None  # slug (projects/demo.py); None: across the trust
    author: str  # demo username
    summary: str
    body: str
    principles: tuple[Principle, ...]
    published_on: datetime.date | None = None
    easy_read: str = ""
    named: tuple[str, ...] = ()
    status: StoryStatus = StoryStatus.PUBLISHED
    review_comment: str = ""
    consented: tuple[str, ...] = field(default=())  # for stories in review: who has consented


STORIES: list[DemoStory] = [
    DemoStory(
        title="Increasing Co-production in PP in BCHS",
        directorate="bedfordshire-community-health-services",
        author="ppl",
        summary="How People Participation in Bedfordshire Community Health Services went from "
        "asking for feedback to sharing QI project teams with service users and carers.",
        body="""Two years ago most of our involvement in Bedfordshire Community Health Services
was a survey at the end of a project. People told us what they thought, but only after the
decisions had been made.

We set ourselves an aim: every new QI project would have a service user or carer on the team
within its first three months. We started small, with two district nursing projects, and wrote a
**role description** with each person so they knew what they were signing up to and what they
would be paid.

By the end of the year nine projects had a service user or carer on the team. The biggest
change was not in the numbers: it was that teams started asking *"who should we involve?"*
before they asked *"what should we measure?"*.""",
        principles=(P.COLLABORATE, P.OPPORTUNITY, P.EMPOWER),
        published_on=datetime.date(2023, 3, 14),
        easy_read="We wanted patients and carers to help run our projects. We wrote down what "
        "each person would do. Now most new projects have a patient or carer in the team.",
        named=("Margaret O.",),
    ),
    DemoStory(
        title="QI Fellow blog",
        directorate=None,
        author="admin",
        summary="A year as a QI Fellow: what I learned about doing improvement with people, not "
        "to them.",
        body="""When I started my fellowship I thought co-production meant inviting someone to a
meeting. A year later I think it means changing the meeting.

The most useful thing I did was ask our service user coaches how they wanted to take part.
Some wanted to chair; some did not want to speak at all but were happy to write their ideas
down. We changed our meetings so both could happen.

My advice to the next fellows: avoid jargon, bring an acronym sheet, and never cancel a meeting
at short notice. People arrange their week around it.""",
        principles=(P.REFLECT, P.EMPOWER, P.TRANSLATE),
        published_on=datetime.date(2023, 6, 2),
    ),
    DemoStory(
        title="Improving quality of carer contact on Jade Ward",
        # The seed does not say where Jade Ward is; the demo places it in City & Hackney.
        directorate="city-hackney",
        author="lead",
        summary="Carers told the ward team that they heard too little, too late. Together they "
        "redesigned how and when the ward gets in touch.",
        body="""Carers of people on Jade Ward told us they often heard about changes in care
days after they happened. Some did not know who the named nurse was.

A carer, two nurses and the ward manager formed the project team. The carer suggested a
simple test: a phone call within 48 hours of admission, and a weekly update at a time the carer
chooses. We tested it with three carers first, then the whole ward.

After four months, carers rating contact as good or very good went from about a third to
nearly all. The weekly call is now part of the ward's routine.""",
        principles=(P.COLLABORATE, P.OPENHEARTED, P.SOLVE),
        published_on=datetime.date(2023, 9, 20),
        easy_read="Carers wanted more news from the ward. A carer helped the ward plan phone "
        "calls. Now carers get a call every week.",
        named=("Denise K.", "Ward manager Tom R."),
    ),
    DemoStory(
        title="CHN SUCs Lead the Way",
        directorate="community-health-newham",
        author="su",
        summary="Service users and carers in Community Health Newham chaired their own QI forum "
        "for the first time.",
        body="""In Community Health Newham the QI forum used to be a staff meeting with a few
guests. This year service users and carers (SUCs) took it over.

We agreed the agenda together, chose the projects we wanted to hear about, and took turns to
chair. Staff presented their projects to us and we asked the questions. One of us said it
was the first time she felt like the expert in the room.

We also wrote a one-page guide for staff: how to explain a run chart without jargon.""",
        principles=(P.COURAGE, P.OPPORTUNITY, P.RESPECT),
        published_on=datetime.date(2023, 11, 8),
        easy_read="Patients and carers ran the QI meeting. They chose what to talk about. Staff "
        "answered their questions.",
    ),
    DemoStory(
        title="Improving engagement in care in the Luton Liaison and Diversion Service",
        directorate="luton-bedfordshire",
        author="lead",
        summary="People with lived experience of the justice system helped the service find "
        "out why people dropped out after their first appointment.",
        body="""The Liaison and Diversion Service meets people at police stations and courts.
Many never came to a second appointment, and we did not know why.

Two peer workers with lived experience joined the team. They talked to people the service had
lost touch with, which staff could not easily do. The answers were practical: letters were hard
to read, and appointments clashed with probation.

We now send easy read letters and book appointments on the same day as probation. More
people come back for their second appointment than before.""",
        principles=(P.TRANSLATE, P.ACCESSIBLE, P.SOLVE),
        published_on=datetime.date(2024, 1, 25),
        named=("Peer worker Jay S.",),
    ),
    DemoStory(
        title="A Carers' Perspective on QI: A personal story",
        directorate=None,
        author="su",
        summary="A carer on why she joined a QI project, what was hard, and why she stayed.",
        body="""I became a carer for my son eight years ago. When I was asked to join a QI
project I said no twice. I did not think I knew enough.

What changed my mind was the role description. It said what I would do, how often we would
meet, and that I would be paid for my time. The Pocket QI training helped me understand the
words people used.

Some meetings were frustrating, and I said so. The team listened, and we changed how we ran
them. I would tell any carer: your experience is the expertise.""",
        principles=(P.REFLECT, P.COURAGE, P.ACCESSIBLE),
        published_on=datetime.date(2024, 3, 12),
        easy_read="A mum who cares for her son joined a project. Training helped her. She says "
        "carers know a lot and should join.",
    ),
    DemoStory(
        title="Increasing SUC involvement in TH",
        directorate="tower-hamlets",
        author="ppl",
        summary="Tower Hamlets set out to double the number of QI projects with a service user "
        "or carer on the team.",
        body="""In Tower Hamlets fewer than one in five QI projects had a service user or carer
(SUC) on the team. We wanted to double that in a year.

We held a recruitment event with the People Participation team, matched people to projects
using their interests and availability, and made sure every new team member had a role
description and a named contact.

By the end of the year two in five projects had Big I involvement. The projects with SUCs on
the team were more likely to reach their aim.""",
        principles=(P.OPPORTUNITY, P.COLLABORATE),
        published_on=datetime.date(2024, 5, 30),
    ),
    DemoStory(
        title="Co-producing QI with SUs in TH",
        directorate="tower-hamlets",
        author="su",
        summary="Service users in Tower Hamlets describe what co-production felt like from the "
        "inside.",
        body="""We are three service users who joined QI projects in Tower Hamlets. We wanted to
write down what helped and what did not.

What helped: being asked how we like to contribute, getting papers a week before meetings, and
an easy read version when we asked. What did not: last-minute cancellations and acronyms
nobody explained.

We used the COCREATORS charter to reflect after each meeting. It gave us a way to say
*"that was not okay"* without it becoming a row.""",
        principles=(P.REFLECT, P.TRANSLATE, P.RESPECT, P.EMPOWER),
        published_on=datetime.date(2024, 8, 14),
        named=("Ahmed H.", "Lily W."),
    ),
    DemoStory(
        title="Reconnecting with SU QI Coaches and the Community QI Forum in Luton & Beds",
        directorate="luton-bedfordshire",
        author="ppl",
        summary="After the pandemic, Luton and Bedfordshire brought its service user QI coaches "
        "back together and reopened the community QI forum.",
        body="""During covid we lost touch with many of our service user QI coaches. Meetings
moved online and not everyone had the technology or the confidence to join.

We phoned every coach, offered devices and help to use them, and restarted the community QI
forum as a hybrid meeting in a local library. Coaches chose the first topics.

Twelve coaches came back. Two of them now co-chair the forum.""",
        principles=(P.ACCESSIBLE, P.OPENHEARTED, P.OPPORTUNITY),
        published_on=datetime.date(2024, 10, 3),
        easy_read="We lost touch in covid. We phoned everyone and helped with computers. Now the "
        "group meets again.",
    ),
    DemoStory(
        title="The SU Voice at the Heart of the Crisis Pathway QI Forum",
        directorate=None,
        author="admin",
        summary="The crisis pathway QI forum made service user voices its first agenda item, "
        "every time.",
        body="""The crisis pathway forum brings together teams from crisis lines, home treatment
and crisis houses. For a long time, service user feedback was the last item, and often ran
out of time.

Service users on the forum proposed a simple rule: their voice goes first. Each meeting now
opens with a service user describing one experience of the pathway, and the forum chooses one
change idea to test from it.

Three change ideas tested this year came straight from those opening stories.""",
        principles=(P.COURAGE, P.RESPECT, P.COLLABORATE),
        published_on=datetime.date(2025, 1, 16),
    ),
    DemoStory(
        title="Boosting SU Involvement in Forensics",
        directorate="forensic-services",
        author="lead",
        summary="In forensic services, involvement takes extra care. Here is how teams made "
        "room for patients on QI projects.",
        body="""In secure services, patients cannot always attend meetings, and trust takes time
to build. We started by holding project meetings on the wards, at times that fitted around
leave and activities.

Patients on two wards joined projects on meal times and on access to fresh air. They were paid
in vouchers or money as they chose, and some declined payment because of their benefits.

Both projects reached their aims, and the patients presented the results at the forensic QI
forum.""",
        principles=(P.ACCESSIBLE, P.EMPOWER, P.SOLVE),
        published_on=datetime.date(2025, 3, 6),
        named=("Patient representative D.",),
    ),
    DemoStory(
        title="Bridging the Bedford Gap",
        directorate="luton-bedfordshire",
        author="su",
        summary="Bedford had fewer QI projects with service user involvement than Luton. A "
        "service user started a project to close the gap.",
        body="""The p-chart for Luton and Bedfordshire showed a gap: projects in Bedford were
much less likely to have Big I involvement than projects in Luton.

A service user who lives in Bedford started a project to find out why. She found that
Bedford teams did not know the People Participation team, and meetings were hard to reach by
bus.

Now there is a monthly drop-in in Bedford, and the gap on the chart is closing.""",
        principles=(P.SOLVE, P.COURAGE, P.REFLECT),
        published_on=datetime.date(2025, 5, 22),
        easy_read="Fewer patients helped with projects in Bedford. A patient found out why. Now "
        "there is a meeting in Bedford every month.",
    ),
    # Three more, still in review, for the review queue.
    DemoStory(
        title="Our first co-produced QI forum in CAMHS",
        directorate="child-adolescent-services-camhs",
        author="su",
        summary="Young people and parents planned a CAMHS QI forum together for the first time.",
        body="""Young people and parents planned the forum with us: the room, the time after
school, and the games to break the ice.

Nine young people came. They asked for shorter slides and more pictures.""",
        principles=(P.COLLABORATE, P.TRANSLATE),
        named=("Parent representative Grace N.",),
        status=StoryStatus.SUBMITTED,
    ),
    DemoStory(
        title="Pocket QI training through the eyes of a new coach",
        directorate="newham",
        author="su",
        summary="What the Pocket QI course was like for someone who had never heard of QI.",
        body="""I did the Pocket QI training last month. At first the words were strange:
PDSA, run chart, driver diagram.

By the end I had drawn my first driver diagram about waiting times.""",
        principles=(P.OPPORTUNITY, P.ACCESSIBLE),
        status=StoryStatus.CHANGES_REQUESTED,
        review_comment="Thank you, this is lovely. Could you add a sentence on what you would "
        "tell the trainers to change? And please explain PDSA the first time you use it.",
    ),
    DemoStory(
        title="Easy read agendas for the Newham QI forum",
        directorate="newham",
        author="lead",
        summary="Newham's QI forum now sends an easy read agenda with every meeting.",
        body="""A forum member asked for an easy read version of the agenda. We now make one
for every meeting, with pictures and short sentences.

More service users come to the forum, and staff say they prefer it too.""",
        principles=(P.TRANSLATE, P.ACCESSIBLE),
        named=("Forum member Ruth P.",),
        consented=("Forum member Ruth P.",),
        status=StoryStatus.SUBMITTED,
    ),
]


def _at(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 0)))


def _credit(story: Story, user) -> None:
    person = Person.objects.filter(user=user).first()
    if person is not None:
        story.author_people.add(person)
    else:
        story.author_users.add(user)


def _seed_story(demo: DemoStory, users: dict, directorates: dict) -> bool:
    if Story.objects.filter(title=demo.title).exists():
        return False
    author = users[demo.author]
    reviewer = users["admin"]
    # Stories in review were written at a fixed date too, so reruns on other days agree.
    written = (demo.published_on or datetime.date(2025, 6, 2)) - datetime.timedelta(days=21)
    story = Story(
        title=demo.title,
        summary=demo.summary,
        body=demo.body,
        easy_read_summary=demo.easy_read,
        directorate=directorates.get(demo.directorate) if demo.directorate else None,
        status=demo.status,
        created_by=author,
    )
    story.save()
    Story.objects.filter(pk=story.pk).update(created_at=_at(written))
    _credit(story, author)
    StoryPrinciple.objects.bulk_create(
        [StoryPrinciple(story=story, principle=principle) for principle in demo.principles]
    )
    events = [StoryEvent(story=story, kind=StoryEventKind.CREATED, by=author, at=_at(written))]
    submitted = written + datetime.timedelta(days=1)
    events.append(
        StoryEvent(story=story, kind=StoryEventKind.SUBMITTED, by=author, at=_at(submitted))
    )
    consented = demo.named if demo.status == StoryStatus.PUBLISHED else demo.consented
    for name in demo.named:
        NamedPerson.objects.create(
            story=story,
            name=name,
            consent_given_on=submitted + datetime.timedelta(days=7) if name in consented else None,
            consent_recorded_by=reviewer if name in consented else None,
            consent_recorded_at=_at(submitted + datetime.timedelta(days=7))
            if name in consented
            else None,
        )
    if demo.status == StoryStatus.CHANGES_REQUESTED:
        events.append(
            StoryEvent(
                story=story,
                kind=StoryEventKind.CHANGES_REQUESTED,
                comment=demo.review_comment,
                by=reviewer,
                at=_at(submitted + datetime.timedelta(days=3)),
            )
        )
    if demo.status == StoryStatus.PUBLISHED:
        events.append(
            StoryEvent(
                story=story,
                kind=StoryEventKind.PUBLISHED,
                by=reviewer,
                at=_at(demo.published_on, 14),
            )
        )
        Story.objects.filter(pk=story.pk).update(
            published_at=_at(demo.published_on, 14),
            published_by=reviewer,
            submitted_at=_at(submitted),
        )
    elif demo.status != StoryStatus.DRAFT:
        Story.objects.filter(pk=story.pk).update(submitted_at=_at(submitted))
    StoryEvent.objects.bulk_create(events)
    return True


# --- charter reflections -------------------------------------------------------------------------

DEMO_PROJECTS = [
    ("Reducing waiting times for a first appointment", "newham"),
    ("Easy read discharge letters", "newham"),
    ("Fewer missed appointments in the memory clinic", "newham"),
    ("Improving physical health checks on wards", "tower-hamlets"),
    ("Peer support on admission", "tower-hamlets"),
    ("Carers' information packs", "city-hackney"),
    ("Fresh air for patients in secure wards", "forensic-services"),
    ("Meal times on inpatient wards", "forensic-services"),
    ("Shorter waits for talking therapies", "talking-therapies-iapt"),
    ("School link workers in CAMHS", "child-adolescent-services-camhs"),
    ("Reaching Bedford service users", "luton-bedfordshire"),
    ("District nursing visits that fit carers' days", "bedfordshire-community-health-services"),
]

# Comments in the voices of the seed's charter slide.
COMMENTS = {
    Answer.KEPT: [
        "It felt good to decide together what we wanted to achieve.",
        "I liked the way we all got to vote.",
        "It was nice to be asked what my thoughts were.",
        "I enjoyed being given the opportunity to chair the meeting today.",
    ],
    Answer.PARTLY: [
        "Some of it was still too fast for me.",
        "The papers came late, but the chair explained them.",
        "I was asked on the spot; I would rather write my ideas down.",
    ],
    Answer.NOT_KEPT: [
        "Too many acronyms and nobody explained them.",
        "I would like an acronym sheet please.",
        "Everything was discussion based again.",
        "I want to be able to tell someone how frustrating I found that meeting.",
    ],
}
MEETING_COMMENTS = [
    "A good meeting: we agreed our next test.",
    "It was great to hear that I wasn't the only one thinking the measure was wrong.",
    "I reminded the chair about our charter today.",
]
# The principles teams find hardest to keep (the seed's barriers: jargon, access, time).
HARDER = {P.TRANSLATE: 0.35, P.ACCESSIBLE: 0.3, P.EMPOWER: 0.2}


def _reflection_projects(users: dict) -> list[Project]:
    # Running projects: reflections come from their meetings of the last six months.
    existing = list(
        Project.objects.filter(status=ProjectStatus.ACTIVE, end_date__isnull=True)
        .select_related("directorate", "lead")
        .order_by("title", "pk")[:12]
    )
    if existing:
        return existing
    projects = []
    for title, slug in DEMO_PROJECTS:
        directorate = Directorate.objects.get(slug=slug)
        project, _ = Project.objects.get_or_create(
            title=title,
            directorate=directorate,
            defaults={
                "start_date": datetime.date(2024, 4, 1),
                "status": ProjectStatus.ACTIVE,
                # The demo lead works in Newham: they lead its projects.
                "lead": users["lead"] if slug == "newham" else None,
            },
        )
        projects.append(project)
    return projects


def _meeting_dates(project: Project, today: datetime.date) -> list[datetime.date]:
    """The project team's monthly meetings (the second Tuesday) over the last six months."""
    dates = []
    for back in range(6, 0, -1):
        month = add_months(month_of(today), -back)
        first_tuesday = month + datetime.timedelta(days=(1 - month.weekday()) % 7)
        date = first_tuesday + datetime.timedelta(days=7)
        if date < project.start_date or (project.end_date and date > project.end_date):
            continue
        dates.append(date)
    return dates


def _named_reflector(project: Project, users: dict):
    """Who gives the named reflections: the lead, else the PPL of the directorate, else admin."""
    if project.lead_id:
        return project.lead
    if project.directorate_id in ppl_directorate_ids(users["ppl"]):
        return users["ppl"]
    return users["admin"]


def _seed_reflections(project: Project, users: dict, today: datetime.date) -> int:
    if project.charter_reflections.exists():
        return 0
    rng = random.Random(f"bigi-demo-reflections:{project.title}")  # noqa: S311 - demo data
    named_by = _named_reflector(project, users)
    count = 0
    for date in _meeting_dates(project, today):
        for number in range(rng.randint(2, 4)):
            reflection = Reflection.objects.create(
                project=project,
                meeting_date=date,
                comment=rng.choice(MEETING_COMMENTS) if rng.random() < 0.25 else "",
            )
            answers = []
            for principle in ORDER:
                if rng.random() < 0.15:
                    continue  # not every principle is answered
                not_kept = HARDER.get(principle, 0.08)
                roll = rng.random()
                answer = (
                    Answer.NOT_KEPT
                    if roll < not_kept
                    else Answer.PARTLY
                    if roll < not_kept + 0.2
                    else Answer.KEPT
                )
                comment = rng.choice(COMMENTS[answer]) if rng.random() < 0.12 else ""
                answers.append(
                    ReflectionAnswer(
                        reflection=reflection, principle=principle, answer=answer, comment=comment
                    )
                )
            ReflectionAnswer.objects.bulk_create(answers)
            # One named reflection a meeting; the others are anonymous (no author row at all).
            if number == 0:
                ReflectionAuthor.objects.create(reflection=reflection, user=named_by)
            count += 1
    return count


@transaction.atomic
def seed_stories(today: datetime.date | None = None) -> dict[str, int]:
    """Load the demo stories and reflections; returns how many of each were added."""
    User = get_user_model()
    users = {user.username: user for user in User.objects.filter(username__in=DEMO_USERNAMES)}
    missing = set(DEMO_USERNAMES) - set(users)
    if missing:
        raise RuntimeError(f"Load the demo users first (missing: {', '.join(sorted(missing))}).")
    directorates = {d.slug: d for d in Directorate.objects.all()}
    stories = sum(_seed_story(demo, users, directorates) for demo in STORIES)
    today = today or timezone.localdate()
    reflections = sum(
        _seed_reflections(project, users, today) for project in _reflection_projects(users)
    )
    return {"stories": stories, "reflections": reflections}


DEMO_USERNAMES = ("admin", "ppl", "lead", "su")
