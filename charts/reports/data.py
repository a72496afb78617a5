"""The numbers of the involvement report, read by database aggregates only.

Every figure here is a COUNT or a SUM in the database, grouped by directorate where the table has a
row per directorate: no query loads the projects, memberships or claims it counts, so the report
costs about the same for 150 projects as for 5,000 (the scale benchmark measures it). Lists that
the report prints (projects with no involvement, role descriptions past review) are cut at
``LIST_LIMIT`` rows with the full count beside them.

The report holds no personal data: people are counted, never named, so it can go to a board.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import (
    Count,
    DecimalField,
    Exists,
    IntegerField,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from charts.presenters import month_text, percent_text
from involvement.access import Role
from involvement.levels import ensure_current_month
from involvement.models import Activity, Person, ProjectMonth, RoleDescription, TeamMembership
from involvement.models_payments import Claim, ClaimStatus
from involvement.months import add_months, last_day
from projects.models import Directorate, Forum, ForumMeeting, Level, Project

# Longest list of projects or role descriptions the PDF prints under one flag; the count is
# always the full one. Keeps the report a few pages long at trust scale.
LIST_LIMIT = 25

ZERO = Decimal("0.00")


# --- the period ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    """From the first day of ``start`` to the last day of ``end`` (both months: first days)."""

    start: datetime.date
    end: datetime.date

    @property
    def first_day(self) -> datetime.date:
        return self.start

    @property
    def last_day(self) -> datetime.date:
        return last_day(self.end)

    @property
    def year_before(self) -> datetime.date:
        """The month a year before the period's last month (for "Big I a year before")."""
        return add_months(self.end, -12)

    @property
    def label(self) -> str:
        if self.start == self.end:
            return month_text(self.start)
        return f"{month_text(self.start)} to {month_text(self.end)}"

    @property
    def slug(self) -> str:
        if self.start == self.end:
            return f"{self.start:%Y-%m}"
        return f"{self.start:%Y-%m}-to-{self.end:%Y-%m}"

    def datetimes(self) -> tuple[datetime.datetime, datetime.datetime]:
        """[start, stop) as aware datetimes in the app's time zone, for timestamp columns."""
        start = timezone.make_aware(datetime.datetime.combine(self.first_day, datetime.time.min))
        stop = timezone.make_aware(
            datetime.datetime.combine(self.last_day + datetime.timedelta(days=1), datetime.time.min)
        )
        return start, stop


# --- per directorate -----------------------------------------------------------------------------


@dataclass(frozen=True)
class DirectorateFigures:
    """One row of the directorate table (or the scope's total row)."""

    name: str
    active: int  # projects active in the period's last month
    big_i: int  # … with Big I that month
    any_involvement: int  # … with Big I or little i that month
    active_year_before: int  # projects active in the same month a year before
    big_i_year_before: int
    ppls: int  # People Participation Leads working there now
    people: int  # distinct people involved in the period
    approved: Decimal  # claims for involvement in the period, approved (or since paid)
    paid: Decimal  # … of which paid
    is_total: bool = False

    @property
    def big_i_percent(self) -> str:
        return percent_text(self.big_i / self.active if self.active else None, 0)

    @property
    def big_i_year_before_percent(self) -> str:
        return percent_text(
            self.big_i_year_before / self.active_year_before if self.active_year_before else None,
            0,
        )

    @property
    def any_percent(self) -> str:
        return percent_text(self.any_involvement / self.active if self.active else None, 0)

    @property
    def is_empty(self) -> bool:
        return not (
            self.active or self.active_year_before or self.people or self.approved or self.paid
        )


class SubqueryCount(Subquery):
    """COUNT(*) of a subquery's rows, as a column of the outer query."""

    template = "(SELECT COUNT(*) FROM (%(subquery)s) _counted)"
    output_field = IntegerField()


