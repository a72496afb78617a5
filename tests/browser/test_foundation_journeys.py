"""First journeys: each demo role signs in and lands on its home; shared pages pass axe."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.a11y import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HOMES = {
    "admin_user": ("/charts/trust/", "Trust overview"),
    "ppl": ("/ppl/", "People Participation Lead home"),
    "lead": ("/projects/mine/", "My projects"),
    "chair": ("/charts/forum/", "QI forum"),
    "su_user": ("/me/", "My area"),
}


@pytest.mark.parametrize("fixture", HOMES)
def test_each_role_signs_in_and_lands_on_its_home(
    page, live_server, sign_in, same_host_only, request, fixture
):
    user = request.getfixturevalue(fixture)
    foreign = same_host_only(page)
    sign_in(page, user)
    path, heading = HOMES[fixture]
    assert page.url == f"{live_server.url}{path}"
    expect(page.get_by_role("heading", level=1)).to_have_text(heading)
    assert_accessible(page)
    assert foreign == []


def test_login_page_passes_axe_and_shows_errors(page, live_server, same_host_only, ppl):
    foreign = same_host_only(page)
    page.goto(f"{live_server.url}/accounts/login/")
    assert_accessible(page)
    page.get_by_label("Username").fill("ppl")
    page.get_by_label("Password").fill("wrong")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("alert")).to_contain_text("Enter a correct username and password")
    assert page.title().startswith("Error: ")
    assert_accessible(page)
    assert foreign == []


def test_glossary_passes_axe_without_signing_in(page, live_server, same_host_only):
    foreign = same_host_only(page)
    page.goto(f"{live_server.url}/glossary/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Glossary of words and acronyms")
    assert_accessible(page)
    assert foreign == []


def test_log_out_from_the_header(page, live_server, sign_in, su_user):
    sign_in(page, su_user)
    page.get_by_role("button", name="Log out").click()
    page.goto(f"{live_server.url}/me/")
    assert "/accounts/login/" in page.url


def test_repeated_failures_lock_sign_in_with_a_clear_page(page, live_server, ppl):
    page.goto(f"{live_server.url}/accounts/login/")
    for _ in range(5):
        page.get_by_label("Username").fill("ppl")
        page.get_by_label("Password").fill("not-the-password")
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_load_state()
    expect(page.get_by_role("heading", level=1)).to_have_text("Too many attempts to sign in")
    assert_accessible(page)
