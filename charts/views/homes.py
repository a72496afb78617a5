"""The two homes that show a chart: the forum chair's and the admin's (with its flags)."""

from __future__ import annotations

from urllib.parse import urlencode

from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from charts import figures, selectors
from charts.forms import ForumPickForm
from charts.presenters import month_text
from involvement import access
from involvement import selectors as involvement_selectors
from involvement.access import Role
from involvement.levels import current_month
from projects import fragments
from projects.ids import id_from
from projects.models import Directorate, Level
from projects.paging import paginate


@access.role_required(Role.CHAIR)
def chair_home(request: HttpRequest) -> HttpResponse:
    forums = list(access.chaired_forums(request.user).prefetch_related("directorates"))
    if not forums:
        return render(request, "charts/chair_home.html", {"forums": []})
    chosen = request.GET.get("forum")
    if chosen:
        forum_pk = id_from(chosen)
        if forum_pk is None:
            raise Http404
        forum = next((f for f in forums if f.pk == forum_pk), None)
        if forum is None:
            forum = access.get_chaired_forum(request.user, forum_pk)  # 404: not theirs
    else:
        forum = forums[0]
    # Read when the page's fragment is rendered, not when it is served from the cache.
    context = fragments.lazy_context(
        _chair_home_context, request, forums, forum, names=CHAIR_HOME_NAMES
    )
    # Read above, before the fragment: so what it shows of them is in its key.
    forums_key = [
        (f.pk, f.name, [(d.pk, d.name) for d in f.directorates.all()]) for f in [forum, *forums]
    ]
    context.update({"forums": forums, "forum": forum, "forums_key": forums_key})
    return render(request, "charts/chair_home.html", context)


CHAIR_HOME_NAMES = (
    "figure",
    "svg",
    "chart_url",
    "projects",
    "level_counts",
    "upcoming",
    "recent",
    "forum_form",  # not "form": the base layout's title looks at form.errors
)


def _chair_home_context(request: HttpRequest, forums: list, forum) -> dict:
    scope = selectors.Scope(
        f"forum-{forum.pk}",
        forum.name,
        tuple(sorted(d.pk for d in forum.directorates.all())),
    )
    chart = figures.scope_figure(scope)
    today = timezone.localdate()
    upcoming, recent = selectors.forum_meetings(forum, today=today)
    # The page links carry ?forum=, so page 2 is still this forum's.
    projects = paginate(request, selectors.forum_projects(forum), keep={"forum": forum.pk})
    return {
        "figure": chart.figure,
        "svg": figures.cached_svg(chart, id_prefix="forum-chart"),
        "chart_url": reverse("charts:pchart") + "?" + urlencode({"scope": scope.value}),
        "projects": projects,
        "level_counts": [
            (Level(level).label, count)
            for level, count in selectors.forum_level_counts(forum).items()
        ],
        "upcoming": upcoming,
        "recent": recent,
        "forum_form": ForumPickForm(
            initial={"forum": forum.pk}, forums=access.chaired_forums(request.user)
        )
        if len(forums) > 1
        else None,
    }


@access.role_required(Role.ADMIN)
def admin_home(request: HttpRequest) -> HttpResponse:
    # Read when the page's fragment is rendered, not when it is served from the cache.
    context = fragments.lazy_context(_admin_home_context, request, names=ADMIN_HOME_NAMES)
    return render(request, "charts/admin_home.html", context)


ADMIN_HOME_NAMES = (
    "directorates",
    "without_ppl",
    "figure",
    "svg",
    "no_involvement_count",
    "this_month",
    "falling",
)


def _admin_home_context(request: HttpRequest) -> dict:
    directorates = paginate(
        request,
        Directorate.objects.prefetch_related(
            Prefetch("staff", queryset=involvement_selectors.ppl_users(), to_attr="ppls")
        ).order_by("name", "pk"),
    )
    chart = figures.scope_figure(selectors.TRUST)
    return {
        "directorates": directorates,
        "without_ppl": involvement_selectors.directorates_without_ppl(),
        "figure": chart.figure,
        "svg": figures.cached_svg(chart, id_prefix="trust-chart"),
        "no_involvement_count": selectors.projects_without_involvement().count(),
        "this_month": month_text(current_month()),
        "falling": figures.falling_directorates(),
    }


@access.role_required(Role.ADMIN)
def no_involvement(request: HttpRequest) -> HttpResponse:
    projects = (
        selectors.projects_without_involvement()
        .select_related("directorate")
        .only("pk", "title", "start_date", "directorate__name")
        .order_by("directorate__name", "title", "pk")
    )
    page = paginate(request, projects)
    return render(
        request,
        "charts/no_involvement.html",
        {"page": page, "this_month": month_text(current_month())},
    )
