"""The involvement level of a project, month by month (DESIGN.md), and the derived table of it.

- ``project_levels`` is the one rule: pure, no database.
- ``rebuild_project`` writes a project's rows of ``ProjectMonth`` in the caller's transaction; the
  signal handlers in ``involvement.signals`` call it on every change to a project's dates, status,
  memberships or activities, and bulk writers (imports) defer it with ``deferred_rebuilds``.
- ``ensure_current_month`` extends running projects when a new month starts (on the first read of
  the month, or from ``manage.py rebuild_levels --extend`` on a schedule).
- ``involvement_series`` is the monthly series of a scope: one aggregate over the derived table.
"""

from __future__ import annotations

import contextlib
import contextvars
import datetime
from collections import defaultdict
from collections.abc import Callable, Collection, Iterable, Iterator
from dataclasses import dataclass

from django.db import connection, transaction
from django.db.models import Count, F, Max, Min, Q
from django.utils import timezone

from involvement.models import Activity, LevelsState, ProjectMonth, TeamMembership
from involvement.months import add_months, last_day, month_of, months_between
from projects.bulk import insert_rows
from projects.models import Level, Project, ProjectStatus


def current_month() -> datetime.date:
    return month_of(timezone.localdate())


def project_levels(
    *,
    status: str,
    start_date: datetime.date,
    end_date: datetime.date | None,
    memberships: Iterable[tuple[datetime.date, datetime.date | None]],
    activity_dates: Iterable[datetime.date],
    through: datetime.date,
) -> dict[datetime.date, Level]:
    """The project's level in each month it was active, up to the month ``through``.

    Active in month m: not a draft, started on or before the last day of m, and no end date or
    ended on or after the first day of m. Big I in m: an SU team membership overlaps m. Otherwise
    little i: a little-i activity took place in m or in the two months before it. Otherwise none.
    """
    if status == ProjectStatus.DRAFT:
        return {}
    first = month_of(start_date)
    last = month_of(through)
    if end_date is not None:
        last = min(last, month_of(end_date))
    if first > last:
        return {}

    big_i_months: set[datetime.date] = set()
    for member_start, member_end in memberships:
        # Overlap with m: start ≤ last day of m and (no end or end ≥ first day of m).
        span_last = last if member_end is None else min(last, month_of(member_end))
        big_i_months.update(months_between(max(first, month_of(member_start)), span_last))
    activity_months = {month_of(day) for day in activity_dates}

    levels = {}
    for month in months_between(first, last):
        if month in big_i_months:
            levels[month] = Level.BIG_I
        elif activity_months.intersection((month, add_months(month, -1), add_months(month, -2))):
            levels[month] = Level.LITTLE_I
        else:
            levels[month] = Level.NONE
    return levels


# --- the derived table ---------------------------------------------------------------------------

_deferred: contextvars.ContextVar[set[int] | None] = contextvars.ContextVar(
    "deferred_level_rebuilds", default=None
)


@contextlib.contextmanager
def deferred_rebuilds(*, progress: Callable[[int, int], None] | None = None) -> Iterator[set[int]]:
    """Collect the projects that changed and rebuild each once at the end (for bulk writes).
    ``progress(done, total)`` hears how far the rebuild is (an import's progress page)."""
    pending: set[int] = set()
    token = _deferred.set(pending)
    try:
        yield pending
    finally:
        _deferred.reset(token)
    rebuild_projects(pending, progress=progress)


def project_changed(project_id: int) -> None:
    """Called by the signal handlers: rebuild now, or later when rebuilds are deferred."""
    pending = _deferred.get()
    if pending is not None:
        pending.add(project_id)
    else:
        rebuild_projects([project_id])


def projects_changed(project_ids: Iterable[int]) -> None:
    """For bulk writes, which send no signals: the same as ``project_changed`` for each."""
    pending = _deferred.get()
    if pending is not None:
        pending.update(project_ids)
    else:
        rebuild_projects(list(project_ids))


def _bump_version(built_through: datetime.date | None = None) -> None:
    state, _ = LevelsState.objects.get_or_create(pk=1)
    changes = {"version": F("version") + 1}
    if built_through is not None:
        changes["built_through"] = built_through
    LevelsState.objects.filter(pk=state.pk).update(**changes)


# Projects rebuilt per round of queries: keeps each IN list well under the databases' parameter
# limits (SQLite's included) whatever the number of projects an import touched.
REBUILD_CHUNK = 1000


