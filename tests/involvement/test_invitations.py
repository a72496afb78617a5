"""Invitations: a PPL invites a person by email (or hands them the link); the link is signed,
single-use and expires after 7 days; accepting it makes the person's service-user sign-in."""

from __future__ import annotations

import datetime
import re

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core import mail, signing
from django.urls import reverse
from django.utils import timezone

from involvement import access, services_people
from involvement.access import Role
from involvement.models import Invitation
from tests.factories import PersonFactory, UserFactory

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a-long-unusual-phrase-42"


@pytest.fixture
def person(directorate):
    return PersonFactory(name="Rosa Walker", email="rosa@example.org", directorates=[directorate])


def invite(client, ppl, person, **data):
    client.force_login(ppl)
    data = {"how": "email", "email": person.email, **data}
    return client.post(reverse("involvement:person_invite", args=[person.pk]), data)


def link_from_outbox(index: int = -1) -> str:
    match = re.search(r"http://testserver(/invitations/\S+/)", mail.outbox[index].body)
    assert match, mail.outbox[index].body
    return match.group(1)


def accept(client, path, username="rosa@example.org", password=NEW_PASSWORD, again=None):
    return client.post(
        path, {"username": username, "password1": password, "password2": again or password}
    )


def test_a_ppl_invites_by_email_and_the_person_signs_up_and_lands_in_my_area(client, ppl, person):
    response = invite(client, ppl, person)
    assert response.status_code == 302
    assert response.url == reverse("involvement:person_detail", args=[person.pk])
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["rosa@example.org"]
    assert message.subject == "Your invitation to Big I"
    assert "Hello Rosa Walker" in message.body and "7 days" in message.body
    path = link_from_outbox()

    client.logout()
    page = client.get(path)
    assert page.status_code == 200
    assert b"Set up your account" in page.content
    assert b'value="rosa@example.org"' in page.content  # the username defaults to their email

    response = accept(client, path)
    assert response.status_code == 302
    assert response.url == reverse("involvement:my_area")
    person.refresh_from_db()
    user = person.user
    assert user is not None and user.username == "rosa@example.org"
    assert user.check_password(NEW_PASSWORD)
    assert access.roles_of(user) == {Role.SU}
    assert (user.first_name, user.last_name) == ("Rosa", "Walker")
    assert Invitation.objects.get(person=person).used_at is not None
    # Signed in as the new user.
    my_area = client.get(reverse("involvement:my_area"))
    assert my_area.status_code == 200 and b"Hello Rosa" in my_area.content


def test_a_chosen_username_may_be_used_instead_of_the_email(client, ppl, person):
    invite(client, ppl, person)
    client.logout()
    accept(client, link_from_outbox(), username="rosa.w")
    person.refresh_from_db()
    assert person.user.username == "rosa.w"


def test_the_link_works_once(client, ppl, person):
    invite(client, ppl, person)
    path = link_from_outbox()
    client.logout()
    accept(client, path)
    client.logout()
    users = get_user_model().objects.count()
    page = client.get(path)
    assert page.status_code == 410
    assert b"This invitation link has already been used" in page.content
    again = accept(client, path, username="someone-else")
    assert again.status_code == 410
    assert get_user_model().objects.count() == users


def test_the_link_expires_after_seven_days(client, ppl, person):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        invite(client, ppl, person)
    path = link_from_outbox()
    client.logout()
    with time_machine.travel(start + datetime.timedelta(days=6, hours=23), tick=False):
        assert client.get(path).status_code == 200
    with time_machine.travel(start + datetime.timedelta(days=7, minutes=1), tick=False):
        page = client.get(path)
        assert page.status_code == 410
        assert b"This invitation link has expired" in page.content
        assert b"How to get a new link" in page.content
        assert b"Ask your People Participation Lead" in page.content
        response = accept(client, path)
        assert response.status_code == 410
    person.refresh_from_db()
    assert person.user is None
    assert not get_user_model().objects.filter(username="rosa@example.org").exists()


@pytest.mark.parametrize(
    "tamper",
    [
        lambda token: token[:-1] + ("A" if token[-1] != "A" else "B"),  # signature changed
        lambda token: "9" + token,  # id changed
        lambda token: "not-a-token",
    ],
)
def test_a_tampered_link_changes_nothing(client, ppl, person, tamper):
    invite(client, ppl, person)
    path = link_from_outbox()
    token = path.split("/")[2]
    client.logout()
    bad = reverse("involvement:invitation_accept", args=[tamper(token)])
    page = client.get(bad)
    assert page.status_code == 404
    assert b"This invitation link does not work" in page.content
    assert accept(client, bad).status_code == 404
    person.refresh_from_db()
    assert person.user is None
    assert Invitation.objects.get(person=person).used_at is None


