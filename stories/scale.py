"""Scale data of the stories app, for ``manage.py seed_scale``: hundreds of co-production stories
(most published, each with its COCREATORS principles, the people it names and their consent, and
the steps of its review) and charter reflections on Big I project meetings.

Bulk inserts (see ``projects.scale``). ``Story.save`` renders the Markdown body and picks a free
slug; the bulk path does both itself (``render_markdown`` per story, slugs made unique in memory).
Reflections have random ids by design (the order people answered must not show): here they come
from the seeded generator, so the data is the same on every run.
"""

from __future__ import annotations

import datetime
import uuid

from django.utils import timezone
from django.utils.text import slugify
from simple_history.utils import bulk_create_with_history

from involvement.scale import People, ScaleUsers
from projects.models import Directorate
from projects.scale import (
    BATCH,
    ProjectPlan,
    ScaleSize,
    Timeline,
    at,
    end_of,
    given_timestamps,
    insert,
    random_day,
    rng_for,
)
from stories.models import (
    SLUG_MAX_LENGTH,
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
from stories.principles import Principle
from stories.rendering import render_markdown

STATUSES = [
    (StoryStatus.PUBLISHED, 85),
    (StoryStatus.SUBMITTED, 5),
    (StoryStatus.CHANGES_REQUESTED, 3),
    (StoryStatus.DRAFT, 4),
    (StoryStatus.WITHDRAWN, 3),
]
OPENINGS = [
    "When we started, most of our involvement was a survey at the end of the project.",
    "Carers told the team that they heard too little, too late.",
    "The project team had never had a service user at the table before.",
    "Our QI forum used to be a staff meeting with a few guests.",
    "People with lived experience asked why so few of them came back after a first appointment.",
    "I joined the team after a focus group and did not know what a run chart was.",
]
MIDDLES = [
    "We wrote a **role description** together, so everyone knew what they were signing up to "
    "and how they would be paid.",
    "A service user coach suggested a simple test of change, and we tried it with three people "
    "before the whole ward.",
    "We changed our meetings so that people could give ideas in writing instead of on the spot.",
    "We brought an acronym sheet to every meeting and stopped using jargon.",
    "Peer workers talked to people the service had lost touch with, which staff could not do.",
    "We agreed the agenda together and took turns to chair.",
    "We tested an easy read version of the letters and asked people what they understood.",
]
ENDINGS = [
    "After six months the run chart showed a shift, and the change is now part of the routine.",
    "The biggest change was not in the numbers: teams now ask *who should we involve?* first.",
    "Staff said the meetings got better for them too.",
    "We are now spreading the idea to two more teams in the directorate.",
    "It was the first time I felt like the expert in the room.",
]
TITLES = [
    "Co-producing {what}",
    "What we learned {what}",
    "Service users leading {what}",
    "Carers and staff together: {what}",
    "A year of Big I {what}",
]
NAMED = ["Margaret O.", "Denise K.", "Ward manager Tom R.", "Forum member Ruth P.", "Ahmed S."]
REFLECTION_COMMENTS = [
    "",
    "",
    "",
    "Good meeting; the papers came late again.",
    "Everyone had a chance to speak.",
    "Too many acronyms today.",
]


def _title(rng, plan: ProjectPlan | None, directorate: Directorate | None) -> str:
    if plan is not None:
        what = plan.project.title[0].lower() + plan.project.title[1:]
        return rng.choice(TITLES).format(what=what)[:200]
    where = f"in {directorate.name}" if directorate else "across the trust"
    return rng.choice(TITLES).format(what=where)


def _body(rng) -> str:
    paragraphs = [
        f"{rng.choice(OPENINGS)} {rng.choice(MIDDLES)}",
        " ".join(rng.sample(MIDDLES, 2)),
        rng.choice(ENDINGS),
    ]
    return "\n\n".join(paragraphs)


def create_stories(
    *,
    size: ScaleSize,
    timeline: Timeline,
    directorates: list[Directorate],
    plans: list[ProjectPlan],
    people: People,
    users: ScaleUsers,
    seed: int,
) -> list[Story]:
    """``size.stories`` stories over the years, more recently; authors are SUs (with or without
    a sign-in) or staff; published ones have every named person's consent."""
    rng = rng_for(seed, "stories")
    now = timezone.now()
    started = [p for p in plans if p.project.start_date <= timeline.today]
    slugs: set[str] = set()
    stories, principles, named, events = [], [], [], []
    authors_people, authors_users = [], []
    statuses = [s for s, _ in STATUSES]
    weights = [w for _, w in STATUSES]
    for number in range(size.stories):
        plan = rng.choice(started) if started and rng.random() < 0.6 else None
        if plan is not None:
            directorate = plan.project.directorate
        else:
            directorate = rng.choice(directorates) if rng.random() < 0.8 else None
        status = rng.choices(statuses, weights=weights)[0]
        if number == 0:
            # scale-su wrote one about their directorate, and it is published.
            plan, directorate, status = None, directorates[0], StoryStatus.PUBLISHED
        # Later years have more stories (the library grows).
        first = timeline.first_month + (timeline.today - timeline.first_month) * rng.random() ** 0.6
        written = min(first, timeline.today - datetime.timedelta(days=30))
        if plan is not None:
            written = max(written, plan.project.start_date)
        written = min(written, timeline.today - datetime.timedelta(days=3))
        title = _title(rng, plan, directorate)
        base = slugify(title)[: SLUG_MAX_LENGTH - 10].strip("-") or "story"
        slug, suffix = base, 2
        while slug in slugs:
            slug, suffix = f"{base}-{suffix}", suffix + 1
        slugs.add(slug)
        pool = people.pools.get(directorate.pk, []) if directorate else people.people
        su_author = rng.choice(pool) if pool and rng.random() < 0.5 else None
        if number == 0:
            su_author = people.su_person
        if directorate is not None:
            staff_author = rng.choice(users.ppls_of.get(directorate.pk, [users.admin]))
        else:
            staff_author = users.admin
        author_user = su_author.user if su_author is not None and su_author.user_id else None
        creator = author_user or staff_author
        body = _body(rng)
        made = at(written, 10)
        story = Story(
            title=title,
            slug=slug,
            summary=f"{body.split('.')[0]}.",
            body=body,
            body_html=render_markdown(body),
            easy_read_summary="Patients and carers helped the team. Things got better."
            if rng.random() < 0.4
            else "",
            directorate=directorate,
            project=plan.project if plan is not None else None,
            status=status,
            created_by=creator,
            created_at=made,
            updated_at=made,
        )
        submitted = made + datetime.timedelta(days=1)
        decided = submitted + datetime.timedelta(days=rng.randint(2, 20))
        decided = min(decided, now - datetime.timedelta(hours=1))
        events.append(StoryEvent(story=story, kind=StoryEventKind.CREATED, by=creator, at=made))
        if status != StoryStatus.DRAFT:
            story.submitted_at = submitted
            events.append(
                StoryEvent(story=story, kind=StoryEventKind.SUBMITTED, by=creator, at=submitted)
            )
        if status == StoryStatus.CHANGES_REQUESTED:
            events.append(
                StoryEvent(
                    story=story,
                    kind=StoryEventKind.CHANGES_REQUESTED,
                    comment="Thank you. Could you say what the team would do differently?",
                    by=users.admin,
                    at=decided,
                )
            )
        if status in (StoryStatus.PUBLISHED, StoryStatus.WITHDRAWN):
            story.published_at, story.published_by = decided, users.admin
            events.append(
                StoryEvent(story=story, kind=StoryEventKind.PUBLISHED, by=users.admin, at=decided)
            )
        if status == StoryStatus.WITHDRAWN:
            withdrawn = min(now, decided + datetime.timedelta(days=rng.randint(5, 60)))
            story.withdrawn_at, story.withdrawn_by = withdrawn, users.admin
            story.withdrawal_reason = "A person named in it asked for it to be taken down."
            events.append(
                StoryEvent(
                    story=story,
                    kind=StoryEventKind.WITHDRAWN,
                    comment=story.withdrawal_reason,
                    by=users.admin,
                    at=withdrawn,
                )
            )
        story._history_date = story.published_at or made
        story._history_user = story.published_by or creator
        stories.append(story)
        principles += [
            StoryPrinciple(story=story, principle=p)
            for p in rng.sample(Principle.values, rng.randint(2, 4))
        ]
        consented = status in (StoryStatus.PUBLISHED, StoryStatus.WITHDRAWN)
        for name in rng.sample(NAMED, rng.randint(0, 2)):
            given = consented or rng.random() < 0.5
            named.append(
                NamedPerson(
                    story=story,
                    name=name,
                    consent_given_on=(submitted + datetime.timedelta(days=2)).date()
                    if given
                    else None,
                    consent_recorded_by=users.admin if given else None,
                    consent_recorded_at=submitted + datetime.timedelta(days=2) if given else None,
                )
            )
        if su_author is not None:
            authors_people.append((story, su_author))
        if su_author is None or rng.random() < 0.3:
            authors_users.append((story, staff_author))

    with given_timestamps(Story):
        bulk_create_with_history(
            stories, Story, batch_size=BATCH, default_change_reason="Scale data"
        )
    StoryPrinciple.objects.bulk_create(principles, batch_size=BATCH)
    NamedPerson.objects.bulk_create(named, batch_size=BATCH)
    StoryEvent.objects.bulk_create(events, batch_size=BATCH)
    People_ = Story.author_people.through
    People_.objects.bulk_create(
        [People_(story_id=s.pk, person_id=p.pk) for s, p in authors_people], batch_size=BATCH
    )
    Users_ = Story.author_users.through
    Users_.objects.bulk_create(
        [Users_(story_id=s.pk, user_id=u.pk) for s, u in authors_users], batch_size=BATCH
    )
    return stories


def create_reflections(
    *,
    size: ScaleSize,
    timeline: Timeline,
    plans: list[ProjectPlan],
    memberships: list,
    people: People,
    users: ScaleUsers,
    seed: int,
) -> list[Reflection]:
    """``size.reflections`` charter reflections on meetings of Big I projects, one answer per
    principle each; two in five are named (by a team member who has signed up, or the lead)."""
    rng = rng_for(seed, "reflections")
    big_i = [p for p in plans if p.big_i_from is not None and p.big_i_from <= timeline.today]
    if not big_i:
        return []
    signed_in = {p.pk: p.user_id for p in people.people if p.user_id}
    members: dict[int, list[int]] = {}
    for membership in memberships:
        user_id = signed_in.get(membership.person_id)
        if user_id:
            members.setdefault(membership.project_id, []).append(user_id)
    reflections, answers, authors = [], [], []
    answer_values = [Answer.KEPT, Answer.PARTLY, Answer.NOT_KEPT]
    for _ in range(size.reflections):
        plan = rng.choice(big_i)
        project = plan.project
        reflection = Reflection(
            id=uuid.UUID(int=rng.getrandbits(128), version=4),
            project=project,
            meeting_date=random_day(rng, plan.big_i_from, end_of(timeline, project)),
            comment=rng.choice(REFLECTION_COMMENTS),
        )
        reflections.append(reflection)
        answers += [
            ReflectionAnswer(
                id=uuid.UUID(int=rng.getrandbits(128), version=4),
                reflection=reflection,
                principle=principle,
                answer=rng.choices(answer_values, weights=[70, 22, 8])[0],
            )
            for principle in Principle.values
        ]
        if rng.random() < 0.4:
            user_id = None
            if members.get(project.pk):
                user_id = rng.choice(members[project.pk])
            elif project.lead_id:
                user_id = project.lead_id
            if user_id:
                authors.append(ReflectionAuthor(reflection=reflection, user_id=user_id))
    insert(Reflection, reflections)
    insert(ReflectionAnswer, answers)
    ReflectionAuthor.objects.bulk_create(authors, batch_size=BATCH)
    return reflections
