"""The people register beyond the person's own row: QI interests (tags an admin extends), training,
invitations, role descriptions, what a project needs, and opportunities beyond QI projects.

``involvement.models`` imports this module, so these are ordinary models of the app; ``Person`` is
referred to by name to avoid a circular import.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from involvement.choices import (
    PAYMENT_WORDS,
    AttendanceMode,
    Day,
    OpportunityKind,
    PaymentPreference,
    RoleDescriptionStatus,
    TimeOfDay,
    labels,
)
from projects.models import Directorate, Project

# How long an invitation link works (issue 4: "expires after 7 days").
INVITATION_DAYS = 7


class Interest(models.Model):
    """A QI interest a person can tick (measurement, co-design, …). Admins add more in the admin
    site; a data migration seeds the first ones."""

    name = models.CharField(max_length=60, unique=True)
    description = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Training(models.Model):
    """A course a person has done (Pocket QI, for example), with its date."""

    person = models.ForeignKey(
        "involvement.Person", on_delete=models.CASCADE, related_name="training"
    )
    course = models.CharField(max_length=100, default="Pocket QI")
    completed_on = models.DateField("Date completed")
    note = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-completed_on", "course"]
        verbose_name_plural = "training"

    def __str__(self) -> str:
        return f"{self.course} on {self.completed_on:%-d %b %Y}"


class InvitationQuerySet(models.QuerySet):
    def open(self) -> InvitationQuerySet:
        """Not used and not replaced by a newer one (it may still have expired)."""
        return self.filter(used_at__isnull=True, revoked_at__isnull=True)


class Invitation(models.Model):
    """An invitation to set up a sign-in. The link carries this row's id and a random nonce, signed
    with the site's key and timestamped; only a hash of the nonce is stored, so a copy of the
    database cannot make a working link. Re-inviting revokes the older rows: their links stop
    working."""

    person = models.ForeignKey(
        "involvement.Person", on_delete=models.CASCADE, related_name="invitations"
    )
    email = models.EmailField(
        blank=True, help_text="Where the link was sent; empty when it was given by hand."
    )
    nonce_hash = models.CharField(max_length=64)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["person", "-created_at"])]

    def __str__(self) -> str:
        return f"Invitation for {self.person} ({self.state})"

    @property
    def state(self) -> str:
        if self.used_at:
            return "used"
        if self.revoked_at:
            return "replaced"
        if self.expires_at <= timezone.now():
            return "expired"
        return "waiting"


class ProjectNeeds(models.Model):
    """What a QI project needs from a service user or carer team member: the interests it wants
    and when and how it meets. Matching reads it. Kept on the involvement side so the projects app
    never imports involvement models."""

    project = models.OneToOneField(Project, on_delete=models.CASCADE, related_name="needs")
    interests = models.ManyToManyField(
        Interest, related_name="projects_needing", blank=True, verbose_name="Interests needed"
    )
    meeting_days = models.JSONField("Days the team meets", default=list, blank=True)
    meeting_times = models.JSONField("Times the team meets", default=list, blank=True)
    attendance = models.CharField(
        "Remote or in person",
        max_length=10,
        choices=AttendanceMode.choices,
        default=AttendanceMode.EITHER,
    )
    note = models.CharField("Anything else the team needs", max_length=300, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "project needs"

    def __str__(self) -> str:
        return f"Needs of {self.project}"

    def clean(self):
        errors = {}
        if not isinstance(self.meeting_days, list) or not set(self.meeting_days) <= set(Day.values):
            errors["meeting_days"] = "Choose from the options given."
        if not isinstance(self.meeting_times, list) or not set(self.meeting_times) <= set(
            TimeOfDay.values
        ):
            errors["meeting_times"] = "Choose from the options given."
        if errors:
            raise ValidationError(errors)

    @property
    def meeting_days_labels(self) -> list[str]:
        return labels(Day, self.meeting_days)

    @property
    def meeting_times_labels(self) -> list[str]:
        return labels(TimeOfDay, self.meeting_times)


class RoleDescriptionQuerySet(models.QuerySet):
    def in_directorates(self, directorate_ids) -> RoleDescriptionQuerySet:
        """Descriptions of a project in, or of a person in, these directorates."""
        return self.filter(
            models.Q(project__directorate__in=directorate_ids)
            | models.Q(person__directorates__in=directorate_ids)
        ).distinct()

    def due_for_review(self, today: datetime.date) -> RoleDescriptionQuerySet:
        return self.filter(status=RoleDescriptionStatus.AGREED, review_date__lte=today)


class RoleDescription(models.Model):
    """The seed's project role description: what an SU does on a QI project team, agreed by both
    the SU and a PPL. An agreed description is read-only; a change is a new version that links to
    the one before, and agreeing the new version ends the old one."""

    person = models.ForeignKey(
        "involvement.Person", on_delete=models.PROTECT, related_name="role_descriptions"
    )
    project = models.ForeignKey(
        Project,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="role_descriptions",
        help_text="Leave empty until a project team is found: the description still tells PPLs "
        "what the person can offer.",
    )
    role = models.CharField("Role in the team", max_length=100, default="Team member")
    time_commitment = models.CharField(
        "Time commitment",
        max_length=200,
        help_text="For example, a 1 hour meeting every 2 weeks and about 1 hour of reading.",
    )
    where_based = models.CharField(
        "Where will you be based?", max_length=200, help_text="For example, online, or a place."
    )
    accountability = models.TextField(
        "Accountability and responsibility",
        max_length=2000,
        help_text="What the role involves and who it answers to.",
    )
    start_date = models.DateField("Start date")
    length = models.CharField(
        "Length of the role",
        max_length=100,
        default="6 months, to be reviewed",
        help_text="For example, 6 months, to be reviewed.",
    )
    review_date = models.DateField(
        "Review date", help_text="When the role will be looked at again."
    )
    contact_name = models.CharField(
        "Contact, supervisor and support: who",
        max_length=150,
        help_text="The person to talk to about the role.",
    )
    meeting_frequency = models.CharField(
        "How often you will meet them",
        max_length=150,
        blank=True,
        help_text="For example, 2 or 3 times, at times you agree.",
    )
    working_needs = models.TextField(
        "Working needs",
        max_length=1000,
        blank=True,
        help_text="Anything that helps you do the role, for example papers in easy read.",
    )
    hopes = models.TextField("What do you hope to get from this work?", max_length=1000, blank=True)
    # Copies from the person's profile: refreshed while the description is a draft, frozen once it
    # is agreed (so the agreed text says what both sides agreed to).
    payment_preference = models.CharField(
        max_length=10, choices=PaymentPreference.choices, default=PaymentPreference.PAID
    )
    interests_copy = models.CharField("QI interests", max_length=500, blank=True)
    availability_copy = models.CharField("Availability", max_length=500, blank=True)

    status = models.CharField(
        max_length=10, choices=RoleDescriptionStatus.choices, default=RoleDescriptionStatus.DRAFT
    )
    version = models.PositiveSmallIntegerField(default=1)
    previous = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="next_version",
        help_text="The version this one replaces.",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    su_agreed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    su_agreed_at = models.DateTimeField(null=True, blank=True)
    ppl_agreed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    ppl_agreed_at = models.DateTimeField(null=True, blank=True)
    agreed_at = models.DateTimeField(null=True, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    ended_at = models.DateTimeField(null=True, blank=True)
    end_reason = models.CharField(max_length=200, blank=True)

    objects = RoleDescriptionQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "review_date"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(review_date__gt=models.F("start_date")),
                name="role_description_review_after_start",
            ),
            models.CheckConstraint(
                condition=models.Q(version__gte=1), name="role_description_version_from_one"
            ),
        ]

    def __str__(self) -> str:
        where = self.project.title if self.project_id else "no project yet"
        return f"Role description for {self.person} ({where}), version {self.version}"

    def clean(self):
        if self.start_date and self.review_date and self.review_date <= self.start_date:
            raise ValidationError({"review_date": "The review date must be after the start date."})

    @property
    def status_colour(self) -> str:
        """The NHS tag colour of the status (the tag always says the status in words too)."""
        return {"draft": "yellow", "agreed": "green", "ended": "grey"}.get(self.status, "")

    @property
    def is_draft(self) -> bool:
        return self.status == RoleDescriptionStatus.DRAFT

    @property
    def project_title(self) -> str:
        return self.project.title if self.project_id else "Not linked to a project yet"

    @property
    def project_lead(self) -> str:
        return (self.project.lead_display or "Not recorded") if self.project_id else ""

    @property
    def payment_words(self) -> str:
        return PAYMENT_WORDS[PaymentPreference(self.payment_preference)]

    def is_due_for_review(self, today: datetime.date | None = None) -> bool:
        today = today or timezone.localdate()
        return self.status == RoleDescriptionStatus.AGREED and self.review_date <= today

    def copy_from_person(self) -> None:
        """Refresh the copies of the person's preference, interests and availability."""
        person = self.person
        self.payment_preference = person.payment_preference
        names = [interest.name for interest in person.interests.all()]
        self.interests_copy = ", ".join(names)[:500] if names else "None given"
        self.availability_copy = person.availability_words[:500]


