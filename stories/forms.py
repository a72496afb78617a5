from __future__ import annotations

import datetime

from django import forms
from django.utils import timezone

from involvement import access
from projects.forms_nhsuk import NHSDateField, NHSForm
from projects.models import Directorate
from stories.models import Answer, Story
from stories.principles import ORDER
from stories.services import has_named_reflection

PRINCIPLE_CHOICES = [(p.value, f"{p.label} – {p.meaning}") for p in ORDER]


class StoryForm(NHSForm):
    """The story form for staff. The page supplies its own <form> and its two buttons (send for
    review, save as draft)."""

    form_tag = False
    submit_label = ""

    title = forms.CharField(max_length=200)
    summary = forms.CharField(
        max_length=600,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="A sentence or two for lists and the feed. Left empty, the start of the story "
        "is used.",
    )
    body = forms.CharField(
        label="The story",
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text="What happened, who took part and what you learned. You can use Markdown: "
        "*italic*, **bold**, lists and links.",
    )
    easy_read_summary = forms.CharField(
        label="Easy read summary (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Short sentences and everyday words.",
    )
    directorate = forms.ModelChoiceField(
        queryset=Directorate.objects.all(),
        required=False,
        empty_label="Across the trust / not sure",
        label="Which part of the trust is it about? (optional)",
        help_text="A People Participation Lead there reviews it.",
    )
    project = forms.ModelChoiceField(
        queryset=None,
        required=False,
        empty_label="No project",
        label="QI project (optional)",
    )
    principles = forms.MultipleChoiceField(
        choices=PRINCIPLE_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Which COCREATORS principles does it show? (optional)",
        help_text="Select all that apply.",
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        if "project" in self.fields:
            self.fields["project"].queryset = access.projects_for(user).select_related(
                "directorate"
            )

    def clean(self):
        cleaned = super().clean()
        project = cleaned.get("project")
        directorate = cleaned.get("directorate")
        if project and directorate and project.directorate_id != directorate.pk:
            self.add_error(
                "project",
                f"{project.title} belongs to {project.directorate}: choose that directorate, "
                "or no project.",
            )
        return cleaned

    @classmethod
    def initial_for(cls, story: Story) -> dict:
        return {
            "title": story.title,
            "summary": story.summary,
            "body": story.body,
            "easy_read_summary": story.easy_read_summary,
            "directorate": story.directorate_id,
            "project": story.project_id,
            "principles": [p.value for p in story.principles],
        }


class SimpleStoryForm(StoryForm):
    """The short form for service users and carers: no summary, no project list."""

    summary = None
    project = None
    body = forms.CharField(
        label="What happened?",
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text="Tell it in your own words: what you did, who you did it with, and what changed.",
    )


class NamedPersonForm(NHSForm):
    submit_label = "Add this person"

    name = forms.CharField(
        max_length=150,
        required=False,
        label="Their name, as the story gives it",
    )
    person = forms.ModelChoiceField(
        queryset=None,
        required=False,
        empty_label="Not in the register",
        label="Their record in the people register (optional)",
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        people = access.people_for(user)
        if people.exists():
            self.fields["person"].queryset = people
        else:
            # Only PPLs and admins see the register; everyone else names people in words.
            del self.fields["person"]

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("name", "").strip() and not cleaned.get("person"):
            self.add_error("name", "Enter the name of the person the story names.")
        return cleaned


class ConsentForm(NHSForm):
    submit_label = "Record consent"

    given_on = NHSDateField(label="Date they gave consent")

    def clean_given_on(self):
        given_on = self.cleaned_data["given_on"]
        if given_on > timezone.localdate():
            raise forms.ValidationError("The date consent was given cannot be in the future.")
        return given_on


class RequestChangesForm(NHSForm):
    submit_label = "Send back to the author"

    comment = forms.CharField(
        label="What needs to change?",
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="The author sees this comment. Be specific and kind.",
    )


class WithdrawForm(NHSForm):
    submit_label = "Withdraw the story"

    reason = forms.CharField(
        label="Why is it being withdrawn?",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="For example: a person named in it has withdrawn their consent. Only the "
        "authors and reviewers see this.",
    )


class LibraryFilterForm(NHSForm):
    submit_label = "Search"
    form_method = "get"

    q = forms.CharField(label="Search the stories", required=False, max_length=200)
    directorate = forms.ModelChoiceField(
        queryset=Directorate.objects.all(), required=False, empty_label="All directorates"
    )
    principle = forms.ChoiceField(
        label="COCREATORS principle",
        choices=[("", "All principles"), *[(p.value, p.label) for p in ORDER]],
        required=False,
    )


class ReflectionForm(NHSForm):
    """For each COCREATORS principle: kept, partly kept or not kept, with an optional comment."""

    submit_label = "Send my reflection"

    meeting_date = NHSDateField(label="Date of the meeting")
    comment = forms.CharField(
        label="Anything else about the meeting? (optional)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="For example, how it felt, or what would help next time.",
    )
    anonymous = forms.BooleanField(
        label="Send it anonymously",
        required=False,
        help_text="An anonymous reflection keeps nothing about who sent it: not your name, not "
        "your account, not the time you sent it. Nobody can find out it was you.",
    )

    def __init__(self, *args, project, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.project = project
        self.user = user
        fields = {"meeting_date": self.fields.pop("meeting_date")}
        for principle in ORDER:
            fields[f"answer_{principle.value}"] = forms.ChoiceField(
                label=principle.label,
                choices=Answer.choices,
                required=False,
                widget=forms.RadioSelect(attrs={"inline": True}),
                help_text=f"{principle.meaning}. Was it kept at this meeting?",
            )
            fields[f"comment_{principle.value}"] = forms.CharField(
                label=f"Anything to add about {principle.label}? (optional)",
                required=False,
                max_length=1000,
                widget=forms.Textarea(attrs={"rows": 2}),
            )
        fields["comment"] = self.fields.pop("comment")
        fields["anonymous"] = self.fields.pop("anonymous")
        self.fields = fields

    def clean_meeting_date(self):
        date: datetime.date = self.cleaned_data["meeting_date"]
        if date > timezone.localdate():
            raise forms.ValidationError("The meeting date cannot be in the future.")
        if date < self.project.start_date:
            raise forms.ValidationError(
                f"The project started on {self.project.start_date:%-d %B %Y}: "
                "the meeting cannot be before that."
            )
        if self.project.end_date and date > self.project.end_date:
            raise forms.ValidationError(
                f"The project ended on {self.project.end_date:%-d %B %Y}: "
                "the meeting cannot be after that."
            )
        return date

    def clean(self):
        cleaned = super().clean()
        for principle in ORDER:
            if cleaned.get(f"comment_{principle.value}", "").strip() and not cleaned.get(
                f"answer_{principle.value}"
            ):
                self.add_error(
                    f"answer_{principle.value}",
                    f"Choose kept, partly kept or not kept for {principle.label}, or take out "
                    "your comment on it.",
                )
        date = cleaned.get("meeting_date")
        if (
            date
            and not cleaned.get("anonymous")
            and has_named_reflection(project=self.project, user=self.user, meeting_date=date)
        ):
            self.add_error(
                "meeting_date",
                f"You have already sent a reflection with your name on the meeting of "
                f"{date:%-d %B %Y}.",
            )
        if not any(cleaned.get(f"answer_{p.value}") for p in ORDER):
            raise forms.ValidationError(
                "Answer at least one principle: kept, partly kept or not kept."
            )
        return cleaned

    def answers(self) -> dict[str, tuple[str, str]]:
        return {
            principle.value: (
                self.cleaned_data[f"answer_{principle.value}"],
                self.cleaned_data[f"comment_{principle.value}"],
            )
            for principle in ORDER
            if self.cleaned_data.get(f"answer_{principle.value}")
        }
