"""Data protection pages for admins: a person's history, who has read their record, the subject
access export (a page and a JSON file), erasure; and the history of a role description and of a
team membership. Everyone else gets 403 (anonymous users the sign-in page); a record that does not
exist is a 404."""

from __future__ import annotations

from django.contrib import messages
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from involvement import access
from involvement.access import Role
from involvement.choices import AccessNeed, Day, TimeOfDay
from involvement.forms.protection import ErasureForm
from involvement.history import history_entries
from involvement.models import (
    AccessPage,
    Person,
    PersonAccess,
    PersonErasure,
    RoleDescription,
    TeamMembership,
)
from involvement.presenters_protection import export_parts
from involvement.services_protection import (
    AlreadyErased,
    access_log_record,
    person_erase,
    subject_access_export,
)
from projects.models import Project
from projects.paging import paginate

PERSON_LISTS = {"available_days": Day, "available_times": TimeOfDay, "access_needs": AccessNeed}


def _log(request: HttpRequest, person: Person, page: str) -> None:
    access_log_record(user=request.user, person=person, page=page, path=request.path)


def _history_page(
    request, *, title, caption, back_url, back_label, records, list_choices=None, **extra
):
    entries = history_entries(records.select_related("history_user"), list_choices=list_choices)
    context = {
        "title": title,
        "caption": caption,
        "back_url": back_url,
        "back_label": back_label,
        "page": paginate(request, entries),
        **extra,
    }
    return render(request, "involvement/protection/history.html", context)


@access.role_required(Role.ADMIN)
def person_history(request: HttpRequest, pk: int) -> HttpResponse:
    person = access.get_person_for(request.user, pk)
    _log(request, person, AccessPage.HISTORY)
    return _history_page(
        request,
        title=f"History of {person.name}'s record",
        caption="People register",
        back_url=reverse("involvement:person_detail", args=[person.pk]),
        back_label=f"Back to {person.name}",
        records=Person.history.filter(id=person.pk),
        list_choices=PERSON_LISTS,
        role_descriptions=paginate(
            request,
            RoleDescription.objects.filter(person=person)
            .select_related("project")
            .order_by("-created_at", "-pk"),
            param="descriptions",
        ),
        memberships=paginate(request, _membership_links(person), param="teams"),
    )


def _membership_links(person: Person) -> list[dict]:
    """Each team membership the person has had, removed ones too (their history outlives them),
    as it was last recorded."""
    latest = {}
    records = TeamMembership.history.filter(person_id=person.pk).order_by(
        "history_date", "history_id"
    )
    for record in records:
        latest[record.id] = record
    titles = dict(
        Project.objects.filter(pk__in={r.project_id for r in latest.values()}).values_list(
            "pk", "title"
        )
    )
    return [
        {
            "url": reverse("involvement:membership_history", args=[record.project_id, record.id]),
            "label": f"{titles.get(record.project_id, 'A deleted project')}: {record.role}, "
            f"from {record.start_date:%-d %B %Y}",
            "removed": record.history_type == "-",
        }
        for record in sorted(latest.values(), key=lambda r: (r.start_date, r.id))
    ]


@access.role_required(Role.ADMIN)
def person_access_log(request: HttpRequest, pk: int) -> HttpResponse:
    person = access.get_person_for(request.user, pk)
    entries = (
        PersonAccess.objects.filter(person=person).select_related("user").order_by("-at", "-pk")
    )
    return render(
        request,
        "involvement/protection/access_log.html",
        {"person": person, "page": paginate(request, entries)},
    )


@access.role_required(Role.ADMIN)
def person_export(request: HttpRequest, pk: int) -> HttpResponse:
    person = access.get_person_for(request.user, pk)
    _log(request, person, AccessPage.EXPORT)
    export = subject_access_export(person=person, by=request.user)
    return render(
        request,
        "involvement/protection/export.html",
        {"person": person, "export": export, "parts": export_parts(export)},
    )


@access.role_required(Role.ADMIN)
def person_export_json(request: HttpRequest, pk: int) -> HttpResponse:
    person = access.get_person_for(request.user, pk)
    _log(request, person, AccessPage.EXPORT_JSON)
    export = subject_access_export(person=person, by=request.user)
    response = JsonResponse(
        export,
        encoder=DjangoJSONEncoder,
        json_dumps_params={"indent": 2, "ensure_ascii": False},
    )
    response["Content-Disposition"] = f'attachment; filename="subject-access-{person.pk:06d}.json"'
    return response


@access.role_required(Role.ADMIN)
def person_erase_view(request: HttpRequest, pk: int) -> HttpResponse:
    person = access.get_person_for(request.user, pk)
    erasure = PersonErasure.objects.filter(person=person).select_related("erased_by").first()
    if erasure is not None:
        return render(
            request, "involvement/protection/erased.html", {"person": person, "erasure": erasure}
        )
    form = ErasureForm(request.POST or None, person=person)
    if form.is_valid():
        try:
            erasure = person_erase(
                person=person, by=request.user, reason=form.cleaned_data["reason"]
            )
        except AlreadyErased:
            messages.info(request, "This record was already erased.")
            return redirect("involvement:person_erase", pk=person.pk)
        messages.success(
            request,
            f"The record is erased: it is now {erasure.person.name}. Memberships, activities and "
            "role descriptions are kept under that name.",
        )
        return redirect("involvement:person_erase", pk=person.pk)
    return render(request, "involvement/protection/erase.html", {"form": form, "person": person})


@access.role_required(Role.ADMIN)
def role_description_history(request: HttpRequest, pk: int) -> HttpResponse:
    description = access.get_role_description_for(request.user, pk)
    _log(request, description.person, AccessPage.HISTORY)
    return _history_page(
        request,
        title=f"History of role description version {description.version}",
        caption=f"{description.person.name}, {description.project_title}",
        back_url=reverse("involvement:role_description_detail", args=[description.pk]),
        back_label="Back to the role description",
        records=RoleDescription.history.filter(id=description.pk),
    )


@access.role_required(Role.ADMIN)
def membership_history(request: HttpRequest, pk: int, membership_pk: int) -> HttpResponse:
    records = access.get_membership_history_for(request.user, pk, membership_pk)
    latest = records.order_by("-history_date", "-history_id").first()
    person = Person.objects.filter(pk=latest.person_id).first()
    if person is not None:
        _log(request, person, AccessPage.HISTORY)
    return _history_page(
        request,
        title="History of a team membership",
        caption=person.name if person else "Team membership",
        back_url=reverse("projects:detail", args=[pk]),
        back_label="Back to the project",
        records=records,
    )
