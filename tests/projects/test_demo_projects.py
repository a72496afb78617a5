"""The demo projects: about 150 over five years, Big I stepping up from ~20% to ~45%, outcomes
favouring Big I, forums and meetings; deterministic and idempotent."""

from __future__ import annotations

import datetime

import pytest
import time_machine

from involvement import demo as involvement_demo
from involvement import levels
from involvement.models import Activity, Person, ProjectMonth, TeamMembership
from involvement.months import add_months
from projects import demo
from projects.models import Forum, ForumMeeting, ProgressScore, Project

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2025, 6, 15)


def counts() -> tuple[int, ...]:
    return tuple(
        model.objects.count()
        for model in (
            Project,
            TeamMembership,
            Activity,
            ProgressScore,
            Person,
            Forum,
            ForumMeeting,
            ProjectMonth,
        )
    )


@pytest.fixture
def seeded():
    levels.reset_month_check()
    with time_machine.travel(TODAY):
        demo.seed_directorates()
        involvement_demo.seed_users("demo-password-1", reset_existing=False)
        created = demo.seed_projects()
    yield created
    levels.reset_month_check()


def test_about_150_projects_over_five_years(seeded):
    assert seeded == Project.objects.count()
    assert 140 <= seeded <= 160
    first = Project.objects.order_by("start_date").first().start_date
    assert first >= datetime.date(2020, 6, 1)
    assert Project.objects.filter(status="draft").exists()
    assert Project.objects.values("directorate").distinct().count() >= 8


def test_running_it_again_changes_nothing(seeded):
    before = counts()
    with time_machine.travel(TODAY):
        assert demo.seed_projects() == 0
    assert counts() == before


def test_big_i_steps_up_from_about_20_to_about_45_percent(seeded):
    with time_machine.travel(TODAY):
        series = levels.involvement_series()
    step = add_months(datetime.date(2025, 6, 1), -demo.STEP_MONTHS_AGO)

    def share(rows):
        return sum(r.big_i for r in rows) / sum(r.active for r in rows)

    before = [r for r in series if add_months(step, -24) <= r.month < step]
    after = [r for r in series if r.month >= add_months(step, 1)]
    assert 0.15 <= share(before) <= 0.25
    assert 0.40 <= share(after) <= 0.52
    # A sustained shift, not a drift: every month after the step is above every month before.
    assert min(r.big_i / r.active for r in after) > max(r.big_i / r.active for r in before)


def test_projects_with_big_i_reach_their_aim_about_2_8_times_as_often(seeded):
    ended = Project.objects.ended_with_outcome()

    def reached(level):
        group = ended.filter(overall_level=level)
        return group.filter(aim_reached="yes").count() / group.count()

    ratio = reached(2) / reached(0)
    assert 2.2 <= ratio <= 3.4


def test_demo_lead_leads_newham_projects_with_things_to_do(seeded):
    from django.contrib.auth import get_user_model

    lead = get_user_model().objects.get(username="lead")
    theirs = Project.objects.filter(lead=lead)
    assert theirs.count() >= 4
    assert set(theirs.values_list("directorate__name", flat=True)) == {"Newham"}
    assert theirs.missing_outcome().exists()


def test_forums_with_the_demo_chair_and_short_notice_cancellations(seeded):
    from django.contrib.auth import get_user_model

    chair = get_user_model().objects.get(username="chair")
    assert Forum.objects.count() == len(demo.FORUMS)
    chaired = Forum.objects.get(chair=chair)
    recent = chaired.meetings.short_notice_cancellations().filter(
        date__gte=TODAY - datetime.timedelta(days=365), date__lte=TODAY
    )
    assert recent.count() >= 2
    assert chaired.meetings.filter(status="planned", date__gt=TODAY).exists()
    # Every directorate of the seed belongs to a forum.
    assert not Project.objects.exclude(directorate__forums__isnull=False).exists()


def test_memberships_use_the_directorates_people(seeded):
    for membership in TeamMembership.objects.select_related("project", "person")[:50]:
        assert membership.person.directorates.filter(pk=membership.project.directorate_id).exists()
