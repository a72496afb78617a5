"""The seed's project role description form, the form to end one, and what a project needs (for
matching)."""

from __future__ import annotations

from crispy_forms.layout import Fieldset, Layout
from django import forms

from involvement.choices import AttendanceMode, Day, TimeOfDay
from involvement.models import Interest, ProjectNeeds, RoleDescription
from projects.forms_nhsuk import NHSDateField, NHSForm, NHSModelForm
from projects.models import Project


class RoleDescriptionForm(NHSModelForm):
    """Drafted by the service user (from /me/) or a PPL. ``projects`` are the projects this user
    may link it to; the description's own project always stays choosable."""

    submit_label = "Save draft"

    project = forms.ModelChoiceField(
        label="Project",
        queryset=Project.objects.none(),
        required=False,
        empty_label="Not linked to a project yet",
        help_text="The project's title and lead are filled in from the project.",
    )
    start_date = NHSDateField(label="Start date")
    review_date = NHSDateField(
        label="Review date",
        help_text="When the role will be looked at again. For example, 27 3 2025.",
    )

    class Meta:
        model = RoleDescription
        fields = [
            "project",
            "role",
            "time_commitment",
            "where_based",
            "accountability",
            "start_date",
            "length",
            "review_date",
            "contact_name",
            "meeting_frequency",
            "working_needs",
            "hopes",
        ]
        widgets = {
            "accountability": forms.Textarea(attrs={"rows": 4}),
            "working_needs": forms.Textarea(attrs={"rows": 3}),
            "hopes": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, projects, **kwargs):
        super().__init__(*args, **kwargs)
        allowed = projects
        if self.instance.project_id:
            allowed = Project.objects.filter(
                pk__in=[*projects.values_list("pk", flat=True), self.instance.project_id]
            )
        self.fields["project"].queryset = allowed.order_by("title")
        self.helper.layout = Layout(
            Fieldset("The project", "project", "role"),
            Fieldset(
                "The role",
                "time_commitment",
                "where_based",
                "accountability",
                "start_date",
                "length",
                "review_date",
            ),
            Fieldset(
                "Contact, supervisor and support",
                "contact_name",
                "meeting_frequency",
                "working_needs",
            ),
            Fieldset("What you hope for", "hopes"),
        )

    def clean(self):
        cleaned = super().clean()
        start, review = cleaned.get("start_date"), cleaned.get("review_date")
        if start and review and review <= start:
            self.add_error("review_date", "The review date must be after the start date.")
        return cleaned


class EndRoleDescriptionForm(NHSForm):
    submit_label = "End this role description"

    reason = forms.CharField(
        label="Why is it ending? (optional)",
        max_length=200,
        required=False,
        help_text="For example, the project finished.",
    )


class ProjectNeedsForm(NHSModelForm):
    """What the project team needs from a service user or carer: matching reads it."""

    submit_label = "Save what the project needs"

    interests = forms.ModelMultipleChoiceField(
        label="QI interests the team needs",
        queryset=Interest.objects.order_by("name"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="Tick all that apply. People who share one or more are suggested.",
    )
    meeting_days = forms.MultipleChoiceField(
        label="Days the team meets",
        choices=Day.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    meeting_times = forms.MultipleChoiceField(
        label="Times the team meets",
        choices=TimeOfDay.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    attendance = forms.ChoiceField(
        label="Does the team meet remotely or in person?",
        choices=AttendanceMode.choices,
        widget=forms.RadioSelect,
    )

    class Meta:
        model = ProjectNeeds
        fields = ["interests", "meeting_days", "meeting_times", "attendance", "note"]
