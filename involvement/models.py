"""People who take part, and how: team memberships (Big I) and activities (little i).

``ProjectMonth`` is the derived table of each active project's level per month that the p-chart
reads (DESIGN.md, Architecture); ``involvement.levels`` is the only code that writes it.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from simple_history.models import HistoricalRecords

from involvement.choices import (
    ATTENDANCE_WORDS,
    AccessNeed,
    AttendanceMode,
    Day,
    PaymentPreference,
    TimeOfDay,
    labels,
)
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

    def search(self, text: str) -> PersonQuerySet:
        text = text.strip()
        if not text:
            return self
        return self.filter(models.Q(name__icontains=text) | models.Q(email__icontains=text))


class PreferredContact(models.TextChoices):
    EMAIL = "email", "Email"
    PHONE = "phone", "Phone call"
    TEXT = "text", "Text message"
    POST = "post", "Post"


def _check_choices(errors: dict, field: str, values, choices) -> None:
    """A list stored in a JSONField holds only values of its choices."""
    if not isinstance(values, list) or not set(values) <= set(choices.values):
        errors[field] = "Choose from the options given."


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

    # The rest of the register (issue 4). Contact details: only admins, PPLs of the person's
    # directorates and the person themselves see them (involvement.access).
    address = models.TextField(blank=True)
    preferred_contact = models.CharField(
        "How they like to be contacted", max_length=10, choices=PreferredContact.choices, blank=True
    )
    interests = models.ManyToManyField(
        "involvement.Interest",
        related_name="people",
        blank=True,
        verbose_name="QI interests",
    )
    # Lists of Day / TimeOfDay / AccessNeed values: a person ticks several, and matching reads
    # them in Python (a directorate's people at a time), so a JSON list is enough.
    available_days = models.JSONField("Days they are available", default=list, blank=True)
    available_times = models.JSONField("Times they are available", default=list, blank=True)
    attendance = models.CharField(
        "Remote or in person",
        max_length=10,
        choices=AttendanceMode.choices,
        default=AttendanceMode.EITHER,
    )
    availability_note = models.CharField(
        "Anything else about when they can take part", max_length=300, blank=True
    )
    access_needs = models.JSONField("Access needs", default=list, blank=True)
    interpreter_language = models.CharField(
        "Language for the interpreter", max_length=100, blank=True
    )
    access_needs_note = models.CharField("Other access needs", max_length=500, blank=True)
    lifeqi_access = models.BooleanField(
        "Has access to Life QI",
        default=False,
        help_text="They have an account on the Life QI website.",
    )
    payment_preference = models.CharField(
        "Payment preference",
        max_length=10,
        choices=PaymentPreference.choices,
        default=PaymentPreference.PAID,
        help_text="Some people on benefits choose vouchers or to decline payment.",
    )

    objects = PersonQuerySet.as_manager()
    # Who changed what and when (shown to admins on /people/<pk>/history/). The history holds
    # personal data too: erasing a person purges it (involvement.services_protection).
    history = HistoricalRecords(
        excluded_fields=["updated_at"], m2m_fields=["directorates", "interests"]
    )

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "people"

    def __str__(self) -> str:
        return self.name

    def clean(self):
        errors: dict[str, str] = {}
        _check_choices(errors, "available_days", self.available_days, Day)
        _check_choices(errors, "available_times", self.available_times, TimeOfDay)
        _check_choices(errors, "access_needs", self.access_needs, AccessNeed)
        needs = self.access_needs if isinstance(self.access_needs, list) else []
        if AccessNeed.INTERPRETER in needs and not self.interpreter_language.strip():
            errors["interpreter_language"] = "Say which language the interpreter should speak."
        if errors:
            raise ValidationError(errors)

    @property
    def available_days_labels(self) -> list[str]:
        return labels(Day, self.available_days)

    @property
    def available_times_labels(self) -> list[str]:
        return labels(TimeOfDay, self.available_times)

    @property
    def access_needs_labels(self) -> list[str]:
        """The needs in words, the interpreter's language included."""
        words = labels(AccessNeed, self.access_needs)
        if AccessNeed.INTERPRETER in (self.access_needs or []) and self.interpreter_language:
            words = [
                f"{w} ({self.interpreter_language})" if w == AccessNeed.INTERPRETER.label else w
                for w in words
            ]
        return words

    @property
    def availability_words(self) -> str:
        """For example "Tuesdays and Thursdays, mornings; remote (or in person)"."""
        days = [f"{label}s" for label in self.available_days_labels]
        times = [label.lower() for label in self.available_times_labels]
        parts = []
        if days:
            parts.append(_and(days))
        if times:
            parts.append(_and(times))
        when = ", ".join(parts) if parts else "Days and times not given"
        words = f"{when}; {ATTENDANCE_WORDS[AttendanceMode(self.attendance)]}"
        if self.availability_note:
            words += f". {self.availability_note}"
        return words


def _and(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


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
    history = HistoricalRecords()

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


# Payments (issue 5: rates, claims and payment batches) and the rest of the people register
# (interests, training, invitations, role descriptions, project needs, opportunities) live in their
# own modules; importing them here registers their models with the app.
from involvement.models_payments import (  # noqa: E402, F401
    Claim,
    PaymentBatch,
    Rate,
)
from involvement.models_people import (  # noqa: E402, F401
    Interest,
    Invitation,
    Opportunity,
    OpportunityInterest,
    ProjectNeeds,
    RoleDescription,
    Training,
)

# The access log and erasures (issue 9: data protection).
from involvement.models_protection import AccessPage, PersonAccess, PersonErasure  # noqa: E402, F401
