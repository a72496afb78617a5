"""Reads for the chart pages: scopes, the cached monthly series, saved notes, flags, aim counts.

Every series comes from the derived table ``ProjectMonth`` in one aggregate query and is cached
under a key that holds ``LevelsState.version``: every rebuild of the derived table bumps the
version, so a cached series is never read after the records behind it changed.
"""

from __future__ import annotations

import datetime
from collections.abc import Collection
from dataclasses import dataclass
from decimal import Decimal

from django.core.cache import cache
from django.db.models import Count, F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce

from charts.models import ChartAnnotation, ChartPhase
from involvement.levels import current_month, ensure_current_month, involvement_series
from involvement.models import LevelsState, ProjectMonth
from involvement.months import add_months, months_between
from projects.ids import id_from
from projects.models import Directorate, Forum, ForumMeeting, Level, ProgressScore, Project

SERIES_TIMEOUT = 24 * 60 * 60  # seconds; the version in the key is what keeps the cache right


# --- measures and scopes -------------------------------------------------------------------------


@dataclass(frozen=True)
class Measure:
    key: str
    label: str  # "Big I"
    numerator_label: str  # column heading: projects "with Big I"
    description: str  # for the form


MEASURES = {
    "big_i": Measure(
        "big_i",
        "Big I",
        "With Big I",
        "Big I: service users or carers on the project team",
    ),
    "any": Measure(
        "any",
        "Big I or little i",
        "With any involvement",
        "Big I or little i: any involvement of service users or carers",
    ),
}


@dataclass(frozen=True)
class Scope:
    """What a chart covers: the whole trust, one directorate, or a forum's directorates."""

    value: str  # the form value: "trust", "directorate-<id>" or "forum-<id>"
    label: str  # in words, for headings
    directorate_ids: tuple[int, ...] | None  # None: the whole trust

    @property
    def cache_key(self) -> str:
        # A forum is keyed by its directorates, not its id: changing a forum's directorates does
        # not bump the levels version, and must not serve the old series.
        if self.directorate_ids is None:
            return "trust"
        return "d" + ",".join(str(pk) for pk in sorted(self.directorate_ids))

    @property
    def single_directorate_id(self) -> int | None:
        ids = self.directorate_ids
        return ids[0] if ids is not None and len(ids) == 1 else None


TRUST = Scope("trust", "Whole trust", None)


# The scopes change only when an admin adds or renames a directorate or forum: charts.signals
# drops the cached catalogue then. With a memory cache per worker (no CACHE_URL) another worker
# may list the old scopes for up to this long.
CATALOGUE_KEY = "charts:scope-catalogue"
CATALOGUE_TIMEOUT = 60  # seconds


class ScopeCatalogue:
    """Every scope a chart can have: directorates, and forums with theirs (cached, see above)."""

    def __init__(self) -> None:
        cached = cache.get(CATALOGUE_KEY)
        if cached is None:
            directorates = list(Directorate.objects.order_by("name").only("pk", "name"))
            forums = list(
                Forum.objects.order_by("name").prefetch_related(
                    # Only ids and names: a forum's chair is a person and has no place here.
                    "directorates"
                )
            )
            cached = (directorates, forums)
            cache.set(CATALOGUE_KEY, cached, CATALOGUE_TIMEOUT)
        self.directorates, self.forums = cached

    def directorate_scope(self, directorate: Directorate) -> Scope:
        return Scope(f"directorate-{directorate.pk}", directorate.name, (directorate.pk,))

    def forum_scope(self, forum: Forum) -> Scope:
        ids = tuple(sorted(d.pk for d in forum.directorates.all()))
        return Scope(f"forum-{forum.pk}", forum.name, ids)

    def choices(self) -> list:
        """Grouped choices for a select: the trust, then directorates, then forums."""
        return [
            ("trust", "Whole trust"),
            (
                "Directorates",
                [(f"directorate-{d.pk}", d.name) for d in self.directorates],
            ),
            (
                "QI forums (their directorates)",
                [(f"forum-{f.pk}", f.name) for f in self.forums],
            ),
        ]

    def resolve(self, value: str) -> Scope | None:
        if value == "trust":
            return TRUST
        kind, _, text = value.partition("-")
        pk = id_from(text)
        if pk is None:
            return None
        if kind == "directorate":
            found = next((d for d in self.directorates if d.pk == pk), None)
            return self.directorate_scope(found) if found else None
        if kind == "forum":
            found = next((f for f in self.forums if f.pk == pk), None)
            return self.forum_scope(found) if found else None
        return None


def forum_scope(forum: Forum) -> Scope:
    return Scope(
        f"forum-{forum.pk}",
        forum.name,
        tuple(sorted(forum.directorates.values_list("pk", flat=True))),
    )


# --- the series ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class MeasureRow:
    month: datetime.date
    numerator: int
    denominator: int


