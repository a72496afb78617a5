"""Scale data of the charts app, for ``manage.py seed_scale``: the change idea that lifted Big I,
drawn on the trust's chart, and the new phase of its limits once the improvement held."""

from __future__ import annotations

from charts.models import ChartAnnotation, ChartPhase
from involvement.months import add_months
from projects.scale import Timeline


def create_chart_notes(*, timeline: Timeline, admin) -> int:
    step = timeline.step
    ChartAnnotation.objects.create(
        date=step,
        text="No new projects without assurance of co-production",
        directorate=None,
        created_by=admin,
    )
    # The limits are calculated again once the shift has held for six months.
    ChartPhase.objects.create(
        month=add_months(step, 6),
        directorate=None,
        note="Big I held at its new level after the change idea",
        created_by=admin,
    )
    return 2
