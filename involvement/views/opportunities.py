"""Opportunities beyond QI projects, for PPLs and admins: list, add, edit, and who is interested."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from involvement import access
from involvement.access import Role
from involvement.choices import OpportunityKind
from involvement.forms.opportunities import OpportunityForm
from involvement.services_people import opportunity_save
from projects.paging import paginate

STAFF = (Role.PPL, Role.ADMIN)


@access.role_required(*STAFF)
def opportunity_list(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    opportunities = access.opportunities_for(request.user).select_related("directorate")
    kind = request.GET.get("kind", "")
    if kind in OpportunityKind.values:
        opportunities = opportunities.filter(kind=kind)
    else:
        kind = ""
    show = request.GET.get("show", "open")
    if show != "all":
        show = "open"
        opportunities = opportunities.open_on(today)
    opportunities = opportunities.annotate(interested_count=Count("interested")).order_by(
        "start_date", "title", "pk"
    )
    return render(
        request,
        "involvement/opportunities/list.html",
        {
            "page": paginate(request, opportunities),
            "kind": kind,
            "kinds": OpportunityKind.choices,
            "show": show,
        },
    )


@access.role_required(*STAFF)
def opportunity_create(request: HttpRequest) -> HttpResponse:
    form = OpportunityForm(request.POST or None, user=request.user)
    if form.is_valid():
        opportunity = opportunity_save(
            opportunity=form.save(commit=False),
            interests=form.cleaned_data["interests"],
            by=request.user,
        )
        messages.success(request, f"“{opportunity.title}” is saved.")
        return redirect("involvement:opportunity_detail", pk=opportunity.pk)
    return render(
        request, "involvement/opportunities/form.html", {"form": form, "opportunity": None}
    )


@access.role_required(*STAFF)
def opportunity_detail(request: HttpRequest, pk: int) -> HttpResponse:
    opportunity = access.get_opportunity_for(request.user, pk)
    interested = opportunity.interested.select_related("person").order_by("created_at", "pk")
    # Names only of people this user may see; the rest are counted.
    shown = paginate(
        request, interested.filter(person__in=access.people_for(request.user).values("pk"))
    )
    return render(
        request,
        "involvement/opportunities/detail.html",
        {
            "opportunity": opportunity,
            "interested": shown,
            "others": interested.count() - shown.paginator.count,
            "can_edit": access.can_edit_opportunity(request.user, opportunity),
            "is_open": opportunity.is_open(timezone.localdate()),
        },
    )


@access.role_required(*STAFF)
def opportunity_edit(request: HttpRequest, pk: int) -> HttpResponse:
    opportunity = access.get_opportunity_for(request.user, pk)
    if not access.can_edit_opportunity(request.user, opportunity):
        raise PermissionDenied
    form = OpportunityForm(request.POST or None, instance=opportunity, user=request.user)
    if form.is_valid():
        opportunity_save(
            opportunity=form.save(commit=False),
            interests=form.cleaned_data["interests"],
            by=request.user,
        )
        messages.success(request, f"“{opportunity.title}” is saved.")
        return redirect("involvement:opportunity_detail", pk=opportunity.pk)
    return render(
        request,
        "involvement/opportunities/form.html",
        {"form": form, "opportunity": opportunity},
    )
