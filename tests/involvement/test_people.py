"""The people register pages: list (search, filters, pagination), person page, add and edit,
training; the service user's own profile and area."""

from __future__ import annotations

import datetime

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils import timezone

from involvement.forms.people import MyProfileForm
from involvement.models import Person, Training
from projects.models import Forum, ForumMeeting
from tests.factories import (
    InterestFactory,
    MembershipFactory,
    PersonFactory,
    ProjectFactory,
    RoleDescriptionFactory,
)

pytestmark = pytest.mark.django_db

PERSON_FORM = {
    "name": "Efua Egan",
    "kind": "carer",
    "email": "efua@example.org",
    "phone": "07700 900123",
    "address": "1 High Street",
    "preferred_contact": "phone",
    "available_days": ["mon", "wed"],
    "available_times": ["morning"],
    "attendance": "remote",
    "availability_note": "Not in school holidays",
    "access_needs": ["easy_read", "interpreter"],
    "interpreter_language": "Twi",
    "access_needs_note": "",
    "payment_preference": "declined",
    "lifeqi_access": "on",
    "active": "on",
}


def test_the_list_is_searchable_filterable_and_paginated(client, ppl, directorate):
    data = InterestFactory(name="Data")
    for n in range(30):
        person = PersonFactory(name=f"Person {n:02d}", directorates=[directorate])
        if n < 3:
            person.interests.set([data])
    PersonFactory(name="Left Person", directorates=[directorate], active=False)
    client.force_login(ppl)
    url = reverse("involvement:people_list")
    first = client.get(url)
    assert first.context["page"].paginator.count == 30
    assert len(first.context["page"].object_list) == 25
    assert b"Page 1 of 2" in first.content
    second = client.get(url, {"page": 2})
    assert [p.name for p in second.context["page"].object_list][0] == "Person 25"
    assert client.get(url, {"q": "person 07"}).context["page"].paginator.count == 1
    assert client.get(url, {"interest": data.pk}).context["page"].paginator.count == 3
    left = client.get(url, {"status": "left"}).context["page"].object_list
    assert [p.name for p in left] == ["Left Person"]
    # A page number out of range shows the last page rather than an error.
    assert client.get(url, {"page": 99}).status_code == 200


def test_the_list_runs_a_fixed_number_of_queries(client, ppl, directorate):
    from tests.querycount import assert_constant_queries

    data = InterestFactory(name="Data")

    def add_people(count):
        for _ in range(count):
            PersonFactory(directorates=[directorate]).interests.set([data])

    client.force_login(ppl)
    assert_constant_queries(client, reverse("involvement:people_list"), add_people)


def test_a_ppl_adds_a_person_with_the_whole_profile(client, ppl, directorate):
    measurement = InterestFactory(name="Measurement")
    client.force_login(ppl)
    response = client.post(
        reverse("involvement:person_create"),
        {**PERSON_FORM, "directorates": [directorate.pk], "interests": [measurement.pk]},
    )
    assert response.status_code == 302
    person = Person.objects.get()
    assert response.url == reverse("involvement:person_detail", args=[person.pk])
    assert person.kind == "carer" and person.payment_preference == "declined"
    assert person.available_days == ["mon", "wed"] and person.attendance == "remote"
    assert person.access_needs == ["easy_read", "interpreter"]
    assert person.interpreter_language == "Twi" and person.lifeqi_access
    assert list(person.directorates.all()) == [directorate]
    assert list(person.interests.all()) == [measurement]
    page = client.get(response.url).content.decode()
    assert "An interpreter (Twi)" in page and "Easy read versions of papers" in page
    assert "07700 900123" in page and "efua@example.org" in page


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"name": "  "}, "name", "This field is required."),
        ({"name": "x" * 151}, "name", "at most 150 characters"),
        ({"email": "not-an-email"}, "email", "Enter a valid email address."),
        ({"interpreter_language": ""}, "interpreter_language", "Say which language"),
        ({"available_days": ["someday"]}, "available_days", "Select a valid choice."),
        ({"directorates": []}, "directorates", "Choose at least one directorate."),
        ({"payment_preference": "cash"}, "payment_preference", "Select a valid choice."),
    ],
)
def test_bad_person_input_is_a_form_error(client, ppl, directorate, change, field, message):
    client.force_login(ppl)
    data = {**PERSON_FORM, "directorates": [directorate.pk], **change}
    response = client.post(reverse("involvement:person_create"), data)
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert response.content.decode().count("There is a problem") == 1
    assert not Person.objects.exists()


