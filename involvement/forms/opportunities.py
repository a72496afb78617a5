"""Opportunities beyond QI projects: the form PPLs and admins fill in."""

from __future__ import annotations

from django import forms

from involvement import access
from involvement.choices import AttendanceMode, OpportunityKind
from involvement.models import Interest, Opportunity
from projects.forms_nhsuk import NHSDateField, NHSModelForm
from projects.models import Directorate


class OpportunityForm(NHSModelForm):
    submit_label = "Save opportunity"

    kind = forms.ChoiceField(label="Kind of opportunity", choices=OpportunityKind.choices)
    directorate = forms.ModelChoiceField(
        label="Directorate",
        queryset=Directorate.objects.none(),
        required=False,
        empty_label="The whole trust",
    )
    start_date = NHSDateField(label="Start date")
    end_date = NHSDateField(label="End date (optional)", required=False)
    closes_on = NHSDateField(
        label="Closing date for interest (optional)",
        required=False,
        help_text="The last day people can say they are interested. For example, 27 3 2025.",
    )
    places = forms.IntegerField(label="Number of places", min_value=1, max_value=999, initial=1)
    attendance = forms.ChoiceField(
        label="Remote or in person", choices=AttendanceMode.choices, widget=forms.RadioSelect
    )
    interests = forms.ModelMultipleChoiceField(
        label="QI interests that fit",
        queryset=Interest.objects.order_by("name"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="People with these interests see it first.",
    )

    class Meta:
        model = Opportunity
        fields = [
            "title",
            "kind",
            "directorate",
            "description",
            "start_date",
            "end_date",
            "closes_on",
            "paid",
            "places",
            "attendance",
            "interests",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 5})}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        field = self.fields["directorate"]
        if access.is_admin(user):
            field.queryset = Directorate.objects.order_by("name")
        else:
            # A PPL's opportunities belong to one of their directorates; trust-wide ones are the
            # QI team's.
            field.queryset = Directorate.objects.filter(
                pk__in=access.ppl_directorate_ids(user)
            ).order_by("name")
            field.required = True
            field.empty_label = None
            field.error_messages["required"] = "Choose the directorate."

    def clean(self):
        cleaned = super().clean()
        start, end, closes = (
            cleaned.get("start_date"),
            cleaned.get("end_date"),
            cleaned.get("closes_on"),
        )
        if start and end and end < start:
            self.add_error("end_date", "The end date must be on or after the start date.")
        if end and closes and closes > end:
            self.add_error("closes_on", "The closing date must be on or before the end date.")
        return cleaned
