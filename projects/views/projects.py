"""QI project pages: the list, a project's page, and the forms that change a project."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST

from involvement import access, levels
from involvement.access import Role
from projects import fragments, services
from projects.forms import ProgressScoreForm, ProjectFilterForm, ProjectForm
from projects.models import Project, ProjectStatus
from projects.paging import paginate
from projects.presenters import MONTH_ABBREVIATIONS, level_strip, progress_of

# The key holds every input (see _involvement_html): this only bounds how long an unused page stays.
INVOLVEMENT_CACHE_SECONDS = 24 * 60 * 60


def add_service_errors(form, error: ValidationError) -> None:
    """Show a service's ValidationError on the form: on its field when the form has it, above
    the form otherwise (never a 500)."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, errors in error.message_dict.items():
        form.add_error(field if field in form.fields else None, errors)


@login_required
def project_list(request: HttpRequest) -> HttpResponse:
    levels.ensure_current_month()
    user = request.user
    # The list is read when the page's fragment is rendered, not when it is served from the cache.
    context = fragments.lazy_context(
        _project_list_context, request, names=("filters", "page", "show_lead_column")
    )
    context["can_create"] = access.can_create_project(user)
    context["can_see_forums"] = access.has_role(user, Role.ADMIN, Role.PPL, Role.LEAD, Role.CHAIR)
    return render(request, "projects/project_list.html", context)


def _project_list_context(request: HttpRequest) -> dict:
    user = request.user
    form = ProjectFilterForm(request.GET or None)
    projects = (
        form.filter(access.projects_for(user))
        .select_related("directorate", "lead")
        .order_by("title", "pk")
    )
    page = paginate(request, projects)
    on_page = [project.pk for project in page]
    named = set(
        access.projects_with_names_for(user).filter(pk__in=on_page).values_list("pk", flat=True)
    )
    for project in page:
        project.show_lead = project.pk in named
    return {"filters": form, "page": page, "show_lead_column": bool(named)}


@login_required
def project_detail(request: HttpRequest, pk: int) -> HttpResponse:
    levels.ensure_current_month()
    # Now: whether the user may see it (404 if not), and its title for the page's title. The
    # project itself is read when the page's fragment is rendered, not when it is served.
    seen = get_object_or_404(access.projects_for(request.user).only("pk", "title"), pk=pk)
    context = fragments.lazy_context(_project_context, request, pk, names=PROJECT_NAMES)
    context["project_title"] = seen.title
    return render(request, "projects/project_detail.html", context)


PROJECT_NAMES = (
    "project",
    "can_edit",
    "show_lead",
    "can_sign_off",
    "involvement",
    "progress",
    "is_draft",
    "has_team",
)


def _project_context(request: HttpRequest, pk: int) -> dict:
    user = request.user
    project = get_object_or_404(
        access.projects_for(user)
        .select_related("directorate", "lead", "plan_signed_off_by")
        .with_latest_score(),
        pk=pk,
    )
    today = timezone.localdate()
    can_edit = access.can_edit_project(user, project)
    can_see_team = access.can_see_team(user, project)
    show_lead = can_edit or access.projects_with_names_for(user).filter(pk=project.pk).exists()
    is_draft = project.status == ProjectStatus.DRAFT
    return {
        "project": project,
        "can_edit": can_edit,
        "show_lead": show_lead,
        "can_sign_off": access.can_sign_off_plan(user, project),
        "involvement": _involvement_html(
            request, project, can_see_team=can_see_team, can_edit=can_edit, today=today
        ),
        "progress": progress_of(project, today=today),
        "is_draft": is_draft,
        "has_team": is_draft and project.memberships.exists(),
    }


