"""People who take part, and how: team memberships (Big I) and activities (little i).

``ProjectMonth`` is the derived table of each active project's level per month that the p-chart
reads (DESIGN.md, Architecture); ``involvement.levels`` is the only code that writes it.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from projects.models import Directorate, Level, Project


class PersonKind(models.TextChoices):
    SERVICE_USER = "service_user", "Service user"
    CARER = "carer", "Carer"
    BOTH = "both", "Service user and carer"


class PersonQuerySet(models.QuerySet):
    def in_directorates(self, directorate_ids) -> PersonQuerySet:
        return self.filter(directorates__in=directorate_ids).distinct()

    def active(self) -> PersonQuerySet:
        return self.filter(active=True)


class Person(models.Model):
    """A service user or carer in the people register (an SU, in the app's words)."""

    kind = models.CharField(
        "Service user or carer",
        max_length=12,
        choices=PersonKind.choices,
        default=PersonKind.SERVICE_USER,
    )
    name = models.CharField(max_length=150)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=30, blank=True)
    directorates = models.ManyToManyField(Directorate, related_name="people", blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="person",
        help_text="Their own sign-in, once they have accepted an invitation.",
    )
    active = models.BooleanField(default=True, help_text="Untick when the person has left.")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PersonQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "people"

    def __str__(self) -> str:
        return self.name


class TeamMembershipQuerySet(models.QuerySet):
    def overlapping(self, start, end) -> TeamMembershipQuerySet:
        """Memberships overlapping [start, end] (end None = open)."""
        qs = self.filter(models.Q(end_date__isnull=True) | models.Q(end_date__gte=start))
        if end is not None:
            qs = qs.filter(start_date__lte=end)
        return qs

    def current(self, on) -> TeamMembershipQuerySet:
        return self.overlapping(on, on)


class TeamMembership(models.Model):
    """An SU on a project team: the Big I record."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="memberships")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="memberships")
    role = models.CharField(max_length=100, default="Team member")
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = TeamMembershipQuerySet.as_manager()

    class Meta:
        ordering = ["start_date", "pk"]
        indexes = [models.Index(fields=["project", "start_date"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True)
                | models.Q(end_date__gte=models.F("start_date")),
                name="membership_end_not_before_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} on {self.project}"

    def clean(self):
        errors: dict[str, str] = {}
        if self.end_date and self.start_date and self.end_date < self.start_date:
            errors["end_date"] = "The end date must be on or after the start date."
        project = self.project if self.project_id else None
        if project and self.start_date:
            if self.start_date < project.start_date:
                errors["start_date"] = (
                    f"The project starts on {project.start_date:%-d %B %Y}: "
                    "a membership cannot start before it."
                )
            elif project.end_date and self.start_date > project.end_date:
                errors["start_date"] = (
                    f"The project ended on {project.end_date:%-d %B %Y}: "
                    "a membership cannot start after it."
                )
            if project.end_date and self.end_date and self.end_date > project.end_date:
                errors["end_date"] = (
                    f"The project ended on {project.end_date:%-d %B %Y}: "
                    "a membership cannot end after it."
                )
        if not errors and project and self.person_id and self.start_date:
            clash = (
                TeamMembership.objects.filter(project=project, person_id=self.person_id)
                .overlapping(self.start_date, self.end_date)
                .exclude(pk=self.pk)
            )
            if clash.exists():
                errors["person"] = (
                    f"{self.person} is already on this project's team for these dates."
                )
        if errors:
            raise ValidationError(errors)


class ActivityKind(models.TextChoices):
    SURVEY = "survey", "Survey"
    FOCUS_GROUP = "focus_group", "Focus group"
    FEEDBACK_SESSION = "feedback_session", "Feedback session"
    CO_DESIGN_WORKSHOP = "co_design_workshop", "Co-design workshop"
    OTHER = "other", "Other"


class Activity(models.Model):
    """A little-i activity: the project asked people who use the service for ideas."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="activities")
    kind = models.CharField(max_length=20, choices=ActivityKind.choices)
    date = models.DateField()
    participants = models.PositiveIntegerField("How many people took part", default=1)
    note = models.CharField(max_length=500, blank=True)
    people = models.ManyToManyField(Person, related_name="activities", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-date", "-pk"]
        verbose_name_plural = "activities"
        indexes = [models.Index(fields=["project", "date"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.date:%-d %b %Y}"

    def clean(self):
        project = self.project if self.project_id else None
        if project and self.date:
            if self.date < project.start_date:
                raise ValidationError(
                    {"date": f"The project starts on {project.start_date:%-d %B %Y}."}
                )
            if project.end_date and self.date > project.end_date:
                raise ValidationError(
                    {"date": f"The project ended on {project.end_date:%-d %B %Y}."}
                )
        if self.participants is not None and self.participants < 1:
            raise ValidationError({"participants": "At least one person took part."})


class ProjectMonth(models.Model):
    """Derived: one row per project per month it was active, with its level that month.

    Written only by ``involvement.levels`` (rebuilt with every change to a project's dates,
    status, memberships or activities); read by the monthly series.
    """

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="months")
    # Copied from the project so a directorate's series needs no join.
    directorate = models.ForeignKey(Directorate, on_delete=models.CASCADE, related_name="+")
    month = models.DateField(help_text="The first day of the month.")
    level = models.PositiveSmallIntegerField(choices=Level.choices)

    class Meta:
        ordering = ["project", "month"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "month"], name="one_level_per_project_month"
            ),
        ]
        indexes = [
            models.Index(fields=["month", "level"]),
            models.Index(fields=["directorate", "month", "level"]),
        ]

    def __str__(self) -> str:
        return f"{self.project_id} {self.month:%Y-%m}: {self.get_level_display()}"


class LevelsState(models.Model):
    """One row: how far the derived table runs, and a version bumped by every rebuild so caches
    of the series know when they are stale."""

    built_through = models.DateField(null=True, blank=True)
    version = models.PositiveBigIntegerField(default=0)

    class Meta:
        verbose_name = "levels state"

    def __str__(self) -> str:
        return f"Levels built through {self.built_through}, version {self.version}"
