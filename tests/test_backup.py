"""The backup round trip on PostgreSQL (README, "Backups"): the demo database dumped with
``pg_dump -Fc`` and restored with ``pg_restore`` into a new database has the same number of rows in
every table and the same trust p-chart series."""

from __future__ import annotations

import os
import secrets
import shutil
import subprocess

import pytest
from django.core.management import call_command
from django.db import connection

from involvement.levels import involvement_series
from projects.models import Level

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql" or not shutil.which("pg_dump"),
        reason="needs PostgreSQL and pg_dump",
    ),
]

SERIES_SQL = """
    SELECT month,
           count(*),
           count(*) FILTER (WHERE level = %(big_i)s),
           count(*) FILTER (WHERE level >= %(little_i)s)
    FROM involvement_projectmonth
    GROUP BY month
    ORDER BY month
"""
TABLES_SQL = """
    SELECT table_name FROM information_schema.tables
    WHERE table_schema = 'public' AND table_type = 'BASE TABLE'
    ORDER BY table_name
"""


def _client_args(settings: dict) -> tuple[list[str], dict]:
    """Connection options for the PostgreSQL command-line tools, from Django's own settings."""
    args = []
    if settings.get("HOST"):
        args += ["--host", settings["HOST"]]
    if settings.get("PORT"):
        args += ["--port", str(settings["PORT"])]
    if settings.get("USER"):
        args += ["--username", settings["USER"]]
    env = {**os.environ}
    if settings.get("PASSWORD"):
        env["PGPASSWORD"] = settings["PASSWORD"]
    return args, env


def _run(*argv: str, env: dict) -> None:
    result = subprocess.run(argv, env=env, capture_output=True, text=True, timeout=300)  # noqa: S603 - fixed tools, our own arguments
    assert result.returncode == 0, f"{argv[0]} failed: {result.stderr}"


def _counts(cursor) -> dict[str, int]:
    from psycopg import sql

    cursor.execute(TABLES_SQL)
    tables = [row[0] for row in cursor.fetchall()]
    counts = {}
    for table in tables:
        cursor.execute(sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(table)))
        counts[table] = cursor.fetchone()[0]
    return counts


def _series(cursor) -> list[tuple]:
    cursor.execute(SERIES_SQL, {"big_i": Level.BIG_I, "little_i": Level.LITTLE_I})
    return [tuple(row) for row in cursor.fetchall()]


def test_a_dump_of_the_demo_database_restores_with_the_same_counts_and_pchart(tmp_path):
    import psycopg

    call_command("seed_demo", "--password", "x")
    series = involvement_series()  # extends the derived table to this month first
    assert sum(row.big_i for row in series) > 0
    with connection.cursor() as cursor:
        source_counts = _counts(cursor.cursor)
        source_series = _series(cursor.cursor)
    assert source_counts["involvement_person"] > 0 and source_counts["projects_project"] > 0
    # The SQL aggregate read from the restored copy is the function's own series.
    assert source_series == [
        (row.month, row.active, row.big_i, row.any_involvement) for row in series if row.active
    ]

    settings = connection.settings_dict
    args, env = _client_args(settings)
    dump = tmp_path / "bigi.dump"
    _run(
        "pg_dump",
        "--format=custom",
        "--no-owner",
        f"--file={dump}",
        *args,
        settings["NAME"],
        env=env,
    )
    restored = f"{settings['NAME'].removeprefix('test_')}_backup_{secrets.token_hex(4)}"
    _run("createdb", *args, restored, env=env)
    try:
        _run(
            "pg_restore",
            "--no-owner",
            "--exit-on-error",
            f"--dbname={restored}",
            *args,
            str(dump),
            env=env,
        )
        with (
            psycopg.connect(
                dbname=restored,
                host=settings.get("HOST") or None,
                port=settings.get("PORT") or None,
                user=settings.get("USER") or None,
                password=settings.get("PASSWORD") or None,
            ) as copy,
            copy.cursor() as cursor,
        ):
            assert _counts(cursor) == source_counts
            assert _series(cursor) == source_series
    finally:
        _run("dropdb", "--if-exists", *args, restored, env=env)
