from __future__ import annotations

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from involvement import access
from involvement.access import Role
from projects.models import Directorate

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = io.StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


def test_seed_demo_creates_one_user_per_role_with_the_given_password():
    output = run("--password", "pw-for-tests-1")
    User = get_user_model()
    expected = {
        "admin": Role.ADMIN,
        "ppl": Role.PPL,
        "lead": Role.LEAD,
        "su": Role.SU,
        "chair": Role.CHAIR,
    }
    for username, role in expected.items():
        user = User.objects.get(username=username)
        assert role in access.roles_of(user)
        assert user.check_password("pw-for-tests-1")
        assert username in output
    assert Directorate.objects.filter(name="Forensic services").exists()


def test_seed_demo_is_idempotent():
    run("--password", "pw-for-tests-1")
    counts = (get_user_model().objects.count(), Directorate.objects.count())
    run("--password", "pw-for-tests-1")
    assert (get_user_model().objects.count(), Directorate.objects.count()) == counts


def test_without_password_a_random_one_is_printed_and_works():
    output = run()
    line = next(line for line in output.splitlines() if line.strip().startswith("ppl "))
    password = line.split()[1]
    assert get_user_model().objects.get(username="ppl").check_password(password)
    # Running again without a password leaves it alone.
    again = run()
    assert "(unchanged)" in again
    assert get_user_model().objects.get(username="ppl").check_password(password)


def test_if_empty_does_nothing_on_a_database_with_users(ppl):
    output = run("--if-empty")
    assert "already has users" in output
    assert not get_user_model().objects.filter(username="admin").exists()
