"""Co-production stories and COCREATORS charter reflections.

Stories hang off projects and people (DESIGN.md, layers): this module may import ``projects`` and
``involvement``; neither of them imports it.
"""

from __future__ import annotations

import re
import uuid

from django.conf import settings
from django.db import IntegrityError, connections, models, transaction
from django.utils import timezone
from django.utils.text import slugify
from simple_history.models import HistoricalRecords

from involvement.models import Person
from projects.models import Directorate, Project
from stories.principles import ORDER, Principle
from stories.rendering import render_markdown

# --- stories -------------------------------------------------------------------------------------


class StoryStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Waiting for review"
    CHANGES_REQUESTED = "changes_requested", "Changes requested"
    PUBLISHED = "published", "Published"
    WITHDRAWN = "withdrawn", "Withdrawn"


# NHS tag colour of each status (the words are always shown too).
STATUS_COLOURS = {
    StoryStatus.DRAFT: "grey",
    StoryStatus.SUBMITTED: "blue",
    StoryStatus.CHANGES_REQUESTED: "orange",
    StoryStatus.PUBLISHED: "green",
    StoryStatus.WITHDRAWN: "red",
}

# First path segments under /stories/ that a story's slug must never take (stories/urls.py).
RESERVED_SLUGS = frozenset({"new", "mine", "review", "feed", "reflections"})
SLUG_MAX_LENGTH = 220