def series_version() -> int:
    """The derived table's version, after extending it into the current month if it starts now."""
    ensure_current_month()
    version = LevelsState.objects.values_list("version", flat=True).first()
    return version or 0


def _month_key(month: datetime.date | None) -> str:
    return f"{month:%Y-%m}" if month else "-"


def _numerator(row, measure: str) -> int:
    return row.big_i if measure == "big_i" else row.any_involvement


def chart_series(
    *,
    scope: Scope,
    measure: str,
    start: datetime.date | None = None,
    end: datetime.date | None = None,
) -> list[MeasureRow]:
    """The monthly (numerator, denominator) rows of one chart, cached until the next rebuild."""
    key = (
        f"charts:series:v{series_version()}:{scope.cache_key}:{measure}:"
        f"{_month_key(start)}:{_month_key(end)}"
    )
    rows = cache.get(key)
    if rows is None:
        rows = [
            MeasureRow(row.month, _numerator(row, measure), row.active)
            for row in involvement_series(
                directorate_ids=scope.directorate_ids, start=start, end=end
            )
        ]
        cache.set(key, rows, SERIES_TIMEOUT)
    return rows


def directorate_series(
    *,
    measure: str,
    start: datetime.date | None = None,
    end: datetime.date | None = None,
) -> dict[int, list[MeasureRow]]:
    """Every directorate's monthly rows over one range, in one aggregate (cached like above).

    Without a range, the trust's first to last month, so the small multiples share one x axis.
    Directorates with no project in the range get a row of zeros per month.
    """
    key = f"charts:directorates:v{series_version()}:{measure}:{_month_key(start)}:{_month_key(end)}"
    cached = cache.get(key)
    if cached is not None:
        return cached
    if start is None or end is None:
        trust = chart_series(scope=TRUST, measure=measure, start=start, end=end)
        if not trust:
            cache.set(key, {}, SERIES_TIMEOUT)
            return {}
        start, end = trust[0].month, trust[-1].month
    level_filter = Q(level=Level.BIG_I) if measure == "big_i" else Q(level__gte=Level.LITTLE_I)
    counted: dict[tuple[int, datetime.date], tuple[int, int]] = {
        (row["directorate_id"], row["month"]): (row["numerator"], row["denominator"])
        for row in ProjectMonth.objects.filter(month__gte=start, month__lte=end)
        .values("directorate_id", "month")
        .annotate(numerator=Count("pk", filter=level_filter), denominator=Count("pk"))
        .order_by()
    }
    months = list(months_between(start, end))
    result = {}
    for directorate_id in Directorate.objects.values_list("pk", flat=True):
        result[directorate_id] = [
            MeasureRow(month, *counted.get((directorate_id, month), (0, 0))) for month in months
        ]
    cache.set(key, result, SERIES_TIMEOUT)
    return result


# --- saved notes ---------------------------------------------------------------------------------


def annotations_for(scope: Scope) -> list[ChartAnnotation]:
    notes = ChartAnnotation.objects.for_scope(scope.directorate_ids)
    return list(notes.select_related("directorate"))


def phases_for(scope: Scope) -> list[ChartPhase]:
    return list(ChartPhase.objects.for_scope(scope.directorate_ids).select_related("directorate"))


# --- flags for the admin home --------------------------------------------------------------------


def projects_without_involvement(*, month: datetime.date | None = None):
    """Active projects whose level this month is none (DESIGN: the admin's flags)."""
    ensure_current_month()
    month = month or current_month()
    return Project.objects.filter(months__month=month, months__level=Level.NONE)


@dataclass(frozen=True)
class QuarterChange:
    directorate: Directorate
    now_percent: float | None
    before_percent: float | None
    months: str  # e.g. "January to March 2025"

    @property
    def fell(self) -> bool:
        return (
            self.now_percent is not None
            and self.before_percent is not None
            and self.now_percent < self.before_percent
        )


