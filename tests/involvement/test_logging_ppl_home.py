"""The PPL home links to the quick log and lists active projects with no involvement this month."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.urls import reverse

from involvement import levels
from tests.factories import ActivityFactory, MembershipFactory, ProjectFactory

pytestmark = pytest.mark.django_db


@time_machine.travel(datetime.date(2024, 6, 10))
def test_ppl_home_lists_quiet_projects_of_their_directorates(
    client, ppl, directorate, other_directorate
):
    levels.reset_month_check()
    ProjectFactory(title="Quiet", directorate=directorate)
    MembershipFactory(project=ProjectFactory(title="With an SU", directorate=directorate))
    asked = ProjectFactory(title="Asked in April", directorate=directorate)
    ActivityFactory(project=asked, date=datetime.date(2024, 4, 2))
    ProjectFactory(title="Draft", directorate=directorate, status="draft")
    ProjectFactory(
        title="Ended",
        directorate=directorate,
        status="completed",
        end_date=datetime.date(2024, 3, 1),
    )
    ProjectFactory(title="Elsewhere", directorate=other_directorate)
    client.force_login(ppl)
    response = client.get(reverse("involvement:ppl_home"))
    assert [p.title for p in response.context["quiet_projects"]] == ["Quiet"]
    html = response.content.decode()
    assert "Log involvement" in html
    assert reverse("involvement:quick_log") in html
    assert "Active projects in your directorates with no involvement this month" in html
