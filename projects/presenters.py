"""Formatting for project pages: kept out of templates so the rules (what is "stale", what a level
strip shows) are in one tested place."""

from __future__ import annotations

import calendar
import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from projects.models import Level, ProjectStatus

# Words always go with colour (never colour alone): these only pick the NHS tag's colour.
LEVEL_COLOURS = {Level.BIG_I: "green", Level.LITTLE_I: "blue", Level.NONE: "grey"}
STATUS_COLOURS = {
    ProjectStatus.DRAFT: "white",
    ProjectStatus.ACTIVE: "aqua-green",
    ProjectStatus.COMPLETED: "purple",
    ProjectStatus.STOPPED: "orange",
}
# CSS modifier of a level strip cell.
LEVEL_SLUGS = {Level.BIG_I: "big-i", Level.LITTLE_I: "little-i", Level.NONE: "none"}

# Short words for the cells of the level strip.
STRIP_WORDS = {Level.BIG_I: "Big I", Level.LITTLE_I: "little i", Level.NONE: "none"}

STALE_AFTER_MONTHS = 3


def months_before(day: datetime.date, count: int) -> datetime.date:
    """The same day ``count`` months earlier (the 31st becomes the month's last day)."""
    index = day.year * 12 + (day.month - 1) - count
    year, month = index // 12, index % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


@dataclass(frozen=True)
class Progress:
    score: object  # Decimal or None
    date: datetime.date | None
    stale: bool

    @property
    def label(self) -> str:
        if self.score is None:
            return "No progress score yet"
        return f"{float(self.score):.1f} on {self.date:%-d %b %Y}"


def progress_of(project, *, today: datetime.date) -> Progress:
    """The project's latest IHI progress score and whether it is stale: an active project whose
    score (or, without one, whose start) is more than three months old."""
    score = getattr(project, "latest_score", None)
    date = getattr(project, "latest_score_date", None)
    since = date or project.start_date
    stale = (
        project.status == ProjectStatus.ACTIVE
        and since is not None
        and since < months_before(today, STALE_AFTER_MONTHS)
    )
    return Progress(score=score, date=date, stale=stale)


@dataclass(frozen=True)
class StripCell:
    month: datetime.date
    level: Level | None  # None: the project was not active that month

    @property
    def label(self) -> str:
        if self.level is None:
            return "not active"
        return STRIP_WORDS[Level(self.level)]

    @property
    def slug(self) -> str:
        return "inactive" if self.level is None else LEVEL_SLUGS[Level(self.level)]


@dataclass(frozen=True)
class StripYear:
    year: int
    cells: list[StripCell]


MONTH_ABBREVIATIONS = [calendar.month_abbr[number] for number in range(1, 13)]


def level_strip(months: Iterable[tuple[datetime.date, int]]) -> list[StripYear]:
    """A year-by-month table of the project's level for its life, from its ``ProjectMonth``
    rows: each year it was active, twelve cells, each with its level in words."""
    by_month = {month: Level(level) for month, level in months}
    if not by_month:
        return []
    years = range(min(by_month).year, max(by_month).year + 1)
    return [
        StripYear(
            year=year,
            cells=[
                StripCell(
                    month=datetime.date(year, number, 1),
                    level=by_month.get(datetime.date(year, number, 1)),
                )
                for number in range(1, 13)
            ],
        )
        for year in years
    ]
