"""Role descriptions, for staff (/people/role-descriptions/…) and for the person they describe
(/me/role-descriptions/…). The same pages serve both; an ``Area`` says which URLs and which side
of the agreement the page is for, and each view loads the description through the access rule of
its area (someone else's description is a 404)."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.text import slugify
from django.views.decorators.http import require_POST

from involvement import access
from involvement import services_people as services
from involvement.access import Role
from involvement.choices import RoleDescriptionStatus
from involvement.forms.role_descriptions import EndRoleDescriptionForm, RoleDescriptionForm
from involvement.models import AccessPage, Person, RoleDescription
from involvement.selectors_people import OPEN_PROJECT_STATUSES
from involvement.services_people import RoleDescriptionLocked
from involvement.services_protection import access_log_record
from projects.models import Project
from projects.paging import paginate
from projects.pdf import html_to_pdf

STAFF_ROLES = (Role.PPL, Role.ADMIN)


@dataclass(frozen=True)
class Area:
    name: str
    detail: str
    edit: str
    agree: str
    new_version: str
    print: str
    back: str
    back_label: str
    pdf: str


STAFF = Area(
    "staff",
    "involvement:role_description_detail",
    "involvement:role_description_edit",
    "involvement:role_description_agree",
    "involvement:role_description_new_version",
    "involvement:role_description_print",
    "involvement:role_description_list",
    "Role descriptions",
    "involvement:role_description_pdf",
)
ME = Area(
    "me",
    "involvement:my_role_description_detail",
    "involvement:my_role_description_edit",
    "involvement:my_role_description_agree",
    "involvement:my_role_description_new_version",
    "involvement:my_role_description_print",
    "involvement:my_area",
    "My area",
    "involvement:my_role_description_pdf",
)


def _projects_for_form(user, area: Area, person: Person):
    """The projects a description may be linked to from this page."""
    if area is ME:
        projects = Project.objects.filter(memberships__person=person).distinct()
    else:
        projects = access.matching_projects_for(user)
    return projects.filter(status__in=OPEN_PROJECT_STATUSES)


def _can_agree(user, description: RoleDescription, area: Area) -> bool:
    if area is ME:
        return access.can_agree_as_su(user, description)
    return access.can_agree_as_ppl(user, description)


def _detail(request: HttpRequest, description: RoleDescription, area: Area) -> HttpResponse:
    user = request.user
    context = {
        "description": description,
        "area": area,
        "can_edit": access.can_edit_role_description(user, description),
        "can_agree": _can_agree(user, description, area),
        "can_new_version": access.can_start_new_version(user, description),
        "can_end": area is STAFF and access.can_end_role_description(user, description),
        "next_version": RoleDescription.objects.filter(previous=description).first(),
        "due_for_review": description.is_due_for_review(timezone.localdate()),
        "can_see_history": area is STAFF and access.can_see_audit_trail(user),
    }
    return render(request, "involvement/role_descriptions/detail.html", context)


def _create(request: HttpRequest, person: Person, area: Area) -> HttpResponse:
    form = RoleDescriptionForm(
        request.POST or None,
        projects=_projects_for_form(request.user, area, person),
        initial={"contact_name": "" if area is ME else request.user.get_full_name()},
    )
    if form.is_valid():
        description = form.save(commit=False)
        description.person = person
        services.role_description_save(description=description, by=request.user)
        messages.success(request, "The role description is saved as a draft.")
        return redirect(area.detail, pk=description.pk)
    context = {"form": form, "person": person, "area": area, "description": None}
    return render(request, "involvement/role_descriptions/form.html", context)


def _edit(request: HttpRequest, description: RoleDescription, area: Area) -> HttpResponse:
    if not access.can_edit_role_description(request.user, description):
        raise PermissionDenied("An agreed or ended role description cannot be changed.")
    form = RoleDescriptionForm(
        request.POST or None,
        instance=description,
        projects=_projects_for_form(request.user, area, description.person),
    )
    if form.is_valid():
        try:
            services.role_description_save(description=form.save(commit=False), by=request.user)
        except RoleDescriptionLocked:
            raise PermissionDenied("It was agreed while you were editing it.") from None
        messages.success(request, "Your changes are saved. Both sides need to agree again.")
        return redirect(area.detail, pk=description.pk)
    context = {"form": form, "person": description.person, "area": area, "description": description}
    return render(request, "involvement/role_descriptions/form.html", context)


def _agree(request: HttpRequest, description: RoleDescription, area: Area) -> HttpResponse:
    if not _can_agree(request.user, description, area):
        raise PermissionDenied
    try:
        description = services.role_description_agree(
            description=description, by=request.user, side="su" if area is ME else "ppl"
        )
    except RoleDescriptionLocked:
        raise PermissionDenied from None
    if description.status == RoleDescriptionStatus.AGREED:
        messages.success(request, "Both sides have agreed. The role description is agreed.")
    else:
        messages.success(request, "You have agreed. It is agreed once the other side agrees too.")
    return redirect(area.detail, pk=description.pk)


def _new_version(request: HttpRequest, description: RoleDescription, area: Area) -> HttpResponse:
    if not access.can_start_new_version(request.user, description):
        raise PermissionDenied
    try:
        new = services.role_description_new_version(description=description, by=request.user)
    except RoleDescriptionLocked:
        raise PermissionDenied from None
    messages.success(
        request,
        f"Version {new.version} is a draft. Make your changes; version {description.version} "
        "stays in force until both sides agree the new one.",
    )
    return redirect(area.edit, pk=new.pk)


def _print(request: HttpRequest, description: RoleDescription, area: Area) -> HttpResponse:
    return render(
        request,
        "involvement/role_descriptions/print.html",
        {"description": description, "area": area},
    )


def _pdf(request: HttpRequest, description: RoleDescription, area: Area) -> HttpResponse:
    """The role description as a PDF the person can keep: the print page's fields in large type,
    with who agreed it and when (``projects.pdf``: tagged PDF/UA, no network)."""
    html = render_to_string(
        "involvement/role_descriptions/pdf.html",
        {"description": description, "trust_name": settings.TRUST_NAME},
    )
    response = HttpResponse(html_to_pdf(html), content_type="application/pdf")
    name = slugify(description.project_title) or "role"
    filename = f"role-description-{name}-version-{description.version}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# --- staff ---------------------------------------------------------------------------------------


def _staff_read(request: HttpRequest, pk: int) -> RoleDescription:
    """A description for a staff page that shows it, with the read in the person's access log."""
    description = access.get_role_description_for(request.user, pk)
    access_log_record(
        user=request.user,
        person=description.person,
        page=AccessPage.ROLE_DESCRIPTION,
        path=request.path,
    )
    return description


