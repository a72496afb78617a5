"""Query budgets: a page's query count must not depend on how many rows it shows."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable

from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext


def capture(client, url: str):
    """The response to a GET of ``url`` (which must answer 200) and the queries it ran.

    Each count starts from an empty cache: a fragment cached by the first request would hide
    the queries of the second, and it is the uncached page whose cost must not grow."""
    cache.clear()
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200, f"{url}: {response.status_code}"
    return response, context.captured_queries


def count_queries(client, url: str) -> int:
    return len(capture(client, url)[1])


def _shape(sql: str) -> str:
    """A query without its numbers and quoted values, so one query per row reads as one shape."""
    return re.sub(r"'[^']*'|\bs\d+_x\d+\b|\b\d+\b", "?", sql)[:300]


def excess(few: list[dict], many: list[dict]) -> list[str]:
    """The query shapes run more often with many rows than with few, with how many more."""
    extra = Counter(_shape(q["sql"]) for q in many) - Counter(_shape(q["sql"]) for q in few)
    return [f"+{times} × {shape}" for shape, times in extra.most_common()]


def assert_constant_queries(client, url: str, add_rows: Callable[[int], object]) -> int:
    """Build 3 rows, count the page's queries, build 27 more, count again: equal counts."""
    add_rows(3)
    few = count_queries(client, url)
    add_rows(27)
    many = count_queries(client, url)
    assert few == many, f"{url}: {few} queries with 3 rows, {many} with 30"
    return many
