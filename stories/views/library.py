"""Reading stories: the library, a story's page, its print view, and the feeds."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from involvement import access as involvement_access
from projects import fragments
from projects.paging import paginate
from stories import access, selectors
from stories.feeds import StoriesAtomFeed, StoriesFeed, private_feed_url, user_for_feed_token
from stories.forms import LibraryFilterForm
from stories.models import StoryStatus

STORIES_PER_PAGE = 10


@login_required
def library(request: HttpRequest) -> HttpResponse:
    # Read when the page's fragment is rendered, not when it is served from the cache.
    context = fragments.lazy_context(_library_context, request, names=LIBRARY_NAMES)
    return render(request, "stories/library.html", context)


LIBRARY_NAMES = ("filter_form", "page", "filtered", "private_feed_url", "can_review")


def _library_context(request: HttpRequest) -> dict:
    form = LibraryFilterForm(request.GET or None)
    text, directorate, principle = "", None, ""
    if form.is_valid():
        text = form.cleaned_data["q"]
        directorate = form.cleaned_data["directorate"]
        principle = form.cleaned_data["principle"]
    stories = selectors.library(
        text=text,
        directorate_id=directorate.pk if directorate else None,
        principle=principle,
    )
    return {
        "filter_form": form,
        "page": paginate(request, stories, per_page=STORIES_PER_PAGE),
        "filtered": bool(text.strip() or directorate or principle),
        "private_feed_url": request.build_absolute_uri(private_feed_url(request.user)),
        "can_review": involvement_access.is_admin(request.user)
        or involvement_access.is_ppl(request.user),
    }


@login_required
def story_detail(request: HttpRequest, slug: str) -> HttpResponse:
    story = access.get_story_for(request.user, slug=slug)
    user = request.user
    is_author = access.is_author(user, story)
    is_reviewer = access.is_reviewer(user, story)
    # Authors and reviewers follow the story through review; readers see only the story.
    behind_the_scenes = is_author or is_reviewer
    context = {
        "story": story,
        "related": selectors.related_stories(story) if story.is_published else [],
        "behind_the_scenes": behind_the_scenes,
        "events": story.events.select_related("by") if behind_the_scenes else [],
        "named_people": story.named_people.all() if behind_the_scenes else [],
        "can_edit": access.can_edit_story(user, story),
        "can_submit": access.can_submit_story(user, story),
        "can_review": access.can_review_story(user, story),
        "can_withdraw": access.can_withdraw_story(user, story),
        "can_name_people": access.can_name_people(user, story),
        "is_withdrawn": story.status == StoryStatus.WITHDRAWN,
        "can_see_history": involvement_access.can_see_audit_trail(user),
    }
    return render(request, "stories/detail.html", context)


@login_required
def story_print(request: HttpRequest, slug: str) -> HttpResponse:
    """The story alone, laid out for paper: "to share at your QI forum"."""
    story = access.get_story_for(request.user, slug=slug)
    return render(request, "stories/print.html", {"story": story})


rss_feed = login_required(StoriesFeed())
atom_feed = login_required(StoriesAtomFeed())
_private_feed = StoriesFeed()


def private_feed(request: HttpRequest, token: str) -> HttpResponse:
    """The RSS feed for a feed reader, which cannot sign in: the address is the key."""
    if user_for_feed_token(token) is None:
        raise Http404("No such feed.")
    return _private_feed(request)