def quarter_months(today_month: datetime.date) -> list[datetime.date]:
    """The months of the current quarter so far (its first month to this one)."""
    first = today_month.replace(month=(today_month.month - 1) // 3 * 3 + 1)
    return list(months_between(first, today_month))


def big_i_by_quarter(*, today_month: datetime.date | None = None) -> list[QuarterChange]:
    """Each directorate's share of project-months with Big I this quarter so far, and in the same
    months a year before, in one aggregate over the derived table."""
    ensure_current_month()
    today_month = today_month or current_month()
    now = quarter_months(today_month)
    before = [add_months(month, -12) for month in now]
    rows = {
        row["directorate_id"]: row
        for row in ProjectMonth.objects.filter(month__in=[*now, *before])
        .values("directorate_id")
        .annotate(
            now_n=Count("pk", filter=Q(month__in=now)),
            now_x=Count("pk", filter=Q(month__in=now, level=Level.BIG_I)),
            before_n=Count("pk", filter=Q(month__in=before)),
            before_x=Count("pk", filter=Q(month__in=before, level=Level.BIG_I)),
        )
        .order_by()
    }
    span = f"{now[0]:%B} to {now[-1]:%B %Y}" if len(now) > 1 else f"{now[0]:%B %Y}"

    def percent(x: int, n: int) -> float | None:
        return 100 * x / n if n else None

    changes = []
    for directorate in Directorate.objects.order_by("name"):
        row = rows.get(directorate.pk)
        changes.append(
            QuarterChange(
                directorate=directorate,
                now_percent=percent(row["now_x"], row["now_n"]) if row else None,
                before_percent=percent(row["before_x"], row["before_n"]) if row else None,
                months=span,
            )
        )
    return changes


# --- forums (the chair's home) -------------------------------------------------------------------


def forum_projects(forum: Forum):
    """The forum's active projects, titles and levels only (a chair sees no personal data)."""
    return (
        Project.objects.filter(directorate__in=forum.directorates.all(), status="active")
        .select_related("directorate")
        .only("pk", "title", "current_level", "overall_level", "directorate__name")
        .order_by("title", "pk")
    )


def forum_level_counts(forum: Forum) -> dict[int, int]:
    counts = (
        Project.objects.filter(directorate__in=forum.directorates.all(), status="active")
        .values("current_level")
        .annotate(count=Count("pk"))
        .order_by()
    )
    found = {row["current_level"]: row["count"] for row in counts}
    return {level: found.get(level, 0) for level in (Level.BIG_I, Level.LITTLE_I, Level.NONE)}


def forum_meetings(forum: Forum, *, today: datetime.date, recent: int = 6, upcoming: int = 6):
    meetings = ForumMeeting.objects.filter(forum=forum).only(
        "pk", "date", "status", "cancellation_announced_on", "forum_id"
    )
    return (
        list(meetings.filter(date__gte=today).order_by("date")[:upcoming]),
        list(meetings.filter(date__lt=today).order_by("-date")[:recent]),
    )


# --- aim analysis --------------------------------------------------------------------------------

SUCCESS_AIM = "aim"
SUCCESS_PROGRESS = "progress"
PROGRESS_THRESHOLD = Decimal("4.0")


@dataclass(frozen=True)
class LevelCount:
    level: int
    total: int
    reached: int


@dataclass(frozen=True)
class AimCounts:
    success: str
    by_level: dict[int, LevelCount]  # NONE, LITTLE_I, BIG_I
    left_out: int  # ended with an outcome but no progress score (progress success only)


def aim_counts(
    *,
    success: str = SUCCESS_AIM,
    directorate_ids: Collection[int] | None = None,
    ended_from: datetime.date | None = None,
    ended_to: datetime.date | None = None,
) -> AimCounts:
    """Ended projects with an outcome recorded, by overall level: how many, and how many
    succeeded — by database aggregates, never a loop over projects.

    Success is "aim reached", or (``progress``) a final IHI progress score — the project's latest
    — of 4.0 or more; then projects with no score are left out and counted in ``left_out``.
    ``ended_from`` / ``ended_to`` keep the projects whose end date lies between them (the
    involvement report's period); the page and the command count every ended project.
    """
    if success not in (SUCCESS_AIM, SUCCESS_PROGRESS):
        raise ValueError(f"success must be {SUCCESS_AIM!r} or {SUCCESS_PROGRESS!r}")
    ended = Project.objects.ended_with_outcome()
    if directorate_ids is not None:
        ended = ended.filter(directorate_id__in=list(directorate_ids))
    if ended_from is not None:
        ended = ended.filter(end_date__gte=ended_from)
    if ended_to is not None:
        ended = ended.filter(end_date__lte=ended_to)
    left_out = 0
    if success == SUCCESS_AIM:
        reached = Q(aim_reached="yes")
    else:
        latest = (
            ProgressScore.objects.filter(project=OuterRef("pk"))
            .order_by("-date", "-pk")
            .values("score")[:1]
        )
        ended = ended.annotate(final_score=Subquery(latest))
        left_out = ended.filter(final_score__isnull=True).count()
        ended = ended.filter(final_score__isnull=False)
        reached = Q(final_score__gte=PROGRESS_THRESHOLD)
    rows = (
        ended.values(level=F("overall_level"))
        .annotate(total=Count("pk"), reached=Coalesce(Count("pk", filter=reached), 0))
        .order_by()
    )
    found = {row["level"]: row for row in rows}
    by_level = {
        level: LevelCount(
            level=level,
            total=found[level]["total"] if level in found else 0,
            reached=found[level]["reached"] if level in found else 0,
        )
        for level in (Level.NONE, Level.LITTLE_I, Level.BIG_I)
    }
    return AimCounts(success=success, by_level=by_level, left_out=left_out)


def directorate_by_name(name: str) -> Directorate | None:
    """A directorate by name or slug, ignoring case (for the commands)."""
    text = name.strip()
    return Directorate.objects.filter(Q(name__iexact=text) | Q(slug__iexact=text)).first()
