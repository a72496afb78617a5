"""The arithmetic of payments, with no Django in it: pricing a claim, checking a duration, and the
UK tax year (6 April to 5 April) that people on benefits watch their payments by.

Money is ``Decimal`` throughout, rounded to the penny with ROUND_HALF_UP (the way people round by
hand: £37.125 is £37.13), never a float.
"""

from __future__ import annotations

import datetime
from decimal import ROUND_HALF_UP, Decimal

PENNY = Decimal("0.01")
QUARTER = Decimal("0.25")
# The most time one person may claim for on one day, across all their claims.
MAX_HOURS_A_DAY = Decimal("12")
# A half day is up to 4 hours; a full day is more (NHS England's involvement payment policy draws
# the line there too).
HALF_DAY_HOURS = Decimal("4")


def to_pennies(value: Decimal) -> Decimal:
    """``value`` rounded to two places, halves away from zero (so -0.125 → -0.13)."""
    return Decimal(value).quantize(PENNY, rounding=ROUND_HALF_UP)


def fee(unit_price: Decimal, units: Decimal) -> Decimal:
    """What the time is worth: the rate times the units, to the penny."""
    return to_pennies(Decimal(unit_price) * Decimal(units))


def is_quarter_hours(hours: Decimal) -> bool:
    """True for 0.25, 0.5, 1.75 …; false for 0.1 or 1.3."""
    return (Decimal(hours) / QUARTER) % 1 == 0


def duration_problem(hours: Decimal | None) -> str | None:
    """Why ``hours`` is not a duration one can claim for, in words, or None when it is fine."""
    if hours is None:
        return "Enter how many hours."
    hours = Decimal(hours)
    if hours <= 0:
        return "The time must be more than 0 hours."
    if not is_quarter_hours(hours):
        return "Enter the time in quarter hours, for example 1.25 for 1 hour 15 minutes."
    if hours > MAX_HOURS_A_DAY:
        return f"No more than {MAX_HOURS_A_DAY} hours can be claimed for one day."
    return None


def tax_year_of(day: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The first and last day of the UK tax year ``day`` falls in: 6 April to 5 April.

    5 April 2025 is in 2024–25 (6 April 2024 to 5 April 2025); 6 April 2025 starts 2025–26.
    """
    starts_this_year = datetime.date(day.year, 4, 6)
    first_year = day.year if day >= starts_this_year else day.year - 1
    return datetime.date(first_year, 4, 6), datetime.date(first_year + 1, 4, 5)


def tax_year_label(day: datetime.date) -> str:
    """For example "2025 to 2026" for any day from 6 April 2025 to 5 April 2026."""
    start, end = tax_year_of(day)
    return f"{start.year} to {end.year}"


def pounds(value: Decimal) -> str:
    """£1,234.50, or -£12.00 for a reversal."""
    value = to_pennies(value)
    sign = "-" if value < 0 else ""
    return f"{sign}£{abs(value):,.2f}"
