"""The ground of Big I: directorates (and, built on them, QI projects and forums)."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models


class Directorate(models.Model):
    """A part of the trust (Newham, Forensic services, CAMHS, …).

    ``staff`` links users to the directorates they work in; a user in the PPL group who works in a
    directorate is one of its People Participation Leads (``involvement.access`` decides that).
    """

    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)
    staff = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        related_name="directorates",
        blank=True,
        help_text="Staff who work in this directorate. Those in the PPL group are its PPLs.",
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ProjectStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    ACTIVE = "active", "Active"
    COMPLETED = "completed", "Completed"
    STOPPED = "stopped", "Stopped"


ENDED_STATUSES = (ProjectStatus.COMPLETED, ProjectStatus.STOPPED)


class AimReached(models.TextChoices):
    NOT_RECORDED = "", "Not recorded"
    YES = "yes", "Yes"
    NO = "no", "No"


class Level(models.IntegerChoices):
    """A project's involvement level in a month (DESIGN.md "The involvement level …").

    Ordered, so the highest level a project reached is a Max() in the database.
    """

    NONE = 0, "No involvement"
    LITTLE_I = 1, "little i"
    BIG_I = 2, "Big I"


class ProjectQuerySet(models.QuerySet):
    def page_changed(self) -> int:
        """Mark what these projects' pages show as changed (``Project.page_version``)."""
        return self.update(page_version=models.F("page_version") + 1)

    def in_directorates(self, directorate_ids) -> ProjectQuerySet:
        return self.filter(directorate_id__in=directorate_ids)

    def search(self, text: str) -> ProjectQuerySet:
        text = text.strip()
        if not text:
            return self
        return self.filter(models.Q(title__icontains=text) | models.Q(lifeqi_id__iexact=text))

    def not_draft(self) -> ProjectQuerySet:
        return self.exclude(status=ProjectStatus.DRAFT)

    def ended_with_outcome(self) -> ProjectQuerySet:
        return self.filter(status__in=ENDED_STATUSES).exclude(aim_reached=AimReached.NOT_RECORDED)

    def missing_outcome(self) -> ProjectQuerySet:
        """Ended, but whether the aim was reached is not recorded yet."""
        return self.filter(status__in=ENDED_STATUSES, aim_reached=AimReached.NOT_RECORDED)

    def with_latest_score(self) -> ProjectQuerySet:
        """Annotate ``latest_score`` and ``latest_score_date`` (one subquery each, no N+1)."""
        latest = ProgressScore.objects.filter(project=models.OuterRef("pk")).order_by(
            "-date", "-pk"
        )
        return self.annotate(
            latest_score=models.Subquery(latest.values("score")[:1]),
            latest_score_date=models.Subquery(latest.values("date")[:1]),
        )


