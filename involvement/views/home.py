from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from involvement import access, levels, selectors, selectors_payments, selectors_people
from involvement.access import Role
from projects import fragments
from projects.models import Directorate
from projects.paging import paginate

TRAINING_SHOWN = 5


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Send each person to the home page of their role (the design's "home pages by role")."""
    return redirect(access.home_url(request.user))


@login_required
def minimal(request: HttpRequest) -> HttpResponse:
    """The base layout (header, navigation, footer) with nothing in it: what every page pays. The
    benchmark measures each page as a ratio to this one (`make bench`), and a monitor can use it
    to check that a signed-in request works end to end."""
    return render(request, "minimal.html")


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
    context = {
        "directorates": directorates,
        "quiet_projects": fragments.lazy(paginate, request, quiet_projects, param="quiet"),
    }
    context.update(selectors_people.ppl_home_context(request.user))
    context.update(selectors_payments.ppl_home_context(request.user))
    return render(request, "involvement/ppl_home.html", context)


@access.role_required(Role.SU)
def my_area(request: HttpRequest) -> HttpResponse:
    """The service user's or carer's own area: their profile, role descriptions, teams, next
    meetings, and what fits their interests."""
    return render(
        request,
        "involvement/my_area.html",
        # Read when the page's fragment is rendered, not when it is served from the cache.
        fragments.lazy_context(_my_area_context, request, names=MY_AREA_NAMES),
    )


MY_AREA_NAMES = (
    "person",
    "role_descriptions",
    "memberships",
    "meetings",
    "project_fits",
    "opportunity_fits",
    "training",
    "training_count",
    "today",
    "payments",
)


def _my_area_context(request: HttpRequest) -> dict:
    person = access.own_person(request.user)
    context: dict = dict.fromkeys(MY_AREA_NAMES)
    context["person"] = person
    if person is not None:
        today = timezone.localdate()
        project_fits, opportunity_fits = selectors_people.fits_for_person(person, today, limit=3)
        training = person.training.order_by("-completed_on", "course", "pk")
        context.update(
            {
                "role_descriptions": paginate(
                    request, selectors_people.role_descriptions_of(person), param="descriptions"
                ),
                "memberships": paginate(
                    request, selectors_people.memberships_of(person), param="teams"
                ),
                "meetings": selectors_people.upcoming_meetings_for(person, today),
                "project_fits": project_fits,
                "opportunity_fits": opportunity_fits,
                # The latest courses in the profile; all of them are in the record of involvement.
                "training": training[:TRAINING_SHOWN],
                "training_count": training.count(),
                "today": today,
                "payments": selectors_payments.payment_summary(person, today),
            }
        )
    return context
