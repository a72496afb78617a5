from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from involvement import access
from involvement.access import Role
from projects.glossary import GLOSSARY


def glossary(request: HttpRequest) -> HttpResponse:
    """Open to everyone, signed in or not: the acronym sheet the seed asks for."""
    terms = sorted(GLOSSARY.items(), key=lambda item: item[0].lower())
    return render(request, "projects/glossary.html", {"terms": terms})


@access.role_required(Role.LEAD)
def lead_home(request: HttpRequest) -> HttpResponse:
    directorates = request.user.directorates.all()
    return render(request, "projects/lead_home.html", {"directorates": directorates})