def people_involved(period: Period, **project_lookups) -> QuerySet[Person]:
    """People with a team membership overlapping the period, or named at a little-i activity held
    in it, on a project matching ``project_lookups`` (keyword lookups on ``Project``, which may
    hold ``OuterRef``s). Each person once, however often they took part."""
    on_project = {f"project__{key}": value for key, value in project_lookups.items()}
    memberships = TeamMembership.objects.filter(person=OuterRef("pk"), **on_project).overlapping(
        period.first_day, period.last_day
    )
    activities = Activity.objects.filter(
        people=OuterRef("pk"),
        date__gte=period.first_day,
        date__lte=period.last_day,
        **on_project,
    )
    return Person.objects.filter(Exists(memberships) | Exists(activities))


def _ppl_links():
    """Links of a user to a directorate that make them one of its PPLs (active, in the group)."""
    return Directorate.staff.through.objects.filter(
        user__groups__name=Role.PPL, user__is_active=True
    )


def _claim_filters(period: Period) -> tuple[Q, Q]:
    """(approved, paid) as filters on the claims for involvement dated in the period.

    The same reading as the payments totals page (``selectors_payments.directorate_month_totals``):
    a claim counts in the period of the involvement it pays for. Approved: approved, or paid
    since (paying does not undo the approval); paid: of those, the ones paid. A reversal counts
    with its negative amount, so a correction nets out."""
    dated = Q(date__gte=period.first_day, date__lte=period.last_day)
    approved = dated & Q(status__in=[ClaimStatus.APPROVED, ClaimStatus.PAID])
    paid = dated & Q(status=ClaimStatus.PAID)
    return approved, paid


def directorate_figures(
    *, directorate_ids: Sequence[int], period: Period
) -> tuple[list[DirectorateFigures], DirectorateFigures]:
    """A row per directorate (by name) and the row of them all together, in six queries.

    The total is not the sum of the rows where a person or a PPL belongs to several
    directorates: it counts each once."""
    ensure_current_month()
    ids = list(directorate_ids)
    now, before = period.end, period.year_before
    levels = {
        row["directorate_id"]: row
        for row in ProjectMonth.objects.filter(directorate_id__in=ids, month__in=[now, before])
        .values("directorate_id")
        .annotate(
            active=Count("pk", filter=Q(month=now)),
            big_i=Count("pk", filter=Q(month=now, level=Level.BIG_I)),
            any_involvement=Count("pk", filter=Q(month=now, level__gte=Level.LITTLE_I)),
            active_year_before=Count("pk", filter=Q(month=before)),
            big_i_year_before=Count("pk", filter=Q(month=before, level=Level.BIG_I)),
        )
        .order_by()
    }
    approved, paid = _claim_filters(period)
    money = {
        row["directorate_id"]: row
        for row in Claim.objects.filter(approved, directorate_id__in=ids)  # paid ⊂ approved
        .values("directorate_id")
        .annotate(approved=_sum(approved), paid=_sum(paid))
        .order_by()
    }
    ppl_count = (
        _ppl_links()
        .filter(directorate=OuterRef("pk"))
        .values("directorate")
        .annotate(count=Count("user", distinct=True))
        .values("count")
    )
    directorates = (
        Directorate.objects.filter(pk__in=ids)
        .annotate(
            ppl_count=Coalesce(Subquery(ppl_count, output_field=IntegerField()), 0),
            people_count=SubqueryCount(
                people_involved(period, directorate=OuterRef(OuterRef("pk"))).values("pk")
            ),
        )
        .order_by("name")
        .values("pk", "name", "ppl_count", "people_count")
    )
    empty_levels = {
        "active": 0,
        "big_i": 0,
        "any_involvement": 0,
        "active_year_before": 0,
        "big_i_year_before": 0,
    }
    rows = []
    for directorate in directorates:
        level_row = levels.get(directorate["pk"], empty_levels)
        money_row = money.get(directorate["pk"], {"approved": ZERO, "paid": ZERO})
        rows.append(
            DirectorateFigures(
                name=directorate["name"],
                **{key: level_row[key] for key in empty_levels},
                ppls=directorate["ppl_count"],
                people=directorate["people_count"],
                approved=money_row["approved"],
                paid=money_row["paid"],
            )
        )
    totals = Claim.objects.filter(approved, directorate_id__in=ids).aggregate(
        approved=_sum(approved), paid=_sum(paid)
    )
    total = DirectorateFigures(
        name="All together" if len(ids) > 1 else (rows[0].name if rows else "–"),
        **{key: sum(getattr(row, key) for row in rows) for key in empty_levels},
        ppls=_ppl_links().filter(directorate__in=ids).values("user").distinct().count(),
        people=people_involved(period, directorate__in=ids).count(),
        approved=totals["approved"],
        paid=totals["paid"],
        is_total=True,
    )
    return rows, total


