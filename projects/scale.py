"""Scale data of the projects app, for ``manage.py seed_scale``: directorates, years of QI projects
with their progress scores and outcomes, and QI forums with their monthly meetings.

Unlike the demo data this is about size, not a story: hundreds of thousands of rows, written in
bulk with no save per row (``insert`` below: COPY on PostgreSQL, ``bulk_create`` in batches
elsewhere). Bulk writes send no signals, so the derived levels table is filled by
``involvement.scale`` from the same rule the app uses. Every random choice comes from a
``random.Random`` seeded per step, so a run on the same day gives the same data.

The projects also carry a plan for their involvement (``ProjectPlan``): whether and from when
service users join the team (Big I), and whether the project asks for ideas (little i). The
involvement app's scale module turns the plan into memberships and activities, and the outcome
here follows it (Big I projects reach their aim more often), as the seed says it does.
"""

from __future__ import annotations

import contextlib
import datetime
import random
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import connection, models
from django.utils import timezone
from django.utils.text import slugify

from involvement.months import add_months, month_of
from projects import fragments
from projects.demo import DIRECTORATES as DEMO_DIRECTORATES
from projects.demo import FIRST_NAMES, LAST_NAMES  # the demo's names, at scale too
from projects.demo import TOPICS as DEMO_TOPICS
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

BATCH = 2000  # rows per INSERT: large enough to be fast, small enough for SQLite's variable limit

# The demo's directorates first (the seed's services), then more, up to a large trust's twenty.
DIRECTORATES = [
    *DEMO_DIRECTORATES,
    "Bedford mental health",
    "Specialist addiction services",
    "Learning disability services",
    "Older adult mental health",
    "Crisis and acute care",
    "Rehabilitation and recovery",
    "Perinatal mental health",
    "Psychological therapies",
    "Luton community health",
]

TOPICS = [
    *DEMO_TOPICS,  # the demo's, then more for a bigger trust
    "Reducing self-harm on",
    "Improving transitions to adult services in",
    "Reducing readmissions from",
    "Improving smoking cessation support in",
]
SETTINGS = [
    "Jade Ward",
    "Ruby Ward",
    "Sapphire Ward",
    "Emerald Ward",
    "Opal Ward",
    "Topaz Ward",
    "the crisis pathway",
    "the community mental health team",
    "the liaison and diversion service",
    "the early intervention service",
    "the home treatment team",
    "the memory service",
    "the psychology service",
    "the perinatal service",
    "the district nursing team",
    "the rehabilitation unit",
]
CANCELLATION_NOTES = [
    "Chair unwell",
    "Room not available",
    "Low attendance expected",
    "Clash with the trust's board meeting",
]

# Big I grows over the years: before the change idea (a third of the way through) few projects
# take an SU on; after it most do, and projects running at the change take one on then.
STEP_AT = 0.35
BIG_I_BEFORE, BIG_I_AFTER = 0.30, 0.70
JOIN_AT_STEP = (BIG_I_AFTER - BIG_I_BEFORE) / (1 - BIG_I_BEFORE)
LITTLE_I = {True: 0.4, False: 0.7}  # chance of little-i activities, with and without Big I
# Chance that an ended project reached its aim, by the involvement it had (the seed's 2.78).
AIM_REACHED = {"big_i": 0.58, "little_i": 0.38, "none": 0.21}
DRAFT_SHARE = 0.02
LIFEQI_SHARE = 0.9


# --- sizes, randomness and timestamps shared by the scale modules --------------------------------


