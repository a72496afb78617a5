"""The erasure confirmation: the admin types the person's name and gives a reason."""

from __future__ import annotations

import re

from django import forms

from projects.forms_nhsuk import NHSForm, NHSSubmit


def _normalised(text: str) -> str:
    return " ".join(text.split()).casefold()


class ErasureForm(NHSForm):
    submit_label = "Erase this person's record"

    confirm_name = forms.CharField(
        label="Type the person's name to confirm",
        max_length=150,
        help_text="Exactly as it is shown above. This cannot be undone.",
    )
    reason = forms.CharField(
        label="Why is the record being erased?",
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=(
            "For example: they asked us to erase their data (request received on 3 May 2025). "
            "The reason is kept, so do not write their name or contact details in it."
        ),
    )

    def __init__(self, *args, person, **kwargs):
        self.person = person
        super().__init__(*args, **kwargs)
        # A destructive action: the warning button of the NHS.UK design system.
        self.helper.inputs = [
            NHSSubmit("submit", self.submit_label, css_class="nhsuk-button--warning")
        ]

    def clean_confirm_name(self) -> str:
        typed = self.cleaned_data["confirm_name"]
        if _normalised(typed) != _normalised(self.person.name):
            raise forms.ValidationError(
                "The name you typed does not match the record. Type it exactly as shown above."
            )
        return typed

    def clean_reason(self) -> str:
        reason = self.cleaned_data["reason"].strip()
        identifying = [v.strip() for v in (self.person.name, self.person.email, self.person.phone)]
        if any(
            value and re.search(rf"(?<!\w){re.escape(value)}(?!\w)", reason, re.IGNORECASE)
            for value in identifying
        ):
            raise forms.ValidationError(
                "Do not write the person's name or contact details in the reason: the reason "
                "is kept after the erasure."
            )
        return reason
