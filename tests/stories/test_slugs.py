from __future__ import annotations

import pytest
from django.urls import resolve

from stories import services
from stories.models import RESERVED_SLUGS, Story

pytestmark = pytest.mark.django_db


def create(user, title):
    return services.story_create(author=user, title=title, body="Body.")


def test_a_duplicate_title_gets_the_next_free_slug(su_user):
    slugs = [create(su_user, "Bridging the Bedford Gap").slug for _ in range(3)]
    assert slugs == ["bridging-the-bedford-gap", "bridging-the-bedford-gap-2",
                     "bridging-the-bedford-gap-3"]  # fmt: skip


def test_a_freed_number_is_reused_and_others_are_not(su_user):
    create(su_user, "Same")
    second = create(su_user, "Same")
    create(su_user, "Same")
    second.delete()
    assert create(su_user, "Same").slug == "same-2"
    assert create(su_user, "Same").slug == "same-4"


def test_a_similar_longer_title_is_not_a_clash(su_user):
    create(su_user, "Garden")
    assert create(su_user, "Garden party").slug == "garden-party"
    assert create(su_user, "Garden").slug == "garden-2"


@pytest.mark.parametrize("word", sorted(RESERVED_SLUGS))
def test_titles_that_are_path_words_do_not_take_the_path(su_user, word):
    story = create(su_user, word.capitalize())
    assert story.slug == f"{word}-2"
    assert resolve(story.get_absolute_url()).url_name == "detail"


def test_titles_without_letters_still_get_a_slug(su_user):
    assert create(su_user, "!!!").slug == "story"
    assert create(su_user, "???").slug == "story-2"
    assert create(su_user, "Über café").slug == "uber-cafe"


def test_the_slug_stays_when_the_title_changes(su_user):
    story = create(su_user, "First title")
    services.story_update(story=story, by=su_user, title="Second title")
    story.refresh_from_db()
    assert story.title == "Second title"
    assert story.slug == "first-title"
    assert Story.objects.count() == 1


def test_a_very_long_title_makes_a_slug_that_fits(su_user):
    title = "wordy " * 33  # 198 characters
    story = create(su_user, title)
    again = create(su_user, title)
    assert len(again.slug) <= 220
    assert again.slug == f"{story.slug}-2"
