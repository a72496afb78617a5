"""The p-chart page /charts/pchart/ and its CSV: options, saved phases and annotations, bad input,
access, and a query count that does not grow with the number of projects."""

from __future__ import annotations

import csv
import io
import re
from datetime import date
from urllib.parse import urlencode

import pytest
import time_machine
from django.contrib.staticfiles import finders
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from charts.models import ChartAnnotation, ChartPhase
from involvement.levels import ensure_current_month
from projects.models import Forum
from tests.charts.helpers import TODAY, figure_json, make_projects, plotted_points
from tests.factories import MembershipFactory, PersonFactory, UserFactory

pytestmark = pytest.mark.django_db

URL = "/charts/pchart/"
CSV_URL = "/charts/pchart.csv"


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(TODAY, tick=False):
        yield


@pytest.fixture
def data(directorate, other_directorate):
    newham = make_projects(directorate, total=10, big_i=4)
    # Three more Newham projects gain Big I in October 2024: a step up in the series.
    for project in newham[4:7]:
        MembershipFactory(project=project, start_date=date(2024, 10, 1))
    forensic = make_projects(other_directorate, total=6, big_i=1)
    forum = Forum.objects.create(name="Newham QI forum")
    forum.directorates.add(directorate)
    return {"newham": newham, "forensic": forensic, "forum": forum}


def get(client, user, url=URL, **params):
    client.force_login(user)
    return client.get(url, params)


def errors_of(response) -> str:
    html = response.content.decode()
    found = re.search(r'<div class="nhsuk-error-summary".*?</ul>', html, re.S)
    return found.group(0) if found else ""


