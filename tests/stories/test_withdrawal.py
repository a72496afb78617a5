"""A withdrawn story disappears from every list, page, search, related list and feed at once."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse

from stories import selectors
from stories.models import Story, StoryStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def pair(su_user, directorate, make_story):
    """Two published stories that are related (same directorate, same principle)."""
    kept = make_story(
        su_user,
        title="Kept story about gardening",
        body="We planted a garden together.",
        directorate=directorate,
        principles=("courage",),
    )
    going = make_story(
        su_user,
        title="Going story about gardening",
        body="We planted a garden together too.",
        directorate=directorate,
        principles=("courage",),
    )
    return kept, going


def withdraw(client, reviewer, story, reason="Their consent is withdrawn."):
    client.force_login(reviewer)
    return client.post(reverse("stories:withdraw", args=[story.pk]), {"reason": reason})


def test_published_queryset_is_the_one_gate(su_user, make_story):
    states = ("draft", "submitted", "changes_requested", "published", "withdrawn")
    stories = {status: make_story(su_user, status=status, title=status) for status in states}
    assert list(Story.objects.published()) == [stories["published"]]


def test_withdrawing_keeps_the_story_with_its_reason(client, ppl, pair):
    _, going = pair
    response = withdraw(client, ppl, going)
    assert response.status_code == 302
    going.refresh_from_db()
    assert going.status == StoryStatus.WITHDRAWN
    assert going.withdrawal_reason == "Their consent is withdrawn."
    assert going.withdrawn_by == ppl
    assert Story.objects.filter(pk=going.pk).exists()  # not deleted


def test_withdrawing_needs_a_reason(client, ppl, pair):
    _, going = pair
    response = withdraw(client, ppl, going, reason="")
    assert response.status_code == 200
    assert response.context["form"].errors["reason"]
    going.refresh_from_db()
    assert going.status == StoryStatus.PUBLISHED


@pytest.mark.parametrize("who", ["su_user", "chair", "other_ppl"])
def test_only_reviewers_withdraw(client, request, pair, who):
    _, going = pair
    client.force_login(request.getfixturevalue(who))
    assert (
        client.post(reverse("stories:withdraw", args=[going.pk]), {"reason": "x"}).status_code
        == 403
    )
    going.refresh_from_db()
    assert going.status == StoryStatus.PUBLISHED


def test_withdrawn_story_is_gone_from_list_page_search_related_and_feed(client, ppl, chair, pair):
    kept, going = pair
    client.force_login(chair)
    # Before: everywhere.
    assert going in client.get(reverse("stories:library")).context["page"].object_list
    assert client.get(going.get_absolute_url()).status_code == 200
    assert going in selectors.related_stories(kept)
    assert b"Going story" in client.get(reverse("stories:feed")).content

    withdraw(client, ppl, going)

    client.force_login(chair)
    library = client.get(reverse("stories:library"))
    assert list(library.context["page"].object_list) == [kept]
    assert b"Going story" not in library.content
    assert client.get(going.get_absolute_url()).status_code == 404
    assert client.get(reverse("stories:print", args=[going.slug])).status_code == 404
    search = client.get(reverse("stories:library"), {"q": "gardening"})
    assert list(search.context["page"].object_list) == [kept]
    assert selectors.related_stories(kept) == []
    kept_page = client.get(kept.get_absolute_url())
    assert list(kept_page.context["related"]) == []
    for feed in ("stories:feed", "stories:feed_atom"):
        body = client.get(reverse(feed)).content
        assert b"Going story" not in body
        assert b"Kept story" in body
        ET.fromstring(body)  # noqa: S314 - our own feed, still well formed


def test_filters_never_bring_a_withdrawn_story_back(client, ppl, chair, directorate, pair):
    _, going = pair
    withdraw(client, ppl, going)
    client.force_login(chair)
    for params in ({"directorate": directorate.pk}, {"principle": "courage"}):
        stories = client.get(reverse("stories:library"), params).context["page"].object_list
        assert going not in stories


def test_authors_and_reviewers_still_see_it_marked_withdrawn(client, su_user, ppl, pair):
    _, going = pair
    withdraw(client, ppl, going)
    for user in (su_user, ppl):
        client.force_login(user)
        page = client.get(going.get_absolute_url())
        assert page.status_code == 200
        assert b"Withdrawn" in page.content
        assert b"Their consent is withdrawn." in page.content
