"""Start-up refuses bad configuration with one line, not a traceback."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _start(
    env_overrides: dict[str, str], drop: tuple[str, ...] = ()
) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in drop}
    env.update(env_overrides)
    return subprocess.run(  # noqa: S603 - fixed argv
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_missing_secret_key_with_debug_off_refuses_to_start_in_one_line():
    result = _start({"DEBUG": "0"}, drop=("SECRET_KEY",))
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert lines == [
        "Big I cannot start: SECRET_KEY is not set (it is required when DEBUG is off)."
    ]


def test_debug_on_needs_no_secret_key():
    result = _start({"DEBUG": "1"}, drop=("SECRET_KEY", "DATABASE_URL"))
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("url", ["nonsense", "mysql://u@h/db", "postgres://host:notaport/db"])
def test_malformed_database_url_refuses_to_start_in_one_line(url):
    result = _start({"DEBUG": "1", "DATABASE_URL": url})
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("Big I cannot start: DATABASE_URL")
    assert "Traceback" not in result.stderr


def test_database_url_chooses_postgresql():
    from django.conf import settings

    if os.environ.get("DATABASE_URL", "").startswith("postgres"):
        assert settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"
    else:
        assert settings.DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3"


def test_cache_url_that_is_not_redis_refuses_to_start_in_one_line():
    result = _start({"DEBUG": "1", "CACHE_URL": "memcached://127.0.0.1:11211"})
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        "Big I cannot start: CACHE_URL must be redis://… (or leave it unset for a per-process "
        "memory cache)."
    ]


def test_cache_url_chooses_redis_and_no_cache_url_the_memory_cache():
    code = (
        "import django; django.setup(); from django.conf import settings; "
        "print(settings.CACHES['default']['BACKEND'])"
    )

    def backend(env: dict[str, str], drop: tuple[str, ...] = ()) -> str:
        environment = {k: v for k, v in os.environ.items() if k not in drop}
        environment.update({"DEBUG": "1", "DJANGO_SETTINGS_MODULE": "config.settings", **env})
        result = subprocess.run(  # noqa: S603 - fixed argv
            [sys.executable, "-c", code], cwd=ROOT, env=environment, capture_output=True, text=True
        )
        assert result.returncode == 0, result.stderr
        return result.stdout.strip()

    assert backend({"CACHE_URL": "redis://127.0.0.1:6379/1"}).endswith("RedisCache")
    assert backend({}, drop=("CACHE_URL",)).endswith("LocMemCache")
