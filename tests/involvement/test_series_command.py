"""``manage.py involvement_series``: the monthly CSV the p-chart command reads."""

from __future__ import annotations

import datetime
import io

import pytest
import time_machine
from django.core.management import CommandError, call_command

from involvement import levels
from tests.factories import ActivityFactory, MembershipFactory, ProjectFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_month_check():
    levels.reset_month_check()
    yield
    levels.reset_month_check()


def series(*args) -> list[str]:
    out = io.StringIO()
    call_command("involvement_series", *args, stdout=out)
    return out.getvalue().splitlines()


@pytest.fixture
def history(directorate, other_directorate):
    # Newham: active Jan–Apr 2024 with Big I from March; an activity in Jan on another.
    big = ProjectFactory(
        directorate=directorate,
        start_date=datetime.date(2024, 1, 10),
        end_date=datetime.date(2024, 4, 20),
        status="completed",
    )
    MembershipFactory(project=big, start_date=datetime.date(2024, 3, 1))
    little = ProjectFactory(
        directorate=directorate,
        start_date=datetime.date(2024, 1, 5),
        end_date=datetime.date(2024, 2, 28),
        status="completed",
    )
    ActivityFactory(project=little, date=datetime.date(2024, 1, 20))
    # Forensic: active June 2024 only, after a gap in May.
    ProjectFactory(
        directorate=other_directorate,
        start_date=datetime.date(2024, 6, 1),
        end_date=datetime.date(2024, 6, 30),
        status="stopped",
    )


@time_machine.travel(datetime.date(2024, 8, 15))
def test_default_range_is_first_to_last_month_with_an_active_project(history):
    assert series() == [
        "month,numerator,denominator",
        "2024-01,0,2",
        "2024-02,0,2",
        "2024-03,1,1",
        "2024-04,1,1",
        "2024-05,0,0",
        "2024-06,0,1",
    ]


@time_machine.travel(datetime.date(2024, 8, 15))
def test_measure_any_counts_big_i_or_little_i(history):
    assert series("--measure", "any", "--to", "2024-02") == [
        "month,numerator,denominator",
        "2024-01,1,2",
        "2024-02,1,2",
    ]


@time_machine.travel(datetime.date(2024, 8, 15))
def test_one_directorate_and_an_explicit_range_including_empty_months(history):
    assert series("--directorate", "forensic services", "--from", "2024-05", "--to", "2024-08") == [
        "month,numerator,denominator",
        "2024-05,0,0",
        "2024-06,0,1",
        "2024-07,0,0",
        "2024-08,0,0",
    ]


@time_machine.travel(datetime.date(2024, 8, 15))
def test_no_projects_prints_only_the_header(db):
    assert series() == ["month,numerator,denominator"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--from", "2024-13"], "'2024-13' is not a month"),
        (["--to", "March"], "'March' is not a month"),
        (["--from", "2024-05", "--to", "2024-01"], "--from 2024-05 is after --to 2024-01."),
        (["--directorate", "Narnia"], "No directorate is called “Narnia”."),
    ],
)
def test_bad_arguments_are_a_one_line_error_with_exit_code_2(db, args, message):
    with pytest.raises(CommandError) as raised:
        series(*args)
    assert raised.value.returncode == 2
    assert message in str(raised.value)
    assert "\n" not in str(raised.value)
