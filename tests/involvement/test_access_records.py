from __future__ import annotations

import pytest
from django.http import Http404

from involvement import access
from involvement.access import Role
from tests.factories import MembershipFactory, PersonFactory, ProjectFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def project(directorate, lead):
    return ProjectFactory(directorate=directorate, lead=lead)


def test_admin_ppl_and_chair_see_every_project(admin_user, ppl, other_ppl, chair, project):
    for user in (admin_user, ppl, other_ppl, chair):
        assert project in access.projects_for(user)


def test_lead_sees_only_their_projects(lead, project, other_directorate):
    someone_elses = ProjectFactory(directorate=other_directorate)
    assert list(access.projects_for(lead)) == [project]
    with pytest.raises(Http404):
        access.get_project_for(lead, someone_elses.pk)


def test_service_user_sees_only_projects_they_are_on(su_user, project):
    other = ProjectFactory(directorate=project.directorate)
    person = PersonFactory(user=su_user)
    MembershipFactory(project=project, person=person)
    assert list(access.projects_for(su_user)) == [project]
    assert other not in access.projects_for(su_user)


def test_who_may_edit_a_project_and_see_its_team(admin_user, ppl, other_ppl, lead, chair, project):
    assert access.can_edit_project(admin_user, project)
    assert access.can_edit_project(ppl, project)
    assert access.can_edit_project(lead, project)
    assert not access.can_edit_project(other_ppl, project)
    assert not access.can_see_team(chair, project)
    other_lead = UserFactory(roles=[Role.LEAD])
    assert not access.can_edit_project(other_lead, project)


def test_people_register_is_scoped_to_the_ppls_directorates(
    admin_user, ppl, other_ppl, chair, su_user, directorate
):
    person = PersonFactory(directorates=[directorate])
    assert person in access.people_for(admin_user)
    assert person in access.people_for(ppl)
    assert person not in access.people_for(other_ppl)
    assert not access.people_for(chair).exists()
    assert not access.people_for(su_user).exists()
    with pytest.raises(Http404):
        access.get_person_for(other_ppl, person.pk)


def test_own_person_is_the_signed_in_service_users_record(su_user):
    person = PersonFactory(user=su_user)
    assert access.own_person(su_user) == person
