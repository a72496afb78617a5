"""Forms of the idea boards. Each is an NHS.UK form (``NHSForm``); the services check the rules
again, so a form is about clear messages, not about safety."""

from __future__ import annotations

import datetime

from crispy_forms.layout import Field, Layout
from django import forms
from django.utils import timezone

from projects.forms_nhsuk import NHSDateField, NHSForm
from projects.models import ForumMeeting, MeetingStatus
from projects.models_boards import (
    DEFAULT_VOTES,
    HAT_PROMPTS,
    MOST_VOTES,
    NOTE_MAX_LENGTH,
    Hat,
)

EXAMPLE_QUESTION = "What are the boundaries to increasing involvement?"


class BoardOpenForm(NHSForm):
    submit_label = "Open the board"

    question = forms.CharField(
        label="The question the board asks",
        max_length=200,
        help_text=f"For example, “{EXAMPLE_QUESTION}”",
        error_messages={
            "required": "Write the question the board asks.",
            "max_length": "Keep the question to 200 characters or fewer.",
        },
    )

    def __init__(self, *args, forum=None, **kwargs):
        super().__init__(*args, **kwargs)
        if forum is not None:
            today = timezone.localdate()
            self.fields["meeting"] = forms.ModelChoiceField(
                label="For the meeting on",
                queryset=ForumMeeting.objects.filter(
                    forum=forum, date__gte=today - datetime.timedelta(days=92)
                )
                .exclude(status=MeetingStatus.CANCELLED)
                .order_by("date"),
                widget=forms.RadioSelect,
                empty_label=None,
                help_text="People can add notes before, during and after the meeting.",
                error_messages={
                    "required": "Choose the meeting the board is for.",
                    "invalid_choice": "Choose one of the forum's meetings.",
                },
            )
            self.fields["meeting"].label_from_instance = lambda m: (
                f"{m.date:%A %-d %B %Y} ({m.get_status_display().lower()})"
            )


class NoteForm(NHSForm):
    submit_label = "Add the note"
    form_action = ""  # set by the view: the note URL

    column = forms.ChoiceField(
        label="Which column is your note for?",
        choices=[(hat.value, f"{hat.label}: {HAT_PROMPTS[hat]}") for hat in Hat],
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose the column for your note.",
            "invalid_choice": "Choose one of the six columns.",
        },
    )
    # No max_length on the field itself: a note that is too long is kept in the box, with the
    # message saying by how much, so the writer can shorten it rather than lose it.
    text = forms.CharField(
        label="Your note",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Short and in plain words. Other people on the board see it straight away.",
        error_messages={"required": "Write your note before adding it."},
    )
    anonymous = forms.BooleanField(
        label="Add it anonymously",
        required=False,
        help_text="Your name is not shown, and it is not kept with the note either: nobody, not "
        "even the facilitator, can find out who wrote it.",
    )

    def __init__(self, *args, action: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.form_action = action
        self.helper.form_id = "add-note"
        self.helper.layout = Layout(
            "column",
            Field("text", template="projects/boards/_character_count_field.html"),
            "anonymous",
        )
        self.fields["text"].max_chars = NOTE_MAX_LENGTH  # for the character count

    def clean_text(self):
        text = self.cleaned_data["text"].strip()
        if len(text) > NOTE_MAX_LENGTH:
            raise forms.ValidationError(
                f"A note can be up to {NOTE_MAX_LENGTH} characters: yours has {len(text)}. "
                "Shorten it, or split it into two notes."
            )
        return text


class InviteForm(NHSForm):
    submit_label = "Invite"

    username = forms.CharField(
        label="Or a member of staff, by their username",
        required=False,
        max_length=150,
        help_text="Staff who work with Big I: People Participation Leads (PPLs), project leads, "
        "forum chairs and the QI team.",
    )

    def __init__(self, *args, invitees=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.invitees = invitees
        if invitees is not None:
            self.fields = {
                "people": forms.ModelMultipleChoiceField(
                    label="Service users and carers with an account",
                    queryset=invitees,
                    required=False,
                    widget=forms.CheckboxSelectMultiple,
                    help_text="From the people register: those who have signed up.",
                    error_messages={"invalid_choice": "Choose people from the list."},
                ),
                **self.fields,
            }
            self.fields["people"].label_from_instance = lambda person: person.name

    def clean_username(self):
        from involvement import access

        username = self.cleaned_data["username"].strip()
        if not username:
            return None
        user = access.staff_invitable_by_username(username)
        if user is None:
            raise forms.ValidationError(
                f"No member of staff has the username “{username}”. Check it, or invite service "
                "users and carers from the list."
            )
        return user

    def clean(self):
        cleaned = super().clean()
        if not self.errors and not cleaned.get("people") and not cleaned.get("username"):
            raise forms.ValidationError("Choose someone to invite, or type a username.")
        return cleaned

    def users(self) -> list:
        chosen = [person.user for person in self.cleaned_data.get("people") or []]
        if self.cleaned_data.get("username"):
            chosen.append(self.cleaned_data["username"])
        return chosen


class InviteSearchForm(NHSForm):
    """Narrows a long list of people to invite (a GET form, so the search is a link)."""

    submit_label = "Find"
    form_method = "get"

    q = forms.CharField(label="Find people by name", required=False, max_length=100)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.form_id = "find-people"
        self.helper.inputs[0].field_classes = "nhsuk-button--secondary"


class VotingOpenForm(NHSForm):
    submit_label = "Open voting"

    votes_per_person = forms.IntegerField(
        label="Votes for each person",
        min_value=1,
        max_value=MOST_VOTES,
        initial=DEFAULT_VOTES,
        help_text="Dot voting: each person can put several votes on one idea or spread them out. "
        "Three is usual.",
        widget=forms.NumberInput(attrs={"class": "nhsuk-input--width-2", "inputmode": "numeric"}),
        error_messages={
            "required": "Say how many votes each person has.",
            "invalid": "Enter a whole number of votes, for example 3.",
            "min_value": f"Give each person from 1 to {MOST_VOTES} votes.",
            "max_value": f"Give each person from 1 to {MOST_VOTES} votes.",
        },
    )


class ConfirmForm(NHSForm):
    """A page that asks before doing something that cannot be undone (closing)."""

    def __init__(self, *args, submit_label: str, **kwargs):
        self.submit_label = submit_label
        super().__init__(*args, **kwargs)


class ProjectFromNoteForm(NHSForm):
    submit_label = "Create the draft project"

    title = forms.CharField(
        label="Project title",
        max_length=200,
        error_messages={
            "required": "Give the project a title.",
            "max_length": "Keep the title to 200 characters or fewer.",
        },
    )
    directorate = forms.ModelChoiceField(
        label="Directorate",
        queryset=None,
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={"required": "Choose the project's directorate."},
    )
    start_date = NHSDateField(
        label="Start date",
        error_messages={"required": "Enter the date the project starts."},
    )

    def __init__(self, *args, directorates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["directorate"].queryset = directorates


class OtherActionForm(NHSForm):
    submit_label = "Record the action"

    description = forms.CharField(
        label="What was done with the idea",
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For example, “Agreed at the forum: no new project goes live without a service "
        "user on its team or a signed-off co-production plan.”",
        error_messages={
            "required": "Say what was done with the idea.",
            "max_length": "Keep it to 300 characters or fewer.",
        },
    )
