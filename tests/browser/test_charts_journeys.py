"""A forum chair's journey through the charts: their forum's home, the p-chart drawn by Plotly
under the strict Content Security Policy, switching to one directorate, downloading the CSV."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from involvement import levels
from involvement.months import add_months, month_of
from projects.models import Forum
from tests.a11y import assert_accessible
from tests.factories import DirectorateFactory, MembershipFactory, ProjectFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Reported by Chromium for anything the Content Security Policy blocks (console and event).
CSP_WATCH = """
document.addEventListener('securitypolicyviolation', (event) => {
  console.error('CSP violation: ' + event.violatedDirective + ' ' + event.sourceFile);
});
"""


@pytest.fixture
def forum(chair, directorate):
    levels.reset_month_check()
    tower = DirectorateFactory(name="Tower Hamlets")
    forum = Forum.objects.create(name="Newham and Tower Hamlets QI forum", chair=chair)
    forum.directorates.add(directorate, tower)
    start = add_months(month_of(timezone.localdate()), -17)
    for index in range(12):
        project = ProjectFactory(
            directorate=directorate if index % 2 else tower,
            start_date=start,
            title=f"Forum project {index}",
        )
        # Every third project has an SU on the team from the start; the other odd-numbered ones
        # (Newham's) from month 9 on: a step up.
        if index % 3 == 0:
            MembershipFactory(project=project, start_date=start)
        elif index % 2:
            MembershipFactory(project=project, start_date=add_months(start, 9))
    yield forum
    levels.reset_month_check()


def test_chair_opens_the_chart_switches_to_their_directorate_and_downloads_the_csv(
    page, live_server, sign_in, same_host_only, chair, forum, directorate
):
    foreign = same_host_only(page)
    problems: list[str] = []
    page.add_init_script(CSP_WATCH)
    page.on(
        "console",
        lambda message: (
            problems.append(message.text)
            if message.type == "error" or "Content Security Policy" in message.text
            else None
        ),
    )
    page.on("pageerror", lambda error: problems.append(str(error)))

    sign_in(page, chair)
    expect(page.get_by_role("heading", level=1)).to_have_text(forum.name)
    expect(page.locator("svg.pchart-svg")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="P-chart", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("P-chart of involvement")
    chart = page.locator("#pchart")
    expect(chart).to_have_attribute("data-drawn", "true")
    expect(chart.locator(".main-svg").first).to_be_visible()
    # Plotly drew every point: one marker per month with projects, in its own symbol.
    expect(chart.locator(".scatterlayer .points path")).to_have_count(18)
    assert_accessible(page)

    page.get_by_label("Chart for").select_option(label=directorate.name)
    page.get_by_role("button", name="Show chart").click()
    expect(page.get_by_role("heading", level=2).first).to_have_text(
        f"Percentage of active projects with Big I: {directorate.name}"
    )
    expect(chart).to_have_attribute("data-drawn", "true")
    assert f"scope=directorate-{directorate.pk}" in page.url
    rows_on_page = page.locator("#pchart-table tbody tr").count()
    assert rows_on_page == 18
    assert_accessible(page)

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download these numbers as a CSV file").click()
    download = download_info.value
    assert download.suggested_filename == f"pchart-big_i-directorate-{directorate.pk}.csv"
    with open(download.path(), encoding="utf-8") as handle:
        rows = list(csv.DictReader(io.StringIO(handle.read())))
    assert len(rows) == rows_on_page
    first_cell = page.locator("#pchart-table tbody tr").first.locator("td").nth(2)
    assert first_cell.inner_text() == f"{100 * float(rows[0]['p']):.1f}%"
    # Newham's six projects are the odd-numbered ones: 3 and 9 with Big I from the start, the
    # other four from month 9 on.
    assert [int(r["denominator"]) for r in rows] == [6] * 18
    assert [int(r["numerator"]) for r in rows] == [2] * 9 + [6] * 9

    assert problems == []
    assert foreign == []


def test_admin_adds_an_annotation_on_the_chart_page(page, live_server, sign_in, admin_user, forum):
    sign_in(page, admin_user)
    page.goto(f"{live_server.url}/charts/pchart/")
    page.get_by_text("Add a change idea (annotation)").click()
    when = timezone.localdate() - timedelta(days=100)
    page.locator("#id_annotation-date_day").fill(str(when.day))
    page.locator("#id_annotation-date_month").fill(str(when.month))
    page.locator("#id_annotation-date_year").fill(str(when.year))
    page.get_by_label("Change idea").fill("SU chairs all QI forums")
    page.get_by_role("button", name="Save annotation").click()
    expect(page.get_by_text("Annotation saved")).to_be_visible()
    expect(page.locator("#pchart")).to_have_attribute("data-drawn", "true")
    expect(page.locator("#pchart .annotation-text").first).to_contain_text(
        "1. SU chairs all QI forums"
    )
    assert_accessible(page)


@pytest.mark.parametrize(
    "path",
    ["/charts/trust/", "/charts/trust/no-involvement/", "/charts/directorates/", "/charts/aims/"],
)
def test_the_other_chart_pages_pass_axe(
    page, live_server, sign_in, same_host_only, admin_user, forum, path
):
    foreign = same_host_only(page)
    sign_in(page, admin_user)
    page.goto(f"{live_server.url}{path}")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert_accessible(page)
    assert foreign == []


def test_bad_options_on_the_chart_page_pass_axe(page, live_server, sign_in, su_user, forum):
    sign_in(page, su_user)
    page.goto(f"{live_server.url}/charts/pchart/?start=2025-13&baseline=freeze")
    expect(page.get_by_role("alert")).to_contain_text("Enter the ‘From’ month as year and month")
    assert page.title().startswith("Error: ")
    assert_accessible(page)
