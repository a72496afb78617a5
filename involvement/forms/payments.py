"""Forms of payments: a claim, deciding one, a reversing claim, rates, and payment batches.

The claim form gathers what was done; ``services_payments`` checks it against the records and
prices it (its errors come back onto the form's fields). A form given a decided or paid claim
refuses to be valid: such a claim is never edited.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django import forms
from django.db.models import Q
from django.utils import timezone

from involvement.models import Activity, Opportunity, Person, TeamMembership
from involvement.models_payments import Claim, ClaimStatus, RateKind
from involvement.services_payments import ClaimInput
from projects.forms_nhsuk import NHSDateField, NHSForm
from projects.models import Directorate, ForumMeeting, MeetingStatus

# How far back the claim form offers activities, forum meetings and opportunities.
CLAIM_WINDOW_DAYS = 366
# The most of each kind the form lists (the newest first).
OPTIONS_LIMIT = 100


@dataclass
class InvolvementOptions:
    """What a claim for a person can be for: the form's grouped choices, and the object behind
    each choice's key ("membership:12", "activity:5", …)."""

    choices: list
    objects: dict


def _key(kind: str, obj) -> str:
    return f"{kind}:{obj.pk}"


def involvement_options(
    person: Person, today: datetime.date | None = None, *, current: Claim | None = None
) -> InvolvementOptions:
    """The person's project teams, and the activities, QI forum meetings and paid opportunities of
    their directorates in the last year. ``current``'s own involvement is always included, so a
    claim being corrected keeps what it was for."""
    today = today or timezone.localdate()
    since = today - datetime.timedelta(days=CLAIM_WINDOW_DAYS)
    directorates = list(person.directorates.values_list("pk", flat=True))
    memberships = list(
        TeamMembership.objects.filter(person=person)
        .select_related("project")
        .order_by("-start_date", "-pk")[:OPTIONS_LIMIT]
    )
    activities = list(
        Activity.objects.filter(
            project__directorate__in=directorates, date__gte=since, date__lte=today
        )
        .select_related("project")
        .order_by("-date", "-pk")[:OPTIONS_LIMIT]
    )
    meetings = list(
        ForumMeeting.objects.filter(
            forum__directorates__in=directorates, date__gte=since, date__lte=today
        )
        .exclude(status=MeetingStatus.CANCELLED)
        .select_related("forum")
        .distinct()
        .order_by("-date", "-pk")[:OPTIONS_LIMIT]
    )
    opportunities = list(
        Opportunity.objects.for_directorates(directorates)
        .filter(paid=True, start_date__lte=today)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=since))
        .order_by("-start_date", "title")[:OPTIONS_LIMIT]
    )
    if current is not None:
        for kind, items in (
            ("membership", memberships),
            ("activity", activities),
            ("forum_meeting", meetings),
            ("opportunity", opportunities),
        ):
            obj = getattr(current, kind)
            if obj is not None and obj not in items:
                items.insert(0, obj)

    def until(end) -> str:
        return f" to {end:%-d %b %Y}" if end else ""

    groups = [
        (
            "Project team meetings",
            "membership",
            memberships,
            lambda m: (
                f"{m.project.title} (on the team from {m.start_date:%-d %b %Y}{until(m.end_date)})"
            ),
        ),
        (
            "Little-i activities (ideas and feedback)",
            "activity",
            activities,
            lambda a: f"{a.date:%-d %b %Y}: {a.get_kind_display()}, {a.project.title}",
        ),
        (
            "QI forum meetings",
            "forum_meeting",
            meetings,
            lambda m: f"{m.date:%-d %b %Y}: {m.forum.name}",
        ),
        (
            "Opportunities beyond QI projects",
            "opportunity",
            opportunities,
            lambda o: (
                f"{o.title} ({o.get_kind_display()}, from {o.start_date:%-d %b %Y}"
                f"{until(o.end_date)})"
            ),
        ),
    ]
    choices: list = [("", "Choose what the claim is for")]
    objects: dict = {}
    for label, kind, items, words in groups:
        if items:
            choices.append((label, [(_key(kind, item), words(item)) for item in items]))
            objects.update({_key(kind, item): item for item in items})
    return InvolvementOptions(choices, objects)


def _current_key(claim: Claim) -> str:
    for kind in ("membership", "activity", "forum_meeting", "opportunity"):
        obj_id = getattr(claim, f"{kind}_id")
        if obj_id:
            return f"{kind}:{obj_id}"
    return ""


