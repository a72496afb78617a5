"""The NHS.UK crispy-forms pack's Python half: a form base that every form of the app uses, and the
NHS.UK date input (day, month and year boxes). The templates are in ``templates/nhsuk/``.

It lives in ``projects`` because that is the ground app every other app builds on.
"""

from __future__ import annotations

import datetime
import re

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import ProhibitNullCharactersValidator
from django.db import models

from projects import fragments
from projects.ids import id_from

DATE_FORMAT_HINT = "For example, 27 3 2024"

# Control characters never belong in text people type: a NUL cannot even be stored by PostgreSQL,
# and the others (escape, backspace, form feed, C1 codes…) arrive by accident from copying and
# pasting, or on purpose. Tab, line feed and carriage return are ordinary text.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
CONTROL_CHARACTERS_MESSAGE = (
    "Remove the hidden control characters from this text (they are sometimes copied in from "
    "other programs): type it again, or paste it as plain text."
)


def reject_control_characters(value) -> None:
    if isinstance(value, str) and CONTROL_CHARACTERS.search(value):
        raise ValidationError(CONTROL_CHARACTERS_MESSAGE, code="control_characters")


def _guard_record_numbers(field: forms.ModelChoiceField) -> None:
    """A choice of records by number: anything but a plain record number is refused as "not one
    of the choices" before the database is asked (Django would put a 3,000-digit number into the
    query, and SQLite raises an overflow error on it)."""
    queryset = field.queryset
    if getattr(field, "_bigi_numbers_guarded", False) or queryset is None:
        return
    if field.to_field_name or not isinstance(queryset.model._meta.pk, models.IntegerField):
        return
    original = field.clean

    def clean(value):
        values = value if isinstance(value, list | tuple) else [value]
        for item in values:
            if item in field.empty_values or isinstance(item, int):
                continue
            if id_from(str(item)) is None:
                raise ValidationError("Choose one of the options given.", code="invalid_choice")
        return original(value)

    field.clean = clean
    field._bigi_numbers_guarded = True


def guard_fields(fields) -> None:
    """Give every text field of a form the control-character check (once), in place of Django's
    narrower null-character one; and every choice of records a check of the numbers sent."""
    for field in fields.values():
        if isinstance(field, forms.ModelChoiceField):
            _guard_record_numbers(field)
        if not isinstance(field, forms.CharField):
            continue
        if reject_control_characters in field.validators:
            continue
        field.validators = [
            v for v in field.validators if not isinstance(v, ProhibitNullCharactersValidator)
        ] + [reject_control_characters]


class NHSDateInput(forms.Widget):
    """Three boxes, day, month and year, as the NHS.UK date input pattern asks for.

    The value comes back as "year-month-day" so a DateField parses it; what the person typed is
    kept (and shown again) when it is not a real date.
    """

    template_name = "nhsuk/widgets/date.html"
    parts = ("day", "month", "year")

    def _split(self, value: object) -> dict[str, str]:
        if isinstance(value, datetime.date):
            return {"day": str(value.day), "month": str(value.month), "year": str(value.year)}
        if isinstance(value, str) and value:
            year, _, rest = value.partition("-")
            month, _, day = rest.partition("-")
            return {"day": day, "month": month, "year": year}
        return {"day": "", "month": "", "year": ""}

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        values = self._split(value)
        base_id = context["widget"]["attrs"].get("id") or f"id_{name}"
        context["widget"]["parts"] = [
            {
                "name": f"{name}_{part}",
                "id": f"{base_id}_{part}",
                "label": part.capitalize(),
                "value": values[part],
                "width": 4 if part == "year" else 2,
            }
            for part in self.parts
        ]
        return context

    def value_from_datadict(self, data, files, name):
        day, month, year = (str(data.get(f"{name}_{part}", "")).strip() for part in self.parts)
        if not (day or month or year):
            # Also accept the ISO value in one field (links, tests and scripts use it).
            return data.get(name) or None
        return f"{year}-{month}-{day}"

    def value_omitted_from_data(self, data, files, name):
        return name not in data and not any(f"{name}_{part}" in data for part in self.parts)

    def id_for_label(self, id_):
        return f"{id_}_day" if id_ else ""


