"""The RSS and Atom feeds: published stories only, signed-in users or a private address."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse

from stories.feeds import private_feed_token, private_feed_url

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def stories(su_user, make_story):
    return {
        "published": make_story(
            su_user,
            title="Published story",
            summary="What we did.",
            easy_read_summary="We did it together.",
            principles=("courage", "respect"),
        ),
        "submitted": make_story(su_user, status="submitted", title="Submitted story"),
        "draft": make_story(su_user, status="draft", title="Draft story"),
    }


def test_the_feed_needs_a_signed_in_user(client, stories):
    for name in ("stories:feed", "stories:feed_atom"):
        response = client.get(reverse(name))
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))


def test_rss_lists_published_stories_with_titles_summaries_and_authors(
    client, chair, su_user, stories
):
    client.force_login(chair)
    response = client.get(reverse("stories:feed"))
    assert response["Content-Type"].startswith("application/rss+xml")
    channel = ET.fromstring(response.content).find("channel")  # noqa: S314 - our own feed
    items = channel.findall("item")
    assert [item.findtext("title") for item in items] == ["Published story"]
    item = items[0]
    assert item.findtext("link").endswith(stories["published"].get_absolute_url())
    assert item.findtext("description") == (
        "<p>What we did.</p><p>Easy read: We did it together.</p>"
    )
    assert {c.text for c in item.findall("category")} == {"Courage", "Respect"}
    assert su_user.get_full_name() in response.content.decode()
    # No personal data beyond the authors' names.
    assert su_user.email not in response.content.decode()


def test_atom_feed(client, chair, stories):
    client.force_login(chair)
    response = client.get(reverse("stories:feed_atom"))
    root = ET.fromstring(response.content)  # noqa: S314 - our own feed
    assert [entry.findtext(f"{ATOM}title") for entry in root.findall(f"{ATOM}entry")] == [
        "Published story"
    ]


def test_a_private_address_works_without_signing_in(client, chair, stories):
    response = client.get(private_feed_url(chair))
    assert response.status_code == 200
    assert b"Published story" in response.content
    assert b"Submitted story" not in response.content


@pytest.mark.parametrize(
    "token",
    ["", "x", "1-", "999999-abc", "abc-def"],
    ids=["empty", "junk", "no-signature", "no-user", "not-a-number"],
)
def test_a_wrong_private_address_is_404(client, chair, stories, token):
    url = reverse("stories:private_feed", kwargs={"token": token or "-"})
    assert client.get(url).status_code == 404


def test_another_users_signature_does_not_work(client, chair, su_user, stories):
    forged = f"{su_user.pk}-{private_feed_token(chair).split('-', 1)[1]}"
    assert client.get(reverse("stories:private_feed", args=[forged])).status_code == 404


def test_changing_the_password_or_switching_the_account_off_revokes_it(client, chair, stories):
    url = private_feed_url(chair)
    chair.set_password("a-new-password-1")
    chair.save()
    assert client.get(url).status_code == 404
    url = private_feed_url(chair)
    assert client.get(url).status_code == 200
    chair.is_active = False
    chair.save()
    assert client.get(url).status_code == 404


def test_the_library_gives_the_user_their_private_address(client, chair, stories):
    client.force_login(chair)
    content = client.get(reverse("stories:library")).content.decode()
    assert private_feed_url(chair) in content
    assert 'type="application/rss+xml"' in content
