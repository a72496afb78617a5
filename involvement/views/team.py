"""A project's team memberships (Big I) and little-i activities, changed from the project page.

Everyone who may edit the project may use these (admins, PPLs of its directorate, its lead); the
people they can pick come from the register as they may see it (``access.team_candidates_for``).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import ProtectedError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from involvement import access, services
from involvement.forms.team import ActivityForm, MembershipEndForm, MembershipForm
from projects.views.projects import add_service_errors


@login_required
def membership_add(request: HttpRequest, pk: int) -> HttpResponse:
    project = access.get_project_to_change(request.user, pk)
    candidates = access.team_candidates_for(request.user, project)
    form = MembershipForm(request.POST or None, project=project, candidates=candidates)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            membership = services.membership_add(
                project=project,
                person=data["person"],
                role=data["role"],
                start_date=data["start_date"],
                end_date=data["end_date"],
                by=request.user,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"{membership.person} added to the team.")
            return redirect("projects:detail", pk=project.pk)
    return render(
        request,
        "involvement/membership_form.html",
        {"form": form, "project": project, "has_candidates": candidates.exists()},
    )


def _membership(request, pk: int, membership_pk: int):
    project = access.get_project_to_change(request.user, pk)
    membership = get_object_or_404(
        project.memberships.select_related("person", "project"), pk=membership_pk
    )
    return project, membership


@login_required
def membership_end(request: HttpRequest, pk: int, membership_pk: int) -> HttpResponse:
    project, membership = _membership(request, pk, membership_pk)
    name = membership.person.name
    form = MembershipEndForm(request.POST or None, instance=membership)
    if request.method == "POST" and form.is_valid():
        try:
            services.membership_end(membership=membership, end_date=form.cleaned_data["end_date"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"{name}'s membership of the team ended.")
            return redirect("projects:detail", pk=project.pk)
    return render(
        request,
        "involvement/membership_end.html",
        {"form": form, "project": project, "membership": membership, "name": name},
    )


@login_required
def membership_remove(request: HttpRequest, pk: int, membership_pk: int) -> HttpResponse:
    project, membership = _membership(request, pk, membership_pk)
    if request.method == "POST":
        name = membership.person.name
        try:
            services.membership_remove(membership=membership)
        except ProtectedError:
            # Payment claims point at it: money records are never lost.
            messages.error(
                request,
                f"{name}'s membership has payment claims, so it cannot be removed. End the "
                "membership instead.",
            )
        else:
            messages.success(request, f"{name} removed from the team.")
        return redirect("projects:detail", pk=project.pk)
    return render(
        request,
        "involvement/confirm_remove.html",
        {
            "project": project,
            "heading": f"Remove {membership.person.name} from the team?",
            "explanation": "This deletes the membership as if it was never logged. To record "
            "that they left the team, end the membership instead.",
            "button": "Remove from the team",
        },
    )


@login_required
def activity_add(request: HttpRequest, pk: int) -> HttpResponse:
    project = access.get_project_to_change(request.user, pk)
    candidates = access.team_candidates_for(request.user, project)
    form = ActivityForm(request.POST or None, project=project, candidates=candidates)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            activity = services.activity_add(
                project=project,
                kind=data["kind"],
                date=data["date"],
                participants=data["participants"],
                note=data["note"],
                people=data.get("people") or (),
                by=request.user,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"{activity} added.")
            return redirect("projects:detail", pk=project.pk)
    return render(request, "involvement/activity_form.html", {"form": form, "project": project})


@login_required
def activity_remove(request: HttpRequest, pk: int, activity_pk: int) -> HttpResponse:
    project = access.get_project_to_change(request.user, pk)
    activity = get_object_or_404(project.activities.select_related("project"), pk=activity_pk)
    if request.method == "POST":
        try:
            services.activity_remove(activity=activity)
        except ProtectedError:
            messages.error(request, f"The {activity} has payment claims, so it cannot be removed.")
        else:
            messages.success(request, f"{activity} removed.")
        return redirect("projects:detail", pk=project.pk)
    return render(
        request,
        "involvement/confirm_remove.html",
        {
            "project": project,
            "heading": f"Remove the {activity.get_kind_display().lower()} of "
            f"{activity.date:%-d %B %Y}?",
            "explanation": "This deletes the activity as if it was never logged.",
            "button": "Remove activity",
        },
    )
