"""What admins save on the p-chart so every reader sees the same chart.

A chart's *scope* is the whole trust or one directorate: ``directorate`` is None for the trust.
A trust-wide note applies to every chart (a change made across the trust changes every
directorate's process too); a directorate's note applies to the charts that include that
directorate (its own chart and its forums' charts), never to the trust chart.
"""

from __future__ import annotations

from collections.abc import Collection

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from projects.models import Directorate


class ChartNoteQuerySet(models.QuerySet):
    def for_scope(self, directorate_ids: Collection[int] | None):
        """Notes that apply to a chart of these directorates (None: the whole trust)."""
        if directorate_ids is None:
            return self.filter(directorate__isnull=True)
        return self.filter(Q(directorate__isnull=True) | Q(directorate_id__in=directorate_ids))


class ChartAnnotation(models.Model):
    """A change idea on a date, drawn on the chart as a vertical line with its text."""

    date = models.DateField(help_text="When the change started.")
    text = models.CharField(
        max_length=120, help_text='The change idea, for example "SU chairs all QI forums".'
    )
    directorate = models.ForeignKey(
        Directorate,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="chart_annotations",
        help_text="Leave empty for a change across the whole trust.",
    )
    # Where the idea came from: text or a link back to it (idea boards will fill it). Null when
    # an admin typed the annotation with no source, so "no source" is unambiguous for them.
    source = models.CharField(max_length=300, null=True, blank=True)  # noqa: DJ001
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ChartNoteQuerySet.as_manager()

    class Meta:
        ordering = ["date", "pk"]
        indexes = [models.Index(fields=["directorate", "date"])]

    def __str__(self) -> str:
        return f"{self.date:%-d %B %Y}: {self.text}"

    @property
    def scope_label(self) -> str:
        return self.directorate.name if self.directorate_id else "Whole trust"


class ChartPhase(models.Model):
    """A month where a new phase of the chart starts: the centre line and limits are calculated
    again from that month on (once an improvement has held)."""

    month = models.DateField(help_text="The first day of the month the new phase starts.")
    directorate = models.ForeignKey(
        Directorate,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="chart_phases",
        help_text="Leave empty for the whole trust.",
    )
    note = models.CharField(
        max_length=200, blank=True, help_text="Why the limits are recalculated here."
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ChartNoteQuerySet.as_manager()

    class Meta:
        ordering = ["month", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["directorate", "month"],
                condition=Q(directorate__isnull=False),
                name="one_phase_per_directorate_month",
                violation_error_message="A phase already starts in this month for this scope.",
            ),
            models.UniqueConstraint(
                fields=["month"],
                condition=Q(directorate__isnull=True),
                name="one_trust_phase_per_month",
                violation_error_message="A phase already starts in this month for this scope.",
            ),
            models.CheckConstraint(condition=Q(month__day=1), name="phase_month_is_first_day"),
        ]

    def __str__(self) -> str:
        return f"Phase from {self.month:%B %Y}"

    @property
    def scope_label(self) -> str:
        return self.directorate.name if self.directorate_id else "Whole trust"

    def clean(self):
        if self.month and self.month.day != 1:
            raise ValidationError({"month": "A phase starts on the first day of a month."})
