"""QI forum pages: the list, a forum's page with its meetings, and adding or editing a meeting.
Forums themselves (name, directorates, chair) are kept in the admin site."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Min, Prefetch, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from involvement import access, levels
from involvement.access import Role
from projects import services
from projects.forms import ForumMeetingForm
from projects.models import Directorate, ForumMeeting, Level, Project, ProjectStatus
from projects.paging import paginate
from projects.views.projects import add_service_errors


@access.role_required(Role.ADMIN, Role.PPL, Role.LEAD, Role.CHAIR)
def forum_list(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    forums = (
        access.forums_for(request.user)
        .select_related("chair")
        .prefetch_related(Prefetch("directorates", queryset=Directorate.objects.order_by("name")))
        .annotate(next_meeting=Min("meetings__date", filter=Q(meetings__date__gte=today)))
        .order_by("name")
    )
    return render(request, "forums/forum_list.html", {"page": paginate(request, forums)})


@access.role_required(Role.ADMIN, Role.PPL, Role.LEAD, Role.CHAIR)
def forum_detail(request: HttpRequest, pk: int) -> HttpResponse:
    levels.ensure_current_month()
    forum = access.get_forum_for(request.user, pk)
    today = timezone.localdate()
    directorates = list(forum.directorates.order_by("name"))
    meetings = forum.meetings.order_by("-date")
    year_ago = today - datetime.timedelta(days=365)
    short_notice = meetings.short_notice_cancellations().filter(date__gte=year_ago, date__lte=today)
    # Projects by level, for the forum's directorates (counts only: no names here).
    by_level = dict(
        Project.objects.filter(directorate__in=directorates, status=ProjectStatus.ACTIVE)
        .values_list("current_level")
        .annotate(count=Count("pk"))
    )
    return render(
        request,
        "forums/forum_detail.html",
        {
            "forum": forum,
            "directorates": directorates,
            "meetings": paginate(request, meetings),
            "short_notice": paginate(request, short_notice, param="short"),
            "can_manage": access.can_manage_meetings(request.user, forum),
            "levels": [(Level(level), by_level.get(level, 0)) for level in reversed(Level.values)],
        },
    )


def _forum_to_manage(user, pk: int):
    forum = access.get_forum_for(user, pk)
    if not access.can_manage_meetings(user, forum):
        raise PermissionDenied
    return forum


@login_required
def meeting_add(request: HttpRequest, pk: int) -> HttpResponse:
    forum = _forum_to_manage(request.user, pk)
    meeting = ForumMeeting(forum=forum)
    form = ForumMeetingForm(request.POST or None, instance=meeting)
    if request.method == "POST" and form.is_valid():
        try:
            services.forum_meeting_save(meeting=form.save(commit=False))
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"Meeting on {meeting.date:%-d %B %Y} saved.")
            return redirect("forums:detail", pk=forum.pk)
    return render(
        request,
        "forums/meeting_form.html",
        {"form": form, "forum": forum, "heading": f"Add a meeting of {forum.name}"},
    )


@login_required
def meeting_edit(request: HttpRequest, pk: int, meeting_pk: int) -> HttpResponse:
    forum = _forum_to_manage(request.user, pk)
    meeting = get_object_or_404(forum.meetings, pk=meeting_pk)
    heading = f"Edit the meeting of {meeting.date:%-d %B %Y}"  # before the form changes it
    form = ForumMeetingForm(request.POST or None, instance=meeting)
    if request.method == "POST" and form.is_valid():
        try:
            services.forum_meeting_save(meeting=form.save(commit=False))
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"Meeting on {meeting.date:%-d %B %Y} saved.")
            return redirect("forums:detail", pk=forum.pk)
    return render(
        request,
        "forums/meeting_form.html",
        {"form": form, "forum": forum, "heading": heading},
    )
