from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from projects.models import Project
from stories import demo
from stories.models import Reflection, ReflectionAuthor, Story, StoryStatus
from tests.factories import DirectorateFactory, ProjectFactory

pytestmark = pytest.mark.django_db

SEED_TITLES = [
    "Increasing Co-production in PP in BCHS",
    "QI Fellow blog",
    "Improving quality of carer contact on Jade Ward",
    "CHN SUCs Lead the Way",
    "Improving engagement in care in the Luton Liaison and Diversion Service",
    "A Carers' Perspective on QI: A personal story",
    "Increasing SUC involvement in TH",
    "Co-producing QI with SUs in TH",
    "Reconnecting with SU QI Coaches and the Community QI Forum in Luton & Beds",
    "The SU Voice at the Heart of the Crisis Pathway QI Forum",
    "Boosting SU Involvement in Forensics",
    "Bridging the Bedford Gap",
]


def seed():
    call_command("seed_demo", "--password", "pw-for-tests-1", stdout=io.StringIO())


def snapshot():
    return (
        sorted(Story.objects.values_list("slug", "status", "published_at")),
        Reflection.objects.count(),
        ReflectionAuthor.objects.count(),
        sorted(Reflection.objects.values_list("project__title", "meeting_date", "comment")),
    )


def test_seed_demo_loads_the_twelve_seed_stories_published_with_consent():
    seed()
    published = Story.objects.published()
    assert sorted(published.values_list("title", flat=True)) == sorted(SEED_TITLES)
    for story in published:
        assert story.principles, story.title
        assert 2 <= story.body.count("\n\n") + 1 <= 4, story.title
        assert all(named.has_consent for named in story.named_people.all())
    assert Story.objects.get(title="Boosting SU Involvement in Forensics").directorate.name == (
        "Forensic services"
    )
    assert Story.objects.get(title="Bridging the Bedford Gap").directorate.slug == (
        "luton-bedfordshire"
    )


def test_some_demo_stories_are_in_review():
    seed()
    in_review = Story.objects.exclude(status=StoryStatus.PUBLISHED)
    assert {s.status for s in in_review} == {
        StoryStatus.SUBMITTED,
        StoryStatus.CHANGES_REQUESTED,
    }
    # One waits on consent, so the demo shows the refusal.
    assert any(named.consent_given_on is None for s in in_review for named in s.named_people.all())


def test_reflections_for_a_dozen_projects_with_anonymous_ones():
    seed()
    projects = Project.objects.filter(charter_reflections__isnull=False).distinct()
    assert projects.count() == 12
    assert ReflectionAuthor.objects.count() < Reflection.objects.count()


def test_seed_demo_is_idempotent_for_stories_and_reflections():
    seed()
    first = snapshot()
    seed()
    assert snapshot() == first


def test_seed_is_deterministic():
    seed()
    first = snapshot()
    Story.objects.all().delete()
    Reflection.objects.all().delete()
    seed()
    assert snapshot() == first


def test_existing_projects_are_used_rather_than_new_ones():
    from involvement import demo as involvement_demo
    from projects import demo as projects_demo

    # Directorates and demo users only: the one project is ours.
    projects_demo.seed_directorates()
    involvement_demo.seed_users("pw", reset_existing=True)
    mine = ProjectFactory(title="A real project", directorate=DirectorateFactory(name="Newham"))
    demo.seed_stories()
    assert list(Project.objects.all()) == [mine]
    assert mine.charter_reflections.exists()