# --- access --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url", [URL, CSV_URL, "/charts/directorates/", "/charts/aims/", "/charts/annotations/add/"]
)
def test_anonymous_visitors_are_sent_to_sign_in(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")


@pytest.mark.parametrize("role", ["admin_user", "ppl", "lead", "chair", "su_user"])
def test_every_role_reads_the_chart(client, request, data, role):
    response = get(client, request.getfixturevalue(role))
    assert response.status_code == 200
    assert "Percentage of active projects with Big I: Whole trust" in response.content.decode()


def test_a_signed_in_user_with_no_role_gets_403(client, data):
    response = get(client, UserFactory(username="nobody"))
    assert response.status_code == 403


def test_navigation_links_the_chart_and_aim_analysis_for_every_role(client, su_user, data):
    html = get(client, su_user).content.decode()
    assert f'href="{reverse("charts:pchart")}"' in html
    assert f'href="{reverse("charts:aims")}"' in html


# --- the page ------------------------------------------------------------------------------------


def test_page_has_the_controls_and_draws_plotly_from_the_package_without_inline_script(
    client, ppl, data
):
    html = get(client, ppl).content.decode()
    for name in ("measure", "start", "end", "baseline", "freeze", "phases", "rules", "target"):
        assert f'name="{name}"' in html
    assert 'value="trust"' in html
    assert f'value="directorate-{data["newham"][0].directorate_id}"' in html
    assert f'value="forum-{data["forum"].pk}"' in html
    for value in ("saved", "all", "freeze", "phases", "both", "mdc", "anhoej", "any"):
        assert f'value="{value}"' in html
    assert 'method="get"' in html
    assert '<script src="/static/plotly/plotly.min.js"></script>' in html
    assert '<script type="module" src="/static/js/pchart.mjs"></script>' in html
    assert "cdn" not in html.lower()
    # The only script without a src is json_script's data, which the CSP does not run.
    inline = re.findall(r"<script(?![^>]*\bsrc=)([^>]*)>", html)
    assert inline == [' id="pchart-figure" type="application/json"']
    assert 'role="img"' in html and 'aria-describedby="pchart-caption"' in html
    assert "The numbers behind the chart" in html
    assert finders.find("plotly/plotly.min.js").endswith("package_data/plotly.min.js")
    assert finders.find("js/pchart.mjs")


def test_the_figure_table_and_sentences_agree(client, ppl, data):
    response = get(client, ppl, scope=f"directorate-{data['newham'][0].directorate_id}")
    figure = response.context["figure"]
    html = response.content.decode()
    assert [p.label for p in figure.points][:2] == ["2024-01", "2024-02"]
    assert figure.points[-1].label == "2025-06"
    assert plotted_points(figure_json(html)) == {p.x: p.p for p in figure.points}
    # 4 of 10 with Big I until September 2024, then 7 of 10.
    assert [p.numerator for p in figure.points] == [4] * 9 + [7] * 9
    assert '<td class="nhsuk-table__cell nhsuk-table__cell--numeric">70.0%</td>' in html
    for sentence in figure.sentences:
        assert sentence in html.replace("&#x27;", "'")
    assert "9 months in a row above the centre line from October 2024 to June 2025" in html


def test_baseline_all_points(client, ppl, data):
    figure = get(client, ppl, baseline="all").context["figure"]
    assert len({p.cl for p in figure.points}) == 1
    # 16 projects a month for 18 months; with Big I: 4 + 1 for 9 months, then 7 + 1 for 9.
    assert figure.points[0].cl == pytest.approx((9 * 5 + 9 * 8) / (18 * 16))


def test_baseline_freeze_uses_the_first_months(client, ppl, data):
    scope = f"directorate-{data['newham'][0].directorate_id}"
    figure = get(client, ppl, scope=scope, baseline="freeze", freeze="6").context["figure"]
    assert {p.cl for p in figure.points} == {0.4}
    assert "first 6 months (frozen)" in figure.baseline_text
    assert all(p.signal == "improvement" for p in figure.points[9:])


def test_baseline_phases_typed(client, ppl, data):
    scope = f"directorate-{data['newham'][0].directorate_id}"
    figure = get(client, ppl, scope=scope, baseline="phases", phases="2024-10").context["figure"]
    assert [p.cl for p in figure.points] == [0.4] * 9 + [0.7] * 9
    assert figure.phase_labels == ("2024-10",)


def test_saved_phases_apply_to_every_reader_of_their_scope(client, ppl, chair, data):
    newham = data["newham"][0].directorate
    ChartPhase.objects.create(month=date(2024, 10, 1), directorate=newham)
    scope = f"directorate-{newham.pk}"
    seen_by_ppl = get(client, ppl, scope=scope).context["figure"]
    seen_by_chair = get(client, chair, scope=scope).context["figure"]
    assert seen_by_ppl.phase_labels == seen_by_chair.phase_labels == ("2024-10",)
    # The forum's chart includes Newham, so Newham's phase applies there too…
    forum = get(client, chair, scope=f"forum-{data['forum'].pk}").context["figure"]
    assert forum.phase_labels == ("2024-10",)
    # …but not to the trust's chart, nor to another directorate's.
    assert get(client, chair).context["figure"].phase_labels == ()
    other = f"directorate-{data['forensic'][0].directorate_id}"
    assert get(client, chair, scope=other).context["figure"].phase_labels == ()
    # "From all months" overrides the saved phases for this reader only.
    assert get(client, chair, scope=scope, baseline="all").context["figure"].phase_labels == ()


def test_saved_annotations_show_on_the_charts_that_include_their_scope(client, chair, data):
    newham = data["newham"][0].directorate
    ChartAnnotation.objects.create(date=date(2024, 10, 1), text="SU chairs all QI forums")
    ChartAnnotation.objects.create(
        date=date(2024, 11, 5), text="Recruitment event", directorate=newham
    )
    trust = get(client, chair).context["figure"]
    assert [a.text for a in trust.annotations] == ["SU chairs all QI forums"]
    local = get(client, chair, scope=f"directorate-{newham.pk}")
    assert [a.text for a in local.context["figure"].annotations] == [
        "SU chairs all QI forums",
        "Recruitment event",
    ]
    html = local.content.decode()
    assert "Recruitment event" in html
    assert figure_json(html)["layout"]["annotations"][1]["text"] == "2. Recruitment event"


def test_measure_any_involvement_counts_little_i_too(client, ppl, data):
    from tests.charts.helpers import add_little_i

    add_little_i(data["forensic"][3], date(2025, 5, 2))
    figure = get(client, ppl, measure="any", start="2025-04", end="2025-06").context["figure"]
    assert [p.label for p in figure.points] == ["2025-04", "2025-05", "2025-06"]
    assert [p.numerator for p in figure.points] == [8, 9, 9]
    assert figure.numerator_label == "With any involvement"


def test_csv_has_exactly_the_plotted_numbers(client, ppl, data):
    params = {"scope": f"forum-{data['forum'].pk}", "baseline": "freeze", "freeze": "4"}
    page = get(client, ppl, **params)
    figure = page.context["figure"]
    plotted = plotted_points(figure_json(page.content.decode()))
    csv_href = re.search(r'href="(/charts/pchart\.csv\?[^"]+)"', page.content.decode()).group(1)
    response = client.get(csv_href.replace("&amp;", "&"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert len(rows) == len(figure.points) == 18
    for x, (row, point) in enumerate(zip(rows, figure.points, strict=True)):
        assert row["month"] == point.label
        assert (int(row["numerator"]), int(row["denominator"])) == (
            point.numerator,
            point.denominator,
        )
        assert float(row["p"]) == point.p == plotted[x]
        assert (float(row["cl"]), float(row["lcl"]), float(row["ucl"])) == (
            point.cl,
            point.lcl,
            point.ucl,
        )
        assert row["signal"] == point.signal


# --- bad input -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("params", "message"),
    [
        (
            {"start": "2025-03", "end": "2024-02"},
            "The ‘From’ month (March 2025) must not be after the ‘To’ month (February 2024).",
        ),
        ({"start": "2024-13"}, "Enter the ‘From’ month as year and month, for example 2023-03"),
        ({"end": "March"}, "Enter the ‘To’ month as year and month, for example 2023-03"),
        ({"baseline": "freeze", "freeze": "50"}, "The chart has 18 months: freeze at most 18"),
        ({"baseline": "freeze"}, "Enter how many months to freeze, for example 12."),
        ({"baseline": "freeze", "freeze": "six"}, "Enter the months to freeze as a whole number"),
        (
            {"baseline": "phases", "phases": "2019-05"},
            "May 2019 is not one of the chart&#x27;s months (January 2024 to June 2025).",
        ),
        ({"baseline": "phases", "phases": "2024-1O"}, "“2024-1O” is not a month"),
        ({"target": "150"}, "Enter a target between 0 and 100."),
        ({"scope": "directorate-999999"}, "Select a valid choice."),
        ({"measure": "everything"}, "Select a valid choice."),
        ({"start": "1900-01"}, "Enter a ‘From’ month from 1990 onwards"),
        ({"start": "2000-01", "end": "2025-06"}, "Choose at most 20 years (240 months)."),
    ],
)
def test_bad_input_is_a_clear_message_on_the_page(client, ppl, data, params, message):
    response = get(client, ppl, **params)
    assert response.status_code == 200
    html = response.content.decode()
    assert message in errors_of(response)
    assert "<title>Error: P-chart of involvement – Big I</title>" in html
    assert 'id="pchart"' not in html  # no chart drawn from options that do not make sense
    csv_response = client.get(CSV_URL, params)
    assert csv_response.status_code == 400
    assert "problem" in csv_response.content.decode()


def test_a_range_with_no_projects_says_there_is_nothing_to_chart(client, ppl, data):
    response = get(client, ppl, start="2020-01", end="2020-06")
    assert response.status_code == 200
    assert "No project was active in these months" in response.content.decode()
    assert 'id="pchart"' not in response.content.decode()


def test_no_personal_data_on_the_chart_page(client, chair, data):
    person = PersonFactory(name="Zebedee Quillfeather", email="zebedee@example.org")
    MembershipFactory(project=data["newham"][9], person=person, start_date=date(2025, 1, 1))
    html = get(client, chair, scope=f"forum-{data['forum'].pk}").content.decode()
    assert "Zebedee" not in html and "zebedee@example.org" not in html
    assert data["newham"][0].title not in html  # aggregates only, not even project titles


# --- annotations and phases: admins only ---------------------------------------------------------


@pytest.mark.parametrize("role", ["ppl", "lead", "chair", "su_user"])
def test_non_admin_cannot_save_an_annotation_or_a_phase(client, request, role, directorate):
    client.force_login(request.getfixturevalue(role))
    posted = client.post(
        reverse("charts:annotation_add"),
        {"annotation-date": "2024-10-01", "annotation-text": "Sneaky"},
    )
    assert posted.status_code == 403
    phase = client.post(reverse("charts:phase_add"), {"phase-month": "2024-10"})
    assert phase.status_code == 403
    assert ChartAnnotation.objects.count() == 0 and ChartPhase.objects.count() == 0
    saved = ChartAnnotation.objects.create(date=date(2024, 1, 1), text="Kept")
    removal = client.post(reverse("charts:annotation_delete", args=[saved.pk]))
    assert removal.status_code == 403
    assert ChartAnnotation.objects.filter(pk=saved.pk).exists()


def test_only_admins_see_the_forms_on_the_chart_page(client, admin_user, ppl, data):
    assert "Add a change idea" not in get(client, ppl).content.decode()
    html = get(client, admin_user).content.decode()
    assert "Add a change idea" in html and "Start a new phase" in html
    assert 'name="annotation-text"' in html and 'name="phase-month"' in html


def test_admin_saves_an_annotation_and_a_phase_that_every_reader_sees(
    client, admin_user, chair, data
):
    newham = data["newham"][0].directorate
    back = f"{URL}?scope=directorate-{newham.pk}"
    client.force_login(admin_user)
    response = client.post(
        reverse("charts:annotation_add") + "?" + urlencode({"next": back}),
        {
            "annotation-date_day": "10",
            "annotation-date_month": "10",
            "annotation-date_year": "2024",
            "annotation-text": "SU chairs all QI forums",
            "annotation-directorate": str(newham.pk),
            "annotation-source": "Idea board, March forum",
        },
    )
    assert response.status_code == 302 and response.url == back
    note = ChartAnnotation.objects.get()
    assert (note.date, note.directorate) == (date(2024, 10, 10), newham)
    assert note.created_by == admin_user
    assert note.source == "Idea board, March forum"
    response = client.post(
        reverse("charts:phase_add"), {"phase-month": "2024-10", "phase-directorate": newham.pk}
    )
    assert response.status_code == 302
    phase = ChartPhase.objects.get()
    assert phase.month == date(2024, 10, 1)
    figure = get(client, chair, scope=f"directorate-{newham.pk}").context["figure"]
    assert [a.text for a in figure.annotations] == ["SU chairs all QI forums"]
    assert figure.phase_labels == ("2024-10",)
    # …and removes them again.
    client.force_login(admin_user)
    client.post(reverse("charts:annotation_delete", args=[note.pk]), {"next": back})
    client.post(reverse("charts:phase_delete", args=[phase.pk]), {"next": back})
    assert not ChartAnnotation.objects.exists() and not ChartPhase.objects.exists()


def test_bad_annotation_or_phase_is_an_error_and_nothing_is_saved(client, admin_user):
    client.force_login(admin_user)
    response = client.post(
        reverse("charts:annotation_add"),
        {"annotation-date_day": "31", "annotation-date_month": "2", "annotation-date_year": "2024"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Enter a real date" in html and "This field is required." in html
    ChartPhase.objects.create(month=date(2024, 10, 1))
    again = client.post(reverse("charts:phase_add"), {"phase-month": "2024-10"})
    assert "A phase already starts in this month for this scope." in again.content.decode()
    bad_month = client.post(reverse("charts:phase_add"), {"phase-month": "October"})
    assert "Enter the phase month as year and month" in bad_month.content.decode()
    assert ChartAnnotation.objects.count() == 0 and ChartPhase.objects.count() == 1


def test_redirect_after_saving_never_leaves_the_site(client, admin_user):
    client.force_login(admin_user)
    response = client.post(
        reverse("charts:phase_add") + "?next=https://evil.example/",
        {"phase-month": "2024-10"},
    )
    assert response.status_code == 302 and response.url == URL


def test_admin_site_lists_annotations_and_phases(client, admin_user):
    ChartAnnotation.objects.create(date=date(2024, 10, 1), text="SU chairs all QI forums")
    client.force_login(admin_user)
    page = client.get(reverse("admin:charts_chartannotation_changelist"))
    assert "SU chairs all QI forums" in page.content.decode()
    assert client.get(reverse("admin:charts_chartphase_add")).status_code == 200


# --- performance ---------------------------------------------------------------------------------


def count_queries(client, user, **params) -> tuple[int, list[str]]:
    from django.core.cache import cache

    cache.clear()
    ensure_current_month()  # the month's first read extends running projects: not measured here
    client.force_login(user)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(URL, params).status_code == 200
    return len(queries), [q["sql"] for q in queries.captured_queries]


@pytest.mark.parametrize("scope", ["trust", "directorate"])
def test_query_count_does_not_grow_with_the_number_of_projects(client, ppl, directorate, scope):
    value = "trust" if scope == "trust" else f"directorate-{directorate.pk}"
    make_projects(directorate, total=3, big_i=1, title="Few")
    few, _ = count_queries(client, ppl, scope=value)
    make_projects(directorate, total=27, big_i=9, title="Many")
    many, sql = count_queries(client, ppl, scope=value)
    assert few == many
    # The series is one aggregate over the derived table, grouped by month.
    series = [q for q in sql if "involvement_projectmonth" in q]
    assert len(series) <= 2  # the range's bounds, then the counts
    assert any("GROUP BY" in q for q in series)
    assert not any('FROM "projects_project"' in q for q in sql)


def test_the_series_is_cached_until_the_derived_table_changes(client, ppl, directorate):
    projects = make_projects(directorate, total=4, big_i=1)
    client.force_login(ppl)
    first = client.get(URL).context["figure"]
    with CaptureQueriesContext(connection) as queries:
        second = client.get(URL).context["figure"]
    assert not [q for q in queries.captured_queries if "involvement_projectmonth" in q["sql"]]
    assert [p.numerator for p in first.points] == [p.numerator for p in second.points]
    MembershipFactory(project=projects[3], start_date=date(2025, 6, 1))  # bumps the version
    third = client.get(URL).context["figure"]
    assert third.points[-1].numerator == first.points[-1].numerator + 1


def test_a_forums_directorates_changing_does_not_serve_the_old_series(
    client, ppl, directorate, other_directorate
):
    make_projects(directorate, total=2, big_i=1)
    make_projects(other_directorate, total=3, big_i=3)
    forum = Forum.objects.create(name="Joint forum")
    forum.directorates.add(directorate)
    client.force_login(ppl)
    before = client.get(URL, {"scope": f"forum-{forum.pk}"}).context["figure"]
    forum.directorates.add(other_directorate)
    after = client.get(URL, {"scope": f"forum-{forum.pk}"}).context["figure"]
    assert before.points[-1].denominator == 2 and after.points[-1].denominator == 5


def test_a_new_directorate_is_a_chart_scope_at_once(client, chair):
    """The scopes are cached; adding a directorate drops them (charts.signals)."""
    from charts.selectors import ScopeCatalogue
    from tests.factories import DirectorateFactory

    before = {d.name for d in ScopeCatalogue().directorates}
    DirectorateFactory(name="Brand new directorate")
    after = {d.name for d in ScopeCatalogue().directorates}
    assert after - before == {"Brand new directorate"}
