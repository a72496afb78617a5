"""Reads used by more than one page: the library, related stories, and charter summaries."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from fractions import Fraction

from django.db.models import Count, Max, Q, QuerySet

from projects.models import Project
from stories.models import (
    Answer,
    Reflection,
    ReflectionAnswer,
    Story,
    StoryPrinciple,
)
from stories.principles import ORDER, Principle

# --- stories -------------------------------------------------------------------------------------


def library(*, text: str = "", directorate_id: int | None = None, principle: str = "") -> QuerySet:
    """Published stories for the library page: searched (best match first) and filtered."""
    stories = Story.objects.published()
    if directorate_id:
        stories = stories.in_directorate(directorate_id)
    if principle:
        stories = stories.with_principle(principle)
    if text.strip():
        return stories.search(text).for_cards()
    return stories.for_cards().order_by("-published_at", "-pk")


def related_stories(story: Story, *, limit: int = 3) -> list[Story]:
    """Other published stories sharing a principle or the directorate, those sharing the most
    principles first."""
    codes = [link.principle for link in story.principle_links.all()]
    shares = Q(pk__in=StoryPrinciple.objects.filter(principle__in=codes).values("story_id"))
    if story.directorate_id:
        shares |= Q(directorate_id=story.directorate_id)
    return list(
        Story.objects.published()
        .exclude(pk=story.pk)
        .filter(shares)
        .annotate(
            shared=Count("principle_links", filter=Q(principle_links__principle__in=codes)),
        )
        .for_list()
        .order_by("-shared", "-published_at", "-pk")[:limit]
    )


# --- charter reflections -------------------------------------------------------------------------


def _share(part: int, whole: int) -> Fraction | None:
    return Fraction(part, whole) if whole else None


@dataclass
class PrincipleRow:
    principle: Principle
    kept: int = 0
    partly: int = 0
    not_kept: int = 0
    # Share kept at each meeting, oldest first (None where nobody answered this principle).
    by_meeting: list[Fraction | None] = field(default_factory=list)

    @property
    def answered(self) -> int:
        return self.kept + self.partly + self.not_kept

    @property
    def share_kept(self) -> Fraction | None:
        return _share(self.kept, self.answered)

    @property
    def share_not_kept(self) -> Fraction | None:
        return _share(self.not_kept, self.answered)


@dataclass(frozen=True)
class ReflectionComment:
    meeting_date: datetime.date
    principle: Principle | None  # None: a comment on the meeting as a whole
    text: str
    author: str | None  # None for an anonymous reflection: never who


@dataclass
class PrincipleSummary:
    project: Project
    meetings: list[datetime.date]  # oldest first
    rows: list[PrincipleRow]
    reflections: int

    @property
    def is_empty(self) -> bool:
        return not self.meetings


def _author_name(reflection: Reflection) -> str | None:
    author = getattr(reflection, "author", None)
    if author is None:
        return None
    return author.user.get_full_name() or author.user.get_username()


def principle_summary(project: Project, meetings: int = 6) -> PrincipleSummary:
    """Per COCREATORS principle, how often it was kept over the project's last ``meetings``
    meeting dates: counts and share kept overall and at each meeting (share kept = kept ÷
    answered; "partly kept" counts as answered but not kept)."""
    dates = sorted(
        Reflection.objects.filter(project=project)
        .order_by("-meeting_date")
        .values_list("meeting_date", flat=True)
        .distinct()[:meetings]
    )
    counts = (
        ReflectionAnswer.objects.filter(
            reflection__project=project, reflection__meeting_date__in=dates
        )
        .values("principle", "reflection__meeting_date")
        .annotate(
            kept=Count("pk", filter=Q(answer=Answer.KEPT)),
            partly=Count("pk", filter=Q(answer=Answer.PARTLY)),
            not_kept=Count("pk", filter=Q(answer=Answer.NOT_KEPT)),
        )
        .order_by()
    )
    cells: dict[tuple[str, datetime.date], dict] = {
        (row["principle"], row["reflection__meeting_date"]): row for row in counts
    }
    rows = []
    for principle in ORDER:
        row = PrincipleRow(principle)
        for date in dates:
            cell = cells.get((principle.value, date))
            if cell is None:
                row.by_meeting.append(None)
                continue
            row.kept += cell["kept"]
            row.partly += cell["partly"]
            row.not_kept += cell["not_kept"]
            answered = cell["kept"] + cell["partly"] + cell["not_kept"]
            row.by_meeting.append(_share(cell["kept"], answered))
        rows.append(row)
    total = Reflection.objects.filter(project=project, meeting_date__in=dates).count()
    return PrincipleSummary(project=project, meetings=dates, rows=rows, reflections=total)


def reflection_comments(project: Project, meetings: int = 6) -> list[ReflectionComment]:
    """The comments of the last ``meetings`` meeting dates, newest meeting first. Within a
    meeting the order is the reflections' random ids: never the order people answered in."""
    dates = list(
        Reflection.objects.filter(project=project)
        .order_by("-meeting_date")
        .values_list("meeting_date", flat=True)
        .distinct()[:meetings]
    )
    reflections = (
        Reflection.objects.filter(project=project, meeting_date__in=dates)
        .select_related("author__user")
        .prefetch_related("answers")
        .order_by("-meeting_date", "id")
    )
    comments = []
    for reflection in reflections:
        author = _author_name(reflection)
        if reflection.comment:
            comments.append(
                ReflectionComment(reflection.meeting_date, None, reflection.comment, author)
            )
        for answer in reflection.answers.all():
            if answer.comment:
                comments.append(
                    ReflectionComment(
                        reflection.meeting_date, Principle(answer.principle), answer.comment, author
                    )
                )
    return comments


