"""The PPL quick log: find a project, pick a person, log a member or an activity in one go."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.urls import reverse

from involvement import levels
from involvement.models import Activity, TeamMembership
from projects.models import Level
from tests.factories import MembershipFactory, PersonFactory, ProjectFactory

pytestmark = pytest.mark.django_db

URL = reverse("involvement:quick_log")
TODAY = datetime.date(2024, 6, 10)


@pytest.fixture(autouse=True)
def _fresh_month_check():
    levels.reset_month_check()
    yield
    levels.reset_month_check()


@pytest.fixture
def project(directorate):
    return ProjectFactory(
        title="Carer contact on Jade Ward", lifeqi_id="4321", directorate=directorate
    )


@pytest.fixture
def person(directorate):
    return PersonFactory(name="Sam Taylor", directorates=[directorate])


def log(client, **data):
    data.setdefault("what", "member")
    data.setdefault("date", TODAY.isoformat())
    data.setdefault("role", "Team member")
    return client.post(URL + data.pop("query", ""), data)


@time_machine.travel(TODAY)
def test_ppl_logs_a_member_and_sees_the_new_level_badge(client, ppl, project, person):
    client.force_login(ppl)
    assert project.current_level == Level.NONE
    response = log(client, project=project.pk, person=person.pk)
    assert response.status_code == 302
    assert response.url == f"{URL}?logged={project.pk}"
    membership = TeamMembership.objects.get()
    assert (membership.person, membership.start_date, membership.created_by) == (
        person,
        TODAY,
        ppl,
    )
    page = client.get(response.url)
    html = page.content.decode()
    assert "Sam Taylor joined the team of “Carer contact on Jade Ward” on 10 June 2024." in html
    assert page.context["logged_project"].current_level == Level.BIG_I
    assert 'Level this month: <strong class="nhsuk-tag nhsuk-tag--green">Big I</strong>' in html


@time_machine.travel(TODAY)
def test_ppl_logs_an_activity_without_a_person(client, ppl, project):
    client.force_login(ppl)
    response = log(client, project=project.pk, what="focus_group", participants="8", note="Cafe")
    assert response.status_code == 302
    activity = Activity.objects.get()
    assert (activity.kind, activity.participants, activity.note, activity.date) == (
        "focus_group",
        8,
        "Cafe",
        TODAY,
    )
    project.refresh_from_db()
    assert project.current_level == Level.LITTLE_I


@time_machine.travel(TODAY)
def test_date_defaults_to_today(client, ppl):
    client.force_login(ppl)
    form = client.get(URL).context["form"]
    assert form["date"].value() == TODAY


def test_search_by_title_or_life_qi_id_narrows_the_project_list(client, ppl, project, directorate):
    ProjectFactory(title="Sleep on Ruby Ward", directorate=directorate)
    client.force_login(ppl)
    everything = client.get(URL).context["form"].fields["project"].queryset
    assert everything.count() == 2
    by_title = client.get(URL, {"q": "jade"})
    assert list(by_title.context["form"].fields["project"].queryset) == [project]
    by_id = client.get(URL, {"q": "4321"})
    # One match: it is chosen, and only its directorate's people are offered.
    assert by_id.context["form"].initial["project"] == project.pk
    assert "1 project match “4321”" in by_id.content.decode()


def test_search_works_without_javascript_as_a_plain_get_form(client, ppl, project):
    client.force_login(ppl)
    html = client.get(URL).content.decode()
    start = html.index('method="get"')
    search_form = html[start : html.index("</form>", start)]
    assert 'name="q"' in search_form
    assert "Find project" in search_form


@time_machine.travel(TODAY)
def test_member_without_a_person_is_a_form_error(client, ppl, project):
    client.force_login(ppl)
    response = log(client, project=project.pk)
    assert response.status_code == 200
    assert response.context["form"].errors["person"] == [
        "Choose the service user or carer who joined the team."
    ]
    assert not TeamMembership.objects.exists()


@time_machine.travel(TODAY)
def test_person_from_another_directorate_is_a_form_error(
    client, admin_user, project, other_directorate
):
    stranger = PersonFactory(name="Far Away", directorates=[other_directorate])
    client.force_login(admin_user)
    response = log(client, project=project.pk, person=stranger.pk)
    assert (
        "Far Away is not in the people register of Newham"
        in (response.context["form"].errors["person"][0])
    )
    assert not TeamMembership.objects.exists()


@time_machine.travel(TODAY)
def test_membership_outside_the_project_dates_is_a_form_error(client, ppl, project, person):
    client.force_login(ppl)
    response = log(client, project=project.pk, person=person.pk, date="2023-12-01")
    assert response.status_code == 200
    assert "a membership cannot start before it" in response.context["form"].errors["date"][0]
    assert not TeamMembership.objects.exists()


@time_machine.travel(TODAY)
def test_second_overlapping_membership_is_a_form_error(client, ppl, project, person):
    MembershipFactory(project=project, person=person, start_date=datetime.date(2024, 2, 1))
    client.force_login(ppl)
    response = log(client, project=project.pk, person=person.pk)
    assert response.status_code == 200
    assert response.context["form"].errors["person"] == [
        "Sam Taylor is already on this project's team for these dates."
    ]
    assert TeamMembership.objects.count() == 1


@time_machine.travel(TODAY)
def test_ppl_of_another_directorate_cannot_log_involvement(client, other_ppl, project, person):
    client.force_login(other_ppl)
    assert project not in client.get(URL).context["form"].fields["project"].queryset
    response = log(client, project=project.pk, person=person.pk)
    assert response.status_code == 200
    assert "project" in response.context["form"].errors
    assert "person" in response.context["form"].errors  # nor pick someone from Newham's register
    assert not TeamMembership.objects.exists()


@time_machine.travel(TODAY)
def test_error_after_a_search_keeps_the_chosen_project_offered(client, ppl, project):
    client.force_login(ppl)
    response = log(client, query="?q=nothing-matches", project=project.pk)
    assert project in response.context["form"].fields["project"].queryset


@pytest.mark.parametrize("fixture", ["lead", "chair", "su_user"])
def test_quick_log_is_for_ppls_and_admins(client, request, fixture, project, person):
    client.force_login(request.getfixturevalue(fixture))
    assert client.get(URL).status_code == 403
    assert log(client, project=project.pk, person=person.pk).status_code == 403
    assert not TeamMembership.objects.exists()
