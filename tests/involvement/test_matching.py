"""Matching: the pure ranking (order and reasons), and the register read through it."""

from __future__ import annotations

import datetime

import pytest

from involvement import matching, selectors_people
from involvement.choices import Day
from involvement.matching import Need, Profile
from involvement.models import ProjectNeeds
from tests.factories import (
    InterestFactory,
    MembershipFactory,
    OpportunityFactory,
    PersonFactory,
    ProjectFactory,
)


def person(name, interests=(), days=(), times=(), attendance="either", key=None):
    return Profile(
        key=key or name,
        name=name,
        interests=frozenset(interests),
        days=frozenset(days),
        times=frozenset(times),
        attendance=attendance,
    )


NEED = Need(
    key="p1",
    title="Reducing waiting times",
    interests=frozenset({"Measurement", "Data", "Co-design"}),
    days=frozenset({"tue", "thu"}),
    attendance="remote",
)


def test_people_are_ranked_by_shared_interests_then_days_then_name():
    people = [
        person("Zara", ["Measurement"], ["tue", "thu"]),
        person("Ade", ["Measurement", "Data"], ["tue"]),
        person("Bea", ["Measurement", "Data"], ["tue", "thu"]),
        person("Cal", ["Measurement"], ["tue", "thu"]),
        person("Dee", ["Data"], ["tue"]),
    ]
    ranked = matching.rank_people(NEED, people)
    assert [m.profile.name for m in ranked] == ["Bea", "Ade", "Cal", "Zara", "Dee"]
    assert [m.score for m in ranked] == [(2, 2, 0), (2, 1, 0), (1, 2, 0), (1, 2, 0), (1, 1, 0)]


def test_the_reason_names_the_shared_interests_days_and_way_of_meeting():
    (best,) = matching.rank_people(NEED, [person("Bea", ["Measurement", "Data"], ["tue"])])
    assert best.reason == "interests: data, measurement; available Tuesdays, remote"
    both = matching.match(person("Cal", ["Co-design"], ["thu", "tue", "sat"], ["morning"]), NEED)
    assert both.reason == "interests: co-design; available Tuesdays and Thursdays, mornings, remote"


def test_people_who_cannot_meet_the_way_the_project_meets_are_left_out():
    in_person_only = person("Ed", ["Data"], ["tue"], attendance="in_person")
    either = person("Flo", ["Data"], ["tue"], attendance="either")
    ranked = matching.rank_people(NEED, [in_person_only, either])
    assert [m.profile.name for m in ranked] == ["Flo"]
    assert ranked[0].attendance == "remote"


def test_no_shared_interest_or_no_shared_day_is_no_match():
    assert matching.match(person("Gus", ["Interview panels"], ["tue"]), NEED) is None
    assert matching.match(person("Hal", ["Data"], ["mon", "fri"]), NEED) is None
    no_times = Need(key="x", title="x", times=frozenset({"evening"}))
    assert matching.match(person("Ivy", times=["morning"]), no_times) is None


def test_a_person_who_gave_no_days_is_not_ruled_out_and_ranks_below_one_who_did():
    ranked = matching.rank_people(NEED, [person("Jo", ["Data"]), person("Kit", ["Data"], ["thu"])])
    assert [m.profile.name for m in ranked] == ["Kit", "Jo"]
    assert ranked[1].reason == "interests: data; days not given, remote"


def test_a_need_naming_nothing_fits_everyone_and_shows_their_own_availability():
    open_need = Need(key="o", title="Peer support")
    (match,) = matching.rank_people(open_need, [person("Lou", days=["mon", "wed"])])
    assert match.score == (0, 0, 0)
    assert (
        match.reason
        == "any interests welcome; available Mondays and Wednesdays, remote or in person"
    )


def test_needs_are_ranked_for_a_person_best_first():
    sam = person("Sam", ["Measurement", "Data"], ["tue"], attendance="either")
    needs = [
        Need(key=1, title="B project", interests=frozenset({"Data"})),
        Need(key=2, title="A project", interests=frozenset({"Data"})),
        Need(key=3, title="C project", interests=frozenset({"Data", "Measurement"})),
        Need(key=4, title="D project", interests=frozenset({"Interview panels"})),
    ]
    assert [m.need.key for m in matching.rank_needs(sam, needs)] == [3, 2, 1]


def test_the_pure_module_knows_every_day_the_models_store():
    assert list(matching.DAYS) == list(Day.values)


# --- through the database --------------------------------------------------------------------


