"""A person's record of involvement (issue 11): a printable page and a PDF, for the service user
(``/me/record/``) and for the staff who keep their record (``/people/<pk>/record/``).

Amounts paid are left out unless the "Include amounts paid" box is ticked; the page's PDF link
carries the choice. Whoever looks at it, the default is the same: left out.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.text import slugify

from involvement import access
from involvement.access import Role
from involvement.forms.record import RecordOptionsForm
from involvement.models import Person
from involvement.selectors_record import record_of
from projects.pdf import html_to_pdf

STAFF_ROLES = (Role.PPL, Role.ADMIN)


def _options(request: HttpRequest) -> tuple[RecordOptionsForm, bool]:
    form = RecordOptionsForm(request.GET or None)
    include = form.is_valid() and form.cleaned_data["amounts"]
    return form, include


def _page(request: HttpRequest, person: Person, *, own: bool) -> HttpResponse:
    form, include = _options(request)
    if own:
        pdf_url, back_url, back_label = (
            reverse("involvement:my_record_pdf"),
            reverse("involvement:my_area"),
            "Back to My area",
        )
    else:
        pdf_url = reverse("involvement:person_record_pdf", args=[person.pk])
        back_url = reverse("involvement:person_detail", args=[person.pk])
        back_label = f"Back to {person.name}"
    # One person's record is short, and a record to print is read whole: no pagination.
    context = {
        "form": form,
        "record": record_of(person, include_amounts=include),
        "own": own,
        "pdf_url": pdf_url + ("?amounts=1" if include else ""),
        "back_url": back_url,
        "back_label": back_label,
    }
    return render(request, "involvement/record/page.html", context)


def _pdf(request: HttpRequest, person: Person, *, own: bool) -> HttpResponse:
    _, include = _options(request)
    html = render_to_string(
        "involvement/record/pdf.html",
        {
            "record": record_of(person, include_amounts=include),
            "own": own,
            "trust_name": settings.TRUST_NAME,
        },
    )
    response = HttpResponse(html_to_pdf(html), content_type="application/pdf")
    name = slugify(person.name) or f"person-{person.pk}"
    response["Content-Disposition"] = f'attachment; filename="record-of-involvement-{name}.pdf"'
    return response


@access.role_required(Role.SU)
def my_record(request: HttpRequest) -> HttpResponse:
    person = access.own_person(request.user)
    if person is None:
        return render(request, "involvement/me/not_linked.html")
    return _page(request, person, own=True)


@access.role_required(Role.SU)
def my_record_pdf(request: HttpRequest) -> HttpResponse:
    person = access.own_person(request.user)
    if person is None:
        return render(request, "involvement/me/not_linked.html")
    return _pdf(request, person, own=True)


@access.role_required(*STAFF_ROLES, Role.SU)
def person_record(request: HttpRequest, pk: int) -> HttpResponse:
    person = access.get_record_person_for(request.user, pk)
    return _page(request, person, own=not access.is_staff_side(request.user))


@access.role_required(*STAFF_ROLES, Role.SU)
def person_record_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    person = access.get_record_person_for(request.user, pk)
    return _pdf(request, person, own=not access.is_staff_side(request.user))
