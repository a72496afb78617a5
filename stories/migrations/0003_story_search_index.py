"""A GIN index over the story search's weighted vector, on PostgreSQL only.

The library's search (``StoryQuerySet.search``) filters on exactly this expression, so PostgreSQL
finds matching stories from the index instead of building every story's vector per search. The
expression must stay the one Django writes for the three SearchVectors there: change both together.
SQLite's search is a plain match and has no such index.
"""

from django.db import migrations

VECTOR = (
    "(setweight(to_tsvector('english'::regconfig, COALESCE(title, '')), 'A')"
    " || setweight(to_tsvector('english'::regconfig, COALESCE(summary, '')), 'B'))"
    " || setweight(to_tsvector('english'::regconfig, COALESCE(body, '')), 'C')"
)


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS stories_story_search ON stories_story USING gin (({VECTOR}))"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS stories_story_search")


class Migration(migrations.Migration):
    dependencies = [("stories", "0002_story_history")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
