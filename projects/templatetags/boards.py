"""Idea boards on other pages: a forum's and a project's boards with the link to open one, and the
boards waiting for a service user in My area. Each goes through the access rules."""

from __future__ import annotations

from django import template
from django.urls import reverse

from involvement import access

register = template.Library()

SHOWN = 5


def _user(context):
    request = context.get("request")
    user = getattr(request, "user", None)
    return user if user is not None and user.is_authenticated else None


@register.inclusion_tag("projects/boards/_links.html", takes_context=True)
def forum_boards(context, forum) -> dict:
    """For those who may open a board for the forum: the link to open one and to its boards.
    No query of its own (the forum and project pages keep a fixed query budget)."""
    user = _user(context)
    if user is None or not access.can_open_board_for_forum(user, forum):
        return {"visible": False}
    return {
        "visible": True,
        "open_url": reverse("boards:open_for_forum", args=[forum.pk]),
        "list_url": f"{reverse('boards:list')}?forum={forum.pk}",
        "of": "this forum's",
    }


@register.inclusion_tag("projects/boards/_links.html", takes_context=True)
def project_boards(context, project) -> dict:
    user = _user(context)
    if user is None or not access.can_open_board_for_project(user, project):
        return {"visible": False}
    return {
        "visible": True,
        "open_url": reverse("boards:open_for_project", args=[project.pk]),
        "list_url": f"{reverse('boards:list')}?project={project.pk}",
        "of": "this project's",
    }


@register.inclusion_tag("projects/boards/_waiting.html", takes_context=True)
def boards_waiting(context) -> dict:
    """Open boards the signed-in person is invited to (for My area)."""
    user = _user(context)
    if user is None:
        return {"boards": []}
    boards = (
        access.boards_for(user)
        .open()
        .filter(participants__user=user)
        .select_related("project", "meeting__forum")
        .order_by("-opened_on", "-pk")
    )
    found = list(boards[: SHOWN + 1])  # one more than shown says whether there are more
    return {"boards": found[:SHOWN], "more": len(found) > SHOWN}
