from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from involvement import access, levels, selectors
from involvement.access import Role
from projects.models import Directorate
from projects.paging import paginate


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Send each person to the home page of their role (the design's "home pages by role")."""
    return redirect(access.home_url(request.user))


@login_required
def no_role(request: HttpRequest) -> HttpResponse:
    if access.roles_of(request.user):
        return redirect("home")
    return render(request, "involvement/no_role.html")


@access.role_required(Role.PPL)
def ppl_home(request: HttpRequest) -> HttpResponse:
    directorates = Directorate.objects.filter(pk__in=access.ppl_directorate_ids(request.user))
    levels.ensure_current_month()
    quiet_projects = selectors.projects_without_involvement(
        directorate_ids=access.ppl_directorate_ids(request.user), month=levels.current_month()
    ).order_by("directorate__name", "title")
    return render(
        request,
        "involvement/ppl_home.html",
        {
            "directorates": directorates,
            "quiet_projects": paginate(request, quiet_projects, param="quiet"),
        },
    )


@access.role_required(Role.SU)
def my_area(request: HttpRequest) -> HttpResponse:
    return render(request, "involvement/my_area.html")
