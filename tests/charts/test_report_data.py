"""The involvement report's numbers (charts/reports/data.py and build.py), against data whose every
figure is worked out by hand in tests/charts/report_world.py."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from charts import figures, selectors
from charts.reports import Period, build_report, directorate_scope, trust_scope
from charts.reports import data as report_data
from involvement.selectors_payments import directorate_month_totals
from tests.charts import report_world
from tests.charts.report_world import PERIOD
from tests.factories import MembershipFactory, PersonFactory, ProjectFactory

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.fixture
def world(directorate, other_directorate, ppl, other_ppl, admin_user):
    return report_world.build(directorate, other_directorate, ppl, other_ppl, admin_user)


def figures_by_name(world, period=PERIOD):
    ids = [world.newham.pk, world.forensic.pk, world.camhs.pk]
    rows, total = report_data.directorate_figures(directorate_ids=ids, period=period)
    return {row.name: row for row in rows}, total


def test_each_directorate_row_counts_its_projects_ppls_people_and_payments(world):
    rows, _ = figures_by_name(world)
    assert list(rows) == ["CAMHS", "Forensic services", "Newham"]  # by name
    newham = rows["Newham"]
    assert (newham.active, newham.big_i, newham.any_involvement) == (3, 1, 2)
    assert (newham.active_year_before, newham.big_i_year_before) == (5, 3)
    assert (newham.big_i_percent, newham.big_i_year_before_percent, newham.any_percent) == (
        "33%",
        "60%",
        "67%",
    )
    assert newham.ppls == 2  # ppl and ppl-both; not the inactive PPL or the project lead
    assert newham.people == 2  # Alex (twice on teams) and Bea; Dee's membership ended before
    assert newham.approved == Decimal("24.75")  # 33.00 − 33.00 (reversed) + 24.75
    assert newham.paid == Decimal("24.75")
    forensic = rows["Forensic services"]
    assert (forensic.active, forensic.big_i, forensic.any_involvement) == (1, 0, 0)
    assert (forensic.active_year_before, forensic.big_i_year_before) == (1, 0)
    assert (forensic.ppls, forensic.people) == (2, 2)
    assert (forensic.approved, forensic.paid) == (Decimal("16.50"), Decimal("0.00"))
    camhs = rows["CAMHS"]
    assert (camhs.active, camhs.ppls, camhs.people, camhs.approved) == (0, 0, 0, Decimal("0"))
    assert camhs.big_i_percent == "–"


def test_the_total_counts_a_person_or_ppl_of_several_directorates_once(world):
    rows, total = figures_by_name(world)
    assert sum(row.people for row in rows.values()) == 4  # Alex in Newham and in Forensic
    assert total.people == 3
    assert sum(row.ppls for row in rows.values()) == 4  # ppl-both in both
    assert total.ppls == 3
    assert (total.active, total.big_i, total.any_involvement) == (4, 1, 2)
    assert (total.big_i_percent, total.any_percent, total.big_i_year_before_percent) == (
        "25%",
        "50%",
        "50%",
    )
    assert (total.approved, total.paid) == (Decimal("41.25"), Decimal("24.75"))
    assert isinstance(total.approved, Decimal)


def test_payments_agree_with_the_payment_totals_page(world):
    rows, _ = figures_by_name(world)
    by_directorate: dict[str, Decimal] = {}
    paid: dict[str, Decimal] = {}
    for row in directorate_month_totals(PERIOD.first_day, PERIOD.last_day):
        name = row["directorate__name"]
        by_directorate[name] = by_directorate.get(name, Decimal("0")) + row["total"]
        paid[name] = paid.get(name, Decimal("0")) + row["paid"]
    for name, total in by_directorate.items():
        assert rows[name].approved == total
        assert rows[name].paid == paid[name]


def test_the_directorate_table_costs_the_same_queries_however_many_projects(world):
    figures_by_name(world)  # the first read of the month extends the derived table
    with CaptureQueriesContext(connection) as before:
        figures_by_name(world)
    for index in range(15):
        project = ProjectFactory(
            title=f"More {index}", directorate=world.newham, start_date=D(2024, 3, 1)
        )
        MembershipFactory(project=project, person=PersonFactory(directorates=[world.newham]))
    figures_by_name(world)
    with CaptureQueriesContext(connection) as after:
        rows, total = figures_by_name(world)
    assert len(after.captured_queries) == len(before.captured_queries) <= 8
    assert rows["Newham"].active == 18 and rows["Newham"].people == 17


def test_a_period_with_nothing_in_it_gives_zeros_not_errors(world):
    rows, total = figures_by_name(world, Period(D(1995, 1, 1), D(1995, 12, 1)))
    assert total.is_empty
    assert all(row.is_empty for row in rows.values())
    assert total.big_i_percent == "–" and total.approved == Decimal("0")


def test_flags_name_what_the_seed_worries_about(world):
    ids = [world.newham.pk, world.forensic.pk, world.camhs.pk]
    assert [d.name for d in report_data.directorates_without_ppl(ids)] == ["CAMHS"]
    quiet = report_data.projects_without_involvement(ids, PERIOD.end)
    assert quiet.count == 2
    assert [p.title for p in quiet.items] == ["Secure ward", "New clinic"]  # by directorate
    due = report_data.role_descriptions_past_review(None, PERIOD.last_day)
    assert due.count == 1 and due.items[0].role == "Co-chair"
    # Alex works in Forensic services too, so the description is theirs as well; not CAMHS's.
    assert report_data.role_descriptions_past_review([world.forensic.pk], PERIOD.last_day).count
    assert report_data.role_descriptions_past_review([world.camhs.pk], PERIOD.last_day).count == 0
    forums = report_data.forums_with_short_notice_cancellations(ids, PERIOD)
    assert forums == [{"forum__name": "Newham QI forum", "count": 1, "latest": D(2025, 3, 10)}]
    assert report_data.forums_with_short_notice_cancellations([world.forensic.pk], PERIOD) == []


def test_long_flag_lists_are_cut_but_counted_in_full(world):
    for index in range(report_data.LIST_LIMIT + 3):
        ProjectFactory(
            title=f"Quiet {index:02d}", directorate=world.camhs, start_date=D(2025, 1, 1)
        )
    quiet = report_data.projects_without_involvement([world.camhs.pk], PERIOD.end)
    assert quiet.count == report_data.LIST_LIMIT + 3
    assert len(quiet.items) == report_data.LIST_LIMIT and quiet.more == 3


def test_the_report_flags_newham_whose_big_i_share_fell(world):
    report = build_report(scope=trust_scope(), period=PERIOD)
    falling = {item.directorate.name: item.reasons for item in report.falling}
    assert "Newham" in falling
    # April–June 2025: P1 (Big I) ×3, P2 ×3, P3 ×3, P6 ×2 → 3 of 11; a year before 9 of 15.
    assert (
        "27% of project-months with Big I in April to June 2025, down from 60%"
        in (falling["Newham"][0])
    )
    assert report.falling == [
        item
        for item in figures.falling_directorates(month=PERIOD.end)
        if item.directorate.pk in trust_scope().directorate_ids
    ]


def test_aim_analysis_counts_projects_that_ended_in_the_period(world):
    report = build_report(scope=trust_scope(), period=PERIOD)
    groups = {group.label: (group.total, group.reached) for group in report.aims.groups}
    # P5 (Big I, reached) and P6 (none, not reached) ended in the period; P4 ended before it.
    assert groups == {"Big I": (1, 1), "little i only": (0, 0), "No involvement": (1, 0)}
    whole = selectors.aim_counts()
    assert sum(count.total for count in whole.by_level.values()) == 3  # the page counts all


def test_stories_are_the_latest_published_by_the_end_of_the_period(world):
    stories = report_world.add_stories(world)
    trust = report_data.latest_stories(None, PERIOD)
    assert [s.title for s in trust] == ["Forensic voices", "Everyone together", "Newham listens"]
    newham = report_data.latest_stories([world.newham.pk], PERIOD)
    assert [s.title for s in newham] == ["Everyone together", "Newham listens"]
    assert stories["too_late"] not in newham and stories["withdrawn"] not in newham


def test_a_directorate_report_covers_that_directorate_only(world):
    report = build_report(scope=directorate_scope(world.forensic), period=PERIOD)
    assert [row.name for row in report.directorates] == ["Forensic services"]
    assert report.total.name == "Forensic services"
    assert [p.title for p in report.quiet_projects.items] == ["Secure ward"]
    assert report.without_ppl == [] and report.short_notice == []
    assert report.charts[0].figure.scope_label == "Forensic services"
    assert report.filename == "involvement-report-forensic-services-2025-01-to-2025-06.pdf"
    assert report.title == "Involvement report: Forensic services, January 2025 to June 2025"
