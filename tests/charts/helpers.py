"""Small builders for the chart pages' tests."""

from __future__ import annotations

import json
import re
from datetime import date

from tests.factories import ActivityFactory, MembershipFactory, ProjectFactory

TODAY = date(2025, 6, 15)  # the frozen "today" of the page tests: months January 2024 – June 2025


def make_projects(
    directorate, *, total: int, big_i: int, start=date(2024, 1, 15), title="Project"
) -> list:
    """``total`` active projects from ``start``; the first ``big_i`` with an SU on the team."""
    projects = []
    for index in range(total):
        project = ProjectFactory(
            directorate=directorate, start_date=start, title=f"{title} {directorate.pk}-{index}"
        )
        if index < big_i:
            MembershipFactory(project=project, start_date=start)
        projects.append(project)
    return projects


def add_little_i(project, day) -> None:
    ActivityFactory(project=project, date=day)


def figure_json(html: str) -> dict:
    """The Plotly figure the page hands to pchart.mjs (json_script's content)."""
    found = re.search(r'<script id="pchart-figure" type="application/json">(.*?)</script>', html)
    assert found, "the page has no figure"
    return json.loads(found.group(1))


def plotted_points(fig: dict) -> dict[int, float]:
    """x → y of every marker Plotly draws."""
    points = {}
    for trace in fig["data"]:
        if trace.get("meta", {}).get("kind") == "points":
            points.update(zip(trace["x"], trace["y"], strict=True))
    return points
