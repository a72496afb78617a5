"""Payments to service users and carers for their contribution: rates, claims and payment batches.

Money and personal data meet here, so nothing may be lost or counted twice:

- A claim stores its own price (rate, units, unit price, fee, expenses, amount): a new rate never
  changes a claim already priced.
- A claim that has been decided (approved, rejected) or paid is never edited or deleted. What
  guards it, from the outside in: the views and forms only offer changes on a submitted claim; the
  admin site is read-only for claims; ``Claim.save`` refuses any change to a decided claim except
  the allowed steps (approved → put in a batch → paid); ``Claim.delete`` and the queryset's
  ``delete()`` refuse a claim that is not submitted, and the queryset's ``update()`` refuses when
  any row is decided or paid; on PostgreSQL a trigger refuses the same updates and deletes even
  from raw SQL (migration ``0007_claim_guard_trigger``). A correction is a new, reversing claim
  (negative amounts) that points at the original, with a reason; the original stays as it was.
- Every change of every claim, rate and batch is kept by django-simple-history: who, when and what.

``involvement.models`` imports this module, so these are ordinary models of the app.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from involvement.choices import PaymentPreference
from involvement.money import pounds

# --- rates ---------------------------------------------------------------------------------------


class RateKind(models.TextChoices):
    HOURLY = "hourly", "By the hour"
    HALF_DAY = "half_day", "Half day (up to 4 hours)"
    FULL_DAY = "full_day", "Full day (more than 4 hours)"
    MEETING = "meeting", "Meeting fee"


# What one unit of each rate is, for sentences ("2.5 hours at £15.00 an hour").
RATE_UNIT_WORDS = {
    RateKind.HOURLY: "an hour",
    RateKind.HALF_DAY: "a half day",
    RateKind.FULL_DAY: "a full day",
    RateKind.MEETING: "a meeting",
}


class RateQuerySet(models.QuerySet):
    def in_force_on(self, kind: str, day) -> Rate | None:
        """The rate of ``kind`` in force on ``day``: the latest that took effect on or before it."""
        return (
            self.filter(kind=kind, effective_from__lte=day)
            .order_by("-effective_from", "-pk")
            .first()
        )


class Rate(models.Model):
    """A named rate in pounds, in force from a date until the next rate of its kind."""

    kind = models.CharField("Rate", max_length=10, choices=RateKind.choices)
    amount = models.DecimalField("Amount in pounds", max_digits=8, decimal_places=2)
    effective_from = models.DateField("In force from")
    note = models.CharField(max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    objects = RateQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["kind", "-effective_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "effective_from"], name="one_rate_of_a_kind_a_day"
            ),
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="rate_more_than_zero"),
        ]

    def __str__(self) -> str:
        return (
            f"{self.get_kind_display()}: {pounds(self.amount)} from {self.effective_from:%-d %B %Y}"
        )

    def clean(self):
        if self.amount is not None and self.amount <= 0:
            raise ValidationError({"amount": "The amount must be more than £0."})

    @property
    def unit_words(self) -> str:
        return RATE_UNIT_WORDS[RateKind(self.kind)]


# --- claims --------------------------------------------------------------------------------------


class ClaimStatus(models.TextChoices):
    SUBMITTED = "submitted", "Waiting for approval"
    APPROVED = "approved", "Approved"
    REJECTED = "rejected", "Rejected"
    PAID = "paid", "Paid"


# Decided or paid: nothing about the claim may change except the steps in ``_ALLOWED_STEPS``.
LOCKED_STATUSES = (ClaimStatus.APPROVED, ClaimStatus.REJECTED, ClaimStatus.PAID)
# Fields that may change on a locked claim, and only along these steps (old → new status).
_MOVING_FIELDS = ("status", "batch_id", "paid_on")

STATUS_COLOURS = {
    ClaimStatus.SUBMITTED: "yellow",
    ClaimStatus.APPROVED: "blue",
    ClaimStatus.REJECTED: "red",
    ClaimStatus.PAID: "green",
}


class ClaimLocked(ValidationError):
    """A change to a decided or paid claim was refused. It is a ValidationError so that a form or
    view that meets it shows the message instead of failing."""


def _locked_message(status: str) -> str:
    label = ClaimStatus(status).label.lower()
    return (
        f"This claim is {label}, so it cannot be changed or deleted. "
        "To correct it, make a reversing claim."
    )


class ClaimQuerySet(models.QuerySet):
    """Bulk writes that would change or remove a decided or paid claim are refused.

    The app itself never changes claims with ``update()``: it saves each claim, so that the history
    records the change. These guards are for any other code (and the admin's bulk delete).
    """

    def update(self, **kwargs):
        locked = self.filter(status__in=LOCKED_STATUSES).values_list("status", flat=True)[:1]
        if locked:
            raise ClaimLocked(_locked_message(locked[0]))
        # Only submitted rows, so a claim approved since the check above is still left alone.
        return super(ClaimQuerySet, self.filter(status=ClaimStatus.SUBMITTED)).update(**kwargs)

    def delete(self):
        locked = self.exclude(status=ClaimStatus.SUBMITTED).values_list("status", flat=True)[:1]
        if locked:
            raise ClaimLocked(_locked_message(locked[0]))
        return super().delete()

    delete.queryset_only = True

    def waiting(self) -> ClaimQuerySet:
        return self.filter(status=ClaimStatus.SUBMITTED)

    def in_directorates(self, directorate_ids) -> ClaimQuerySet:
        return self.filter(directorate_id__in=directorate_ids)

    def to_pay(self) -> ClaimQuerySet:
        """Approved, not in a batch yet, and not for someone who declines payment."""
        return self.filter(status=ClaimStatus.APPROVED, batch__isnull=True).exclude(
            payment_preference=PaymentPreference.DECLINED
        )

    def with_people(self) -> ClaimQuerySet:
        return self.select_related(
            "person",
            "directorate",
            "membership__project",
            "activity__project",
            "forum_meeting__forum",
            "opportunity",
            "batch",
        )


def _only_one_involvement() -> models.Q:
    """Exactly one of the four kinds of involvement is set."""
    fields = ("membership", "activity", "forum_meeting", "opportunity")
    options = models.Q(pk__in=[])
    for chosen in fields:
        option = models.Q(**{f"{chosen}__isnull": False})
        for other in fields:
            if other != chosen:
                option &= models.Q(**{f"{other}__isnull": True})
        options |= option
    return options


class Claim(models.Model):
    """A claim for one person's time on one date for one piece of involvement.

    The involvement is exactly one of: a project team membership of the person (a team meeting),
    a little-i activity, a QI forum meeting, or an opportunity beyond QI projects. ``hours`` is the
    time given (the 12-hours-a-day rule and the person's record read it); ``rate_kind`` says how
    it is paid: by the hour (units = hours), or one half day, full day or meeting (units = 1).
    ``fee`` = unit price × units to the penny; ``amount`` = fee + expenses. A reversal has every
    quantity negated and points at the claim it reverses.
    """

    person = models.ForeignKey(
        "involvement.Person", on_delete=models.PROTECT, related_name="claims"
    )
    # The directorate that pays, and whose PPLs approve: one of the person's directorates, the
    # involvement's own where it has one. Totals by directorate count each claim once.
    directorate = models.ForeignKey(
        "projects.Directorate", on_delete=models.PROTECT, related_name="claims"
    )
    date = models.DateField("Date of the involvement")
    membership = models.ForeignKey(
        "involvement.TeamMembership",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="claims",
        verbose_name="project team meeting",
    )
    activity = models.ForeignKey(
        "involvement.Activity",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="claims",
        verbose_name="little-i activity",
    )
    forum_meeting = models.ForeignKey(
        "projects.ForumMeeting",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="claims",
        verbose_name="QI forum meeting",
    )
    opportunity = models.ForeignKey(
        "involvement.Opportunity",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="claims",
    )
    description = models.CharField("What they did", max_length=300, blank=True)

    rate = models.ForeignKey(Rate, on_delete=models.PROTECT, related_name="claims")
    rate_kind = models.CharField("Paid as", max_length=10, choices=RateKind.choices)
    hours = models.DecimalField("Hours", max_digits=5, decimal_places=2)
    units = models.DecimalField(max_digits=5, decimal_places=2)
    unit_price = models.DecimalField("Unit price", max_digits=8, decimal_places=2)
    fee = models.DecimalField("Fee for the time", max_digits=9, decimal_places=2)
    expenses = models.DecimalField(
        "Travel expenses", max_digits=8, decimal_places=2, default=Decimal("0.00")
    )
    expenses_note = models.CharField("Receipt note", max_length=300, blank=True)
    amount = models.DecimalField("Amount", max_digits=9, decimal_places=2)
    # Copied from the person when the claim is made: how this claim is paid, whatever the person
    # chooses later. "Declined" claims record the time with amount 0 and are never paid.
    payment_preference = models.CharField(
        "Payment preference", max_length=10, choices=PaymentPreference.choices
    )
    no_payment_reason = models.CharField("Why no payment", max_length=200, blank=True)

    status = models.CharField(
        max_length=10, choices=ClaimStatus.choices, default=ClaimStatus.SUBMITTED
    )
    reverses = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reversals",
        help_text="The claim this one corrects, for a reversing claim.",
    )
    reason = models.CharField("Reason for the correction", max_length=500, blank=True)

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.CharField("Reason", max_length=500, blank=True)
    batch = models.ForeignKey(
        "involvement.PaymentBatch",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="claims",
    )
    paid_on = models.DateField(null=True, blank=True)

    objects = ClaimQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-date", "-pk"]
        indexes = [
            models.Index(fields=["status", "directorate"]),
            models.Index(fields=["person", "date"]),
            models.Index(fields=["directorate", "date"]),
            # The approval queue (and the PPL home): one directorate's waiting claims, oldest
            # first, read straight from the index rather than filtering thousands of decided ones.
            models.Index(fields=["directorate", "status", "date", "id"], name="claim_queue_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=_only_one_involvement(), name="claim_for_exactly_one_involvement"
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=ClaimStatus.values), name="claim_status_known"
            ),
            # A claim is for some time; its reversal takes the same time away.
            models.CheckConstraint(
                condition=models.Q(reverses__isnull=True, hours__gt=0, expenses__gte=0)
                | models.Q(reverses__isnull=False, hours__lt=0, expenses__lte=0),
                name="claim_hours_sign",
            ),
            models.CheckConstraint(
                condition=models.Q(batch__isnull=True)
                | models.Q(status__in=[ClaimStatus.APPROVED, ClaimStatus.PAID]),
                name="claim_batched_only_when_approved",
            ),
            models.CheckConstraint(
                condition=~models.Q(status=ClaimStatus.PAID)
                | models.Q(batch__isnull=False, paid_on__isnull=False),
                name="claim_paid_through_a_batch",
            ),
            models.CheckConstraint(
                condition=models.Q(batch__isnull=True)
                | ~models.Q(payment_preference=PaymentPreference.DECLINED),
                name="claim_declined_never_batched",
            ),
            # One live correction per claim (a rejected one may be tried again).
            models.UniqueConstraint(
                fields=["reverses"],
                condition=models.Q(reverses__isnull=False) & ~models.Q(status="rejected"),
                name="claim_reversed_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference}: {self.person} on {self.date:%-d %b %Y}, {pounds(self.amount)}"

    # --- immutability ----------------------------------------------------------------------------

    def save(self, *args, **kwargs):
        if not self._state.adding and self.pk is not None:
            names = [f.attname for f in self._meta.concrete_fields]
            stored = type(self).objects.filter(pk=self.pk).values(*names).first()
            if stored is not None:
                self._check_change_allowed(stored)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        stored = type(self).objects.filter(pk=self.pk).values_list("status", flat=True).first()
        if stored is not None and stored != ClaimStatus.SUBMITTED:
            raise ClaimLocked(_locked_message(stored))
        return super().delete(*args, **kwargs)

    def _check_change_allowed(self, stored: dict) -> None:
        old = stored["status"]
        if old == ClaimStatus.SUBMITTED:
            return
        changed = [
            name
            for name, value in stored.items()
            if name not in _MOVING_FIELDS and getattr(self, name) != value
        ]
        new = self.status
        step = (old, new)
        allowed = (
            # Put into a batch (once), or left as it was.
            (
                step == (ClaimStatus.APPROVED, ClaimStatus.APPROVED)
                and stored["batch_id"] in (None, self.batch_id)
                and self.paid_on == stored["paid_on"]
            )
            # Paid with its batch.
            or (
                step == (ClaimStatus.APPROVED, ClaimStatus.PAID)
                and self.batch_id is not None
                and stored["batch_id"] in (None, self.batch_id)
            )
            # Nothing moves on a rejected or paid claim.
            or (
                old == new
                and old in (ClaimStatus.REJECTED, ClaimStatus.PAID)
                and all(getattr(self, f) == stored[f] for f in _MOVING_FIELDS)
            )
        )
        if changed or not allowed:
            raise ClaimLocked(_locked_message(old))

    # --- words -----------------------------------------------------------------------------------

    @property
    def reference(self) -> str:
        return f"C-{self.pk:06d}" if self.pk else "New claim"

    @property
    def person_reference(self) -> str:
        return person_reference(self.person_id)

    @property
    def status_colour(self) -> str:
        return STATUS_COLOURS[ClaimStatus(self.status)]

    @property
    def is_reversal(self) -> bool:
        return self.reverses_id is not None

    @property
    def is_locked(self) -> bool:
        return self.status in LOCKED_STATUSES

    @property
    def declined(self) -> bool:
        return self.payment_preference == PaymentPreference.DECLINED

    @property
    def involvement(self):
        return self.membership or self.activity or self.forum_meeting or self.opportunity

    @property
    def involvement_words(self) -> str:
        """What the time was for, in words (needs the involvement's project or forum loaded)."""
        if self.membership_id:
            return f"Project team: {self.membership.project.title}"
        if self.activity_id:
            activity = self.activity
            return f"{activity.get_kind_display()}: {activity.project.title}"
        if self.forum_meeting_id:
            return f"QI forum meeting: {self.forum_meeting.forum.name}"
        if self.opportunity_id:
            return f"{self.opportunity.get_kind_display()}: {self.opportunity.title}"
        return ""

    @property
    def duration_words(self) -> str:
        hours = f"{self.hours.normalize():f} hour{'s' if abs(self.hours) != 1 else ''}"
        if self.rate_kind == RateKind.HOURLY:
            return hours
        return f"{RateKind(self.rate_kind).label} ({hours})"

    @property
    def amount_words(self) -> str:
        return pounds(self.amount)

    @property
    def payment_method_words(self) -> str:
        return {
            PaymentPreference.PAID: "by bank payment",
            PaymentPreference.VOUCHERS: "in vouchers",
            PaymentPreference.DECLINED: "not paid (declines payment)",
        }[PaymentPreference(self.payment_preference)]

    @property
    def fee_words(self) -> str:
        return pounds(self.fee)

    @property
    def expenses_words(self) -> str:
        return pounds(self.expenses)

    @property
    def price_words(self) -> str:
        """For example "2.5 hours at £15.00 an hour", or "1 half day at £50.00 a half day"."""
        units = f"{self.units.normalize():f}"
        rate = RateKind(self.rate_kind)
        unit_name = {
            RateKind.HOURLY: "hour",
            RateKind.HALF_DAY: "half day",
            RateKind.FULL_DAY: "full day",
            RateKind.MEETING: "meeting",
        }[rate]
        plural = "s" if abs(self.units) != 1 else ""
        return f"{units} {unit_name}{plural} at {pounds(self.unit_price)} {RATE_UNIT_WORDS[rate]}"


def person_reference(person_id: int) -> str:
    """The reference finance knows a person by, for example SU-000123."""
    return f"SU-{person_id:06d}"


# --- payment batches -----------------------------------------------------------------------------


class BatchStatus(models.TextChoices):
    OPEN = "open", "Waiting to be paid"
    PAID = "paid", "Paid"


class PaymentBatch(models.Model):
    """Approved claims gathered for the finance team to pay together. A claim is in at most one
    batch (its ``batch`` field)."""

    note = models.CharField(max_length=200, blank=True)
    status = models.CharField(max_length=10, choices=BatchStatus.choices, default=BatchStatus.OPEN)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    exported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    exported_at = models.DateTimeField("Last downloaded", null=True, blank=True)
    paid_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    paid_on = models.DateField("Date paid", null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name_plural = "payment batches"
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="paid") | models.Q(paid_on__isnull=False),
                name="batch_paid_has_a_date",
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def reference(self) -> str:
        return f"B-{self.pk:06d}" if self.pk else "New batch"

    @property
    def is_paid(self) -> bool:
        return self.status == BatchStatus.PAID

    @property
    def status_colour(self) -> str:
        return "green" if self.is_paid else "blue"
