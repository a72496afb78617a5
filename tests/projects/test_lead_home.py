"""The project lead's home: their projects with level badges, stale scores, missing outcomes."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse

from projects.models import ProgressScore
from tests.factories import MembershipFactory, ProjectFactory

pytestmark = pytest.mark.django_db


@time_machine.travel(datetime.date(2024, 9, 10))
def test_lead_home_flags_stale_scores_and_missing_outcomes(client, lead, directorate):
    fresh = ProjectFactory(title="Fresh", directorate=directorate, lead=lead)
    ProgressScore.objects.create(
        project=fresh, score=Decimal("3.0"), date=datetime.date(2024, 8, 1)
    )
    MembershipFactory(project=fresh)
    stale = ProjectFactory(title="Stale", directorate=directorate, lead=lead)
    ProgressScore.objects.create(
        project=stale, score=Decimal("1.0"), date=datetime.date(2024, 5, 1)
    )
    never = ProjectFactory(title="Never scored", directorate=directorate, lead=lead)
    ended = ProjectFactory(
        title="Ended",
        directorate=directorate,
        lead=lead,
        status="completed",
        end_date=datetime.date(2024, 6, 30),
    )
    ProjectFactory(
        title="Recorded",
        directorate=directorate,
        lead=lead,
        status="stopped",
        end_date=datetime.date(2024, 6, 30),
        aim_reached="no",
    )
    ProjectFactory(title="Not mine", directorate=directorate)

    client.force_login(lead)
    response = client.get(reverse("projects:lead_home"))
    assert response.status_code == 200
    assert [p.title for p in response.context["stale"]] == ["Never scored", "Stale"]
    assert [p.title for p in response.context["missing_outcome"]] == ["Ended"]
    rows = {p.title: p for p in response.context["page"]}
    assert set(rows) == {"Fresh", "Stale", "Never scored", "Ended", "Recorded"}
    assert rows["Stale"].progress.stale and not rows["Fresh"].progress.stale
    html = response.content.decode()
    assert '<strong class="nhsuk-tag nhsuk-tag--green">Big I</strong>' in html
    assert "Outcome not recorded" in html
    assert never.pk and ended.pk


def test_lead_home_is_for_project_leads_only(client, ppl):
    client.force_login(ppl)
    assert client.get(reverse("projects:lead_home")).status_code == 403
