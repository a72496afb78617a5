"""The forum chair's home (their forum only, no names), the admin's home (trust chart and flags),
the list behind the "no involvement" flag, and the small multiples."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
import time_machine
from django.urls import reverse

from charts.models import ChartPhase
from involvement.access import Role
from projects.models import Forum, ForumMeeting
from tests.charts.helpers import TODAY, make_projects
from tests.factories import (
    DirectorateFactory,
    MembershipFactory,
    PersonFactory,
    ProjectFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

CHAIR_HOME = "/charts/forum/"
ADMIN_HOME = "/charts/trust/"


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(TODAY, tick=False):
        yield


@pytest.fixture
def forums(chair, directorate, other_directorate):
    mine = Forum.objects.create(name="Newham QI forum", chair=chair)
    mine.directorates.add(directorate)
    other_chair = UserFactory(username="otherchair", roles=[Role.CHAIR])
    theirs = Forum.objects.create(name="Forensic QI forum", chair=other_chair)
    theirs.directorates.add(other_directorate)
    lead = UserFactory(
        username="leadname", first_name="Lorna", last_name="Leadbetter", roles=[Role.LEAD]
    )
    newham = make_projects(directorate, total=4, big_i=2, title="Newham project")
    for project in newham:
        project.lead = lead
        project.lead_name = "Lorna Leadbetter"
        project.save()
    MembershipFactory(
        project=newham[0],
        person=PersonFactory(name="Zebedee Quillfeather", email="zq@example.org"),
        start_date=date(2024, 3, 1),
    )
    forensic = make_projects(other_directorate, total=3, big_i=0, title="Forensic project")
    return {"mine": mine, "theirs": theirs, "newham": newham, "forensic": forensic}


def test_chair_sees_their_forums_chart_projects_and_levels(client, chair, forums):
    client.force_login(chair)
    response = client.get(CHAIR_HOME)
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Newham QI forum</h1>" in html
    for project in forums["newham"]:
        assert project.title in html
    for project in forums["forensic"]:
        assert project.title not in html
    assert ">Big I</strong>" in html and ">No involvement</strong>" in html
    figure = response.context["figure"]
    assert figure.scope_label == "Newham QI forum"
    assert [p.denominator for p in figure.points] == [4] * 18  # Newham's projects only
    assert 'class="pchart-svg"' in html and 'role="img"' in html
    assert figure.sentences[0] in html
    assert f"scope=forum-{forums['mine'].pk}" in html  # the link to the full chart
    counts = dict(response.context["level_counts"])
    assert counts == {"Big I": 2, "little i": 0, "No involvement": 2}


def test_chair_home_shows_no_person_names(client, chair, forums):
    client.force_login(chair)
    html = client.get(CHAIR_HOME).content.decode()
    for text in ("Zebedee", "Quillfeather", "zq@example.org", "Lorna", "Leadbetter"):
        assert text not in html


def test_chair_cannot_open_another_forums_dashboard(client, chair, forums):
    client.force_login(chair)
    assert client.get(CHAIR_HOME, {"forum": forums["theirs"].pk}).status_code == 404
    assert client.get(CHAIR_HOME, {"forum": "x"}).status_code == 404


def test_chair_of_several_forums_picks_one(client, chair, forums, other_directorate):
    second = Forum.objects.create(name="Second forum", chair=chair)
    second.directorates.add(other_directorate)
    client.force_login(chair)
    first_page = client.get(CHAIR_HOME).content.decode()
    assert '<select name="forum"' in first_page
    assert "Second forum</option>" in first_page and "Newham QI forum</option>" in first_page
    html = client.get(CHAIR_HOME, {"forum": second.pk}).content.decode()
    assert "<h1>Second forum</h1>" in html
    assert forums["forensic"][0].title in html and forums["newham"][0].title not in html


def test_chair_with_no_forum_gets_a_clear_message(client, chair):
    client.force_login(chair)
    html = client.get(CHAIR_HOME).content.decode()
    assert "<h1>QI forum</h1>" in html
    assert "You are not the chair of a QI forum yet" in html


def test_forum_meetings_upcoming_and_recent_with_short_notice_cancellations(client, chair, forums):
    forum = forums["mine"]
    ForumMeeting.objects.create(forum=forum, date=TODAY + timedelta(days=14))
    ForumMeeting.objects.create(
        forum=forum,
        date=TODAY - timedelta(days=20),
        status="cancelled",
        cancellation_announced_on=TODAY - timedelta(days=22),
    )
    ForumMeeting.objects.create(
        forum=forum,
        date=TODAY - timedelta(days=50),
        status="cancelled",
        cancellation_announced_on=TODAY - timedelta(days=80),
    )
    ForumMeeting.objects.create(forum=forum, date=TODAY - timedelta(days=80), status="held")
    ForumMeeting.objects.create(forum=forums["theirs"], date=TODAY + timedelta(days=3))
    client.force_login(chair)
    response = client.get(CHAIR_HOME)
    assert [m.date for m in response.context["upcoming"]] == [TODAY + timedelta(days=14)]
    assert [m.date for m in response.context["recent"]] == [
        TODAY - timedelta(days=20),
        TODAY - timedelta(days=50),
        TODAY - timedelta(days=80),
    ]
    html = response.content.decode()
    assert html.count("Cancelled at short notice") == 1
    assert ">Cancelled</strong>" in html and ">Held</strong>" in html


def test_chair_home_projects_are_paginated(client, chair, forums, directorate):
    make_projects(directorate, total=30, big_i=0, title="Extra")
    client.force_login(chair)
    response = client.get(CHAIR_HOME)
    assert len(response.context["projects"].object_list) == 25
    html = response.content.decode()
    assert 'aria-label="Page 2"' in html
    assert f"?forum={forums['mine'].pk}&amp;page=2" in html


@pytest.mark.parametrize("role", ["ppl", "lead", "su_user"])
def test_only_chairs_reach_the_chair_home(client, request, role):
    client.force_login(request.getfixturevalue(role))
    assert client.get(CHAIR_HOME).status_code == 403


# --- admin home ----------------------------------------------------------------------------------


def test_admin_home_has_the_trust_chart_and_the_flags(client, admin_user, forums):
    client.force_login(admin_user)
    response = client.get(ADMIN_HOME)
    assert response.status_code == 200
    html = response.content.decode()
    assert response.context["figure"].scope_label == "Whole trust"
    assert 'class="pchart-svg"' in html
    # Newham: 4 projects, 2 with Big I; Forensic: 3 with none.
    assert response.context["no_involvement_count"] == 5
    assert f'href="{reverse("charts:no_involvement")}">5 active projects with no involvement' in (
        html
    )
    assert "Directorates and their PPLs" in html  # the table that was there stays


def test_admin_home_flags_a_directorate_whose_big_i_share_fell(client, admin_user):
    falling = DirectorateFactory(name="Tower Hamlets")
    steady = DirectorateFactory(name="City & Hackney")
    # Tower Hamlets: 4 projects, all Big I until October 2024, none since (8 months in a row
    # below the centre line: a shift of concern), so none in April–June 2025 against all in
    # April–June 2024.
    for index in range(4):
        project = ProjectFactory(
            directorate=falling, start_date=date(2024, 1, 10), title=f"TH {index}"
        )
        MembershipFactory(
            project=project, start_date=date(2024, 1, 10), end_date=date(2024, 10, 31)
        )
    make_projects(steady, total=3, big_i=3, title="Steady")
    client.force_login(admin_user)
    response = client.get(ADMIN_HOME)
    flagged = {item.directorate.name: item for item in response.context["falling"]}
    assert "City & Hackney" not in flagged
    reasons = " ".join(flagged["Tower Hamlets"].reasons)
    assert "0% of project-months with Big I in April to June 2025, down from 100%" in reasons
    assert "special cause concern on its chart in April 2025, May 2025, June 2025" in reasons
    html = response.content.decode()
    tower = flagged["Tower Hamlets"].directorate
    assert f'scope=directorate-{tower.pk}">Tower Hamlets</a>: 0% of project-months' in html


def test_no_involvement_list_is_for_admins_and_lists_the_projects(client, admin_user, ppl, forums):
    client.force_login(ppl)
    assert client.get(reverse("charts:no_involvement")).status_code == 403
    assert client.get(ADMIN_HOME).status_code == 403
    client.force_login(admin_user)
    html = client.get(reverse("charts:no_involvement")).content.decode()
    for project in forums["forensic"] + forums["newham"][2:]:
        assert project.title in html
    assert forums["newham"][0].title not in html


# --- small multiples -----------------------------------------------------------------------------


def test_small_multiples_draw_one_chart_per_directorate_linking_to_the_full_chart(
    client, su_user, forums, directorate
):
    DirectorateFactory(name="Primary care")
    ChartPhase.objects.create(month=date(2024, 10, 1), directorate=directorate)
    client.force_login(su_user)
    response = client.get("/charts/directorates/")
    assert response.status_code == 200
    html = response.content.decode()
    charts = {c["directorate"].name: c for c in response.context["charts"]}
    assert set(charts) == {"Newham", "Forensic services", "Primary care"}
    assert html.count('class="pchart-svg"') == 2
    assert charts["Newham"]["figure"].phase_labels == ("2024-10",)
    assert charts["Forensic services"]["figure"].phase_labels == ()
    assert f'href="/charts/pchart/?scope=directorate-{directorate.pk}&amp;measure=big_i"' in html
    assert charts["Primary care"]["svg"] is None
    assert "No project was active in these months." in html
    ids = re.findall(r'<svg[^>]* aria-labelledby="([^"]+)"', html)
    assert len(ids) == len(set(ids)) == 2  # each small chart has its own title and description


def test_small_multiples_take_the_measure_and_months(client, su_user, forums):
    client.force_login(su_user)
    response = client.get(
        "/charts/directorates/", {"measure": "any", "start": "2025-01", "end": "2025-06"}
    )
    newham = next(c for c in response.context["charts"] if c["directorate"].name == "Newham")
    assert [p.label for p in newham["figure"].points][0] == "2025-01"
    assert newham["figure"].measure == "any"
    assert "start=2025-01" in newham["url"] and "end=2025-06" in newham["url"]


def test_small_multiples_bad_month_is_an_error(client, su_user, forums):
    client.force_login(su_user)
    response = client.get("/charts/directorates/", {"start": "2025-06", "end": "2025-01"})
    assert response.status_code == 200
    assert "must not be after the ‘To’ month" in response.content.decode()
    assert response.context["grid"] == ""


def test_small_multiples_query_count_does_not_grow(client, su_user, directorate):
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from involvement.levels import ensure_current_month

    make_projects(directorate, total=3, big_i=1, title="Few")
    ensure_current_month()
    client.force_login(su_user)
    with CaptureQueriesContext(connection) as few:
        client.get("/charts/directorates/")
    make_projects(DirectorateFactory(name="Another"), total=20, big_i=5, title="Many")
    cache.clear()
    with CaptureQueriesContext(connection) as many:
        client.get("/charts/directorates/")
    assert len(few) == len(many)


def test_small_multiples_are_redrawn_after_a_phase_is_saved(client, su_user, forums, directorate):
    """The grid is cached whole; saving a phase (even in the admin site) is a new key."""
    client.force_login(su_user)
    before = client.get("/charts/directorates/").content.decode()
    ChartPhase.objects.create(month=date(2024, 10, 1), directorate=directorate)
    response = client.get("/charts/directorates/")
    newham = next(c for c in response.context["charts"] if c["directorate"].name == "Newham")
    assert newham["figure"].phase_labels == ("2024-10",)
    assert response.content.decode() != before
