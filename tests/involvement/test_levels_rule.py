"""The monthly involvement rule (DESIGN.md) at its edges: pure function, no database."""

from __future__ import annotations

from datetime import date

from involvement.levels import project_levels
from projects.models import Level

BIG, LITTLE, NONE = Level.BIG_I, Level.LITTLE_I, Level.NONE


def levels(
    start, end=None, memberships=(), activities=(), status="active", through=date(2024, 12, 1)
):
    return project_levels(
        status=status,
        start_date=start,
        end_date=end,
        memberships=memberships,
        activity_dates=activities,
        through=through,
    )


def test_draft_project_is_never_active():
    assert levels(date(2024, 1, 1), memberships=[(date(2024, 1, 1), None)], status="draft") == {}


def test_project_starting_on_the_last_day_of_a_month_is_active_that_month():
    result = levels(date(2024, 3, 31), end=date(2024, 4, 30))
    assert list(result) == [date(2024, 3, 1), date(2024, 4, 1)]


def test_project_ending_on_the_first_day_of_a_month_is_active_that_month():
    result = levels(date(2024, 1, 10), end=date(2024, 3, 1))
    assert list(result) == [date(2024, 1, 1), date(2024, 2, 1), date(2024, 3, 1)]


def test_project_ending_mid_month_is_active_in_its_last_month_and_not_after():
    result = levels(date(2024, 1, 10), end=date(2024, 2, 14))
    assert list(result) == [date(2024, 1, 1), date(2024, 2, 1)]


def test_open_ended_project_runs_to_the_month_given_and_no_further():
    result = levels(date(2024, 10, 2), through=date(2024, 12, 1))
    assert list(result) == [date(2024, 10, 1), date(2024, 11, 1), date(2024, 12, 1)]


def test_project_starting_after_the_current_month_has_no_months():
    assert levels(date(2025, 1, 1), through=date(2024, 12, 1)) == {}


def test_membership_starting_on_the_last_day_of_a_month_gives_big_i_that_month():
    result = levels(
        date(2024, 1, 1), end=date(2024, 4, 30), memberships=[(date(2024, 2, 29), None)]
    )
    assert result == {
        date(2024, 1, 1): NONE,
        date(2024, 2, 1): BIG,
        date(2024, 3, 1): BIG,
        date(2024, 4, 1): BIG,
    }


def test_membership_ending_on_the_first_day_of_a_month_gives_big_i_that_month_only():
    result = levels(
        date(2024, 1, 1), end=date(2024, 4, 30), memberships=[(date(2024, 1, 5), date(2024, 3, 1))]
    )
    assert result == {
        date(2024, 1, 1): BIG,
        date(2024, 2, 1): BIG,
        date(2024, 3, 1): BIG,
        date(2024, 4, 1): NONE,
    }


def test_open_ended_membership_runs_with_the_project():
    result = levels(
        date(2024, 1, 1), memberships=[(date(2024, 6, 1), None)], through=date(2024, 8, 1)
    )
    assert [result[date(2024, m, 1)] for m in range(5, 9)] == [NONE, BIG, BIG, BIG]


def test_activity_counts_for_its_month_and_the_two_after_but_not_three():
    result = levels(date(2024, 1, 1), end=date(2024, 6, 30), activities=[date(2024, 2, 29)])
    assert result == {
        date(2024, 1, 1): NONE,
        date(2024, 2, 1): LITTLE,
        date(2024, 3, 1): LITTLE,  # one month back
        date(2024, 4, 1): LITTLE,  # two months back
        date(2024, 5, 1): NONE,  # three months back: no longer counts
        date(2024, 6, 1): NONE,
    }


def test_activity_before_the_project_started_still_counts_for_early_months():
    # The rule looks back two months, even across the project's start.
    result = levels(date(2024, 3, 1), end=date(2024, 5, 31), activities=[date(2024, 1, 20)])
    assert result == {date(2024, 3, 1): LITTLE, date(2024, 4, 1): NONE, date(2024, 5, 1): NONE}


def test_big_i_wins_over_little_i_in_the_same_month():
    result = levels(
        date(2024, 1, 1),
        end=date(2024, 1, 31),
        memberships=[(date(2024, 1, 20), None)],
        activities=[date(2024, 1, 3)],
    )
    assert result == {date(2024, 1, 1): BIG}


def test_completed_and_stopped_projects_are_active_until_they_end():
    for status in ("completed", "stopped"):
        result = levels(date(2024, 1, 1), end=date(2024, 2, 10), status=status)
        assert list(result) == [date(2024, 1, 1), date(2024, 2, 1)]


def test_project_crossing_a_year_boundary():
    result = levels(date(2023, 11, 15), end=date(2024, 2, 1), activities=[date(2023, 12, 1)])
    assert result == {
        date(2023, 11, 1): NONE,
        date(2023, 12, 1): LITTLE,
        date(2024, 1, 1): LITTLE,
        date(2024, 2, 1): LITTLE,
    }
