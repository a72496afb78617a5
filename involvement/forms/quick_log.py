"""The PPL quick log: one form that adds a team member or a little-i activity to a project."""

from __future__ import annotations

from django import forms
from django.utils import timezone

from involvement.models import ActivityKind
from projects.forms_nhsuk import NHSDateField, NHSForm

MEMBER = "member"
WHAT_CHOICES = [
    (MEMBER, "Joined the team (Big I)"),
    *[(kind, f"{label} (little i)") for kind, label in ActivityKind.choices],
]


class QuickLogSearchForm(NHSForm):
    """Narrows the project list: a plain GET form, so it works without JavaScript."""

    form_method = "get"
    submit_label = "Find project"

    q = forms.CharField(
        label="Find a project",
        required=False,
        max_length=200,
        help_text="Part of its title, or its Life QI id",
    )


class ProjectChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        parts = [obj.title]
        if obj.lifeqi_id:
            parts.append(f"Life QI {obj.lifeqi_id}")
        parts.append(obj.get_status_display())
        return " – ".join(parts)


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        places = ", ".join(d.name for d in obj.directorates.all())
        return f"{obj.name} ({places})" if places else obj.name


class QuickLogForm(NHSForm):
    submit_label = "Log involvement"

    project = ProjectChoiceField(queryset=None, empty_label="Choose a project")
    what = forms.ChoiceField(
        label="What happened", choices=WHAT_CHOICES, widget=forms.RadioSelect, initial=MEMBER
    )
    person = PersonChoiceField(
        label="Service user or carer",
        queryset=None,
        required=False,
        empty_label="Choose a person",
        help_text="Needed for a team member; optional for an activity",
    )
    date = NHSDateField(label="Date", help_text="The day they joined, or of the activity")
    role = forms.CharField(
        label="Role on the team (team members only)",
        max_length=100,
        required=False,
        initial="Team member",
    )
    participants = forms.IntegerField(
        label="How many people took part (activities only)",
        min_value=1,
        required=False,
        initial=1,
    )
    note = forms.CharField(label="Short note (optional)", max_length=500, required=False)

    def __init__(self, *args, projects, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["project"].queryset = projects.select_related("directorate")
        self.fields["person"].queryset = people.prefetch_related("directorates").order_by("name")
        self.fields["date"].initial = timezone.localdate()

    def clean(self):
        cleaned = super().clean()
        project = cleaned.get("project")
        person = cleaned.get("person")
        if cleaned.get("what") == MEMBER and not person and "person" not in self.errors:
            self.add_error("person", "Choose the service user or carer who joined the team.")
        if project and person:
            if project.directorate_id not in {d.pk for d in person.directorates.all()}:
                self.add_error(
                    "person",
                    f"{person} is not in the people register of {project.directorate}: "
                    "choose someone from that directorate.",
                )
        return cleaned
