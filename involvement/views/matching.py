"""Matching people with projects that need a service user or carer on the team (PPLs and
admins). The ranking itself is ``involvement.matching`` (pure); this is its pages."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from involvement import access, selectors_people
from involvement.access import Role
from involvement.forms.role_descriptions import ProjectNeedsForm
from involvement.models import ProjectNeeds
from involvement.services_people import project_needs_save, role_description_draft_for_team
from projects.paging import paginate

STAFF = (Role.PPL, Role.ADMIN)


@access.role_required(*STAFF)
def matching_projects(request: HttpRequest) -> HttpResponse:
    """Open projects of the user's directorates with no service user or carer on the team."""
    today = timezone.localdate()
    projects = (
        selectors_people.projects_needing_su(access.matching_projects_for(request.user), today)
        .select_related("directorate", "needs")
        .prefetch_related("needs__interests")
        .order_by("directorate__name", "title", "pk")
    )
    return render(
        request, "involvement/matching/projects.html", {"page": paginate(request, projects)}
    )


@access.role_required(*STAFF)
def project_matches(request: HttpRequest, project_pk: int) -> HttpResponse:
    project = access.get_matching_project_for(request.user, project_pk)
    today = timezone.localdate()
    matches = selectors_people.matches_for_project(project, today)
    people = {
        p.pk: p
        for p in access.people_for(request.user).filter(pk__in=[m.profile.key for m in matches])
    }
    rows = [(people[m.profile.key], m) for m in matches if m.profile.key in people]
    has_su = (
        selectors_people.with_current_su(type(project).objects.filter(pk=project.pk), today)
        .values_list("has_current_su", flat=True)
        .first()
    )
    needs = ProjectNeeds.objects.filter(project=project).prefetch_related("interests").first()
    return render(
        request,
        "involvement/matching/project.html",
        {
            "project": project,
            "needs": needs,
            "page": paginate(request, rows),
            "has_su": has_su,
        },
    )


@access.role_required(*STAFF)
def project_needs_edit(request: HttpRequest, project_pk: int) -> HttpResponse:
    project = access.get_matching_project_for(request.user, project_pk)
    needs = ProjectNeeds.objects.filter(project=project).first() or ProjectNeeds(project=project)
    form = ProjectNeedsForm(request.POST or None, instance=needs)
    if form.is_valid():
        project_needs_save(
            needs=form.save(commit=False),
            interests=form.cleaned_data["interests"],
            by=request.user,
        )
        messages.success(request, "What the project needs is saved.")
        return redirect("involvement:project_matches", project_pk=project.pk)
    return render(
        request, "involvement/matching/needs_form.html", {"form": form, "project": project}
    )


@access.role_required(*STAFF)
@require_POST
def invite_to_team(request: HttpRequest, project_pk: int, person_pk: int) -> HttpResponse:
    """One click: a draft role description for this person on this project."""
    project = access.get_matching_project_for(request.user, project_pk)
    person = access.get_person_for(request.user, person_pk)
    description, created = role_description_draft_for_team(
        person=person, project=project, by=request.user
    )
    if created:
        messages.success(
            request,
            f"A draft role description for {person.name} on “{project.title}” is ready. "
            "Check it, then agree it with them.",
        )
    else:
        messages.info(request, f"{person.name} already has a draft role description for this.")
    return redirect("involvement:role_description_edit", pk=description.pk)
