"""RSS and Atom feeds of the published stories.

Who may read them (README, "Stories"): signed-in users at ``/stories/feed/``, and a feed reader at
the private address each user is given (``/stories/feed/private/<token>/``), which stops working
when that user changes their password or their account is switched off. The feed is not public:
people consented to their stories being published in the trust's library, not on the open web.

Items carry titles, summaries, easy read summaries, principles and the authors' display names —
no other personal data.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.syndication.views import Feed
from django.urls import reverse, reverse_lazy
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import format_html

from projects.ids import id_from
from stories.models import Story

FEED_LENGTH = 30
_TOKEN_SALT = "stories.feeds.private-feed"  # noqa: S105 - an HMAC salt, not a secret


class StoriesFeed(Feed):
    title = "Big I: co-production stories"
    link = reverse_lazy("stories:library")
    description = (
        "Stories of co-produced quality improvement, from the trust's library of co-production "
        "stories."
    )

    def items(self):
        return Story.objects.published().for_list().order_by("-published_at", "-pk")[:FEED_LENGTH]

    def item_title(self, item: Story) -> str:
        return item.title

    def item_description(self, item: Story) -> str:
        # Feed readers treat the description as HTML: build it with escaping, so a title or
        # summary that contains markup arrives as text.
        summary = format_html("<p>{}</p>", item.summary) if item.summary else ""
        easy_read = (
            format_html("<p>Easy read: {}</p>", item.easy_read_summary)
            if item.easy_read_summary
            else ""
        )
        return summary + easy_read

    def item_link(self, item: Story) -> str:
        return item.get_absolute_url()

    def item_guid(self, item: Story) -> str:
        return item.get_absolute_url()

    def item_pubdate(self, item: Story):
        return item.published_at

    def item_author_name(self, item: Story) -> str:
        return ", ".join(item.author_names)

    def item_categories(self, item: Story) -> list[str]:
        return [principle.label for principle in item.principles]


class StoriesAtomFeed(StoriesFeed):
    feed_type = Atom1Feed
    subtitle = StoriesFeed.description


def _signature(user) -> str:
    # The password hash is part of the message, so changing the password revokes the address
    # (the same trick as Django's password reset links).
    return salted_hmac(_TOKEN_SALT, f"{user.pk}:{user.password}").hexdigest()[:32]


def private_feed_token(user) -> str:
    return f"{user.pk}-{_signature(user)}"


def private_feed_url(user) -> str:
    return reverse("stories:private_feed", kwargs={"token": private_feed_token(user)})


def user_for_feed_token(token: str):
    """The active user a private feed address belongs to, or None."""
    user_pk, _, signature = token.partition("-")
    if id_from(user_pk) is None or not signature:
        return None
    user = get_user_model().objects.filter(pk=id_from(user_pk), is_active=True).first()
    if user is None or not constant_time_compare(signature, _signature(user)):
        return None
    return user
