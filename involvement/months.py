"""Month arithmetic. A month is represented by its first day (STYLE.md)."""

from __future__ import annotations

import calendar
import datetime
from collections.abc import Iterator


def month_of(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def add_months(month: datetime.date, count: int) -> datetime.date:
    index = month.year * 12 + (month.month - 1) + count
    return datetime.date(index // 12, index % 12 + 1, 1)


def last_day(month: datetime.date) -> datetime.date:
    return month.replace(day=calendar.monthrange(month.year, month.month)[1])


def months_between(first: datetime.date, last: datetime.date) -> Iterator[datetime.date]:
    """Every month from ``first`` to ``last`` inclusive (both first days of months)."""
    month = month_of(first)
    while month <= last:
        yield month
        month = add_months(month, 1)


def parse_month(text: str) -> datetime.date:
    """'YYYY-MM' → the first day of that month; ValueError with a plain message otherwise."""
    try:
        year, month = text.strip().split("-")
        if len(year) != 4 or len(month) != 2:
            raise ValueError
        return datetime.date(int(year), int(month), 1)
    except ValueError:
        raise ValueError(f"'{text}' is not a month: write it as YYYY-MM, e.g. 2024-03.") from None
