"""A project's team memberships and activities, from the project page: errors and permissions."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.urls import reverse

from involvement import levels
from involvement.models import Activity, TeamMembership
from projects.models import Level
from tests.factories import (
    ActivityFactory,
    MembershipFactory,
    PersonFactory,
    ProjectFactory,
)

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2024, 6, 10)


@pytest.fixture(autouse=True)
def _fresh_month_check():
    levels.reset_month_check()
    yield
    levels.reset_month_check()


@pytest.fixture
def project(directorate, lead):
    return ProjectFactory(
        directorate=directorate,
        lead=lead,
        start_date=datetime.date(2024, 1, 15),
        end_date=datetime.date(2024, 12, 31),
    )


@pytest.fixture
def person(directorate):
    return PersonFactory(name="Sam Taylor", directorates=[directorate])


def add_member(client, project, **data):
    data.setdefault("role", "Team member")
    data.setdefault("start_date", "2024-03-01")
    data.setdefault("end_date", "")
    return client.post(reverse("involvement:membership_add", args=[project.pk]), data)


@time_machine.travel(TODAY)
def test_ppl_adds_a_member_from_the_directorates_register(client, ppl, project, person):
    client.force_login(ppl)
    response = add_member(client, project, person=person.pk)
    assert response.status_code == 302
    assert response.url == reverse("projects:detail", args=[project.pk])
    project.refresh_from_db()
    assert project.current_level == Level.BIG_I
    assert TeamMembership.objects.get().created_by == ppl


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        (
            {"start_date": "2024-05-01", "end_date": "2024-04-01"},
            "end_date",
            "The end date must be on or after the start date.",
        ),
        (
            {"start_date": "2023-12-01"},
            "start_date",
            "The project starts on 15 January 2024: a membership cannot start before it.",
        ),
        (
            {"start_date": "2024-03-01", "end_date": "2025-02-01"},
            "end_date",
            "The project ended on 31 December 2024: a membership cannot end after it.",
        ),
        ({"start_date": "2024-02-30"}, "start_date", "Enter a real date, for example 27 3 2024."),
    ],
)
@time_machine.travel(TODAY)
def test_membership_date_errors_are_form_errors(client, ppl, project, person, data, field, message):
    client.force_login(ppl)
    response = add_member(client, project, person=person.pk, **data)
    assert response.status_code == 200
    assert response.context["form"].errors[field] == [message]
    assert "There is a problem" in response.content.decode()
    assert not TeamMembership.objects.exists()


@time_machine.travel(TODAY)
def test_second_identical_or_overlapping_membership_is_a_form_error(client, ppl, project, person):
    client.force_login(ppl)
    add_member(client, project, person=person.pk)
    for start in ("2024-03-01", "2024-05-01"):
        response = add_member(client, project, person=person.pk, start_date=start)
        assert response.status_code == 200
        assert response.context["form"].errors["person"] == [
            "Sam Taylor is already on this project's team for these dates."
        ]
    assert TeamMembership.objects.count() == 1


@time_machine.travel(TODAY)
def test_person_outside_the_projects_directorate_cannot_be_chosen(
    client, admin_user, project, other_directorate
):
    stranger = PersonFactory(directorates=[other_directorate])
    client.force_login(admin_user)
    response = add_member(client, project, person=stranger.pk)
    assert "person" in response.context["form"].errors
    assert not TeamMembership.objects.exists()


def test_lead_is_told_to_ask_a_ppl_as_they_see_no_register(client, lead, project, person):
    client.force_login(lead)
    response = client.get(reverse("involvement:membership_add", args=[project.pk]))
    assert response.status_code == 200
    assert "Ask a PPL" in response.content.decode()
    assert "Sam Taylor" not in response.content.decode()
    assert add_member(client, project, person=person.pk).status_code == 200
    assert not TeamMembership.objects.exists()


@pytest.mark.parametrize("fixture", ["other_ppl", "chair", "su_user"])
def test_others_cannot_change_the_team(client, request, fixture, project, person):
    membership = MembershipFactory(project=project, person=person)
    client.force_login(request.getfixturevalue(fixture))
    assert add_member(client, project, person=person.pk).status_code == 403
    end = reverse("involvement:membership_end", args=[project.pk, membership.pk])
    assert client.post(end, {"end_date": "2024-05-01"}).status_code == 403
    remove = reverse("involvement:membership_remove", args=[project.pk, membership.pk])
    assert client.post(remove).status_code == 403
    membership.refresh_from_db()
    assert membership.end_date is None


@time_machine.travel(TODAY)
def test_ending_a_membership_and_its_errors(client, lead, project, person):
    membership = MembershipFactory(
        project=project, person=person, start_date=datetime.date(2024, 3, 1)
    )
    client.force_login(lead)
    url = reverse("involvement:membership_end", args=[project.pk, membership.pk])
    before = client.post(url, {"end_date": "2024-02-01"})
    assert before.context["form"].errors["end_date"] == [
        "The end date must be on or after the start date."
    ]
    missing = client.post(url, {"end_date": ""})
    assert missing.context["form"].errors["end_date"]
    assert client.post(url, {"end_date": "2024-04-30"}).status_code == 302
    membership.refresh_from_db()
    assert membership.end_date == datetime.date(2024, 4, 30)
    project.refresh_from_db()
    assert project.current_level == Level.NONE


@time_machine.travel(TODAY)
def test_removing_a_membership_asks_first_then_deletes(client, ppl, project, person):
    membership = MembershipFactory(project=project, person=person)
    client.force_login(ppl)
    url = reverse("involvement:membership_remove", args=[project.pk, membership.pk])
    confirm = client.get(url)
    assert "Remove Sam Taylor from the team?" in confirm.content.decode()
    assert TeamMembership.objects.exists()
    assert client.post(url).status_code == 302
    assert not TeamMembership.objects.exists()


def test_membership_of_another_project_is_404(client, admin_user, project, directorate):
    elsewhere = MembershipFactory(project=ProjectFactory(directorate=directorate))
    client.force_login(admin_user)
    url = reverse("involvement:membership_end", args=[project.pk, elsewhere.pk])
    assert client.get(url).status_code == 404


def add_activity(client, project, **data):
    data.setdefault("kind", "survey")
    data.setdefault("date", "2024-05-02")
    data.setdefault("participants", "12")
    data.setdefault("note", "")
    return client.post(reverse("involvement:activity_add", args=[project.pk]), data)


@time_machine.travel(TODAY)
def test_lead_adds_an_activity_and_the_level_becomes_little_i(client, lead, project):
    client.force_login(lead)
    response = add_activity(client, project)
    assert response.status_code == 302
    project.refresh_from_db()
    assert project.current_level == Level.LITTLE_I
    assert Activity.objects.get().created_by == lead


@time_machine.travel(TODAY)
def test_ppl_names_people_at_an_activity(client, ppl, project, person):
    client.force_login(ppl)
    add_activity(client, project, people=[person.pk], participants="3")
    assert list(Activity.objects.get().people.all()) == [person]


@time_machine.travel(TODAY)
def test_activity_errors_are_form_errors(client, ppl, project, person, directorate):
    client.force_login(ppl)
    outside = add_activity(client, project, date="2025-01-10")
    assert outside.context["form"].errors["date"] == ["The project ended on 31 December 2024."]
    none = add_activity(client, project, participants="0")
    assert none.context["form"].errors["participants"]
    other = PersonFactory(directorates=[directorate])
    too_many = add_activity(client, project, people=[person.pk, other.pk], participants="1")
    assert too_many.context["form"].errors["participants"] == [
        "2 people are named: at least that many took part."
    ]
    unknown_kind = add_activity(client, project, kind="picnic")
    assert unknown_kind.context["form"].errors["kind"]
    assert not Activity.objects.exists()


@time_machine.travel(TODAY)
def test_removing_an_activity(client, lead, project):
    activity = ActivityFactory(project=project, date=datetime.date(2024, 5, 2))
    client.force_login(lead)
    url = reverse("involvement:activity_remove", args=[project.pk, activity.pk])
    assert "Remove the survey of 2 May 2024?" in client.get(url).content.decode()
    client.post(url)
    assert not Activity.objects.exists()
    project.refresh_from_db()
    assert project.current_level == Level.NONE


def test_other_ppl_cannot_add_or_remove_activities(client, other_ppl, project):
    activity = ActivityFactory(project=project)
    client.force_login(other_ppl)
    assert add_activity(client, project).status_code == 403
    url = reverse("involvement:activity_remove", args=[project.pk, activity.pk])
    assert client.post(url).status_code == 403
    assert Activity.objects.count() == 1