@pytest.mark.django_db
def test_matches_for_a_project_are_active_people_of_its_directorate_not_on_its_team(
    directorate, other_directorate
):
    data, measurement = InterestFactory(name="Data"), InterestFactory(name="Measurement")
    project = ProjectFactory(directorate=directorate)
    needs = ProjectNeeds.objects.create(project=project, meeting_days=["tue"], attendance="remote")
    needs.interests.set([data, measurement])
    best = PersonFactory(name="Best Fit", directorates=[directorate], available_days=["tue"])
    best.interests.set([data, measurement])
    good = PersonFactory(name="Good Fit", directorates=[directorate])
    good.interests.set([data])
    left = PersonFactory(name="Has Left", directorates=[directorate], active=False)
    left.interests.set([data])
    elsewhere = PersonFactory(name="Elsewhere", directorates=[other_directorate])
    elsewhere.interests.set([data])
    on_team = PersonFactory(name="On Team", directorates=[directorate])
    on_team.interests.set([data])
    MembershipFactory(project=project, person=on_team)
    no_interest = PersonFactory(name="No Interest", directorates=[directorate])

    matches = selectors_people.matches_for_project(project, datetime.date(2024, 6, 1))
    assert [m.profile.key for m in matches] == [best.pk, good.pk]
    assert matches[0].reason == "interests: data, measurement; available Tuesdays, remote"
    assert no_interest.pk not in [m.profile.key for m in matches]


@pytest.mark.django_db
def test_fits_for_a_person_are_projects_without_su_and_open_opportunities(
    directorate, other_directorate
):
    data = InterestFactory(name="Data")
    sam = PersonFactory(directorates=[directorate])
    sam.interests.set([data])
    needing = ProjectFactory(title="Needs someone", directorate=directorate)
    ProjectNeeds.objects.create(project=needing).interests.set([data])
    has_su = ProjectFactory(title="Has an SU", directorate=directorate)
    MembershipFactory(project=has_su)
    ProjectFactory(title="Elsewhere", directorate=other_directorate)
    ProjectFactory(title="Finished", directorate=directorate, status="completed",
                   end_date=datetime.date(2024, 3, 1))  # fmt: skip
    fits = OpportunityFactory(title="Research group", directorate=directorate)
    fits.interests.set([data])
    trust_wide = OpportunityFactory(title="Trust-wide", directorate=None)
    OpportunityFactory(title="Other place", directorate=other_directorate)
    OpportunityFactory(title="Closed", directorate=directorate, closes_on=datetime.date(2020, 1, 1))

    projects, opportunities = selectors_people.fits_for_person(sam)
    assert [f.obj.title for f in projects] == ["Needs someone"]
    assert projects[0].reason.startswith("interests: data")
    # The one that names Sam's interest ranks above the one that asks for none.
    assert [f.obj.pk for f in opportunities] == [fits.pk, trust_wide.pk]


# --- the pages ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_ppl_says_what_a_project_needs_sees_who_fits_and_invites_to_team(
    client, ppl, directorate
):
    from django.urls import reverse

    from involvement.models import RoleDescription

    data = InterestFactory(name="Data")
    project = ProjectFactory(title="Reducing waiting times", directorate=directorate)
    fits = PersonFactory(
        name="Fits Well", directorates=[directorate], available_days=["tue"],
        access_needs=["large_print"],
    )  # fmt: skip
    fits.interests.set([data])
    PersonFactory(name="Does Not Fit", directorates=[directorate], attendance="in_person")
    client.force_login(ppl)

    listed = client.get(reverse("involvement:matching_projects"))
    assert project in listed.context["page"].object_list

    response = client.post(
        reverse("involvement:project_needs_edit", args=[project.pk]),
        {"interests": [data.pk], "meeting_days": ["tue"], "attendance": "remote"},
    )
    assert response.status_code == 302
    page = client.get(response.url)
    rows = page.context["page"].object_list
    assert [(person.name, m.reason) for person, m in rows] == [
        ("Fits Well", "interests: data; available Tuesdays, remote")
    ]
    assert b"Invite to team" in page.content

    invite = reverse("involvement:invite_to_team", args=[project.pk, fits.pk])
    response = client.post(invite)
    description = RoleDescription.objects.get()
    assert response.url == reverse("involvement:role_description_edit", args=[description.pk])
    assert (description.person, description.project) == (fits, project)
    assert description.status == "draft" and description.created_by == ppl
    assert description.where_based == "Online (remote)"
    assert description.working_needs == "Large print"
    assert description.review_date > description.start_date
    # A second click goes to the same draft.
    client.post(invite)
    assert RoleDescription.objects.count() == 1
