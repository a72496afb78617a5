"""The pure arithmetic of payments: pricing to the penny, durations, and the UK tax year."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from involvement import money


@pytest.mark.parametrize(
    ("day", "start", "end"),
    [
        (datetime.date(2025, 4, 5), datetime.date(2024, 4, 6), datetime.date(2025, 4, 5)),
        (datetime.date(2025, 4, 6), datetime.date(2025, 4, 6), datetime.date(2026, 4, 5)),
        (datetime.date(2025, 1, 1), datetime.date(2024, 4, 6), datetime.date(2025, 4, 5)),
        (datetime.date(2025, 12, 31), datetime.date(2025, 4, 6), datetime.date(2026, 4, 5)),
        (datetime.date(2024, 2, 29), datetime.date(2023, 4, 6), datetime.date(2024, 4, 5)),
    ],
)
def test_the_tax_year_runs_from_6_april_to_5_april(day, start, end):
    assert money.tax_year_of(day) == (start, end)


def test_the_tax_year_label_names_both_years():
    assert money.tax_year_label(datetime.date(2025, 4, 5)) == "2024 to 2025"
    assert money.tax_year_label(datetime.date(2025, 4, 6)) == "2025 to 2026"


@pytest.mark.parametrize(
    ("price", "units", "expected"),
    [
        ("16.50", "1.25", "20.63"),  # 20.625 rounds half up
        ("15.00", "2.5", "37.50"),
        ("16.50", "0.25", "4.13"),  # 4.125
        ("16.50", "-1.25", "-20.63"),  # a reversal rounds the same way, away from zero
        ("50.00", "1", "50.00"),
    ],
)
def test_a_fee_is_rate_times_units_rounded_half_up_to_the_penny(price, units, expected):
    result = money.fee(Decimal(price), Decimal(units))
    assert result == Decimal(expected)
    assert result.as_tuple().exponent == -2


@pytest.mark.parametrize(
    ("hours", "problem"),
    [
        (None, "Enter how many hours."),
        (Decimal("0"), "more than 0 hours"),
        (Decimal("-1"), "more than 0 hours"),
        (Decimal("0.1"), "quarter hours"),
        (Decimal("1.3"), "quarter hours"),
        (Decimal("12.25"), "No more than 12 hours"),
    ],
)
def test_bad_durations_are_named(hours, problem):
    assert problem in money.duration_problem(hours)


@pytest.mark.parametrize("hours", ["0.25", "1.5", "2.75", "12"])
def test_quarter_hours_up_to_twelve_are_fine(hours):
    assert money.duration_problem(Decimal(hours)) is None


def test_pounds_are_written_with_the_sign_before_the_pound():
    assert money.pounds(Decimal("1234.5")) == "£1,234.50"
    assert money.pounds(Decimal("-22.5")) == "-£22.50"