class NHSDateField(forms.DateField):
    widget = NHSDateInput
    default_error_messages = {"invalid": "Enter a real date, for example 27 3 2024."}

    def __init__(self, **kwargs):
        kwargs.setdefault("input_formats", ["%Y-%m-%d"])
        kwargs.setdefault("help_text", DATE_FORMAT_HINT)
        super().__init__(**kwargs)


class NHSSubmit(Submit):
    """crispy's Submit without Bootstrap's classes; ``css_class`` adds NHS.UK ones, e.g.
    ``nhsuk-button--secondary``."""

    field_classes = ""


class NHSFormMixin:
    """Gives a form the crispy helper that renders it with the NHS.UK pack, and rejects control
    characters in every text field with a clear message (``guard_fields``).

    Subclasses set ``submit_label``; a form rendered inside a bigger page can set
    ``form_tag = False`` and supply its own <form>.
    """

    submit_label = "Continue"
    form_tag = True
    form_method = "post"
    form_action = ""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            # Model DateFields arrive as plain DateFields: give them the NHS date input.
            if isinstance(field, forms.DateField) and not isinstance(field.widget, NHSDateInput):
                field.widget = NHSDateInput()
                field.input_formats = ["%Y-%m-%d"]
                field.error_messages["invalid"] = NHSDateField.default_error_messages["invalid"]
                if not field.help_text:
                    field.help_text = DATE_FORMAT_HINT
        guard_fields(self.fields)
        self.helper = FormHelper()
        self.helper.form_tag = self.form_tag
        self.helper.form_method = self.form_method
        if self.form_action:
            self.helper.form_action = self.form_action
        self.helper.attrs = {"novalidate": ""}
        if self.submit_label:
            self.helper.add_input(NHSSubmit("submit", self.submit_label))

    def full_clean(self):
        # Again here: some forms add fields after __init__ (one per charter principle, say).
        guard_fields(self.fields)
        super().full_clean()


class NHSForm(NHSFormMixin, forms.Form):
    pass


class NHSModelForm(NHSFormMixin, forms.ModelForm):
    pass


# How long a rendered GET form is kept. Its key holds everything it is rendered from, so this only
# bounds the cache's size, never how stale a form can be.
GET_FORM_TIMEOUT = 24 * 60 * 60


def _choice_key(choices) -> list:
    """Choices as plain text for a key: a model choice's value is an object whose repr differs
    on every request (it would make every key new)."""
    key = []
    for value, label in choices:
        if isinstance(label, list | tuple):  # a group: (name, [(value, label), …])
            key.append((str(value), _choice_key(label)))
        else:
            key.append((str(value), str(label)))
    return key


def cached_get_form_html(form: forms.Form) -> str:
    """A GET form (a list's filters, a chart's options) rendered with crispy once per distinct
    query, set of choices and errors, then read from the cache.

    Crispy's NHS.UK templates cost more than the rest of a list page; a GET form carries no CSRF
    token and no user, so it is a function of exactly these parts. Choices are part of the key
    (a new directorate in a select is a new key). POST forms must not come here: their token is
    per session."""

    from crispy_forms.utils import render_crispy_form
    from django.core.cache import cache
    from django.utils.safestring import mark_safe

    if getattr(getattr(form, "helper", None), "form_method", "get").lower() != "get":
        raise ValueError("Only GET forms may be cached: a POST form carries a CSRF token.")
    data = sorted(form.data.lists()) if hasattr(form.data, "lists") else sorted(form.data.items())
    parts = (
        type(form).__module__,
        type(form).__qualname__,
        data,
        form.prefix,
        getattr(form.helper, "form_action", ""),
        sorted((name, str(value)) for name, value in form.initial.items()),
        [
            (name, str(field.initial), _choice_key(getattr(field, "choices", ())))
            for name, field in form.fields.items()
        ],
        form.errors.get_json_data() if form.is_bound else None,
    )
    key = fragments.digest_key("forms:get", parts)
    html = cache.get(key)
    if html is None:
        html = render_crispy_form(form)
        cache.set(key, html, GET_FORM_TIMEOUT)
    return mark_safe(html)  # noqa: S308 - rendered by crispy's templates, autoescaped
