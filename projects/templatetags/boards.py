"""Idea boards on other pages: a forum's and a project's boards with the link to open one, and the
boards waiting for a service user in My area. Each goes through the access rules."""

from __future__ import annotations

from django import template

from involvement import access

register = template.Library()

SHOWN = 5


def _user(context):
    request = context.get("request")
    user = getattr(request, "user", None)
    return user if user is not None and user.is_authenticated else None


@register.inclusion_tag("projects/boards/_links.html", takes_context=True)
def forum_boards(context, forum) -> dict:
    user = _user(context)
    if user is None:
        return {"visible": False}
    boards = access.boards_for(user).filter(meeting__forum=forum)
    return {
        "visible": True,
        "boards": list(
            boards.select_related("meeting__forum").order_by("-opened_on", "-pk")[:SHOWN]
        ),
        "more": boards.count() > SHOWN,
        "can_open": access.can_open_board_for_forum(user, forum),
        "open_url_name": "boards:open_for_forum",
        "target": forum,
    }


@register.inclusion_tag("projects/boards/_links.html", takes_context=True)
def project_boards(context, project) -> dict:
    user = _user(context)
    if user is None:
        return {"visible": False}
    boards = access.boards_for(user).filter(project=project)
    return {
        "visible": True,
        "boards": list(boards.select_related("project").order_by("-opened_on", "-pk")[:SHOWN]),
        "more": boards.count() > SHOWN,
        "can_open": access.can_open_board_for_project(user, project),
        "open_url_name": "boards:open_for_project",
        "target": project,
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
    return {"boards": list(boards[:SHOWN]), "more": boards.count() > SHOWN}
