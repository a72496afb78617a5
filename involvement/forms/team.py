"""Forms for a project's team memberships (Big I) and little-i activities.

The model's ``clean`` (end before start, outside the project's dates, an overlapping membership
of the same person) runs inside ``is_valid`` because the form's instance carries the project, so
those rules show as form errors next to their fields.
"""

from __future__ import annotations

from django import forms
from django.utils import timezone

from involvement.models import Activity, ActivityKind, TeamMembership
from projects.forms_nhsuk import NHSModelForm


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.name} ({obj.get_kind_display().lower()})"


class MembershipForm(NHSModelForm):
    submit_label = "Add to the team"

    class Meta:
        model = TeamMembership
        fields = ["person", "role", "start_date", "end_date"]
        labels = {"person": "Service user or carer", "start_date": "Joined the team on"}
        help_texts = {"end_date": "Leave empty while they are on the team"}

    def __init__(self, *args, project, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.project = project
        self.fields["person"] = PersonChoiceField(
            queryset=candidates.order_by("name"),
            label="Service user or carer",
            empty_label="Choose a person",
        )
        self.fields["start_date"].initial = timezone.localdate()


class MembershipEndForm(NHSModelForm):
    submit_label = "End membership"

    class Meta:
        model = TeamMembership
        fields = ["end_date"]
        labels = {"end_date": "Left the team on"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["end_date"].required = True
        if not self.instance.end_date:
            self.fields["end_date"].initial = timezone.localdate()


class ActivityForm(NHSModelForm):
    submit_label = "Add activity"

    class Meta:
        model = Activity
        fields = ["kind", "date", "participants", "note", "people"]
        widgets = {
            "kind": forms.RadioSelect,
            "people": forms.CheckboxSelectMultiple,
            "note": forms.Textarea(attrs={"rows": 2}),
        }
        labels = {
            "kind": "What kind of activity",
            "date": "Date of the activity",
            "note": "Short note (optional)",
            "people": "People from the register who took part (optional)",
        }

    def __init__(self, *args, project, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.project = project
        self.fields["kind"].choices = ActivityKind.choices
        self.fields["date"].initial = timezone.localdate()
        candidates = candidates.order_by("name")
        if candidates.exists():
            self.fields["people"].queryset = candidates
        else:
            # Leads see no register: they log the activity and how many took part.
            del self.fields["people"]

    def clean(self):
        cleaned = super().clean()
        people = cleaned.get("people") or []
        participants = cleaned.get("participants")
        if participants is not None and len(people) > participants:
            self.add_error(
                "participants", f"{len(people)} people are named: at least that many took part."
            )
        return cleaned