@dataclass(frozen=True)
class DirectoratePrinciple:
    principle: Principle
    not_kept: int
    partly: int
    kept: int

    @property
    def answered(self) -> int:
        return self.kept + self.partly + self.not_kept

    @property
    def share_not_kept(self) -> Fraction | None:
        return _share(self.not_kept, self.answered)


def principles_not_kept(
    *, directorate_ids: frozenset[int] | None, since: datetime.date | None
) -> list[DirectoratePrinciple]:
    """Across the projects of some directorates (None: the whole trust), each principle's
    answers since a date, the most often not kept first."""
    answers = ReflectionAnswer.objects.all()
    if directorate_ids is not None:
        answers = answers.filter(reflection__project__directorate_id__in=directorate_ids)
    if since is not None:
        answers = answers.filter(reflection__meeting_date__gte=since)
    counts = {
        row["principle"]: row
        for row in answers.values("principle")
        .annotate(
            kept=Count("pk", filter=Q(answer=Answer.KEPT)),
            partly=Count("pk", filter=Q(answer=Answer.PARTLY)),
            not_kept=Count("pk", filter=Q(answer=Answer.NOT_KEPT)),
        )
        .order_by()
    }
    rows = [
        DirectoratePrinciple(
            principle,
            not_kept=counts.get(principle.value, {}).get("not_kept", 0),
            partly=counts.get(principle.value, {}).get("partly", 0),
            kept=counts.get(principle.value, {}).get("kept", 0),
        )
        for principle in ORDER
    ]
    # Most often not kept first: by count, then by share, then in charter order.
    return sorted(
        rows,
        key=lambda r: (-r.not_kept, -(r.share_not_kept or 0), ORDER.index(r.principle)),
    )


def projects_with_reflections(
    *, directorate_ids: frozenset[int] | None, since: datetime.date | None
) -> QuerySet:
    projects = Project.objects.all()
    if directorate_ids is not None:
        projects = projects.filter(directorate_id__in=directorate_ids)
    in_period = Q(charter_reflections__isnull=False)
    if since is not None:
        in_period &= Q(charter_reflections__meeting_date__gte=since)
    return (
        projects.annotate(
            # distinct: the answers join repeats each reflection once per answer.
            reflection_count=Count("charter_reflections", filter=in_period, distinct=True),
            last_meeting=Max("charter_reflections__meeting_date", filter=in_period),
            not_kept_count=Count(
                "charter_reflections__answers",
                filter=in_period & Q(charter_reflections__answers__answer=Answer.NOT_KEPT),
            ),
        )
        .filter(reflection_count__gt=0)
        .select_related("directorate")
        .order_by("-last_meeting", "title")
    )
