"""The one option of a record of involvement: whether to show the amounts paid."""

from __future__ import annotations

from django import forms

from projects.forms_nhsuk import NHSForm


class RecordOptionsForm(NHSForm):
    """A GET form, so the page's address (and the PDF link made from it) carries the choice."""

    form_method = "get"
    submit_label = "Update the record"

    amounts = forms.BooleanField(
        label="Include amounts paid",
        required=False,
        help_text="Left out unless you tick this: the record shows the time given, not the money.",
    )
