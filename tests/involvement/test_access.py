from __future__ import annotations

import pytest
from django.urls import reverse

from involvement import access
from involvement.access import Role

pytestmark = pytest.mark.django_db

HOMES = {
    "admin_user": "charts:admin_home",
    "ppl": "involvement:ppl_home",
    "lead": "projects:lead_home",
    "chair": "charts:chair_home",
    "su_user": "involvement:my_area",
}


@pytest.mark.parametrize(("fixture", "url_name"), HOMES.items())
def test_each_role_lands_on_its_own_home(client, request, fixture, url_name):
    user = request.getfixturevalue(fixture)
    client.force_login(user)
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response.url == reverse(url_name)
    assert client.get(response.url).status_code == 200


@pytest.mark.parametrize(("fixture", "url_name"), HOMES.items())
def test_other_roles_home_pages_are_forbidden(client, request, fixture, url_name):
    user = request.getfixturevalue(fixture)
    client.force_login(user)
    for other_fixture, other_url in HOMES.items():
        if other_url == url_name or (fixture == "admin_user" and other_fixture != "admin_user"):
            continue
        assert client.get(reverse(other_url)).status_code == 403, other_url


def test_anonymous_user_is_sent_to_login(client):
    response = client.get(reverse("involvement:ppl_home"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_user_without_role_sees_the_no_role_page(client):
    from tests.factories import UserFactory

    client.force_login(UserFactory())
    response = client.get(reverse("home"), follow=True)
    assert response.redirect_chain[-1][0] == reverse("no_role")
    assert b"Your account has no role yet" in response.content


def test_user_with_several_roles_lands_on_the_first_in_home_order(db):
    from tests.factories import UserFactory

    su_and_chair = UserFactory(roles=[Role.SU, Role.CHAIR])
    assert access.home_url(su_and_chair) == reverse("charts:chair_home")
    assert access.roles_of(su_and_chair) == {Role.SU, Role.CHAIR}


def test_superuser_is_admin_without_the_group(db):
    from tests.factories import UserFactory

    assert access.is_admin(UserFactory(is_superuser=True))


def test_ppl_directorates_are_those_they_work_in(ppl, directorate, other_directorate):
    assert access.ppl_directorate_ids(ppl) == {directorate.pk}


def test_non_ppl_has_no_ppl_directorates(lead):
    assert access.ppl_directorate_ids(lead) == frozenset()


def test_inactive_user_has_no_roles(ppl):
    ppl.is_active = False
    assert access.roles_of(ppl) == frozenset()


def test_navigation_shows_each_role_only_its_pages(ppl, su_user):
    ppl_labels = [item.label for item in access.navigation(ppl, "/ppl/")]
    su_labels = [item.label for item in access.navigation(su_user, "/me/")]
    assert "PPL home" in ppl_labels and "My area" not in ppl_labels
    # Every role also reads the aggregate charts.
    assert su_labels == ["My area", "Opportunities", "Stories", "P-chart"]
    assert [i.current for i in access.navigation(su_user, "/me/")] == [True] + [False] * 3


def test_roles_are_created_by_migration():
    from django.contrib.auth.models import Group

    assert set(Group.objects.values_list("name", flat=True)) >= {str(r) for r in Role}
