"""COCREATORS charter reflections: the form after a meeting, a project's summary, and the
principles most often not kept across a PPL's directorates."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from involvement import access as involvement_access
from involvement.access import Role
from involvement.months import add_months, month_of
from projects.ids import id_from
from projects.models import Directorate
from projects.paging import paginate
from stories import access, selectors, services
from stories.forms import ReflectionForm

DEFAULT_MEETINGS = 6
MEETING_CHOICES = (3, 6, 12)
PERIODS = {"3": 3, "6": 6, "12": 12, "24": 24, "all": None}
DEFAULT_PERIOD = "12"
PERIOD_LABELS = [(key, f"Last {n} months" if n else "All time") for key, n in PERIODS.items()]


def _project_for_reflections(request, project_id: int):
    """The project, 404 when the user may not see it at all, 403 when they may see it but not
    its reflections."""
    project = involvement_access.get_project_for(request.user, project_id)
    if not access.can_see_reflections(request.user, project):
        raise PermissionDenied
    return project


@login_required
def reflection_new(request: HttpRequest, project_id: int) -> HttpResponse:
    project = _project_for_reflections(request, project_id)
    form = ReflectionForm(
        request.POST or None,
        project=project,
        user=request.user,
        initial={"meeting_date": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.reflection_record(
                project=project,
                by=request.user,
                meeting_date=form.cleaned_data["meeting_date"],
                answers=form.answers(),
                comment=form.cleaned_data["comment"],
                anonymous=form.cleaned_data["anonymous"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if form.cleaned_data["anonymous"]:
                messages.success(request, "Thank you. Your reflection is saved, without your name.")
            else:
                messages.success(request, "Thank you. Your reflection is saved.")
            return redirect("stories:project_reflections", project_id=project.pk)
    return render(request, "stories/reflection_form.html", {"form": form, "project": project})


@login_required
def project_reflections(request: HttpRequest, project_id: int) -> HttpResponse:
    project = _project_for_reflections(request, project_id)
    try:
        meetings = int(request.GET.get("meetings", DEFAULT_MEETINGS))
    except ValueError:
        meetings = DEFAULT_MEETINGS
    if meetings not in MEETING_CHOICES:
        meetings = DEFAULT_MEETINGS
    summary = selectors.principle_summary(project, meetings=meetings)
    comments = paginate(
        request, selectors.reflection_comments(project, meetings=meetings), per_page=20
    )
    return render(
        request,
        "stories/project_reflections.html",
        {
            "project": project,
            "summary": summary,
            "comments": comments,
            "meetings": meetings,
            "meeting_choices": MEETING_CHOICES,
            "can_reflect": access.can_reflect(request.user, project),
        },
    )


def _since(period: str, today: datetime.date) -> datetime.date | None:
    months = PERIODS[period]
    if months is None:
        return None
    # Whole months: the last 12 months are this month and the 11 before it.
    return add_months(month_of(today), -(months - 1))


@involvement_access.role_required(Role.PPL, Role.ADMIN)
def reflections_overview(request: HttpRequest) -> HttpResponse:
    """Across the user's directorates (all, for admins): the principles most often not kept."""
    allowed = access.reflection_directorate_ids(request.user)
    directorates = Directorate.objects.all()
    if allowed is not None:
        directorates = directorates.filter(pk__in=allowed)
    chosen = request.GET.get("directorate", "")
    scope = allowed
    chosen_directorate = None
    if id_from(chosen) is not None:
        chosen_directorate = directorates.filter(pk=id_from(chosen)).first()
        if chosen_directorate is not None:
            scope = frozenset({chosen_directorate.pk})
    period = request.GET.get("period", DEFAULT_PERIOD)
    if period not in PERIODS:
        period = DEFAULT_PERIOD
    since = _since(period, timezone.localdate())
    rows = selectors.principles_not_kept(directorate_ids=scope, since=since)
    projects = selectors.projects_with_reflections(directorate_ids=scope, since=since)
    return render(
        request,
        "stories/reflections_overview.html",
        {
            "rows": rows,
            "any_answers": any(row.answered for row in rows),
            "page": paginate(request, projects, per_page=20),
            "directorates": directorates,
            "chosen_directorate": chosen_directorate,
            "period": period,
            "periods": [
                (key, f"Last {m} months" if m else "All time") for key, m in PERIODS.items()
            ],
            "since": since,
            "trust_wide": allowed is None,
        },
    )
