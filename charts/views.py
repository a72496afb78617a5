from __future__ import annotations

from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from involvement import access, selectors
from involvement.access import Role
from projects.models import Directorate


@access.role_required(Role.ADMIN)
def admin_home(request: HttpRequest) -> HttpResponse:
    directorates = Directorate.objects.prefetch_related(
        Prefetch("staff", queryset=selectors.ppl_users(), to_attr="ppls")
    )
    return render(
        request,
        "charts/admin_home.html",
        {"directorates": directorates, "without_ppl": selectors.directorates_without_ppl()},
    )


@access.role_required(Role.CHAIR)
def chair_home(request: HttpRequest) -> HttpResponse:
    return render(request, "charts/chair_home.html")
