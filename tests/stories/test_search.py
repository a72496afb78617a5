"""Search: PostgreSQL full-text search with ranking; a plain case-insensitive match on SQLite.
Each test runs on whichever database is configured (the suite runs on both)."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from stories.models import Story

pytestmark = pytest.mark.django_db


def published(make_story, author, title, body, days_ago, **fields):
    story = make_story(author, title=title, body=body, **fields)
    Story.objects.filter(pk=story.pk).update(
        published_at=timezone.now() - datetime.timedelta(days=days_ago)
    )
    return Story.objects.get(pk=story.pk)


@pytest.fixture
def library(su_user, make_story):
    return {
        "title": published(
            make_story, su_user, "Wheelchair access to the garden", "We built a ramp.", 30
        ),
        "body": published(
            make_story,
            su_user,
            "A better ward round",
            "Patients asked for a ramp so the wheelchair users could join.",
            1,
        ),
        "other": published(make_story, su_user, "Easy read letters", "Shorter words.", 10),
    }


def test_search_finds_words_in_title_summary_and_body(library, su_user, make_story):
    in_summary = published(
        make_story, su_user, "Forum news", "Nothing here.", 5, summary="A wheelchair story."
    )
    found = set(Story.objects.published().search("wheelchair"))
    assert found == {library["title"], library["body"], in_summary}


def test_search_is_case_insensitive(library):
    assert set(Story.objects.published().search("WHEELCHAIR")) == {
        library["title"],
        library["body"],
    }


def test_empty_search_changes_nothing(library):
    assert Story.objects.published().search("   ").count() == 3


def test_search_order_on_this_database(library):
    results = list(Story.objects.published().search("wheelchair"))
    if connection.vendor == "postgresql":
        # Ranked: a match in the title (weight A) beats a newer match in the body (weight C).
        assert results == [library["title"], library["body"]]
        assert results[0].search_rank > results[1].search_rank
    else:
        # SQLite has no ranking: newest first.
        assert connection.vendor == "sqlite"
        assert results == [library["body"], library["title"]]


def test_search_matches_word_forms_on_postgresql_and_substrings_on_sqlite(library):
    results = set(Story.objects.published().search("ramps"))
    if connection.vendor == "postgresql":
        # English stemming: "ramps" finds "ramp".
        assert results == {library["title"], library["body"]}
    else:
        assert results == set()  # a plain match: "ramps" is not in "ramp"
        assert set(Story.objects.published().search("ram")) == {library["title"], library["body"]}


def test_search_takes_phrases_and_operators_without_error(library):
    # websearch syntax on PostgreSQL; plain text on SQLite. Neither raises on odd input.
    for text in ('"wheelchair access"', "wheelchair -garden", "ramp OR letters", "'; drop", "&|!"):
        list(Story.objects.published().search(text))


def test_library_search_and_filters(client, chair, library, directorate, su_user, make_story):
    tagged = published(
        make_story,
        su_user,
        "Wheelchair football",
        "Sport.",
        3,
        directorate=directorate,
        principles=("courage",),
    )
    client.force_login(chair)
    response = client.get(reverse("stories:library"), {"q": "wheelchair"})
    assert set(response.context["page"].object_list) == {library["title"], library["body"], tagged}
    both = client.get(
        reverse("stories:library"), {"q": "wheelchair", "directorate": directorate.pk}
    )
    assert list(both.context["page"].object_list) == [tagged]
    by_principle = client.get(reverse("stories:library"), {"principle": "courage"})
    assert list(by_principle.context["page"].object_list) == [tagged]
    nothing = client.get(reverse("stories:library"), {"q": "zebra"})
    assert b"No story matches" in nothing.content


def test_bad_filter_values_show_a_message_not_an_error(client, chair, library):
    client.force_login(chair)
    response = client.get(reverse("stories:library"), {"directorate": "abc", "principle": "x"})
    assert response.status_code == 200
    assert response.context["filter_form"].errors
    assert response.context["page"].paginator.count == 3


def test_library_is_paginated(client, chair, su_user, make_story):
    for number in range(12):
        make_story(su_user, title=f"Story {number}")
    client.force_login(chair)
    first = client.get(reverse("stories:library"))
    assert len(first.context["page"].object_list) == 10
    second = client.get(reverse("stories:library"), {"page": 2})
    assert len(second.context["page"].object_list) == 2
    assert client.get(reverse("stories:library"), {"page": "x"}).status_code == 200
