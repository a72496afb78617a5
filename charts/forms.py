from __future__ import annotations

import datetime
import re

from django import forms

from charts.models import ChartAnnotation
from charts.presenters import RULE_SETS, month_text
from charts.selectors import MEASURES, SUCCESS_AIM, SUCCESS_PROGRESS, ScopeCatalogue
from involvement.months import months_between, parse_month
from projects.forms_nhsuk import NHSForm, NHSModelForm
from projects.models import Directorate

EARLIEST_YEAR = 1990
LONGEST_RANGE = 240  # months: 20 years is more than any reader needs, and keeps a page cheap

BASELINES = [
    ("saved", "Use the phases saved for this chart (from all months when none are saved)"),
    ("all", "From all months"),
    ("freeze", "From the first months only (frozen), judging later months against them"),
    ("phases", "In phases starting at months I type"),
]

PCHART_DEFAULTS = {
    "measure": "big_i",
    "scope": "trust",
    "baseline": "saved",
    "rules": "both",
}


def _month(value: str, label: str) -> datetime.date | None:
    value = (value or "").strip()
    if not value:
        return None
    try:
        month = parse_month(value)
    except ValueError:
        raise forms.ValidationError(
            f"Enter the {label} month as year and month, for example 2023-03 (not “{value}”)."
        ) from None
    if month.year < EARLIEST_YEAR or month.year > 2100:
        raise forms.ValidationError(
            f"Enter a {label} month from {EARLIEST_YEAR} onwards, for example 2023-03."
        )
    return month


MEASURE_CHOICES = [(m.key, m.description) for m in MEASURES.values()]


def _start_field() -> forms.CharField:
    return forms.CharField(
        label="From (month)",
        required=False,
        max_length=7,
        help_text="For example, 2023-03. Leave empty to start at the first month with projects.",
    )


def _end_field() -> forms.CharField:
    return forms.CharField(
        label="To (month)",
        required=False,
        max_length=7,
        help_text="For example, 2025-12. Leave empty to end at the latest month.",
    )


class MonthRangeForm(NHSForm):
    """Measure and months, read from the query string (a GET form), so a chart is a link."""

    form_method = "get"

    measure = forms.ChoiceField(label="Measure", choices=MEASURE_CHOICES, widget=forms.RadioSelect)
    start = _start_field()
    end = _end_field()

    def clean_start(self):
        return _month(self.cleaned_data.get("start", ""), "‘From’")

    def clean_end(self):
        return _month(self.cleaned_data.get("end", ""), "‘To’")

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end:
            if start > end:
                self.add_error(
                    "start",
                    f"The ‘From’ month ({month_text(start)}) must not be after the ‘To’ month "
                    f"({month_text(end)}).",
                )
            elif len(list(months_between(start, end))) > LONGEST_RANGE:
                self.add_error(
                    "start", f"Choose at most {LONGEST_RANGE // 12} years ({LONGEST_RANGE} months)."
                )
        return data


class SmallMultiplesForm(MonthRangeForm):
    submit_label = "Show charts"


