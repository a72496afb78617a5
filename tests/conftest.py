"""Fixtures shared by every test: one user per role (plus an outsider), and the browser harness."""

from __future__ import annotations

import os
import shutil
from urllib.parse import urlsplit

import pytest

# live_server runs Django in a thread while Playwright's sync API holds an event loop.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

# Benchmarks are scripts run on their own (`make bench`), never tests.
collect_ignore = ["benchmarks"]

CHROMIUM = (
    os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or shutil.which("chromium-browser")
)
# Chromium on this kind of machine: no sandbox as root, and no calls home (the network is closed).
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def pytest_configure(config):
    from django.conf import settings

    # Fast hashing in tests; static files served from the source folders (no collectstatic).
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.WHITENOISE_USE_FINDERS = True
    settings.WHITENOISE_AUTOREFRESH = True
    # The test client and live server speak plain HTTP; everything else stays as in production.
    settings.SECURE_SSL_REDIRECT = False
    # Imports run inside the request, so a test sees the outcome at once (the background thread
    # has tests of its own, which turn this on).
    settings.IMPORTS_IN_BACKGROUND = False

    from django.db.backends.signals import connection_created

    connection_created.connect(_threads_share_the_memory_database)


def _threads_share_the_memory_database(sender, connection, **kwargs):
    """On SQLite the test database is one in-memory database shared by the test, the live server
    and an import's background thread, each with its own connection. Its locks are per table and
    never wait: a read in one thread made a write in another fail at once ("database table is
    locked"). Reads that take no lock end that (a file database, as in production, waits)."""
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        connection.connection.execute("PRAGMA read_uncommitted = 1")


def pytest_collection_modifyitems(config, items):
    browser_items = [item for item in items if item.get_closest_marker("browser")]
    if not browser_items or CHROMIUM:
        return
    if os.environ.get("REQUIRE_BROWSER") == "1":
        raise pytest.UsageError(
            "REQUIRE_BROWSER=1 but no Chromium was found (install Debian's chromium, or set "
            "CHROMIUM_PATH)."
        )
    skip = pytest.mark.skip(reason="no Chromium found (apt-get install chromium, or CHROMIUM_PATH)")
    for item in browser_items:
        item.add_marker(skip)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture(autouse=True)
def _empty_cache():
    """Chart series are cached by the derived table's version; a test database rolled back
    between tests can reach the same version with other data, so no cache outlives a test."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


# --- users, one per role -------------------------------------------------------------------------


@pytest.fixture
def directorate(db):
    from tests.factories import DirectorateFactory

    return DirectorateFactory(name="Newham")


@pytest.fixture
def other_directorate(db):
    from tests.factories import DirectorateFactory

    return DirectorateFactory(name="Forensic services")


@pytest.fixture
def admin_user(db):
    from involvement.access import Role
    from tests.factories import UserFactory

    return UserFactory(username="admin", roles=[Role.ADMIN], is_staff=True, is_superuser=True)


@pytest.fixture
def ppl(directorate):
    from involvement.access import Role
    from tests.factories import UserFactory

    return UserFactory(username="ppl", roles=[Role.PPL], directorates=[directorate])


@pytest.fixture
def other_ppl(other_directorate):
    from involvement.access import Role
    from tests.factories import UserFactory

    return UserFactory(username="otherppl", roles=[Role.PPL], directorates=[other_directorate])


@pytest.fixture
def lead(directorate):
    from involvement.access import Role
    from tests.factories import UserFactory

    return UserFactory(username="lead", roles=[Role.LEAD], directorates=[directorate])


@pytest.fixture
def chair(db):
    from involvement.access import Role
    from tests.factories import UserFactory

    return UserFactory(username="chair", roles=[Role.CHAIR])


@pytest.fixture
def su_user(db):
    from involvement.access import Role
    from tests.factories import UserFactory

    return UserFactory(username="su", roles=[Role.SU])


# --- browser helpers -----------------------------------------------------------------------------


@pytest.fixture
def sign_in(live_server):
    """Sign a Playwright page in as a user through the real login form."""

    def _sign_in(page, user, password: str | None = None):
        from tests.factories import PASSWORD

        page.goto(f"{live_server.url}/accounts/login/")
        page.get_by_label("Username").fill(user.username)
        page.get_by_label("Password").fill(password or PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_load_state()

    return _sign_in


@pytest.fixture
def same_host_only(live_server):
    """Record every request the page makes; the test asserts none goes to another host."""

    def _watch(page) -> list[str]:
        host = urlsplit(live_server.url).netloc
        foreign: list[str] = []

        def on_request(request):
            url = urlsplit(request.url)
            if url.scheme in {"http", "https", "ws", "wss"} and url.netloc != host:
                foreign.append(request.url)

        page.on("request", on_request)
        return foreign

    return _watch
