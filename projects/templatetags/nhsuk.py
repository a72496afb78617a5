"""Template helpers for the NHS.UK crispy pack (``templates/nhsuk/``) and NHS.UK components."""

from __future__ import annotations

from django import forms, template
from django.utils.html import format_html

from projects.forms_nhsuk import NHSDateInput, cached_get_form_html

register = template.Library()


@register.filter
def widget_type(field) -> str:
    widget = field.field.widget
    if isinstance(widget, NHSDateInput):
        return "date"
    # CheckboxSelectMultiple subclasses RadioSelect, so it is tested first.
    if isinstance(widget, forms.CheckboxSelectMultiple):
        return "checkboxes"
    if isinstance(widget, forms.RadioSelect):
        return "radios"
    if isinstance(widget, forms.CheckboxInput):
        return "checkbox"
    if isinstance(widget, forms.Select):
        return "select"
    if isinstance(widget, forms.Textarea):
        return "textarea"
    if isinstance(widget, forms.FileInput):
        return "file"
    return "input"


@register.filter
def anchor_id(field) -> str:
    """The id an error summary link jumps to: the first input of the field."""
    kind = widget_type(field)
    if kind in {"radios", "checkboxes"}:
        return f"{field.auto_id}_0"
    if kind == "date":
        return f"{field.auto_id}_day"
    return field.auto_id


@register.filter
def describedby(field) -> str:
    ids = []
    if field.help_text:
        ids.append(f"{field.auto_id}-hint")
    if field.errors:
        ids.append(f"{field.auto_id}-error")
    return " ".join(ids)


_INPUT_CLASSES = {
    "input": "nhsuk-input",
    "select": "nhsuk-select",
    "textarea": "nhsuk-textarea",
    "file": "nhsuk-file-upload",
}


@register.simple_tag
def nhs_widget(field):
    """Render a text-like widget with its NHS.UK class, error class and aria-describedby."""
    kind = widget_type(field)
    base = _INPUT_CLASSES.get(kind, "nhsuk-input")
    classes = [base, field.field.widget.attrs.get("class", "")]
    if field.errors:
        classes.append(f"{base}--error")
    attrs = {"class": " ".join(c for c in classes if c)}
    described = describedby(field)
    if described:
        attrs["aria-describedby"] = described
    return field.as_widget(attrs=attrs)


@register.simple_tag
def tag(text, colour: str = ""):
    """An NHS.UK tag: status in words (never colour alone)."""
    css = "nhsuk-tag" + (f" nhsuk-tag--{colour}" if colour else "")
    return format_html('<strong class="{}">{}</strong>', css, text)


@register.filter
def cached_get_form(form):
    """``{{ filters|cached_get_form }}``: a GET form rendered once per query (forms_nhsuk)."""
    return cached_get_form_html(form)
