"""Each chart test starts with a fresh "is the current month built?" check (tests move the
clock); the cache is emptied for every test by tests/conftest.py."""

from __future__ import annotations

import pytest

from involvement import levels


@pytest.fixture(autouse=True)
def _fresh_month_check():
    levels.reset_month_check()
    yield
    levels.reset_month_check()
