"""Template helpers for stories and charter reflections.

``{% load charter %}{% project_reflections project %}`` puts a project's reflections summary on
any page (the project page includes it): it checks the signed-in user may see them and renders
nothing otherwise.
"""

from __future__ import annotations

from fractions import Fraction

from django import template
from django.core.cache import cache
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import mark_safe

from projects.models import Project
from stories import access, selectors
from stories.models import StoryStatus

register = template.Library()

# Comments shown on a page that includes the summary; the reflections page has them all.
COMMENTS_SHOWN = 10
# The key holds the project's page version: this only bounds how long an unread summary stays.
REFLECTIONS_CACHE_SECONDS = 24 * 60 * 60


@register.filter
def percent(share: Fraction | None) -> str:
    """A share as a whole percentage, "67%"; a dash where there were no answers."""
    if share is None:
        return "–"
    return f"{round(float(share) * 100)}%"


@register.simple_tag(takes_context=True)
def project_reflections(context, project, meetings: int = 6) -> str:
    """The summary, cached under the project's page version (a new reflection, or a new name
    of an author, bumps it: stories.signals) and what the reader may do."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not access.can_see_reflections(user, project):
        return ""
    can_reflect = access.can_reflect(user, project)
    key = f"stories:reflections:{project.pk}:{project.page_version}:{meetings}:{can_reflect}"
    html = cache.get(key)
    if html is None:
        comments = selectors.reflection_comments(project, meetings=meetings)
        more_url = ""
        if len(comments) > COMMENTS_SHOWN:
            more_url = reverse("stories:project_reflections", kwargs={"project_id": project.pk})
        html = render_to_string(
            "stories/_project_reflections.html",
            {
                "visible": True,
                "project": project,
                "summary": selectors.principle_summary(project, meetings=meetings),
                "comments": comments[:COMMENTS_SHOWN],
                "more_comments_url": more_url,
                "can_reflect": can_reflect,
            },
        )
        cache.set(key, html, REFLECTIONS_CACHE_SECONDS)
    return mark_safe(html)  # noqa: S308 - rendered by the template engine, autoescaped


@register.inclusion_tag("stories/_reflections_waiting.html", takes_context=True)
def reflection_projects(context) -> dict:
    """The projects the signed-in user is on the team of and may reflect on (for My area)."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"projects": []}
    projects = (
        Project.objects.filter(memberships__person__user=user)
        .not_draft()
        .distinct()
        .order_by("title")[:10]
    )
    return {"projects": list(projects)}


@register.inclusion_tag("stories/_review_waiting.html", takes_context=True)
def stories_to_review(context) -> dict:
    """How many stories wait for the signed-in reviewer (for the PPL home page)."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"count": None}
    waiting = access.reviewable_stories(user).filter(status=StoryStatus.SUBMITTED)
    return {"count": waiting.count()}
