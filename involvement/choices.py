"""The fixed lists of the people register: days, times, ways of meeting, access needs, payment
preferences, opportunity kinds.

Plain ``TextChoices`` with no model import, so the models, the forms and the pure matching module's
callers can all use them.
"""

from __future__ import annotations

from django.db import models


class Day(models.TextChoices):
    MONDAY = "mon", "Monday"
    TUESDAY = "tue", "Tuesday"
    WEDNESDAY = "wed", "Wednesday"
    THURSDAY = "thu", "Thursday"
    FRIDAY = "fri", "Friday"
    SATURDAY = "sat", "Saturday"
    SUNDAY = "sun", "Sunday"


class TimeOfDay(models.TextChoices):
    MORNING = "morning", "Mornings"
    AFTERNOON = "afternoon", "Afternoons"
    EVENING = "evening", "Evenings"


class AttendanceMode(models.TextChoices):
    """How a person can take part, or how a project or opportunity meets."""

    REMOTE = "remote", "Remote (online or by phone)"
    IN_PERSON = "in_person", "In person"
    EITHER = "either", "Either remote or in person"


# Short words for sentences ("available Tuesdays, remote").
ATTENDANCE_WORDS = {
    AttendanceMode.REMOTE: "remote",
    AttendanceMode.IN_PERSON: "in person",
    AttendanceMode.EITHER: "remote or in person",
}


class AccessNeed(models.TextChoices):
    """What a person needs to take part (the seed's "Translate" and "Empower" principles)."""

    EASY_READ = "easy_read", "Easy read versions of papers"
    ACRONYM_SHEET = "acronym_sheet", "An acronym sheet (what the short words mean)"
    LARGE_PRINT = "large_print", "Large print"
    INTERPRETER = "interpreter", "An interpreter"
    NOT_ON_THE_SPOT = (
        "not_on_the_spot",
        "Not asked on the spot: prefers to give ideas in writing",
    )
    STEP_FREE = "step_free", "Step-free access"


class PaymentPreference(models.TextChoices):
    """How a person wants to be paid for their time. Payments read this field."""

    PAID = "paid", "Paid"
    VOUCHERS = "vouchers", "Vouchers"
    DECLINED = "declined", "Declines payment"


# What the role description says under "Payment", in words.
PAYMENT_WORDS = {
    PaymentPreference.PAID: "Paid for their time at the trust's involvement rate.",
    PaymentPreference.VOUCHERS: "Paid in vouchers for their time, at the trust's involvement rate.",
    PaymentPreference.DECLINED: (
        "Has chosen not to be paid (for example, because of benefits rules)."
    ),
}


class OpportunityKind(models.TextChoices):
    """Ways to take part beyond QI projects (the seed's last slide)."""

    QUALITY_ASSURANCE = "quality_assurance", "Quality assurance"
    BID_WRITING = "bid_writing", "Bid writing for new business"
    RESEARCH = "research", "Research"
    TRAINING = "training", "Training and development"
    STRATEGY = "strategy", "Strategy development and annual planning"
    INTERVIEW_PANEL = "interview_panel", "Interview panels to recruit staff"
    BEFRIENDING = "befriending", "Befriending service"
    PEER_SUPPORT = "peer_support", "Peer support"


class RoleDescriptionStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    AGREED = "agreed", "Agreed"
    ENDED = "ended", "Ended"


def labels(choices: type[models.TextChoices], values) -> list[str]:
    """The labels of ``values`` in the choices' own order (unknown values are left out)."""
    chosen = set(values or ())
    return [label for value, label in choices.choices if value in chosen]