def test_a_ppl_cannot_put_a_person_outside_their_own_directorates(
    client, ppl, directorate, other_directorate
):
    person = PersonFactory(name="Both Places", directorates=[directorate, other_directorate])
    client.force_login(ppl)
    url = reverse("involvement:person_edit", args=[person.pk])
    # The other directorate stays choosable (it is on the record) but not alone.
    response = client.post(url, {**PERSON_FORM, "directorates": [other_directorate.pk]})
    assert response.status_code == 200
    assert "Include at least one of your own directorates" in " ".join(
        response.context["form"].errors["directorates"]
    )
    response = client.post(
        url, {**PERSON_FORM, "directorates": [directorate.pk, other_directorate.pk]}
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert set(person.directorates.all()) == {directorate, other_directorate}


def test_training_is_added_and_removed(client, ppl, directorate):
    person = PersonFactory(directorates=[directorate])
    client.force_login(ppl)
    response = client.post(
        reverse("involvement:training_add", args=[person.pk]),
        {
            "course": "Pocket QI",
            "completed_on_day": "3",
            "completed_on_month": "5",
            "completed_on_year": "2024",
        },  # fmt: skip
    )
    assert response.status_code == 302
    training = Training.objects.get()
    assert training.completed_on == datetime.date(2024, 5, 3)
    assert b"3 May 2024" in client.get(response.url).content
    bad = client.post(reverse("involvement:training_add", args=[person.pk]), {"course": ""})
    assert bad.status_code == 200 and Training.objects.count() == 1
    client.post(reverse("involvement:training_delete", args=[person.pk, training.pk]))
    assert not Training.objects.exists()


# --- the service user's own pages ----------------------------------------------------------------


@pytest.fixture
def sam(su_user, directorate):
    return PersonFactory(
        name="Sam Taylor",
        user=su_user,
        directorates=[directorate],
        phone="07700 900000",
        payment_preference="paid",
    )


def test_a_service_user_edits_interests_availability_and_access_needs_only(
    client, su_user, sam, directorate, other_directorate
):
    co_design = InterestFactory(name="Co-design")
    client.force_login(su_user)
    response = client.post(
        reverse("involvement:my_profile"),
        {
            "interests": [co_design.pk],
            "available_days": ["tue"],
            "available_times": ["afternoon"],
            "attendance": "in_person",
            "access_needs": ["large_print", "step_free"],
            # Not theirs to change: ignored.
            "payment_preference": "declined",
            "directorates": [other_directorate.pk],
            "name": "Someone Else",
        },
    )
    assert response.status_code == 302 and response.url == reverse("involvement:my_area")
    sam.refresh_from_db()
    assert list(sam.interests.all()) == [co_design]
    assert sam.available_days == ["tue"] and sam.attendance == "in_person"
    assert sam.access_needs == ["large_print", "step_free"]
    assert sam.payment_preference == "paid" and sam.name == "Sam Taylor"
    assert list(sam.directorates.all()) == [directorate]


def test_the_profile_form_uses_checkboxes_for_lists_and_radios_for_one_choice(sam):
    html = Template("{% load crispy_forms_tags %}{% crispy form %}").render(
        Context({"form": MyProfileForm(instance=sam)})
    )
    assert 'type="checkbox" value="tue"' in html
    assert 'type="radio" value="remote"' in html
    assert 'type="radio" value="tue"' not in html


def test_my_area_shows_the_persons_own_record(client, su_user, sam, directorate):
    project = ProjectFactory(title="Reducing waiting times", directorate=directorate)
    MembershipFactory(project=project, person=sam, role="Co-chair")
    RoleDescriptionFactory(person=sam, project=project)
    forum = Forum.objects.create(name="Newham QI forum")
    forum.directorates.set([directorate])
    today = timezone.localdate()
    ForumMeeting.objects.create(forum=forum, date=today + datetime.timedelta(days=7))
    ForumMeeting.objects.create(forum=forum, date=today - datetime.timedelta(days=7))
    client.force_login(su_user)
    page = client.get(reverse("involvement:my_area")).content.decode()
    assert "Reducing waiting times: Co-chair" in page
    assert "Reducing waiting times: Team member" in page  # the role description
    assert (today + datetime.timedelta(days=7)).strftime("%-d %B %Y") in page
    assert (today - datetime.timedelta(days=7)).strftime("%-d %B %Y") not in page
    assert "07700 900000" in page  # their own contact details
    assert 'href="/glossary/"' in page
    # Acronyms are expanded where they appear.
    assert "People Participation Lead (PPL)" in page


def test_a_service_user_without_a_record_is_told_to_ask_their_ppl(client, su_user):
    client.force_login(su_user)
    assert b"not linked to your details" in client.get(reverse("involvement:my_area")).content
    profile = client.get(reverse("involvement:my_profile"))
    assert profile.status_code == 200 and b"not set up yet" in profile.content