def test_a_validly_signed_link_with_the_wrong_secret_is_refused(person, ppl):
    invitation, _ = services_people.invitation_create(person=person, by=ppl)
    forged = signing.TimestampSigner(salt="involvement.invitation").sign(f"{invitation.pk}.guess")
    with pytest.raises(services_people.InvitationProblem) as problem:
        services_people.invitation_check(forged)
    assert problem.value.reason == "invalid"


def test_inviting_again_stops_the_old_link_working(client, ppl, person):
    invite(client, ppl, person)
    old = link_from_outbox(0)
    invite(client, ppl, person)
    new = link_from_outbox(1)
    assert old != new
    client.logout()
    page = client.get(old)
    assert page.status_code == 410
    assert b"This invitation link has been replaced" in page.content
    assert accept(client, old).status_code == 410
    assert client.get(new).status_code == 200
    assert accept(client, new).status_code == 302


def test_a_link_given_by_hand_is_shown_once_on_the_person_page(client, ppl, person):
    response = invite(client, ppl, person, how="by_hand", email="")
    assert response.status_code == 302
    assert mail.outbox == []
    page = client.get(response.url)
    match = re.search(
        rb'id="invitation-link" type="text" value="http://testserver([^"]+)"', page.content
    )
    assert match
    assert client.get(response.url).content.count(b'id="invitation-link"') == 0
    client.logout()
    assert client.get(match.group(1).decode()).status_code == 200


def test_an_email_is_needed_to_send_by_email(client, ppl, directorate):
    no_email = PersonFactory(email="", directorates=[directorate])
    response = invite(client, ppl, no_email, email="")
    assert response.status_code == 200
    assert b"Enter the email address to send the invitation to." in response.content
    assert not Invitation.objects.exists()


def test_weak_or_mismatched_passwords_and_taken_usernames_are_form_errors(client, ppl, person):
    UserFactory(username="taken")
    invite(client, ppl, person)
    path = link_from_outbox()
    client.logout()
    for kwargs, error in [
        ({"password": "password"}, b"This password is too common."),
        ({"password": "12345678901"}, b"This password is entirely numeric."),
        ({"again": "something-else-entirely"}, b"The two passwords are not the same."),
        ({"username": "taken"}, b"That username is taken. Choose another."),
        ({"username": "has spaces!"}, b"Enter a valid username."),
    ]:
        response = accept(client, path, **kwargs)
        assert response.status_code == 200, kwargs
        assert error in response.content, kwargs
        assert response.content.count(b"nhsuk-error-summary") >= 1
    person.refresh_from_db()
    assert person.user is None
    assert Invitation.objects.get(person=person).used_at is None


def test_only_ppls_of_the_persons_directorates_and_admins_invite(
    client, person, other_ppl, chair, su_user, lead, admin_user
):
    url = reverse("involvement:person_invite", args=[person.pk])
    client.force_login(other_ppl)
    assert client.post(url, {"how": "by_hand"}).status_code == 404
    for user in (chair, su_user, lead):
        client.force_login(user)
        assert client.post(url, {"how": "by_hand"}).status_code == 403
    assert not Invitation.objects.exists()
    client.force_login(admin_user)
    assert client.post(url, {"how": "by_hand"}).status_code == 302
    assert Invitation.objects.count() == 1


def test_someone_with_an_account_is_not_invited_again(client, ppl, person, su_user):
    person.user = su_user
    person.save()
    response = invite(client, ppl, person)
    assert response.status_code == 302
    assert not Invitation.objects.exists()
    assert mail.outbox == []


def test_ppl_home_lists_people_invited_but_not_signed_up(client, ppl, person, directorate):
    waiting = PersonFactory(name="Waiting Person", directorates=[directorate])
    services_people.invitation_create(person=waiting, by=ppl)
    services_people.invitation_create(person=person, by=ppl)
    expired = PersonFactory(name="Expired Person", directorates=[directorate])
    with time_machine.travel(timezone.now() - datetime.timedelta(days=10)):
        services_people.invitation_create(person=expired, by=ppl)
    client.force_login(ppl)
    invite(client, ppl, person)  # signs up below
    client.logout()
    accept(client, link_from_outbox())
    client.force_login(ppl)
    page = client.get(reverse("involvement:ppl_home")).content.decode()
    section = page.split("People invited but not yet signed up")[1]
    assert "Waiting Person" in section and "the link works until" in section
    assert "Expired Person" in section and "the link has expired" in section
    assert "Rosa Walker" not in section
