"""A project's page: details, team names by role, activities, progress, level strip, queries."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from involvement import levels
from projects.models import ProgressScore
from tests.factories import (
    ActivityFactory,
    MembershipFactory,
    PersonFactory,
    ProjectFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_month_check():
    levels.reset_month_check()
    yield
    levels.reset_month_check()


@pytest.fixture
def project(directorate, lead):
    project = ProjectFactory(
        title="Carer contact on Jade Ward",
        directorate=directorate,
        lead=lead,
        start_date=datetime.date(2024, 1, 15),
        aim="Double carer contact by June",
    )
    person = PersonFactory(name="Sam Secret", directorates=[directorate])
    MembershipFactory(project=project, person=person, start_date=datetime.date(2024, 3, 2))
    ActivityFactory(project=project, kind="focus_group", date=datetime.date(2024, 2, 5))
    return project


def page(client, user, project):
    client.force_login(user)
    return client.get(reverse("projects:detail", args=[project.pk]))


@time_machine.travel(datetime.date(2024, 5, 10))
def test_ppl_of_the_directorate_sees_details_team_names_and_the_level_strip(client, ppl, project):
    response = page(client, ppl, project)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Double carer contact by June" in html
    assert "Sam Secret" in html
    assert "Focus group" in html
    strip = {cell.month: cell.label for year in response.context["strip"] for cell in year.cells}
    assert strip[datetime.date(2024, 1, 1)] == "none"
    assert strip[datetime.date(2024, 2, 1)] == "little i"
    assert strip[datetime.date(2024, 3, 1)] == "Big I"
    assert strip[datetime.date(2024, 12, 1)] == "not active"
    # The strip says each level in words, in a table with month headers.
    assert ">Jan</th>" in html and "app-level-strip__cell--big-i" in html


@pytest.mark.parametrize("fixture", ["chair", "other_ppl"])
def test_chair_and_other_ppls_see_counts_not_names(client, request, fixture, project):
    response = page(client, request.getfixturevalue(fixture), project)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Sam Secret" not in html
    assert "1 service user or carer on the team now" in html


def test_chair_sees_no_lead_name(client, chair, project, lead):
    html = page(client, chair, project).content.decode()
    assert lead.last_name not in html
    assert "Project lead" not in html


def test_service_user_on_the_team_sees_the_project_but_no_other_names(client, su_user, project):
    me = PersonFactory(name="Me Myself", user=su_user, directorates=[project.directorate])
    MembershipFactory(project=project, person=me, start_date=datetime.date(2024, 4, 1))
    html = page(client, su_user, project).content.decode()
    assert "Carer contact on Jade Ward" in html
    assert "Sam Secret" not in html


def test_service_user_not_on_the_team_gets_404(client, su_user, project):
    assert page(client, su_user, project).status_code == 404


def test_other_lead_gets_404(client, project):
    from involvement.access import Role

    other = UserFactory(roles=[Role.LEAD])
    assert page(client, other, project).status_code == 404


@time_machine.travel(datetime.date(2024, 9, 10))
def test_progress_score_older_than_three_months_is_stale_on_an_active_project(client, ppl, project):
    ProgressScore.objects.create(
        project=project, score=Decimal("2.0"), date=datetime.date(2024, 5, 1)
    )
    response = page(client, ppl, project)
    assert response.context["progress"].stale
    assert "Stale" in response.content.decode()
    ProgressScore.objects.create(
        project=project, score=Decimal("2.5"), date=datetime.date(2024, 7, 1)
    )
    response = page(client, ppl, project)
    assert not response.context["progress"].stale
    assert "2.5 on 1 Jul 2024" in response.content.decode()


@time_machine.travel(datetime.date(2024, 9, 10))
def test_ended_project_is_never_stale_and_shows_its_outcome(client, ppl, project):
    project.status = "completed"
    project.end_date = datetime.date(2024, 6, 30)
    project.aim_reached = "yes"
    project.save()
    response = page(client, ppl, project)
    assert not response.context["progress"].stale
    assert "Aim reached" in response.content.decode()


def _count(client, project) -> int:
    url = reverse("projects:detail", args=[project.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@time_machine.travel(datetime.date(2024, 12, 10))
@pytest.mark.parametrize("fixture", ["ppl", "lead", "chair"])
def test_project_page_runs_a_fixed_number_of_queries_whatever_the_rows(
    client, request, fixture, directorate, lead
):
    client.force_login(request.getfixturevalue(fixture))
    project = ProjectFactory(
        directorate=directorate, lead=lead, start_date=datetime.date(2022, 1, 3)
    )

    def add(count):
        for index in range(count):
            person = PersonFactory(directorates=[directorate])
            MembershipFactory(
                project=project,
                person=person,
                start_date=datetime.date(2022, 1 + index % 12, 1),
                end_date=datetime.date(2022, 1 + index % 12, 20),
            )
            activity = ActivityFactory(project=project, date=datetime.date(2023, 1 + index % 12, 3))
            activity.people.add(person)
            ProgressScore.objects.create(
                project=project, score=Decimal("1.0"), date=datetime.date(2023, 1 + index % 12, 5)
            )

    add(3)
    few = _count(client, project)
    add(27)
    many = _count(client, project)
    assert few == many
    assert many <= 20


# --- the cached team, activities and level strip -------------------------------------------------


@time_machine.travel(datetime.date(2024, 5, 10))
def test_the_cached_team_changes_with_a_new_member_a_new_name_and_an_activitys_people(
    client, ppl, project, directorate
):
    assert "Sam Secret" in page(client, ppl, project).content.decode()
    newcomer = PersonFactory(name="Nia Newcomer", directorates=[directorate])
    MembershipFactory(project=project, person=newcomer, start_date=datetime.date(2024, 5, 1))
    html = client.get(reverse("projects:detail", args=[project.pk])).content.decode()
    assert "Nia Newcomer" in html and "2 service users or carers on the team now" in html

    newcomer.name = "Nia Renamed"
    newcomer.save()
    html = client.get(reverse("projects:detail", args=[project.pk])).content.decode()
    assert "Nia Renamed" in html and "Nia Newcomer" not in html

    activity = project.activities.get()
    activity.people.add(PersonFactory(name="Ola Participant", directorates=[directorate]))
    html = client.get(reverse("projects:detail", args=[project.pk])).content.decode()
    assert "Ola Participant" in html


@time_machine.travel(datetime.date(2024, 5, 10))
def test_names_cached_for_one_reader_never_reach_a_reader_who_may_not_see_them(
    client, ppl, other_ppl, project
):
    assert "Sam Secret" in page(client, ppl, project).content.decode()
    html = page(client, other_ppl, project).content.decode()
    assert "Sam Secret" not in html
    assert "1 service user or carer on the team now" in html


def test_who_is_on_the_team_now_follows_the_day(client, ppl, project):
    """A membership ending is not a write: the day is part of the cached team's key."""
    membership = project.memberships.get()
    membership.end_date = datetime.date(2024, 6, 30)
    membership.save()
    with time_machine.travel(datetime.date(2024, 6, 15)):
        assert (
            "1 service user or carer on the team now" in page(client, ppl, project).content.decode()
        )
    with time_machine.travel(datetime.date(2024, 7, 2)):
        html = page(client, ppl, project).content.decode()
        assert "0 service users or carers on the team now" in html


def test_a_new_progress_score_shows_on_the_cached_page(client, ppl, project):
    row = "3.5 – Improvement</td>"  # the scores table's cell
    assert row not in page(client, ppl, project).content.decode()
    ProgressScore.objects.create(project=project, score=Decimal("3.5"), date=datetime.date.today())
    html = client.get(reverse("projects:detail", args=[project.pk])).content.decode()
    assert row in html
