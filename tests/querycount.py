"""Query budgets: a page's query count must not depend on how many rows it shows."""

from __future__ import annotations

from collections.abc import Callable

from django.db import connection
from django.test.utils import CaptureQueriesContext


def count_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200, response.status_code
    return len(context.captured_queries)


def assert_constant_queries(client, url: str, add_rows: Callable[[int], object]) -> int:
    """Build 3 rows, count the page's queries, build 27 more, count again: equal counts."""
    add_rows(3)
    few = count_queries(client, url)
    add_rows(27)
    many = count_queries(client, url)
    assert few == many, f"{url}: {few} queries with 3 rows, {many} with 30"
    return many
