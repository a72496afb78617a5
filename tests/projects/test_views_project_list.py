"""The project list: filters, pagination, level badges in words, names by role, fixed queries."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from involvement import levels
from projects.models import Level
from tests.factories import MembershipFactory, ProjectFactory, UserFactory

pytestmark = pytest.mark.django_db

URL = reverse("projects:list")


def titles(response) -> list[str]:
    return [project.title for project in response.context["page"]]


def test_ppl_sees_every_project_with_its_level_in_words(
    client, ppl, directorate, other_directorate
):
    big = ProjectFactory(title="Ward coffee mornings", directorate=directorate)
    MembershipFactory(project=big)
    ProjectFactory(title="Forensic audit", directorate=other_directorate)
    client.force_login(ppl)
    response = client.get(URL)
    assert response.status_code == 200
    assert titles(response) == ["Forensic audit", "Ward coffee mornings"]
    html = response.content.decode()
    assert '<strong class="nhsuk-tag nhsuk-tag--green">Big I</strong>' in html
    assert '<strong class="nhsuk-tag nhsuk-tag--grey">No involvement</strong>' in html


def test_filters_by_directorate_status_level_and_search(
    client, ppl, directorate, other_directorate
):
    big = ProjectFactory(
        title="Carer contact on Jade Ward", directorate=directorate, lifeqi_id="77"
    )
    MembershipFactory(project=big)
    ProjectFactory(title="Physical health checks", directorate=directorate, status="draft")
    ProjectFactory(title="Sleep on Ruby Ward", directorate=other_directorate)
    client.force_login(ppl)
    assert titles(client.get(URL, {"directorate": other_directorate.pk})) == ["Sleep on Ruby Ward"]
    assert titles(client.get(URL, {"status": "draft"})) == ["Physical health checks"]
    assert titles(client.get(URL, {"level": Level.BIG_I})) == ["Carer contact on Jade Ward"]
    assert titles(client.get(URL, {"q": "ward"})) == [
        "Carer contact on Jade Ward",
        "Sleep on Ruby Ward",
    ]
    assert titles(client.get(URL, {"q": "77"})) == ["Carer contact on Jade Ward"]


def test_bad_filter_values_show_everything_not_an_error(client, ppl, directorate):
    ProjectFactory(directorate=directorate)
    client.force_login(ppl)
    response = client.get(URL, {"level": "banana", "directorate": "999"})
    assert response.status_code == 200
    assert len(titles(response)) == 1


def test_list_is_paginated_25_a_page(client, ppl, directorate):
    for number in range(30):
        ProjectFactory(title=f"Project {number:02d}", directorate=directorate)
    client.force_login(ppl)
    first = client.get(URL)
    assert len(titles(first)) == 25
    second = client.get(URL, {"page": 2})
    assert titles(second) == [f"Project {n}" for n in range(25, 30)]
    assert 'aria-label="Page 2"' in first.content.decode()


def test_lead_sees_only_their_projects(client, lead, directorate):
    ProjectFactory(title="Mine", directorate=directorate, lead=lead)
    ProjectFactory(title="Someone else's", directorate=directorate)
    client.force_login(lead)
    assert titles(client.get(URL)) == ["Mine"]


def test_forum_chair_sees_titles_and_levels_but_no_names(client, chair, directorate):
    lead_user = UserFactory(first_name="Lola", last_name="Leadbetter")
    ProjectFactory(title="Open project", directorate=directorate, lead=lead_user)
    ProjectFactory(title="Named on Life QI", directorate=directorate, lead_name="Nina Named")
    client.force_login(chair)
    response = client.get(URL)
    html = response.content.decode()
    assert "Open project" in html and "Named on Life QI" in html
    assert "Leadbetter" not in html and "Nina Named" not in html
    assert ">Lead</th>" not in html


def test_ppl_sees_lead_names(client, ppl, directorate):
    ProjectFactory(title="Named", directorate=directorate, lead_name="Nina Named")
    client.force_login(ppl)
    assert "Nina Named" in client.get(URL).content.decode()


def test_anonymous_user_is_sent_to_sign_in(client):
    assert client.get(URL).status_code == 302


def _queries_for(client, user) -> int:
    client.get(URL)  # the first read of the month may extend the table: not what is measured
    with CaptureQueriesContext(connection) as queries:
        assert client.get(URL).status_code == 200
    return len(queries)


@pytest.mark.parametrize("fixture", ["ppl", "lead", "chair"])
def test_list_runs_a_fixed_number_of_queries_whatever_the_rows(
    client, request, fixture, directorate
):
    user = request.getfixturevalue(fixture)
    client.force_login(user)
    levels.reset_month_check()
    for _ in range(3):
        MembershipFactory(project=ProjectFactory(directorate=directorate, lead=user))
    few = _queries_for(client, user)
    for _ in range(27):
        MembershipFactory(project=ProjectFactory(directorate=directorate, lead=user))
    many = _queries_for(client, user)
    assert few == many
    assert many <= 12