class PChartForm(MonthRangeForm):
    """The p-chart's options."""

    submit_label = "Show chart"
    field_order = [
        "measure",
        "scope",
        "start",
        "end",
        "baseline",
        "freeze",
        "phases",
        "rules",
        "target",
    ]

    scope = forms.ChoiceField(label="Chart for", choices=[])
    baseline = forms.ChoiceField(
        label="Centre line and limits", choices=BASELINES, widget=forms.RadioSelect
    )
    freeze = forms.IntegerField(
        label="Months to freeze",
        required=False,
        min_value=1,
        max_value=LONGEST_RANGE,
        help_text="Only with “from the first months only”: how many months make the baseline.",
    )
    phases = forms.CharField(
        label="Months new phases start",
        required=False,
        max_length=200,
        help_text="Only with “in phases”: separate months with commas, for example "
        "2023-03, 2024-09.",
    )
    rules = forms.ChoiceField(
        label="Rules for signals",
        choices=list(RULE_SETS.items()),
        widget=forms.RadioSelect,
    )
    target = forms.DecimalField(
        label="Target (%)",
        required=False,
        min_value=0,
        max_value=100,
        max_digits=4,
        decimal_places=1,
        help_text="Optional: the percentage you aim for, for example 40.",
    )

    def __init__(self, *args, catalogue: ScopeCatalogue, **kwargs):
        super().__init__(*args, **kwargs)
        self.catalogue = catalogue
        self.fields["scope"].choices = catalogue.choices()
        self.fields["freeze"].error_messages.update(
            {
                "invalid": "Enter the months to freeze as a whole number, for example 12.",
                "min_value": "Freeze at least 1 month.",
                "max_value": f"Freeze at most {LONGEST_RANGE} months.",
            }
        )
        self.fields["target"].error_messages.update(
            {
                "invalid": "Enter the target as a number between 0 and 100, for example 40.",
                "min_value": "Enter a target between 0 and 100.",
                "max_value": "Enter a target between 0 and 100.",
                "max_decimal_places": "Enter the target with at most one decimal place.",
                "max_digits": "Enter a target between 0 and 100.",
            }
        )

    def clean_scope(self):
        scope = self.catalogue.resolve(self.cleaned_data["scope"])
        if scope is None:
            raise forms.ValidationError("Choose the trust, a directorate or a QI forum.")
        return scope

    def clean_phases(self) -> tuple[datetime.date, ...]:
        text = self.cleaned_data.get("phases", "").strip()
        if not text:
            return ()
        months = []
        for part in re.split(r"[,;\s]+", text):
            if not part:
                continue
            try:
                months.append(parse_month(part))
            except ValueError:
                raise forms.ValidationError(
                    f"“{part}” is not a month: write each as year and month, for example "
                    "2023-03, separated by commas."
                ) from None
        return tuple(sorted(set(months)))

    def clean(self):
        data = super().clean()
        baseline = data.get("baseline")
        if baseline == "freeze" and data.get("freeze") is None and "freeze" not in self.errors:
            self.add_error("freeze", "Enter how many months to freeze, for example 12.")
        if baseline == "phases" and not data.get("phases") and "phases" not in self.errors:
            self.add_error(
                "phases", "Enter the months new phases start, for example 2023-03, 2024-09."
            )
        return data


class AimForm(NHSForm):
    submit_label = "Show analysis"
    form_method = "get"

    success = forms.ChoiceField(
        label="Success means",
        choices=[
            (SUCCESS_AIM, "The project reached its aim (as recorded when it ended)"),
            (SUCCESS_PROGRESS, "The project's final IHI progress score was 4.0 or more"),
        ],
        widget=forms.RadioSelect,
    )
    directorate = forms.ModelChoiceField(
        label="Directorate",
        queryset=Directorate.objects.order_by("name"),
        required=False,
        empty_label="Whole trust",
    )


