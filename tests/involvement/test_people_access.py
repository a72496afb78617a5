"""Who sees personal data in the people register: PPLs of the person's directorates and admins;
a PPL of another directorate gets 404; a service user sees only their own record; project
leads and forum chairs see none."""

from __future__ import annotations

import pytest
from django.urls import reverse

from involvement import access
from involvement.models import Person
from tests.factories import PersonFactory, ProjectFactory, RoleDescriptionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def rosa(directorate):
    return PersonFactory(
        name="Rosa Walker",
        email="rosa@example.org",
        phone="07700 900555",
        directorates=[directorate],
    )


def person_urls(person):
    return [
        reverse("involvement:person_detail", args=[person.pk]),
        reverse("involvement:person_edit", args=[person.pk]),
        reverse("involvement:person_invite", args=[person.pk]),
        reverse("involvement:training_add", args=[person.pk]),
        reverse("involvement:role_description_create", args=[person.pk]),
    ]


def test_ppl_of_the_persons_directorate_and_admin_see_contact_details(
    client, ppl, admin_user, rosa
):
    for user in (ppl, admin_user):
        client.force_login(user)
        for url in person_urls(rosa):
            assert client.get(url).status_code == 200, url
        page = client.get(person_urls(rosa)[0]).content
        assert b"rosa@example.org" in page and b"07700 900555" in page


def test_ppl_of_another_directorate_gets_404_and_changes_nothing(client, other_ppl, rosa):
    client.force_login(other_ppl)
    for url in person_urls(rosa):
        assert client.get(url).status_code == 404, url
    response = client.post(
        reverse("involvement:person_edit", args=[rosa.pk]),
        {"name": "Changed", "kind": "carer", "attendance": "either", "payment_preference": "paid"},
    )
    assert response.status_code == 404
    rosa.refresh_from_db()
    assert rosa.name == "Rosa Walker"
    listed = client.get(reverse("involvement:people_list"))
    assert b"Rosa Walker" not in listed.content


@pytest.mark.parametrize("fixture", ["chair", "lead", "su_user"])
def test_chairs_leads_and_service_users_see_no_register(client, request, fixture, rosa):
    user = request.getfixturevalue(fixture)
    client.force_login(user)
    assert client.get(reverse("involvement:people_list")).status_code == 403
    for url in person_urls(rosa):
        assert client.get(url).status_code == 403, url
    assert not access.people_for(user).exists()


def test_a_service_user_posting_to_another_persons_record_changes_nothing(
    client, su_user, rosa, directorate
):
    PersonFactory(user=su_user, directorates=[directorate])
    client.force_login(su_user)
    response = client.post(
        reverse("involvement:person_edit", args=[rosa.pk]),
        {"name": "Hacked", "kind": "carer", "attendance": "either", "payment_preference": "paid"},
    )
    assert response.status_code == 403
    # Their own profile page edits only their own record, whatever ids are posted.
    client.post(reverse("involvement:my_profile"), {"attendance": "remote", "pk": rosa.pk})
    rosa.refresh_from_db()
    assert rosa.name == "Rosa Walker" and rosa.attendance == "either"
    assert Person.objects.get(user=su_user).attendance == "remote"


def test_contact_details_rule(ppl, other_ppl, admin_user, chair, lead, su_user, rosa):
    assert access.can_see_contact_details(ppl, rosa)
    assert access.can_see_contact_details(admin_user, rosa)
    for user in (other_ppl, chair, lead, su_user):
        assert not access.can_see_contact_details(user, rosa)
    rosa.user = su_user
    assert access.can_see_contact_details(su_user, rosa)


def test_role_descriptions_are_scoped_like_people(
    ppl, other_ppl, admin_user, chair, lead, su_user, rosa, directorate
):
    description = RoleDescriptionFactory(
        person=rosa, project=ProjectFactory(directorate=directorate)
    )
    assert description in access.role_descriptions_for(ppl)
    assert description in access.role_descriptions_for(admin_user)
    for user in (other_ppl, chair, lead, su_user):
        assert description not in access.role_descriptions_for(user)


def test_matching_pages_are_scoped_to_the_ppls_directorates(
    client, ppl, other_ppl, chair, rosa, directorate
):
    project = ProjectFactory(directorate=directorate)
    url = reverse("involvement:project_matches", args=[project.pk])
    client.force_login(ppl)
    assert client.get(url).status_code == 200
    client.force_login(other_ppl)
    assert client.get(url).status_code == 404
    assert (
        client.post(reverse("involvement:invite_to_team", args=[project.pk, rosa.pk])).status_code
        == 404
    )
    client.force_login(chair)
    assert client.get(url).status_code == 403
