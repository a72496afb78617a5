"""The derived table: rebuilt with every change, extended when a month starts, read in one query."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from involvement import levels
from involvement.models import ProjectMonth
from projects.models import Level
from tests.factories import (
    ActivityFactory,
    DirectorateFactory,
    MembershipFactory,
    ProjectFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_month_check():
    levels.reset_month_check()
    yield
    levels.reset_month_check()


def months(project) -> dict[date, int]:
    return dict(ProjectMonth.objects.filter(project=project).values_list("month", "level"))


@time_machine.travel(date(2024, 4, 10))
def test_adding_a_membership_rebuilds_the_project_in_the_same_transaction():
    project = ProjectFactory(start_date=date(2024, 1, 15))
    assert set(months(project).values()) == {Level.NONE}
    MembershipFactory(project=project, start_date=date(2024, 3, 2))
    assert months(project) == {
        date(2024, 1, 1): Level.NONE,
        date(2024, 2, 1): Level.NONE,
        date(2024, 3, 1): Level.BIG_I,
        date(2024, 4, 1): Level.BIG_I,
    }
    project.refresh_from_db()
    assert project.current_level == Level.BIG_I
    assert project.overall_level == Level.BIG_I


@time_machine.travel(date(2024, 4, 10))
def test_deleting_an_activity_and_changing_status_rebuild_too():
    project = ProjectFactory(start_date=date(2024, 1, 15))
    activity = ActivityFactory(project=project, date=date(2024, 4, 1))
    assert months(project)[date(2024, 4, 1)] == Level.LITTLE_I
    activity.delete()
    assert months(project)[date(2024, 4, 1)] == Level.NONE
    project.status = "draft"
    project.save()
    assert months(project) == {}


@time_machine.travel(date(2024, 4, 10))
def test_a_failed_transaction_leaves_the_table_as_it_was():
    from django.db import transaction

    project = ProjectFactory(start_date=date(2024, 1, 15))
    before = months(project)
    with pytest.raises(RuntimeError), transaction.atomic():
        MembershipFactory(project=project, start_date=date(2024, 2, 1))
        raise RuntimeError("simulated failure after the write")
    assert months(project) == before


def test_a_new_month_extends_open_ended_projects_on_first_read():
    with time_machine.travel(date(2024, 3, 31)):
        running = ProjectFactory(start_date=date(2024, 1, 15))
        MembershipFactory(project=running, start_date=date(2024, 1, 15))
        ended = ProjectFactory(
            start_date=date(2024, 1, 1), end_date=date(2024, 2, 5), status="completed"
        )
        levels.ensure_current_month()
        assert max(months(running)) == date(2024, 3, 1)
    with time_machine.travel(date(2024, 4, 1)):
        series = levels.involvement_series()
        assert max(months(running)) == date(2024, 4, 1)
        assert months(running)[date(2024, 4, 1)] == Level.BIG_I
        assert max(months(ended)) == date(2024, 2, 1)
        assert series[-1] == levels.SeriesRow(
            date(2024, 4, 1), active=1, big_i=1, any_involvement=1
        )


@time_machine.travel(date(2024, 6, 10))
def test_series_counts_per_month_including_empty_months():
    newham = DirectorateFactory(name="Newham")
    forensic = DirectorateFactory(name="Forensic services")
    a = ProjectFactory(
        directorate=newham,
        start_date=date(2024, 1, 1),
        end_date=date(2024, 2, 28),
        status="completed",
    )
    MembershipFactory(project=a, start_date=date(2024, 2, 1))
    b = ProjectFactory(
        directorate=forensic,
        start_date=date(2024, 1, 1),
        end_date=date(2024, 1, 31),
        status="completed",
    )
    ActivityFactory(project=b, date=date(2024, 1, 10))
    c = ProjectFactory(directorate=newham, start_date=date(2024, 5, 1))

    trust = levels.involvement_series()
    assert [(r.month, r.active, r.big_i, r.any_involvement) for r in trust] == [
        (date(2024, 1, 1), 2, 0, 1),
        (date(2024, 2, 1), 1, 1, 1),
        (date(2024, 3, 1), 0, 0, 0),
        (date(2024, 4, 1), 0, 0, 0),
        (date(2024, 5, 1), 1, 0, 0),
        (date(2024, 6, 1), 1, 0, 0),
    ]
    newham_only = levels.involvement_series(
        directorate_ids=[newham.pk], start=date(2024, 2, 1), end=date(2024, 3, 1)
    )
    assert [(r.active, r.big_i) for r in newham_only] == [(1, 1), (0, 0)]
    assert c.pk


@time_machine.travel(date(2024, 6, 10))
def test_series_is_one_query_whatever_the_number_of_projects():
    for _ in range(3):
        ProjectFactory(start_date=date(2024, 1, 1))
    levels.ensure_current_month()
    with CaptureQueriesContext(connection) as few:
        levels.involvement_series(start=date(2024, 1, 1), end=date(2024, 6, 1))
    for _ in range(30):
        ProjectFactory(start_date=date(2024, 1, 1))
    with CaptureQueriesContext(connection) as many:
        levels.involvement_series(start=date(2024, 1, 1), end=date(2024, 6, 1))
    assert len(few) == len(many) == 1


@time_machine.travel(date(2024, 6, 10))
def test_rebuild_all_reproduces_the_incremental_table():
    for index in range(5):
        project = ProjectFactory(start_date=date(2024, 1, 1 + index))
        if index % 2:
            MembershipFactory(project=project, start_date=date(2024, 3, 1))
        else:
            ActivityFactory(project=project, date=date(2024, 2, 1))
    before = sorted(ProjectMonth.objects.values_list("project_id", "month", "level"))
    ProjectMonth.objects.all().delete()
    levels.rebuild_all()
    assert sorted(ProjectMonth.objects.values_list("project_id", "month", "level")) == before


@time_machine.travel(date(2024, 6, 10))
def test_rebuild_levels_command_rebuilds_everything():
    import io

    from django.core.management import call_command

    project = ProjectFactory(start_date=date(2024, 1, 1))
    ProjectMonth.objects.all().delete()
    out = io.StringIO()
    call_command("rebuild_levels", stdout=out)
    assert "Rebuilt 6 project-month rows" in out.getvalue()
    assert len(months(project)) == 6
