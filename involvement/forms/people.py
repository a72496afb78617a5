"""Forms of the people register: the full profile (staff), the part a person edits themselves,
training, invitations and accepting one."""

from __future__ import annotations

from crispy_forms.layout import Fieldset, Layout
from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import (
    password_validators_help_text_html,
    validate_password,
)
from django.utils.html import strip_tags

from involvement import access
from involvement.choices import AccessNeed, AttendanceMode, Day, TimeOfDay
from involvement.models import Interest, Person, PersonKind, PreferredContact, Training
from involvement.services_people import username_taken
from projects.forms_nhsuk import NHSDateField, NHSForm, NHSModelForm
from projects.models import Directorate


def _checkboxes(choices, label: str, help_text: str = "") -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(
        label=label,
        choices=choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=help_text,
    )


def _interests_field(label: str, help_text: str = "Tick all that apply."):
    return forms.ModelMultipleChoiceField(
        label=label,
        queryset=Interest.objects.order_by("name"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=help_text,
    )


class ProfileFieldsMixin:
    """The fields a person and their PPL both edit: interests, availability, access needs."""

    def _check_interpreter(self, cleaned: dict) -> None:
        if (
            AccessNeed.INTERPRETER in (cleaned.get("access_needs") or [])
            and not (cleaned.get("interpreter_language") or "").strip()
        ):
            self.add_error(
                "interpreter_language", "Say which language the interpreter should speak."
            )


class PersonForm(ProfileFieldsMixin, NHSModelForm):
    """The whole register entry, for PPLs and admins."""

    submit_label = "Save"

    kind = forms.ChoiceField(
        label="Service user or carer", choices=PersonKind.choices, widget=forms.RadioSelect
    )
    preferred_contact = forms.ChoiceField(
        label="How they like to be contacted",
        choices=PreferredContact.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    directorates = forms.ModelMultipleChoiceField(
        label="Directorates",
        queryset=Directorate.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text="The parts of the trust they take part in. Their PPLs see their record.",
        error_messages={"required": "Choose at least one directorate."},
    )
    interests = _interests_field("QI interests")
    available_days = _checkboxes(Day.choices, "Days they are available")
    available_times = _checkboxes(TimeOfDay.choices, "Times they are available")
    attendance = forms.ChoiceField(
        label="Remote or in person", choices=AttendanceMode.choices, widget=forms.RadioSelect
    )
    access_needs = _checkboxes(AccessNeed.choices, "Access needs", "Tick all that apply.")
    payment_preference = forms.ChoiceField(
        label="Payment preference",
        choices=Person._meta.get_field("payment_preference").choices,
        widget=forms.RadioSelect,
        help_text="Some people on benefits choose vouchers or to decline payment.",
    )

    class Meta:
        model = Person
        fields = [
            "name",
            "kind",
            "email",
            "phone",
            "address",
            "preferred_contact",
            "directorates",
            "interests",
            "available_days",
            "available_times",
            "attendance",
            "availability_note",
            "access_needs",
            "interpreter_language",
            "access_needs_note",
            "lifeqi_access",
            "payment_preference",
            "active",
        ]
        widgets = {"address": forms.Textarea(attrs={"rows": 3})}
        labels = {"name": "Full name", "email": "Email address", "phone": "Phone number"}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["address"].max_length = 500
        self.fields["address"].widget.attrs["maxlength"] = 500
        if access.is_admin(user):
            choices = Directorate.objects.all()
        else:
            # A PPL ticks their own directorates; ones already on the record stay choosable so
            # saving never drops them silently.
            current = self.instance.directorates.all() if self.instance.pk else []
            choices = Directorate.objects.filter(
                pk__in={*access.ppl_directorate_ids(user), *(d.pk for d in current)}
            )
        self.fields["directorates"].queryset = choices.order_by("name")
        self.helper.layout = Layout(
            Fieldset("About them", "name", "kind", "directorates", "active"),
            Fieldset("Contact details", "email", "phone", "address", "preferred_contact"),
            Fieldset(
                "What they would like to do",
                "interests",
                "available_days",
                "available_times",
                "attendance",
                "availability_note",
            ),
            Fieldset(
                "What they need to take part",
                "access_needs",
                "interpreter_language",
                "access_needs_note",
                "lifeqi_access",
            ),
            Fieldset("Payment", "payment_preference"),
        )

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        if not name:
            raise forms.ValidationError("Enter their name.")
        return name

    def clean(self):
        cleaned = super().clean()
        self._check_interpreter(cleaned)
        directorates = cleaned.get("directorates")
        if directorates and not access.is_admin(self.user):
            if not {d.pk for d in directorates} & access.ppl_directorate_ids(self.user):
                self.add_error(
                    "directorates",
                    "Include at least one of your own directorates, or you could not see "
                    "this record afterwards.",
                )
        return cleaned


class MyProfileForm(ProfileFieldsMixin, NHSModelForm):
    """What a service user or carer changes about themselves: interests, availability and access
    needs (not their directorates or payment preference: their PPL keeps those)."""

    submit_label = "Save my details"

    interests = _interests_field(
        "What would you like to do in QI (Quality Improvement)?", "Tick all that you like."
    )
    available_days = _checkboxes(Day.choices, "Which days can you usually take part?")
    available_times = _checkboxes(TimeOfDay.choices, "What times of day suit you?")
    attendance = forms.ChoiceField(
        label="Would you rather meet online or in person?",
        choices=AttendanceMode.choices,
        widget=forms.RadioSelect,
    )
    access_needs = _checkboxes(
        AccessNeed.choices,
        "What would help you take part?",
        "Tick all that apply. We will do our best to provide them.",
    )

    class Meta:
        model = Person
        fields = [
            "interests",
            "available_days",
            "available_times",
            "attendance",
            "availability_note",
            "access_needs",
            "interpreter_language",
            "access_needs_note",
        ]
        labels = {
            "availability_note": "Anything else about when you can take part (optional)",
            "interpreter_language": "If you need an interpreter, which language?",
            "access_needs_note": "Anything else that would help you (optional)",
        }

    def clean(self):
        cleaned = super().clean()
        self._check_interpreter(cleaned)
        return cleaned


class TrainingForm(NHSModelForm):
    submit_label = "Add training"

    completed_on = NHSDateField(label="Date completed")

    class Meta:
        model = Training
        fields = ["course", "completed_on", "note"]
        labels = {"course": "Course", "note": "Note (optional)"}
        help_texts = {"course": "For example, Pocket QI."}


class InviteForm(NHSForm):
    """How the invitation link reaches the person: by email, or by hand from the PPL."""

    submit_label = "Send invitation"

    EMAIL, BY_HAND = "email", "by_hand"
    how = forms.ChoiceField(
        label="How should the link reach them?",
        choices=[
            (EMAIL, "Send it by email"),
            (BY_HAND, "I will give them the link myself (for people without email)"),
        ],
        widget=forms.RadioSelect,
        initial=EMAIL,
    )
    email = forms.EmailField(label="Email address", required=False)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("how") == self.EMAIL and not cleaned.get("email"):
            if "email" not in self.errors:
                self.add_error("email", "Enter the email address to send the invitation to.")
        return cleaned


class AcceptInvitationForm(NHSForm):
    """The person chooses a username and a password (Django's password rules apply)."""

    submit_label = "Create my account"

    username = forms.CharField(
        label="Username",
        max_length=150,
        help_text="You will sign in with this. Your email address is fine. Letters, numbers and "
        "@ . + - _ only.",
    )
    password1 = forms.CharField(
        label="Password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=strip_tags(password_validators_help_text_html()).strip()
        or "Choose a password you do not use anywhere else.",
    )
    password2 = forms.CharField(
        label="Type the password again",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, person: Person, **kwargs):
        super().__init__(*args, **kwargs)
        self.person = person
        self.fields["username"].widget.attrs["autocomplete"] = "username"

    def clean_username(self):
        username = self.cleaned_data["username"].strip()
        User = get_user_model()
        User._meta.get_field("username").run_validators(username)
        if username_taken(username):
            raise forms.ValidationError("That username is taken. Choose another.")
        return username

    def clean(self):
        cleaned = super().clean()
        password1, password2 = cleaned.get("password1"), cleaned.get("password2")
        if password1 and password2 and password1 != password2:
            self.add_error("password2", "The two passwords are not the same.")
        elif password1:
            first, _, last = self.person.name.partition(" ")
            candidate = get_user_model()(
                username=cleaned.get("username", ""),
                email=self.person.email,
                first_name=first,
                last_name=last,
            )
            try:
                validate_password(password1, candidate)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return cleaned


class PeopleFilterForm(forms.Form):
    """The register list's search and filters (GET; rendered by the list template)."""

    q = forms.CharField(label="Search by name or email", required=False, max_length=100)
    directorate = forms.ModelChoiceField(
        label="Directorate", queryset=Directorate.objects.none(), required=False
    )
    status = forms.ChoiceField(
        label="Status",
        choices=[("active", "Active"), ("left", "Left"), ("all", "Active and left")],
        required=False,
    )
    interest = forms.ModelChoiceField(
        label="QI interest", queryset=Interest.objects.order_by("name"), required=False
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        if access.is_admin(user):
            self.fields["directorate"].queryset = Directorate.objects.order_by("name")
        else:
            self.fields["directorate"].queryset = Directorate.objects.filter(
                pk__in=access.ppl_directorate_ids(user)
            ).order_by("name")