def _involvement_html(request, project, *, can_see_team: bool, can_edit: bool, today) -> str:
    """The project page's progress scores, team, little-i activities and level strip: most of the
    page's queries and rows, cached under everything they are drawn from.

    ``project.page_version`` goes up with every write that can change them (see
    involvement.signals); the rest of the key is what differs between readers and requests:
    whether names and change links are shown, the day (who is on the team *now*), the month the
    strip runs to, and the query string (which page of each list, and the links to the others).
    """
    key = fragments.digest_key(
        "projects:involvement",
        (
            project.pk,
            project.page_version,
            can_see_team,
            can_edit,
            today,
            levels.current_month(),
            sorted(request.GET.lists()),
        ),
    )
    html = cache.get(key)
    if html is not None:
        return mark_safe(html)  # noqa: S308 - rendered below by the template engine, autoescaped
    memberships = project.memberships.order_by("-start_date", "pk")
    counts = memberships.aggregate(
        total=Count("pk"),
        now=Count(
            "pk",
            filter=(Q(end_date__isnull=True) | Q(end_date__gte=today)) & Q(start_date__lte=today),
        ),
    )
    activities = project.activities.order_by("-date", "-pk")
    if can_see_team:
        activities = activities.prefetch_related("people")
    html = render_to_string(
        "projects/_project_involvement.html",
        {
            "project": project,
            "can_edit": can_edit,
            "can_see_team": can_see_team,
            "team_total": counts["total"],
            "team_now": counts["now"],
            "team": (
                paginate(
                    request,
                    memberships.select_related("person"),
                    param="team",
                    count=counts["total"],
                )
                if can_see_team
                else None
            ),
            "activities": paginate(request, activities, param="activities"),
            "scores": paginate(
                request, project.progress_scores.order_by("-date", "-pk"), param="scores"
            ),
            "strip": level_strip(project.months.values_list("month", "level")),
            "month_names": MONTH_ABBREVIATIONS,
        },
    )
    cache.set(key, html, INVOLVEMENT_CACHE_SECONDS)
    return mark_safe(html)  # noqa: S308 - rendered by the template engine, autoescaped


@login_required
def project_create(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not access.can_create_project(user):
        raise PermissionDenied
    project = Project(status=ProjectStatus.DRAFT)
    if Role.LEAD in access.roles_of(user) and not access.can_choose_project_lead(user):
        project.lead = user
    form = ProjectForm(request.POST or None, instance=project, user=user)
    if request.method == "POST" and form.is_valid():
        try:
            project = services.project_save(project=form.save(commit=False))
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"Project “{project.title}” saved.")
            return redirect("projects:detail", pk=project.pk)
    return render(
        request,
        "projects/project_form.html",
        {
            "form": form,
            "heading": "Start a QI project",
            "no_directorate": not form.fields["directorate"].queryset.exists(),
        },
    )


@login_required
def project_edit(request: HttpRequest, pk: int) -> HttpResponse:
    project = access.get_project_to_change(request.user, pk)
    form = ProjectForm(request.POST or None, instance=project, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            project = services.project_save(project=form.save(commit=False))
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"Project “{project.title}” saved.")
            return redirect("projects:detail", pk=project.pk)
    return render(
        request,
        "projects/project_form.html",
        {"form": form, "heading": f"Edit {project.title}", "project": project},
    )


@login_required
@require_POST
def project_activate(request: HttpRequest, pk: int) -> HttpResponse:
    project = access.get_project_to_change(request.user, pk)
    try:
        services.project_activate(project=project)
    except ValidationError as error:
        for problem in error.messages:
            messages.error(request, problem)
    else:
        messages.success(request, f"“{project.title}” is now active.")
    return redirect("projects:detail", pk=project.pk)


@login_required
@require_POST
def plan_sign_off(request: HttpRequest, pk: int) -> HttpResponse:
    project = get_object_or_404(Project, pk=pk)
    if not access.can_sign_off_plan(request.user, project):
        raise PermissionDenied
    try:
        services.coproduction_plan_sign_off(project=project, by=request.user)
    except ValidationError as error:
        for problem in error.messages:
            messages.error(request, problem)
    else:
        messages.success(request, "Co-production plan signed off. The project can now go live.")
    return redirect("projects:detail", pk=project.pk)


@login_required
def score_add(request: HttpRequest, pk: int) -> HttpResponse:
    project = access.get_project_to_change(request.user, pk)
    form = ProgressScoreForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.progress_score_add(
                project=project,
                score=form.cleaned_data["score"],
                date=form.cleaned_data["date"],
                by=request.user,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Progress score added.")
            return redirect("projects:detail", pk=project.pk)
    return render(request, "projects/score_form.html", {"form": form, "project": project})