class OpportunityQuerySet(models.QuerySet):
    def open_on(self, today: datetime.date) -> OpportunityQuerySet:
        """Still taking expressions of interest: not closed and not over."""
        return self.filter(
            models.Q(closes_on__isnull=True) | models.Q(closes_on__gte=today),
            models.Q(end_date__isnull=True) | models.Q(end_date__gte=today),
        )

    def for_directorates(self, directorate_ids) -> OpportunityQuerySet:
        """In these directorates, or open to the whole trust."""
        return self.filter(
            models.Q(directorate__isnull=True) | models.Q(directorate__in=directorate_ids)
        )


class Opportunity(models.Model):
    """A way to take part beyond QI projects (the seed's last slide): quality assurance, bid
    writing, research, training, strategy, interview panels, befriending, peer support."""

    title = models.CharField(max_length=150)
    kind = models.CharField(max_length=20, choices=OpportunityKind.choices)
    directorate = models.ForeignKey(
        Directorate,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="opportunities",
        help_text="Leave empty for an opportunity open to the whole trust.",
    )
    description = models.TextField("What it involves", max_length=2000)
    start_date = models.DateField("Start date")
    end_date = models.DateField("End date", null=True, blank=True)
    closes_on = models.DateField(
        "Closing date for interest",
        null=True,
        blank=True,
        help_text="The last day people can say they are interested. Leave empty to keep it open.",
    )
    paid = models.BooleanField("Paid", default=True, help_text="Tick if people are paid for it.")
    places = models.PositiveSmallIntegerField("Number of places", default=1)
    attendance = models.CharField(
        "Remote or in person",
        max_length=10,
        choices=AttendanceMode.choices,
        default=AttendanceMode.EITHER,
    )
    interests = models.ManyToManyField(
        Interest, related_name="opportunities", blank=True, verbose_name="Interests that fit"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    objects = OpportunityQuerySet.as_manager()

    class Meta:
        ordering = ["start_date", "title"]
        verbose_name_plural = "opportunities"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True)
                | models.Q(end_date__gte=models.F("start_date")),
                name="opportunity_end_not_before_start",
            ),
            models.CheckConstraint(
                condition=models.Q(places__gte=1), name="opportunity_at_least_one_place"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self):
        errors = {}
        if self.start_date and self.end_date and self.end_date < self.start_date:
            errors["end_date"] = "The end date must be on or after the start date."
        if self.end_date and self.closes_on and self.closes_on > self.end_date:
            errors["closes_on"] = "The closing date must be on or before the end date."
        if self.places is not None and self.places < 1:
            errors["places"] = "There must be at least one place."
        if errors:
            raise ValidationError(errors)

    def is_open(self, today: datetime.date | None = None) -> bool:
        today = today or timezone.localdate()
        return (self.closes_on is None or self.closes_on >= today) and (
            self.end_date is None or self.end_date >= today
        )


class OpportunityInterest(models.Model):
    """A person said they are interested in an opportunity (once; withdrawing deletes it)."""

    opportunity = models.ForeignKey(
        Opportunity, on_delete=models.CASCADE, related_name="interested"
    )
    person = models.ForeignKey(
        "involvement.Person", on_delete=models.CASCADE, related_name="opportunity_interests"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["opportunity", "person"], name="one_interest_per_person_and_opportunity"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} is interested in {self.opportunity}"