@dataclass(frozen=True)
class ScaleSize:
    """How much of everything: the headline counts of issue 10 at the defaults (5,000 projects,
    2,000 people, 10 years), and in proportion for other sizes."""

    projects: int = 5000
    people: int = 2000
    years: int = 10

    @property
    def directorates(self) -> int:
        return max(3, min(len(DIRECTORATES), round(self.projects / 250)))

    @property
    def memberships(self) -> int:
        return 4 * self.projects

    @property
    def activities(self) -> int:
        return 20 * self.projects

    @property
    def claims(self) -> int:
        return 25 * self.people

    @property
    def stories(self) -> int:
        return max(5, self.projects // 10)

    @property
    def reflections(self) -> int:
        return max(5, round(self.projects * 0.4))

    @property
    def opportunities(self) -> int:
        return max(3, self.people // 40)

    @property
    def people_with_logins(self) -> int:
        """People who have signed up (their own sign-in), besides ``scale-su``."""
        return max(3, self.people // 5)


def rng_for(seed: int, step: str) -> random.Random:
    """One generator per step, so changing one step's draws leaves the others' data alone."""
    return random.Random(f"{seed}:{step}")  # noqa: S311 - test data, not security


def at(day: datetime.date, hour: int = 10, minute: int = 0) -> datetime.datetime:
    """An aware time on ``day`` (Europe/London)."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def past(moment: datetime.datetime) -> datetime.datetime:
    """``moment``, or now if it is later: nothing was made in the future."""
    return min(moment, timezone.now())


def random_day(rng: random.Random, first: datetime.date, last: datetime.date) -> datetime.date:
    """A day from ``first`` to ``last`` inclusive (``first`` when the range is empty)."""
    span = (last - first).days
    return first + datetime.timedelta(days=rng.randint(0, span)) if span > 0 else first


@contextlib.contextmanager
def given_timestamps(*model_classes: type[models.Model]) -> Iterator[None]:
    """Keep the ``created_at`` / ``updated_at`` values given to the rows of these models.

    ``auto_now`` and ``auto_now_add`` fields take the time of the INSERT, even in ``bulk_create``;
    ten years of data made in one minute would all look made today (lists sorted by when a record
    was made, "new this month" counts). For the length of the block the fields keep what the
    generator set; they are restored after, so the app's own saves are unchanged.
    """
    changed = []
    for model_class in model_classes:
        for model_field in model_class._meta.concrete_fields:
            if getattr(model_field, "auto_now", False) or getattr(
                model_field, "auto_now_add", False
            ):
                changed.append((model_field, model_field.auto_now, model_field.auto_now_add))
                model_field.auto_now = model_field.auto_now_add = False
    try:
        yield
    finally:
        for model_field, auto_now, auto_now_add in changed:
            model_field.auto_now, model_field.auto_now_add = auto_now, auto_now_add


def share_out(total: int, weights: Sequence[float], caps: Sequence[int] | None = None) -> list[int]:
    """``total`` split in proportion to ``weights`` (largest remainders), never above ``caps``:
    exact counts rather than coin tosses, so the headline numbers come out as asked. Less than
    ``total`` only when the caps leave no room."""
    counts = [0] * len(weights)
    left = total
    while left > 0:
        open_ = [
            i
            for i, weight in enumerate(weights)
            if weight > 0 and (caps is None or counts[i] < caps[i])
        ]
        if not open_:
            break
        weight_sum = sum(weights[i] for i in open_)
        shares = {i: left * weights[i] / weight_sum for i in open_}
        given = 0
        for i in open_:
            add = int(shares[i])
            if caps is not None:
                add = min(add, caps[i] - counts[i])
            counts[i] += add
            given += add
        rest = left - given
        for i in sorted(open_, key=lambda i: (int(shares[i]) - shares[i], i)):
            if rest == 0:
                break
            if caps is None or counts[i] < caps[i]:
                counts[i] += 1
                rest -= 1
        if rest == left:
            break
        left = rest
    return counts


# --- fast inserts --------------------------------------------------------------------------------


def _link(objs: Sequence[models.Model]) -> None:
    """Copy the keys of related objects saved since they were assigned (``bulk_create`` does the
    same before it inserts)."""
    relations = [f for f in objs[0]._meta.concrete_fields if f.is_relation]
    for obj in objs:
        for relation in relations:
            if getattr(obj, relation.attname) is None and relation.is_cached(obj):
                related = relation.get_cached_value(obj)
                if related is not None:
                    setattr(obj, relation.attname, related.pk)


def _next_ids(table: str, column: str, count: int) -> list[int]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [table, column, count],
        )
        return [row[0] for row in cursor.fetchall()]


def _copy(table: str, columns: list[str], rows: Iterable[Sequence]) -> None:
    names = ", ".join(connection.ops.quote_name(c) for c in columns)
    with connection.cursor() as cursor:
        with cursor.copy(f"COPY {connection.ops.quote_name(table)} ({names}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
    # COPY goes round Django's cursor, where cached page fragments see every other write.
    fragments.written_tables(table)


def _adapt(model_field):
    """How a value goes into COPY when psycopg's own adaptation is not the column's."""
    if isinstance(model_field, models.JSONField):
        from psycopg.types.json import Jsonb

        return Jsonb
    return None


def insert(model_class: type[models.Model], objs: Sequence[models.Model]) -> None:
    """Insert ``objs`` and give them their primary keys, like ``bulk_create``.

    On PostgreSQL, by COPY: the keys are taken from the table's sequence first, and the values go
    to the server as they are, without the per-value preparation ``bulk_create`` does (which
    costs more than the insert itself for a hundred thousand rows of thirty columns). Only for
    rows made in Python by these scale modules: no ``pre_save`` (``auto_now`` fields must be
    set, see ``given_timestamps``), no signals. Elsewhere (SQLite in tests), ``bulk_create``.
    """
    if not objs:
        return
    if connection.vendor != "postgresql":
        model_class._base_manager.bulk_create(objs, batch_size=BATCH)
        return
    meta = model_class._meta
    _link(objs)
    if objs[0].pk is None:
        ids = sorted(_next_ids(meta.db_table, meta.pk.column, len(objs)))
        for obj, pk in zip(objs, ids, strict=True):
            obj.pk = pk
    fields = list(meta.concrete_fields)
    adapters = [_adapt(f) for f in fields]
    attnames = [f.attname for f in fields]
    plain = all(a is None for a in adapters)
    rows = (
        [getattr(obj, name) for name in attnames]
        if plain
        else [
            getattr(obj, name) if adapt is None else adapt(getattr(obj, name))
            for name, adapt in zip(attnames, adapters, strict=True)
        ]
        for obj in objs
    )
    _copy(meta.db_table, [f.column for f in fields], rows)
    for obj in objs:
        # Saved, as bulk_create leaves them: a later save() updates rather than inserts.
        obj._state.adding = False
        obj._state.db = connection.alias


def insert_values(model_class: type[models.Model], rows: Sequence[dict]) -> None:
    """Insert rows given as ``{attname: value}`` dicts (all with the same keys), with no model
    instance made on PostgreSQL: for the hundreds of thousands of history rows."""
    if not rows:
        return
    if connection.vendor != "postgresql":
        model_class._base_manager.bulk_create(
            [model_class(**row) for row in rows], batch_size=BATCH
        )
        return
    meta = model_class._meta
    by_attname = {f.attname: f for f in meta.concrete_fields}
    names = list(rows[0])
    columns = [by_attname[name].column for name in names]
    _copy(meta.db_table, columns, ([row[name] for name in names] for row in rows))


def insert_with_history(
    model_class: type[models.Model], objs: Sequence[models.Model], *, reason: str = ""
) -> None:
    """``insert``, and for each row the "created" row of its history (django-simple-history's
    ``bulk_create_with_history`` writes the same, through ``bulk_create``), dated
    ``obj._history_date`` and by ``obj._history_user_id`` where they are set."""
    insert(model_class, objs)
    historical = model_class.history.model
    tracked = [f.attname for f in historical.tracked_fields]
    now = timezone.now()
    insert_values(
        historical,
        [
            {
                **{name: getattr(obj, name) for name in tracked},
                "history_date": getattr(obj, "_history_date", now),
                "history_user_id": getattr(obj, "_history_user_id", None),
                "history_change_reason": reason,
                "history_type": "+",
            }
            for obj in objs
        ],
    )


# --- directorates --------------------------------------------------------------------------------


def directorate_weight(index: int) -> int:
    """How much QI work (projects, people) a directorate has: 2 to 5, the first the busiest."""
    return 5 if index == 0 else 2 + (index * 7) % 4


def create_directorates(size: ScaleSize) -> list[Directorate]:
    names = DIRECTORATES[: size.directorates]
    existing = {d.slug: d for d in Directorate.objects.filter(slug__in=[slugify(n) for n in names])}
    new = [
        Directorate(name=name, slug=slugify(name))
        for name in names
        if slugify(name) not in existing
    ]
    Directorate.objects.bulk_create(new)
    by_slug = {**existing, **{d.slug: d for d in new}}
    return [by_slug[slugify(name)] for name in names]


# --- projects ------------------------------------------------------------------------------------


@dataclass
class ProjectPlan:
    """A project as inserted, and what the involvement step should give it."""

    project: Project
    big_i_from: datetime.date | None = None  # when the first SU joins the team
    little_i: bool = False
    scores: list[tuple[datetime.date, Decimal]] = field(default_factory=list)

    @property
    def level(self) -> str:
        return "big_i" if self.big_i_from else "little_i" if self.little_i else "none"


@dataclass(frozen=True)
class Timeline:
    today: datetime.date
    years: int

    @property
    def this_month(self) -> datetime.date:
        return month_of(self.today)

    @property
    def first_month(self) -> datetime.date:
        return add_months(self.this_month, -12 * self.years)

    @property
    def step(self) -> datetime.date:
        """The change idea that lifted Big I (a third of the way through the years)."""
        months = 12 * self.years
        return add_months(self.first_month, round(months * STEP_AT))


def _start_months(rng: random.Random, timeline: Timeline, count: int) -> list[datetime.date]:
    """Start months, more in later years (the programme grows)."""
    months = [add_months(timeline.first_month, i) for i in range(12 * timeline.years)]
    weights = [1 + 1.5 * i / len(months) for i in range(len(months))]
    return rng.choices(months, weights=weights, k=count)


def _title(rng: random.Random, seen: dict[str, int]) -> str:
    base = f"{rng.choice(TOPICS)} {rng.choice(SETTINGS)}"
    seen[base] = seen.get(base, 0) + 1
    return base if seen[base] == 1 else f"{base}: cycle {seen[base]}"


def create_projects(
    *, size: ScaleSize, timeline: Timeline, directorates: list[Directorate], lead, seed: int
) -> list[ProjectPlan]:
    """The projects, their progress scores and outcomes; ``lead`` (the ``scale-lead`` user) leads
    some of the first directorate's, in every state."""
    rng = rng_for(seed, "projects")
    today = timeline.today
    weights = [directorate_weight(i) for i in range(len(directorates))]
    drafts = max(1, round(size.projects * DRAFT_SHARE))
    starts = _start_months(rng, timeline, size.projects - drafts)
    seen_titles: dict[str, int] = {}
    plans: list[ProjectPlan] = []
    lifeqi_number = 10000
    for number in range(size.projects):
        directorate = rng.choices(directorates, weights=weights)[0]
        if number == len(starts):
            directorate = directorates[0]  # a draft for scale-lead, however small the run
        title = _title(rng, seen_titles)
        if number < len(starts):
            start = starts[number].replace(day=rng.randint(1, 28))
            start = min(start, today)
            duration = rng.randint(4, 30) if rng.random() < 0.9 else rng.randint(30, 48)
            end = add_months(month_of(start), duration).replace(day=rng.randint(1, 28))
            if end < today:
                stopped = rng.random() < 0.15
                status = ProjectStatus.STOPPED if stopped else ProjectStatus.COMPLETED
                if stopped:
                    end = max(start, random_day(rng, start, end))
            else:
                status, end = ProjectStatus.ACTIVE, None
        else:
            start = add_months(timeline.this_month, rng.randint(0, 2)).replace(
                day=rng.randint(1, 28)
            )
            end, status = None, ProjectStatus.DRAFT
        lifeqi = None
        if status != ProjectStatus.DRAFT and rng.random() < LIFEQI_SHARE:
            lifeqi_number += rng.randint(1, 9)
            lifeqi = f"LQI-{lifeqi_number}"
        created = past(at(start - datetime.timedelta(rng.randint(7, 60)), 9 + rng.randint(0, 7)))
        project = Project(
            title=title,
            lifeqi_id=lifeqi,
            directorate=directorate,
            lead_name=f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
            aim=f"By {add_months(month_of(start), 12):%B %Y}, {title[0].lower()}{title[1:]} by "
            f"{rng.choice([20, 25, 30, 40, 50])}%.",
            start_date=start,
            end_date=end,
            status=status,
            created_at=created,
            updated_at=past(at(end or min(today, start + datetime.timedelta(days=90)), 17)),
        )
        if status == ProjectStatus.DRAFT:
            project.coproduction_plan = (
                "Two service user coaches will join the team once the project starts; until "
                "then the PPL will run a focus group on the change ideas."
            )
        plans.append(ProjectPlan(project=project))

    _plan_involvement(plans, rng, timeline)
    for plan in plans:
        _plan_outcome_and_scores(plan, rng, today)
    _give_lead(plans, directorates[0], lead)

    with given_timestamps(Project):
        insert(Project, [p.project for p in plans])
    insert(
        ProgressScore,
        [
            ProgressScore(
                project=plan.project,
                score=score,
                date=day,
                recorded_by=lead if plan.project.lead_id else None,
            )
            for plan in plans
            for day, score in plan.scores
        ],
    )
    return plans


def _plan_involvement(plans: list[ProjectPlan], rng: random.Random, timeline: Timeline) -> None:
    step = timeline.step
    for plan in plans:
        project = plan.project
        if project.status == ProjectStatus.DRAFT:
            continue
        last = project.end_date or timeline.today
        before = project.start_date < step
        if rng.random() < (BIG_I_BEFORE if before else BIG_I_AFTER):
            plan.big_i_from = min(last, project.start_date + datetime.timedelta(rng.randint(0, 45)))
        elif before and last >= step and rng.random() < JOIN_AT_STEP:
            plan.big_i_from = min(last, random_day(rng, step, step + datetime.timedelta(days=60)))
        plan.little_i = rng.random() < LITTLE_I[plan.big_i_from is not None]


def _plan_outcome_and_scores(plan: ProjectPlan, rng: random.Random, today: datetime.date) -> None:
    project = plan.project
    if project.status == ProjectStatus.DRAFT:
        return
    reached = None
    if project.end_date is not None and rng.random() < 0.9:
        reached = rng.random() < AIM_REACHED[plan.level]
        project.aim_reached = AimReached.YES if reached else AimReached.NO
    final = Decimal("4.5") if reached else Decimal("3.0") if reached is False else Decimal("3.5")
    last = project.end_date or today
    if project.end_date is None and rng.random() < 0.2:
        # A running project whose score nobody has updated for months (stale).
        last = add_months(month_of(today), -rng.randint(4, 8))
    day, score = project.start_date + datetime.timedelta(days=14), Decimal("0.5")
    while day <= last:
        plan.scores.append((day, score))
        if rng.random() < 0.8:
            score = min(final, score + Decimal("0.5"))
        day += datetime.timedelta(days=rng.randint(45, 80))


def _give_lead(plans: list[ProjectPlan], directorate: Directorate, lead) -> None:
    """``scale-lead`` leads running, ended and draft projects of the first directorate."""
    if lead is None:
        return
    mine = [p for p in plans if p.project.directorate is directorate]
    wanted = {ProjectStatus.ACTIVE: 6, ProjectStatus.COMPLETED: 3, ProjectStatus.STOPPED: 1}
    wanted[ProjectStatus.DRAFT] = 1
    for plan in mine:
        status = plan.project.status
        if wanted.get(status, 0) > 0:
            wanted[status] -= 1
            plan.project.lead = lead
            plan.project.lead_name = ""
    # One ended project of theirs still waits for its outcome (their home page flags it).
    ended = [p for p in mine if p.project.lead_id and p.project.end_date is not None]
    if ended:
        ended[0].project.aim_reached = AimReached.NOT_RECORDED


# --- forums --------------------------------------------------------------------------------------


def _second_tuesday(month: datetime.date) -> datetime.date:
    first_tuesday = month + datetime.timedelta(days=(1 - month.weekday()) % 7)
    return first_tuesday + datetime.timedelta(days=7)


def create_forums(
    *, timeline: Timeline, directorates: list[Directorate], chair, seed: int
) -> tuple[list[Forum], list[ForumMeeting]]:
    """One QI forum per directorate, meeting on the second Tuesday of each month over the years
    (some cancelled, a few at short notice) and planned for the next two months. ``chair`` (the
    ``scale-chair`` user) chairs the first directorate's."""
    rng = rng_for(seed, "forums")
    forums = [
        Forum(name=f"{d.name} QI forum", chair=chair if i == 0 else None)
        for i, d in enumerate(directorates)
    ]
    Forum.objects.bulk_create(forums)
    Forum.directorates.through.objects.bulk_create(
        [
            Forum.directorates.through(forum_id=forum.pk, directorate_id=d.pk)
            for forum, d in zip(forums, directorates, strict=True)
        ]
    )
    meetings = []
    months = 12 * timeline.years
    for forum in forums:
        for offset in range(months + 3):
            month = add_months(timeline.first_month, offset)
            day = _second_tuesday(month)
            meeting = ForumMeeting(forum=forum, date=day, status=MeetingStatus.PLANNED)
            if day < timeline.today:
                meeting.status = MeetingStatus.HELD
                roll = rng.random()
                if roll < 0.05:
                    meeting.status = MeetingStatus.CANCELLED
                    meeting.cancellation_announced_on = day - datetime.timedelta(rng.randint(1, 5))
                    meeting.note = rng.choice(CANCELLATION_NOTES)
                elif roll < 0.12:
                    meeting.status = MeetingStatus.CANCELLED
                    meeting.cancellation_announced_on = day - datetime.timedelta(
                        rng.randint(14, 30)
                    )
                    meeting.note = "Moved to the joint forum this month"
            meetings.append(meeting)
    insert(ForumMeeting, meetings)
    return forums, meetings


def month_span(first: datetime.date, last: datetime.date) -> int:
    """Whole months from ``first`` to ``last`` (at least 1)."""
    return max(1, (last.year - first.year) * 12 + last.month - first.month + 1)


def end_of(timeline: Timeline, project: Project) -> datetime.date:
    """The last day a project's work can be recorded for: its end, or today."""
    return min(project.end_date or timeline.today, timeline.today)