class Project(models.Model):
    title = models.CharField(max_length=200)
    lifeqi_id = models.CharField(
        "Life QI id",
        max_length=30,
        unique=True,
        null=True,
        blank=True,
        help_text="The project's number on Life QI, if it has one.",
    )
    directorate = models.ForeignKey(Directorate, on_delete=models.PROTECT, related_name="projects")
    lead = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="led_projects",
        help_text="The project lead's account: they can edit the project.",
    )
    lead_name = models.CharField(
        "Project lead",
        max_length=150,
        blank=True,
        help_text="As written on Life QI; kept for leads without an account.",
    )
    aim = models.TextField("Aim statement", blank=True)
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)
    status = models.CharField(
        max_length=10, choices=ProjectStatus.choices, default=ProjectStatus.DRAFT
    )
    aim_reached = models.CharField(
        "Aim reached",
        max_length=3,
        choices=AimReached.choices,
        blank=True,
        default=AimReached.NOT_RECORDED,
    )
    coproduction_plan = models.TextField(
        "Co-production plan",
        blank=True,
        help_text="How service users and carers will be involved, when there is no SU on the "
        "team yet.",
    )
    plan_signed_off_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    plan_signed_off_at = models.DateTimeField(null=True, blank=True)
    # Derived from ProjectMonth by involvement.levels (never typed in): the level in the latest
    # derived month, and the highest level reached while active.
    current_level = models.PositiveSmallIntegerField(
        choices=Level.choices, default=Level.NONE, editable=False
    )
    overall_level = models.PositiveSmallIntegerField(
        choices=Level.choices, default=Level.NONE, editable=False
    )
    # Goes up whenever what the project page shows below its details may have changed: each
    # rebuild of its levels (team, activities, dates, status), a progress score, a team member's
    # name, an activity's people, a charter reflection. The page keeps those parts cached under it.
    page_version = models.PositiveIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ProjectQuerySet.as_manager()

    class Meta:
        ordering = ["title"]
        indexes = [
            models.Index(fields=["directorate", "status"]),
            models.Index(fields=["current_level"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True)
                | models.Q(end_date__gte=models.F("start_date")),
                name="project_end_not_before_start",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_ended(self) -> bool:
        return self.status in ENDED_STATUSES

    @property
    def lead_display(self) -> str:
        if self.lead_id:
            return self.lead.get_full_name() or self.lead.get_username()
        return self.lead_name

    def clean(self):
        errors = {}
        if self.end_date and self.start_date and self.end_date < self.start_date:
            errors["end_date"] = "The end date must be on or after the start date."
        if self.status in ENDED_STATUSES and not self.end_date:
            errors["end_date"] = "A completed or stopped project needs an end date."
        if self.status not in ENDED_STATUSES and self.aim_reached:
            errors["aim_reached"] = "Record whether the aim was reached once the project has ended."
        if errors:
            raise ValidationError(errors)


# The IHI scale of project progress (Institute for Healthcare Improvement).
IHI_SCORES = [
    ("0.5", "0.5 – Intent to participate"),
    ("1.0", "1.0 – Forming team"),
    ("1.5", "1.5 – Planning for the project has begun"),
    ("2.0", "2.0 – Activity, but no changes"),
    ("2.5", "2.5 – Changes tested, but no improvement"),
    ("3.0", "3.0 – Modest improvement"),
    ("3.5", "3.5 – Improvement"),
    ("4.0", "4.0 – Significant improvement"),
    ("4.5", "4.5 – Sustainable improvement"),
    ("5.0", "5.0 – Outstanding sustainable results"),
]


class ProgressScore(models.Model):
    """One dated IHI progress score; every update is kept (a score not updated for three months
    is stale)."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="progress_scores")
    score = models.DecimalField(
        max_digits=2,
        decimal_places=1,
        choices=[(Decimal(value), label) for value, label in IHI_SCORES],
    )
    date = models.DateField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-date", "-pk"]
        indexes = [models.Index(fields=["project", "-date"])]

    def __str__(self) -> str:
        return f"{self.score} on {self.date:%d %b %Y}"


class Forum(models.Model):
    """A QI forum: a directorate's (or a group of directorates') regular meeting."""

    name = models.CharField(max_length=150, unique=True)
    directorates = models.ManyToManyField(Directorate, related_name="forums")
    chair = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="chaired_forums",
        help_text="The chair may be a service user.",
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class MeetingStatus(models.TextChoices):
    PLANNED = "planned", "Planned"
    HELD = "held", "Held"
    CANCELLED = "cancelled", "Cancelled"


SHORT_NOTICE_DAYS = 7


class ForumMeetingQuerySet(models.QuerySet):
    def short_notice_cancellations(self) -> ForumMeetingQuerySet:
        """Cancelled less than 7 days before the meeting (the seed's top tip: avoid them)."""
        return self.filter(
            status=MeetingStatus.CANCELLED,
            cancellation_announced_on__gt=models.F("date")
            - datetime.timedelta(days=SHORT_NOTICE_DAYS),
        )


class ForumMeeting(models.Model):
    forum = models.ForeignKey(Forum, on_delete=models.CASCADE, related_name="meetings")
    date = models.DateField()
    status = models.CharField(
        max_length=10, choices=MeetingStatus.choices, default=MeetingStatus.PLANNED
    )
    cancellation_announced_on = models.DateField("Cancellation announced on", null=True, blank=True)
    note = models.CharField(max_length=300, blank=True)

    objects = ForumMeetingQuerySet.as_manager()

    class Meta:
        ordering = ["-date"]
        constraints = [
            models.UniqueConstraint(fields=["forum", "date"], name="one_meeting_per_forum_a_day"),
        ]

    def __str__(self) -> str:
        return f"{self.forum} on {self.date:%d %b %Y}"

    @property
    def is_short_notice_cancellation(self) -> bool:
        return (
            self.status == MeetingStatus.CANCELLED
            and self.cancellation_announced_on is not None
            and (self.date - self.cancellation_announced_on).days < SHORT_NOTICE_DAYS
        )

    def clean(self):
        if self.status == MeetingStatus.CANCELLED and not self.cancellation_announced_on:
            raise ValidationError(
                {"cancellation_announced_on": "Say when the cancellation was announced."}
            )
        if self.status != MeetingStatus.CANCELLED and self.cancellation_announced_on:
            raise ValidationError(
                {"cancellation_announced_on": "Only a cancelled meeting has a cancellation date."}
            )


# Idea boards live in their own module; importing it here registers its models with the app.
from projects.models_boards import (  # noqa: E402, F401
    Board,
    BoardAction,
    BoardParticipant,
    Note,
    NoteAuthor,
    Vote,
)

# Import jobs (the admin's CSV imports on their way in) live in their own module too.
from projects.models_imports import ImportJob, ImportJobStatus  # noqa: E402, F401
