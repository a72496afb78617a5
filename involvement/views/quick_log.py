"""The PPL quick log: add a team member or a little-i activity to a project in a few seconds.

Find the project by title or Life QI id (a GET search that narrows the project list, so it works
without JavaScript), pick the person, keep today's date, save: a success banner and the project's
new level badge follow.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from involvement import access, services
from involvement.access import Role
from involvement.forms.quick_log import MEMBER, QuickLogForm, QuickLogSearchForm
from projects.ids import id_from

# Quick-log form fields that a service's error on a model field belongs to.
_FIELD_OF = {
    "start_date": "date",
    "end_date": "date",
    "date": "date",
    "people": "person",
    "person": "person",
    "participants": "participants",
    "role": "role",
    "note": "note",
    "kind": "what",
}


def _narrowed(projects, text: str, keep: str | None):
    """The projects matching the search, plus the one already chosen (so a form sent back with an
    error still shows it)."""
    if not text:
        return projects
    matching = Q(pk__in=projects.search(text).values("pk"))
    keep_pk = id_from(keep)
    if keep_pk is not None:
        matching |= Q(pk=keep_pk)
    return projects.filter(matching)


@access.role_required(Role.PPL, Role.ADMIN)
def quick_log(request: HttpRequest) -> HttpResponse:
    user = request.user
    search = QuickLogSearchForm(request.GET or None)
    text = search.cleaned_data["q"].strip() if search.is_valid() else ""
    allowed = access.projects_to_log_for(user)
    projects = _narrowed(allowed, text, request.POST.get("project")).order_by("title", "pk")
    people = access.people_for(user).filter(active=True)

    form = QuickLogForm(request.POST or None, projects=projects, people=people)
    if request.method != "POST" and text:
        matches = list(projects.values_list("pk", "directorate_id")[:2])
        if len(matches) == 1:
            # One project found: choose it, and offer only its directorate's people.
            form.initial["project"] = matches[0][0]
            form.fields["person"].queryset = form.fields["person"].queryset.filter(
                directorates=matches[0][1]
            )
    if request.method == "POST" and form.is_valid():
        logged = _log(form, user)
        if logged is not None:
            messages.success(request, logged)
            url = reverse("involvement:quick_log")
            return redirect(f"{url}?logged={form.cleaned_data['project'].pk}")

    logged_project = None
    logged_pk = id_from(request.GET.get("logged", ""))
    if logged_pk is not None:
        logged_project = allowed.select_related("directorate").filter(pk=logged_pk).first()
    return render(
        request,
        "involvement/quick_log.html",
        {
            "search": search,
            "form": form,
            "query": text,
            "match_count": projects.count() if text else None,
            "logged_project": logged_project,
        },
    )


def _log(form: QuickLogForm, user) -> str | None:
    """Write what the form says; the success message, or None with the errors on the form."""
    data = form.cleaned_data
    project = data["project"]
    try:
        if data["what"] == MEMBER:
            membership = services.membership_add(
                project=project,
                person=data["person"],
                start_date=data["date"],
                role=data["role"] or "Team member",
                by=user,
            )
            return (
                f"{membership.person} joined the team of “{project.title}” on "
                f"{membership.start_date:%-d %B %Y}."
            )
        activity = services.activity_add(
            project=project,
            kind=data["what"],
            date=data["date"],
            participants=data["participants"] or 1,
            note=data["note"],
            people=[data["person"]] if data["person"] else [],
            by=user,
        )
        return f"{activity} logged for “{project.title}”."
    except ValidationError as error:
        if hasattr(error, "error_dict"):
            for name, problems in error.message_dict.items():
                form.add_error(_FIELD_OF.get(name), problems)
        else:
            form.add_error(None, error)
        return None
