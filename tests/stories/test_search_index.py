"""PostgreSQL finds stories through the search index: the migration's expression is the one the
library's search filters on (if either changes alone, this fails)."""

from __future__ import annotations

import pytest
from django.db import connection

from stories.models import Story


@pytest.mark.postgres
@pytest.mark.django_db
def test_story_search_uses_the_gin_index():
    if connection.vendor != "postgresql":
        pytest.skip("The search index exists on PostgreSQL only.")
    sql, params = Story.objects.search("involvement forum").values("pk").query.sql_with_params()
    with connection.cursor() as cursor:
        # A handful of test rows would be scanned whole; make the planner show it can use the index.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "stories_story_search" in plan, plan