@access.role_required(*STAFF_ROLES)
def role_description_list(request: HttpRequest) -> HttpResponse:
    descriptions = access.role_descriptions_for(request.user).select_related("person", "project")
    status = request.GET.get("status", "")
    if status in RoleDescriptionStatus.values:
        descriptions = descriptions.filter(status=status)
    elif status == "review":
        descriptions = descriptions.due_for_review(timezone.localdate())
    else:
        status = ""
    page = paginate(request, descriptions.order_by("-created_at", "-pk"))
    return render(
        request,
        "involvement/role_descriptions/list.html",
        {
            "page": page,
            "status": status,
            "statuses": RoleDescriptionStatus.choices,
            "today": timezone.localdate(),
        },
    )


@access.role_required(*STAFF_ROLES)
def role_description_create(request: HttpRequest, person_pk: int) -> HttpResponse:
    return _create(request, access.get_person_for(request.user, person_pk), STAFF)


@access.role_required(*STAFF_ROLES)
def role_description_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, _staff_read(request, pk), STAFF)


@access.role_required(*STAFF_ROLES)
def role_description_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _edit(request, _staff_read(request, pk), STAFF)


@access.role_required(*STAFF_ROLES)
@require_POST
def role_description_agree(request: HttpRequest, pk: int) -> HttpResponse:
    return _agree(request, access.get_role_description_for(request.user, pk), STAFF)


@access.role_required(*STAFF_ROLES)
@require_POST
def role_description_new_version(request: HttpRequest, pk: int) -> HttpResponse:
    return _new_version(request, access.get_role_description_for(request.user, pk), STAFF)


@access.role_required(*STAFF_ROLES)
def role_description_end(request: HttpRequest, pk: int) -> HttpResponse:
    description = _staff_read(request, pk)
    if not access.can_end_role_description(request.user, description):
        raise PermissionDenied
    form = EndRoleDescriptionForm(request.POST or None)
    if form.is_valid():
        services.role_description_end(
            description=description, by=request.user, reason=form.cleaned_data["reason"]
        )
        messages.success(request, "The role description has ended.")
        return redirect(STAFF.detail, pk=description.pk)
    return render(
        request,
        "involvement/role_descriptions/end.html",
        {"form": form, "description": description},
    )


@access.role_required(*STAFF_ROLES)
def role_description_print(request: HttpRequest, pk: int) -> HttpResponse:
    return _print(request, _staff_read(request, pk), STAFF)


@access.role_required(*STAFF_ROLES)
def role_description_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    return _pdf(request, access.get_role_description_for(request.user, pk), STAFF)


# --- the person's own (/me/) ---------------------------------------------------------------------


@access.role_required(Role.SU)
def my_role_description_create(request: HttpRequest) -> HttpResponse:
    person = access.own_person(request.user)
    if person is None:
        return render(request, "involvement/me/not_linked.html")
    return _create(request, person, ME)


@access.role_required(Role.SU)
def my_role_description_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, access.get_own_role_description(request.user, pk), ME)


@access.role_required(Role.SU)
def my_role_description_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _edit(request, access.get_own_role_description(request.user, pk), ME)


@access.role_required(Role.SU)
@require_POST
def my_role_description_agree(request: HttpRequest, pk: int) -> HttpResponse:
    return _agree(request, access.get_own_role_description(request.user, pk), ME)


@access.role_required(Role.SU)
@require_POST
def my_role_description_new_version(request: HttpRequest, pk: int) -> HttpResponse:
    return _new_version(request, access.get_own_role_description(request.user, pk), ME)


@access.role_required(Role.SU)
def my_role_description_print(request: HttpRequest, pk: int) -> HttpResponse:
    return _print(request, access.get_own_role_description(request.user, pk), ME)


@access.role_required(Role.SU)
def my_role_description_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    return _pdf(request, access.get_own_role_description(request.user, pk), ME)