class StoryQuerySet(models.QuerySet):
    def published(self) -> StoryQuerySet:
        """The stories readers may see. Every list, page, search, related list and feed starts
        here, so a withdrawn story disappears from all of them at once."""
        return self.filter(status=StoryStatus.PUBLISHED)

    def authored_by(self, user) -> StoryQuerySet:
        """Stories the user wrote: as a staff author, or as the SU whose record they sign in to."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(
            models.Q(author_users=user) | models.Q(author_people__user=user)
        ).distinct()

    def in_directorate(self, directorate_id) -> StoryQuerySet:
        return self.filter(directorate_id=directorate_id)

    def with_principle(self, principle: str) -> StoryQuerySet:
        return self.filter(
            pk__in=StoryPrinciple.objects.filter(principle=principle).values("story_id")
        )

    def for_list(self) -> StoryQuerySet:
        return self.select_related("directorate", "project").prefetch_related(
            "principle_links", "author_users", "author_people"
        )

    def for_cards(self) -> StoryQuerySet:
        """For lists of story cards: the bodies (the longest columns) stay in the database."""
        return self.for_list().defer("body", "body_html")

    def search(self, text: str) -> StoryQuerySet:
        """Stories matching ``text``, best first.

        PostgreSQL: full-text search over title (weight A), summary (B) and body (C), ranked.
        SQLite: a plain case-insensitive match on the same fields, newest first.
        """
        text = (text or "").strip()
        if not text:
            return self
        if connections[self.db].vendor == "postgresql":
            from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector

            vector = (
                SearchVector("title", weight="A", config="english")
                + SearchVector("summary", weight="B", config="english")
                + SearchVector("body", weight="C", config="english")
            )
            query = SearchQuery(text, search_type="websearch", config="english")
            return (
                # The vector is an alias, not a column of the result: filtering on it reads the
                # GIN index (migration 0003), and no row carries its whole vector back.
                self.alias(search_vector=vector)
                .filter(search_vector=query)
                .annotate(search_rank=SearchRank(vector, query))
                .order_by("-search_rank", "-published_at", "-pk")
            )
        return self.filter(
            models.Q(title__icontains=text)
            | models.Q(summary__icontains=text)
            | models.Q(body__icontains=text)
        ).order_by("-published_at", "-pk")


class Story(models.Model):
    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=SLUG_MAX_LENGTH, unique=True, editable=False)
    summary = models.TextField(
        max_length=600,
        blank=True,
        help_text="A sentence or two shown in lists and the feed.",
    )
    body = models.TextField(
        help_text="The story. You can use Markdown: *italic*, **bold**, lists, links."
    )
    # The body as HTML, rendered from Markdown and sanitised at every save (rendering.py): the
    # only HTML of a story that reaches a page.
    body_html = models.TextField(editable=False, blank=True)
    easy_read_summary = models.TextField(
        "Easy read summary",
        blank=True,
        help_text="Short sentences and everyday words, for readers who ask for easy read.",
    )
    directorate = models.ForeignKey(
        Directorate,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="stories",
        help_text="Leave empty for a story from across the trust.",
    )
    project = models.ForeignKey(
        Project, on_delete=models.SET_NULL, null=True, blank=True, related_name="stories"
    )
    author_users = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="stories_written"
    )
    author_people = models.ManyToManyField(
        Person,
        blank=True,
        related_name="stories_written",
        help_text="Service users and carers who wrote it (with or without an account).",
    )
    status = models.CharField(
        max_length=20, choices=StoryStatus.choices, default=StoryStatus.DRAFT, db_index=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    withdrawal_reason = models.TextField(blank=True)

    objects = StoryQuerySet.as_manager()
    # Who changed what and when (admins: /stories/<pk>/history/). The HTML is derived from the
    # body at every save, so the history keeps the body only.
    history = HistoricalRecords(excluded_fields=["updated_at", "body_html"])

    class Meta:
        ordering = ["-published_at", "-created_at", "-pk"]
        verbose_name_plural = "stories"
        indexes = [models.Index(fields=["status", "-published_at"])]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs):
        self.body_html = render_markdown(self.body)
        if self.slug:
            return super().save(*args, **kwargs)
        # A new story takes the first free slug of its title. Two people saving the same title at
        # the same moment can both pick it; the loser of that race takes the next one.
        for _attempt in range(5):
            self.slug = unique_slug(self.title)
            try:
                with transaction.atomic():
                    return super().save(*args, **kwargs)
            except IntegrityError:
                if not Story.objects.filter(slug=self.slug).exists():
                    raise
                self.slug = ""
        raise IntegrityError("Could not find a free slug for this story.")

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("stories:detail", kwargs={"slug": self.slug})

    @property
    def is_published(self) -> bool:
        return self.status == StoryStatus.PUBLISHED

    @property
    def status_colour(self) -> str:
        return STATUS_COLOURS[StoryStatus(self.status)]

    @property
    def principles(self) -> list[Principle]:
        chosen = {link.principle for link in self.principle_links.all()}
        return [principle for principle in ORDER if principle in chosen]

    @property
    def author_names(self) -> list[str]:
        names = [user.get_full_name() or user.get_username() for user in self.author_users.all()]
        names += [person.name for person in self.author_people.all()]
        return sorted(set(names))

    @property
    def list_summary(self) -> str:
        return self.summary or self.easy_read_summary


def unique_slug(title: str) -> str:
    """``title`` as a slug, with -2, -3, … added when it is taken (or a reserved path word)."""
    base = slugify(title)[: SLUG_MAX_LENGTH - 10].strip("-") or "story"
    taken = set(Story.objects.filter(slug__startswith=base).values_list("slug", flat=True)) | set(
        RESERVED_SLUGS
    )
    if base not in taken:
        return base
    pattern = re.compile(rf"^{re.escape(base)}-(\d+)$")
    used = {int(match.group(1)) for slug in taken if (match := pattern.match(slug))}
    number = 2
    while number in used:
        number += 1
    return f"{base}-{number}"


class StoryPrinciple(models.Model):
    """A COCREATORS principle a story shows."""

    story = models.ForeignKey(Story, on_delete=models.CASCADE, related_name="principle_links")
    principle = models.CharField(max_length=20, choices=Principle.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["story", "principle"], name="story_principle_once"),
        ]
        indexes = [models.Index(fields=["principle"])]

    def __str__(self) -> str:
        return self.get_principle_display()


class NamedPerson(models.Model):
    """Someone named in a story, and whether they have consented to its publication."""

    story = models.ForeignKey(Story, on_delete=models.CASCADE, related_name="named_people")
    name = models.CharField(max_length=150)
    person = models.ForeignKey(
        Person,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="named_in_stories",
        help_text="Their record in the people register, if they have one.",
    )
    consent_given_on = models.DateField("Consent given on", null=True, blank=True)
    consent_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    consent_recorded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = "person named in a story"
        verbose_name_plural = "people named in stories"

    def __str__(self) -> str:
        return self.name

    @property
    def has_consent(self) -> bool:
        return self.consent_given_on is not None


class StoryEventKind(models.TextChoices):
    CREATED = "created", "Written"
    SUBMITTED = "submitted", "Sent for review"
    CHANGES_REQUESTED = "changes_requested", "Changes requested"
    PUBLISHED = "published", "Published"
    WITHDRAWN = "withdrawn", "Withdrawn"


class StoryEvent(models.Model):
    """The story's history: each step of the review flow, with the reviewer's comment."""

    story = models.ForeignKey(Story, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=20, choices=StoryEventKind.choices)
    comment = models.TextField(blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.story}"


# --- charter reflections -------------------------------------------------------------------------


class Answer(models.TextChoices):
    KEPT = "kept", "Kept"
    PARTLY = "partly", "Partly kept"
    NOT_KEPT = "not_kept", "Not kept"


class Reflection(models.Model):
    """One team member's reflection on a project meeting: how well the charter was kept.

    It holds nothing that identifies who answered — no user, no time finer than the meeting's
    date, and a random id rather than a counter (a counter would tell the order people answered
    in). Who gave a named reflection is kept apart, in ``ReflectionAuthor``; an anonymous
    reflection simply has no author row, so there is nothing to hide or to leak.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="charter_reflections"
    )
    meeting_date = models.DateField("Date of the meeting")
    comment = models.TextField(blank=True)

    class Meta:
        ordering = ["-meeting_date", "id"]
        indexes = [models.Index(fields=["project", "-meeting_date"])]

    def __str__(self) -> str:
        return f"Reflection on {self.project} meeting of {self.meeting_date:%-d %b %Y}"


class ReflectionAnswer(models.Model):
    """How well one principle was kept at the meeting. Random id for the same reason as above."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    reflection = models.ForeignKey(Reflection, on_delete=models.CASCADE, related_name="answers")
    principle = models.CharField(max_length=20, choices=Principle.choices)
    answer = models.CharField(max_length=10, choices=Answer.choices)
    comment = models.TextField(blank=True)

    class Meta:
        ordering = ["principle"]
        constraints = [
            models.UniqueConstraint(
                fields=["reflection", "principle"], name="one_answer_per_principle"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_principle_display()}: {self.get_answer_display()}"


class ReflectionAuthor(models.Model):
    """Who gave a named (not anonymous) reflection."""

    reflection = models.OneToOneField(
        Reflection, on_delete=models.CASCADE, primary_key=True, related_name="author"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="charter_reflections"
    )

    def __str__(self) -> str:
        return f"{self.user} on {self.reflection}"