class ClaimForm(NHSForm):
    submit_label = "Save claim"

    involvement = forms.ChoiceField(
        label="What was it for?",
        error_messages={"required": "Choose what the claim is for."},
    )
    date = NHSDateField(
        label="Date",
        required=False,
        help_text="The day it happened. Leave empty for an activity or a QI forum meeting: their "
        "own date is used. For example, 27 3 2025.",
    )
    rate_kind = forms.ChoiceField(
        label="How is the time paid?",
        choices=RateKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose how the time is paid."},
    )
    hours = forms.DecimalField(
        label="How many hours",
        max_digits=5,
        decimal_places=2,
        help_text="In quarter hours: 1.25 is 1 hour 15 minutes, 2.5 is 2 and a half hours. "
        "No more than 12 hours a day.",
        error_messages={
            "required": "Enter how many hours.",
            "invalid": "Enter the hours as a number, like 1.5.",
            "max_decimal_places": "Enter the time in quarter hours, like 1.25 or 1.5.",
            "max_digits": "Enter a number of hours up to 12.",
            "max_whole_digits": "Enter a number of hours up to 12.",
        },
    )
    expenses = forms.DecimalField(
        label="Travel expenses in pounds (optional)",
        required=False,
        max_digits=8,
        decimal_places=2,
        help_text="For example, 4.80. Leave empty if there are none.",
        error_messages={
            "invalid": "Enter the expenses as an amount in pounds, like 4.80.",
            "max_decimal_places": "Enter the expenses in pounds and pence, like 4.80.",
        },
    )
    expenses_note = forms.CharField(
        label="Receipt note",
        required=False,
        max_length=300,
        help_text="Needed with expenses: what they were for and the receipt, for example "
        "“bus fare, receipt kept”.",
    )
    description = forms.CharField(label="What they did (optional)", required=False, max_length=300)

    def __init__(self, *args, options: InvolvementOptions, claim: Claim | None = None, **kwargs):
        if claim is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "involvement": _current_key(claim),
                "date": claim.date,
                "rate_kind": claim.rate_kind,
                "hours": claim.hours,
                "expenses": claim.expenses or None,
                "expenses_note": claim.expenses_note,
                "description": claim.description,
            }
        super().__init__(*args, **kwargs)
        self.claim = claim
        self.options = options
        self.fields["involvement"].choices = options.choices

    def clean(self):
        cleaned = super().clean()
        if self.claim is not None and self.claim.status != ClaimStatus.SUBMITTED:
            raise forms.ValidationError(
                f"This claim is {self.claim.get_status_display().lower()}, so it cannot be "
                "changed. To correct it, make a reversing claim."
            )
        return cleaned

    def to_input(self) -> ClaimInput:
        data = self.cleaned_data
        chosen = self.options.objects[data["involvement"]]
        kind = data["involvement"].split(":", 1)[0]
        return ClaimInput(
            rate_kind=data["rate_kind"],
            hours=data["hours"],
            date=data["date"],
            expenses=data["expenses"],
            expenses_note=data["expenses_note"],
            description=data["description"],
            **{kind: chosen},
        )


class ChoosePersonForm(NHSForm):
    """The first step of recording a claim: whose claim it is."""

    submit_label = "Continue"
    form_method = "get"

    person = forms.ModelChoiceField(
        label="Service user or carer",
        queryset=Person.objects.none(),
        empty_label="Choose a person",
        error_messages={"required": "Choose the person the claim is for."},
    )

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people.order_by("name", "pk")


class ReasonForm(NHSForm):
    """Rejecting a claim, or reversing one: the reason is kept with it."""

    reason = forms.CharField(
        label="Reason",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Give the reason."},
    )

    def __init__(self, *args, submit_label: str, label: str, help_text: str = "", **kwargs):
        self.submit_label = submit_label
        super().__init__(*args, **kwargs)
        self.fields["reason"].label = label
        self.fields["reason"].help_text = help_text

    def clean_reason(self) -> str:
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError("Give the reason.")
        return reason


class RateForm(NHSForm):
    submit_label = "Save rate"

    kind = forms.ChoiceField(label="Which rate", choices=RateKind.choices, widget=forms.RadioSelect)
    amount = forms.DecimalField(
        label="Amount in pounds",
        max_digits=8,
        decimal_places=2,
        min_value=0.01,
        help_text="For example, 16.50.",
        error_messages={
            "invalid": "Enter the amount in pounds, like 16.50.",
            "min_value": "The amount must be more than £0.",
            "max_decimal_places": "Enter the amount in pounds and pence, like 16.50.",
        },
    )
    effective_from = NHSDateField(
        label="In force from",
        help_text="Claims for this date and later are priced at the new rate; claims already "
        "priced keep their price. For example, 6 4 2025.",
    )
    note = forms.CharField(label="Note (optional)", required=False, max_length=200)


class BatchFilterForm(NHSForm):
    """Which approved claims to gather: a directorate (or all the user's), up to a date."""

    submit_label = "Show claims"
    form_method = "get"

    directorate = forms.ModelChoiceField(
        label="Directorate",
        queryset=Directorate.objects.none(),
        required=False,
        empty_label="All your directorates",
    )
    up_to = NHSDateField(
        label="Claims dated up to (optional)",
        required=False,
        help_text="Leave empty for every approved claim. For example, 31 3 2025.",
    )

    def __init__(self, *args, directorates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["directorate"].queryset = directorates


class MarkPaidForm(NHSForm):
    submit_label = "Mark as paid"

    paid_on = NHSDateField(
        label="Date paid",
        help_text="The day the finance team paid the batch. For example, 27 3 2025.",
        error_messages={"required": "Enter the date the batch was paid."},
    )


class TotalsForm(NHSForm):
    submit_label = "Show totals"
    form_method = "get"

    year = forms.TypedChoiceField(label="Tax year", coerce=int)

    def __init__(self, *args, years: list[int], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [(y, f"6 April {y} to 5 April {y + 1}") for y in years]