def rebuild_projects(
    project_ids: Collection[int],
    *,
    through: datetime.date | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> int:
    """Rebuild the derived rows of these projects in one transaction; returns rows written."""
    if not project_ids:
        return 0
    through = through or current_month()
    ids = sorted(set(project_ids))
    written = 0
    with transaction.atomic():
        for index in range(0, len(ids), REBUILD_CHUNK):
            written += _rebuild_chunk(ids[index : index + REBUILD_CHUNK], through)
            if progress is not None:
                progress(min(index + REBUILD_CHUNK, len(ids)), len(ids))
        _bump_version()
    return written


def _rebuild_chunk(ids: list[int], through: datetime.date) -> int:
    # Lock the projects (in id order, so two writers cannot deadlock) before reading their
    # memberships: a concurrent writer waits and then sees this one's rows.
    projects = {
        p.pk: p
        for p in Project.objects.select_for_update()
        .filter(pk__in=ids)
        .only("pk", "status", "start_date", "end_date", "directorate_id")
        .order_by("pk")
    }
    memberships: dict[int, list] = {pk: [] for pk in projects}
    for project_id, start, end in TeamMembership.objects.filter(project_id__in=ids).values_list(
        "project_id", "start_date", "end_date"
    ):
        memberships[project_id].append((start, end))
    activity_dates: dict[int, list] = {pk: [] for pk in projects}
    for project_id, day in Activity.objects.filter(project_id__in=ids).values_list(
        "project_id", "date"
    ):
        activity_dates[project_id].append(day)

    ProjectMonth.objects.filter(project_id__in=ids).delete()
    adapt = connection.ops.adapt_datefield_value
    rows: list[tuple] = []
    # Projects by their (current, overall) level: one UPDATE per pair (at most nine) rather than
    # one per project.
    by_levels: dict[tuple[int, int], list[int]] = defaultdict(list)
    for pk, project in projects.items():
        levels = project_levels(
            status=project.status,
            start_date=project.start_date,
            end_date=project.end_date,
            memberships=memberships[pk],
            activity_dates=activity_dates[pk],
            through=through,
        )
        directorate_id = project.directorate_id
        rows.extend((pk, directorate_id, adapt(day), int(level)) for day, level in levels.items())
        current = levels[max(levels)] if levels else Level.NONE
        overall = max(levels.values(), default=Level.NONE)
        by_levels[(current, overall)].append(pk)
    for (current, overall), pks in by_levels.items():
        Project.objects.filter(pk__in=pks).update(
            current_level=current,
            overall_level=overall,
            page_version=F("page_version") + 1,
        )
    # Plain inserts (projects.bulk): a whole trust's rebuild writes a quarter of a million rows.
    insert_rows(ProjectMonth, ["project_id", "directorate_id", "month", "level"], rows)
    return len(rows)


def rebuild_all(*, through: datetime.date | None = None, chunk: int = 500) -> int:
    """Rebuild the whole derived table (``manage.py rebuild_levels``)."""
    through = through or current_month()
    written = 0
    with transaction.atomic():
        ids = list(Project.objects.order_by("pk").values_list("pk", flat=True))
        for index in range(0, len(ids), chunk):
            written += rebuild_projects(ids[index : index + chunk], through=through)
        _bump_version(built_through=through)
    return written


_checked_month: datetime.date | None = None


def ensure_current_month(*, today: datetime.date | None = None) -> int:
    """Extend running projects into the current month the first time it is read.

    Returns how many projects were rebuilt (0 when the table was already current).
    """
    global _checked_month
    month = month_of(today) if today else current_month()
    if _checked_month == month:
        return 0
    with transaction.atomic():
        state, _ = LevelsState.objects.select_for_update().get_or_create(pk=1)
        if state.built_through is not None and state.built_through >= month:
            _checked_month = month
            return 0
        since = state.built_through or month
        running = list(
            Project.objects.exclude(status=ProjectStatus.DRAFT)
            .filter(start_date__lte=last_day(month))
            .filter(Q(end_date__isnull=True) | Q(end_date__gte=since))
            .values_list("pk", flat=True)
        )
        rebuild_projects(running, through=month)
        LevelsState.objects.filter(pk=state.pk).update(built_through=month)
    _checked_month = month
    return len(running)


def reset_month_check() -> None:
    """Forget that this process checked the current month (tests that move the clock use it)."""
    global _checked_month
    _checked_month = None


# --- the monthly series --------------------------------------------------------------------------


@dataclass(frozen=True)
class SeriesRow:
    month: datetime.date
    active: int
    big_i: int
    any_involvement: int  # Big I or little i


def involvement_series(
    *,
    directorate_ids: Collection[int] | None = None,
    start: datetime.date | None = None,
    end: datetime.date | None = None,
) -> list[SeriesRow]:
    """Per month: projects active, with Big I, with Big I or little i — one aggregate over the
    derived table. Months with no active project are included with zeros. Without a range, from
    the first to the last month with an active project in the scope."""
    ensure_current_month()
    scoped = ProjectMonth.objects.all()
    if directorate_ids is not None:
        scoped = scoped.filter(directorate_id__in=list(directorate_ids))
    if start is None or end is None:
        bounds = scoped.aggregate(first=Min("month"), last=Max("month"))
        if bounds["first"] is None:
            return []
        start = start or bounds["first"]
        end = end or bounds["last"]
    start, end = month_of(start), month_of(end)
    if start > end:
        return []
    counted = {
        row["month"]: row
        for row in scoped.filter(month__gte=start, month__lte=end)
        .values("month")
        .annotate(
            active=Count("pk"),
            big_i=Count("pk", filter=Q(level=Level.BIG_I)),
            any_involvement=Count("pk", filter=Q(level__gte=Level.LITTLE_I)),
        )
        .order_by("month")
    }
    series = []
    for month in months_between(start, end):
        row = counted.get(month)
        series.append(
            SeriesRow(
                month=month,
                active=row["active"] if row else 0,
                big_i=row["big_i"] if row else 0,
                any_involvement=row["any_involvement"] if row else 0,
            )
        )
    return series
