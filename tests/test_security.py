"""Sign-in protection, sessions, headers and the production settings path."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parent.parent


def _fail_login(client, username, times):
    for _ in range(times):
        response = client.post(reverse("login"), {"username": username, "password": "wrong"})
    return response


def test_five_failures_lock_the_username_with_a_clear_message(client, ppl):
    assert _fail_login(client, "ppl", 4).status_code == 200
    locked = _fail_login(client, "ppl", 1)
    assert locked.status_code == 429
    assert "Too many attempts to sign in" in locked.content.decode()
    # Even the right password is refused while locked.
    right = client.post(reverse("login"), {"username": "ppl", "password": PASSWORD})
    assert right.status_code == 429
    assert "_auth_user_id" not in client.session


def test_lockout_looks_the_same_for_a_username_that_does_not_exist(client, ppl):
    from django.test import Client

    real = _fail_login(client, "ppl", 5)
    other = Client(REMOTE_ADDR="10.0.0.9")
    unknown = _fail_login(other, "nobody-here", 5)
    assert real.status_code == unknown.status_code == 429
    assert real.content.decode().replace("ppl", "X") == unknown.content.decode().replace(
        "nobody-here", "X"
    )


def test_failures_from_one_address_lock_the_address_for_any_username(client, ppl, lead):
    for index in range(5):
        _fail_login(client, f"guess{index}", 1)
    response = client.post(reverse("login"), {"username": "lead", "password": PASSWORD})
    assert response.status_code == 429


def test_admin_unlocks_by_resetting_the_attempts(client, ppl):
    from axes.utils import reset

    _fail_login(client, "ppl", 5)
    reset(username="ppl")
    reset(ip="127.0.0.1")
    response = client.post(reverse("login"), {"username": "ppl", "password": PASSWORD})
    assert response.status_code == 302


def test_access_attempts_are_listed_in_the_admin_site(client, admin_user, ppl):
    _fail_login(client, "ppl", 2)
    client.force_login(admin_user)
    page = client.get(reverse("admin:axes_accessattempt_changelist"))
    assert page.status_code == 200
    assert "ppl" in page.content.decode()


def test_session_expires_after_inactivity(client, ppl, settings):
    import time_machine

    client.force_login(ppl)
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert settings.SESSION_SAVE_EVERY_REQUEST
    with time_machine.travel(0, tick=False) as traveller:
        traveller.move_to("2030-01-01 09:00")
        client.force_login(ppl)
        assert client.get(reverse("involvement:ppl_home")).status_code == 200
        traveller.move_to("2030-01-01 09:29")
        assert client.get(reverse("involvement:ppl_home")).status_code == 200
        traveller.move_to("2030-01-01 10:00")
        assert client.get(reverse("involvement:ppl_home")).status_code == 302


def test_password_change_signs_out_other_sessions(ppl):
    from django.test import Client

    laptop, phone = Client(), Client()
    laptop.force_login(ppl)
    phone.force_login(ppl)
    laptop.post(
        reverse("password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "a-fresh-long-passphrase-9",
            "new_password2": "a-fresh-long-passphrase-9",
        },
    )
    assert laptop.get(reverse("involvement:ppl_home")).status_code == 200
    assert phone.get(reverse("involvement:ppl_home")).status_code == 302


def test_security_headers_on_a_real_response(client, ppl):
    client.force_login(ppl)
    response = client.get(reverse("involvement:ppl_home"), secure=True)
    assert response.status_code == 200
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    csp = response["Content-Security-Policy"]
    directives = dict(
        (part.split()[0], part.split()[1:]) for part in csp.split(";") if part.strip()
    )
    assert directives["script-src"] == ["'self'"]
    assert "'unsafe-inline'" not in csp.split("script-src")[1].split(";")[0]
    assert directives["frame-ancestors"] == ["'none'"]
    assert directives["default-src"] == ["'self'"]
    cookie = client.cookies["sessionid"]
    assert cookie["secure"] and cookie["httponly"]


def test_no_page_uses_inline_script(client, ppl, admin_user):
    for user, url in ((ppl, reverse("involvement:ppl_home")), (admin_user, reverse("login"))):
        client.force_login(user)
        html = client.get(url).content.decode()
        for chunk in html.split("<script")[1:]:
            assert 'src="' in chunk.split(">")[0], "inline <script> found"
        assert " onclick=" not in html and " onload=" not in html


def test_check_deploy_is_clean_in_production_settings():
    unset = {"DEBUG", "SECURE_SSL_REDIRECT", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {k: v for k, v in os.environ.items() if k not in unset}
    env.update(
        {
            "SECRET_KEY": "x7!Qm2#vT9$kL4@pR8^wZ1&nB6*cF3(hJ5)dG0-sY2=eU7+aK9_oI4~rN1",
            "ALLOWED_HOSTS": "bigi.example.nhs.uk",
        }
    )
    result = subprocess.run(  # noqa: S603 - fixed argv
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_an_overlong_username_is_refused_with_a_message_not_a_server_error(client, ppl):
    # Found by the fuzz test: on PostgreSQL the sign-in log's 255-character column refused it.
    from axes.models import AccessAttempt

    response = client.post(reverse("login"), {"username": "0" * 3000, "password": "wrong-pass"})
    assert response.status_code == 200
    assert "Ensure this value has at most 150 characters" in response.content.decode()
    assert not AccessAttempt.objects.exists()
