"""The history of a story for admins: every change to its words, status and links, who made it
and when (django-simple-history). The review flow's own events stay on the story's page."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from involvement import access as involvement_access
from involvement.access import Role
from involvement.history import history_entries
from projects.paging import paginate
from stories import access
from stories.models import Story


@involvement_access.role_required(Role.ADMIN)
def story_history(request: HttpRequest, pk: int) -> HttpResponse:
    story = access.get_story_for(request.user, pk=pk)
    entries = history_entries(
        Story.history.filter(id=story.pk).select_related("history_user"), hidden=["slug"]
    )
    context = {
        "title": f"History of “{story.title}”",
        "caption": "Story",
        "back_url": story.get_absolute_url(),
        "back_label": "Back to the story",
        "page": paginate(request, entries, per_page=25),
    }
    return render(request, "involvement/protection/history.html", context)