def _sum(condition: Q):
    """SUM of the claims' amounts matching ``condition``: £0.00, not None, when there are none."""
    return Coalesce(
        Sum("amount", filter=condition),
        Value(ZERO),
        output_field=DecimalField(max_digits=12, decimal_places=2),
    )


# --- flags ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CappedList:
    """The first ``LIST_LIMIT`` items of a list and how many there are in all."""

    items: list
    count: int

    @property
    def more(self) -> int:
        return max(self.count - len(self.items), 0)


def _capped(queryset: QuerySet) -> CappedList:
    return CappedList(list(queryset[:LIST_LIMIT]), queryset.count())


def directorates_without_ppl(directorate_ids: Sequence[int]) -> list[Directorate]:
    """Directorates of the scope where no active PPL works (now: staff lists are not dated)."""
    with_ppl = _ppl_links().values("directorate_id")
    return list(
        Directorate.objects.filter(pk__in=list(directorate_ids))
        .exclude(pk__in=with_ppl)
        .order_by("name")
    )


def projects_without_involvement(directorate_ids: Sequence[int], month: datetime.date):
    """Projects active in ``month`` whose level that month is none, from the derived table."""
    ensure_current_month()
    quiet = ProjectMonth.objects.filter(
        month=month, level=Level.NONE, directorate_id__in=list(directorate_ids)
    ).values("project_id")
    return _capped(
        Project.objects.filter(pk__in=quiet)
        .select_related("directorate")
        .only("pk", "title", "start_date", "directorate__name")
        .order_by("directorate__name", "title", "pk")
    )


def role_descriptions_past_review(
    directorate_ids: Sequence[int] | None, on: datetime.date
) -> CappedList:
    """Agreed role descriptions whose review date is on or before ``on``: for the whole trust
    (``None``) every one, else those of a project or a person in the directorates. Listed by
    project and role only: the report names nobody."""
    due = RoleDescription.objects.due_for_review(on)
    if directorate_ids is not None:
        due = due.in_directorates(list(directorate_ids))
    return _capped(
        due.select_related("project__directorate")
        .only("pk", "role", "review_date", "project__title", "project__directorate__name")
        .order_by("review_date", "pk")
    )


def forums_with_short_notice_cancellations(directorate_ids: Sequence[int], period: Period) -> list:
    """Forums of the scope with meetings cancelled at short notice (under 7 days) in the period:
    forum name, how many, and the latest such meeting's date."""
    forums = Forum.objects.filter(directorates__in=list(directorate_ids)).values("pk")
    return list(
        ForumMeeting.objects.short_notice_cancellations()
        .filter(forum__in=forums, date__gte=period.first_day, date__lte=period.last_day)
        .values("forum__name")
        .annotate(count=Count("pk"), latest=Max("date"))
        .order_by("-count", "forum__name")
    )


# --- stories -------------------------------------------------------------------------------------


def latest_stories(directorate_ids: Sequence[int] | None, period: Period, *, limit: int = 3):
    """The latest stories published by the end of the period: of the directorate (or one of its
    projects) or from across the trust; every story for the whole trust."""
    from stories.models import Story

    _, stop = period.datetimes()
    stories = Story.objects.published().filter(published_at__lt=stop)
    if directorate_ids is not None:
        ids = list(directorate_ids)
        stories = stories.filter(
            Q(directorate_id__in=ids)
            | Q(project__directorate_id__in=ids)
            | Q(directorate__isnull=True, project__isnull=True)
        )
    return list(
        stories.select_related("directorate")
        .only("pk", "title", "summary", "easy_read_summary", "published_at", "directorate__name")
        .order_by("-published_at", "-pk")[:limit]
    )
