from __future__ import annotations

from django.db.models import Case, IntegerField, Q, Value, When
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from involvement import access, levels
from involvement.access import Role
from projects import fragments
from projects.glossary import GLOSSARY
from projects.models import Project, ProjectStatus
from projects.paging import paginate
from projects.presenters import STALE_AFTER_MONTHS, months_before, progress_of


def glossary(request: HttpRequest) -> HttpResponse:
    """Open to everyone, signed in or not: the acronym sheet the seed asks for."""
    terms = sorted(GLOSSARY.items(), key=lambda item: item[0].lower())
    return render(request, "projects/glossary.html", {"terms": terms})


@access.role_required(Role.LEAD)
def lead_home(request: HttpRequest) -> HttpResponse:
    """The project lead's home: their projects with level badges, progress scores gone stale and
    ended projects whose outcome is not recorded."""
    levels.ensure_current_month()
    # Read when the page's fragment is rendered, not when it is served from the cache.
    context = fragments.lazy_context(
        _lead_home_context, request, names=("page", "stale", "missing_outcome")
    )
    context["stale_months"] = STALE_AFTER_MONTHS
    return render(request, "projects/lead_home.html", context)


def _lead_home_context(request: HttpRequest) -> dict:
    today = timezone.localdate()
    cutoff = months_before(today, STALE_AFTER_MONTHS)
    mine = (
        Project.objects.filter(lead=request.user).select_related("directorate").with_latest_score()
    )
    stale = mine.filter(status=ProjectStatus.ACTIVE).filter(
        Q(latest_score_date__lt=cutoff) | Q(latest_score_date__isnull=True, start_date__lt=cutoff)
    )
    # Running projects first, then drafts, then ended ones.
    rank = Case(
        When(status=ProjectStatus.ACTIVE, then=Value(0)),
        When(status=ProjectStatus.DRAFT, then=Value(1)),
        default=Value(2),
        output_field=IntegerField(),
    )
    page = paginate(request, mine.order_by(rank, "title", "pk"))
    for project in page:
        project.progress = progress_of(project, today=today)
    return {
        "page": page,
        "stale": paginate(request, stale.order_by("title", "pk"), param="stale"),
        "missing_outcome": paginate(
            request, mine.missing_outcome().order_by("-end_date", "pk"), param="outcomes"
        ),
    }
