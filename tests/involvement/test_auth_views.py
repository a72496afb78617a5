from __future__ import annotations

import re

import pytest
from django.core import mail
from django.urls import reverse

from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def test_login_page_renders_with_nhs_form(client):
    response = client.get(reverse("login"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "<title>Sign in – Big I</title>" in html
    assert 'class="nhsuk-input' in html
    assert html.count("<h1") == 1


def test_wrong_password_and_unknown_user_get_the_same_message(client, ppl):
    wrong = client.post(reverse("login"), {"username": "ppl", "password": "nope"})
    unknown = client.post(reverse("login"), {"username": "nobody", "password": "nope"})
    message = "Enter a correct username and password. Both are case-sensitive."
    for response in (wrong, unknown):
        html = response.content.decode()
        assert response.status_code == 200
        assert message in html
        assert "<title>Error: Sign in – Big I</title>" in html
        assert "nhsuk-error-summary" in html

    # Nothing in the page tells the two apart: only the echoed username and the CSRF token differ.
    def normalised(response, username):
        html = response.content.decode().replace(username, "X")
        return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)

    assert normalised(wrong, "ppl") == normalised(unknown, "nobody")


def test_empty_login_names_each_missing_field(client):
    html = client.post(reverse("login"), {}).content.decode()
    assert 'href="#id_username"' in html
    assert 'href="#id_password"' in html


def test_inactive_user_gets_the_same_message(client, ppl):
    ppl.is_active = False
    ppl.save()
    response = client.post(reverse("login"), {"username": "ppl", "password": PASSWORD})
    assert "Enter a correct username and password" in response.content.decode()


def test_login_lands_on_role_home(client, ppl):
    response = client.post(reverse("login"), {"username": "ppl", "password": PASSWORD}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("involvement:ppl_home")


def test_logout_needs_post_and_signs_out(client, ppl):
    client.force_login(ppl)
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert client.get(reverse("involvement:ppl_home")).status_code == 302


def test_password_change(client, ppl):
    client.force_login(ppl)
    response = client.post(
        reverse("password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "a-much-longer-passphrase-42",
            "new_password2": "a-much-longer-passphrase-42",
        },
    )
    assert response.status_code == 302
    ppl.refresh_from_db()
    assert ppl.check_password("a-much-longer-passphrase-42")


def test_password_change_rejects_weak_password(client, ppl):
    client.force_login(ppl)
    response = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": "12345678", "new_password2": "12345678"},
    )
    assert response.status_code == 200
    assert "nhsuk-error-message" in response.content.decode()
    ppl.refresh_from_db()
    assert ppl.check_password(PASSWORD)


def test_password_reset_sends_a_working_link(client, ppl):
    response = client.post(reverse("password_reset"), {"email": ppl.email})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    link = re.search(r"http://testserver(/accounts/password/reset/\S+/)", mail.outbox[0].body)
    assert link
    page = client.get(link.group(1), follow=True)
    assert b"Set a new password" in page.content
    done = client.post(
        page.redirect_chain[-1][0],
        {
            "new_password1": "another-long-passphrase-7",
            "new_password2": "another-long-passphrase-7",
        },
    )
    assert done.status_code == 302
    ppl.refresh_from_db()
    assert ppl.check_password("another-long-passphrase-7")


def test_password_reset_for_unknown_email_sends_nothing_and_says_the_same(client, ppl):
    response = client.post(reverse("password_reset"), {"email": "nobody@example.com"})
    assert response.status_code == 302
    assert mail.outbox == []


def test_glossary_is_public_and_explains_acronyms(client):
    html = client.get(reverse("glossary")).content.decode()
    assert "People Participation Lead" in html
    assert "COCREATORS" in html