class AnnotationForm(NHSModelForm):
    submit_label = "Save annotation"

    class Meta:
        model = ChartAnnotation
        fields = ["date", "text", "directorate", "source"]
        labels = {
            "date": "Date of the change",
            "text": "Change idea",
            "directorate": "Shown on",
            "source": "Where the idea came from (optional)",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["directorate"].empty_label = "Every chart (whole trust)"
        self.fields["directorate"].help_text = (
            "A trust-wide change is shown on every chart; a directorate's on the charts that "
            "include it."
        )
        self.fields["source"].help_text = "For example, the idea board or meeting it came from."


class PhaseForm(NHSForm):
    submit_label = "Save phase"

    month = forms.CharField(
        label="Month the new phase starts",
        max_length=7,
        help_text="For example, 2023-03.",
    )
    directorate = forms.ModelChoiceField(
        label="For the chart of",
        queryset=Directorate.objects.order_by("name"),
        required=False,
        empty_label="Whole trust (every chart)",
    )
    note = forms.CharField(
        label="Why the limits are recalculated (optional)",
        max_length=200,
        required=False,
    )

    def clean_month(self):
        return _month(self.cleaned_data["month"], "phase")


class ForumPickForm(NHSForm):
    """A chair of several forums picks the one to look at."""

    submit_label = "Show forum"
    form_method = "get"

    forum = forms.ModelChoiceField(label="Forum", queryset=None, empty_label=None)

    def __init__(self, *args, forums, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["forum"].queryset = forums


class ReportForm(NHSForm):
    """The involvement report's period and scope. A GET form: the report is a link."""

    form_method = "get"
    submit_label = "Download the report (PDF)"

    scope = forms.ChoiceField(label="Report for", choices=[])
    start = forms.CharField(
        label="From (month)",
        max_length=7,
        help_text="The first month of the period, for example 2024-04.",
        error_messages={"required": "Enter the ‘From’ month, for example 2024-04."},
    )
    end = forms.CharField(
        label="To (month)",
        max_length=7,
        help_text="The last month, for example 2025-03. “Now” in the report means this month.",
        error_messages={"required": "Enter the ‘To’ month, for example 2025-03."},
    )

    def __init__(self, *args, directorates, **kwargs):
        super().__init__(*args, **kwargs)
        self.directorates = {f"directorate-{d.pk}": d for d in directorates}
        self.fields["scope"].choices = [
            ("trust", "Whole trust"),
            ("Directorates", [(value, d.name) for value, d in self.directorates.items()]),
        ]

    def clean_start(self):
        return _month(self.cleaned_data.get("start", ""), "‘From’")

    def clean_end(self):
        return _month(self.cleaned_data.get("end", ""), "‘To’")

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end:
            if start > end:
                self.add_error(
                    "start",
                    f"The ‘From’ month ({month_text(start)}) must not be after the ‘To’ month "
                    f"({month_text(end)}).",
                )
            elif len(list(months_between(start, end))) > LONGEST_RANGE:
                self.add_error(
                    "start", f"Choose at most {LONGEST_RANGE // 12} years ({LONGEST_RANGE} months)."
                )
        return data

    @property
    def directorate(self) -> Directorate | None:
        """The chosen directorate, or None for the whole trust (after validation)."""
        return self.directorates.get(self.cleaned_data.get("scope", ""))


class AnnotationFromIdeaForm(NHSForm):
    """An idea from an idea board becomes a change idea on the p-chart: on the charts of the
    board's directorates, or (admins only) on every chart."""

    submit_label = "Put it on the p-chart"
    TRUST = "trust"

    date = forms.DateField(label="Date of the change", help_text="When the change started.")
    text = forms.CharField(
        label="Change idea",
        max_length=ChartAnnotation._meta.get_field("text").max_length,
        help_text="Shown on the chart beside its date: keep it short.",
        error_messages={"required": "Write the change idea as the chart should show it."},
    )
    scope = forms.ChoiceField(label="Shown on", widget=forms.RadioSelect)

    def __init__(self, *args, directorates, trust_wide: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.directorates = {d.pk: d for d in directorates}
        choices = [
            (str(d.pk), f"{d.name}'s charts (and the charts that include it)") for d in directorates
        ]
        if trust_wide:
            choices.append((self.TRUST, "Every chart (a change across the whole trust)"))
        self.fields["scope"].choices = choices
        self.fields["scope"].error_messages = {
            "required": "Choose where the change idea is shown.",
            "invalid_choice": "Choose one of the charts listed.",
        }
        max_length = self.fields["text"].max_length
        self.fields["text"].error_messages["max_length"] = (
            f"A change idea on the chart can be up to {max_length} characters: shorten it."
        )

    def clean_scope(self):
        scope = self.cleaned_data["scope"]
        return None if scope == self.TRUST else self.directorates[int(scope)]
