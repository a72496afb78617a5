from __future__ import annotations

import datetime

from django import forms
from django.template import Context, Template

from projects.forms_nhsuk import NHSDateField, NHSForm


class ExampleForm(NHSForm):
    submit_label = "Save"
    name = forms.CharField(label="Name", max_length=10, help_text="Your full name")
    when = NHSDateField(label="Date")
    kind = forms.ChoiceField(
        label="Kind", choices=[("a", "A"), ("b", "B")], widget=forms.RadioSelect
    )
    tags = forms.MultipleChoiceField(
        label="Tags",
        choices=[("x", "X"), ("y", "Y")],
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    agree = forms.BooleanField(label="I agree", required=False)


def render(form) -> str:
    return Template("{% load crispy_forms_tags %}{% crispy form %}").render(Context({"form": form}))


def test_date_input_reads_day_month_year_boxes():
    form = ExampleForm(
        {"name": "Sam", "when_day": "5", "when_month": "3", "when_year": "2024", "kind": "a"}
    )
    assert form.is_valid(), form.errors
    assert form.cleaned_data["when"] == datetime.date(2024, 3, 5)


def test_not_a_real_date_is_a_clear_error_and_keeps_what_was_typed():
    form = ExampleForm(
        {"name": "Sam", "when_day": "31", "when_month": "2", "when_year": "2024", "kind": "a"}
    )
    assert not form.is_valid()
    assert form.errors["when"] == ["Enter a real date, for example 27 3 2024."]
    html = render(form)
    assert 'name="when_day"' in html and 'value="31"' in html


def test_rendered_form_has_error_summary_linking_to_each_field():
    form = ExampleForm({"name": "x" * 11})
    assert not form.is_valid()
    html = render(form)
    assert html.index("nhsuk-error-summary") < html.index('id="div_id_name"')
    assert 'href="#id_name"' in html
    assert 'href="#id_when_day"' in html
    assert 'href="#id_kind_0"' in html
    assert 'aria-describedby="id_name-hint id_name-error"' in html
    assert "nhsuk-input--error" in html
    assert '<span class="nhsuk-u-visually-hidden">Error:</span>' in html


def test_radios_checkboxes_and_button_use_nhs_components():
    html = render(ExampleForm())
    assert 'class="nhsuk-radios"' in html
    assert 'class="nhsuk-checkboxes"' in html
    assert '<legend class="nhsuk-fieldset__legend' in html
    assert 'class="nhsuk-button"' in html and ">Save</button>" in html
    assert "nhsuk-error-summary" not in html


def test_a_get_form_is_rendered_once_per_query_then_read_from_the_cache(db, directorate):
    """Model choices must make a stable key: their values' repr differs on every request."""
    from unittest import mock

    from projects.forms import ProjectFilterForm
    from projects.forms_nhsuk import cached_get_form_html

    with mock.patch("crispy_forms.utils.render_crispy_form", return_value="<form>") as render:
        first = cached_get_form_html(ProjectFilterForm({"status": "active"}))
        again = cached_get_form_html(ProjectFilterForm({"status": "active"}))
        other = cached_get_form_html(ProjectFilterForm({"status": "draft"}))
    assert first == again == other == "<form>"
    assert render.call_count == 2  # the second "active" came from the cache
