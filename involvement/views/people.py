"""The people register for PPLs and admins: list, person page, add, edit, invite, training."""

from __future__ import annotations

import logging
import smtplib

from django.contrib import messages
from django.db.models import Exists, OuterRef
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from involvement import access, selectors_people
from involvement.access import Role
from involvement.forms.people import InviteForm, PeopleFilterForm, PersonForm, TrainingForm
from involvement.models import AccessPage, Invitation
from involvement.services_people import (
    InvitationProblem,
    invitation_create,
    invitation_send,
    person_save,
    training_add,
    training_delete,
)
from involvement.services_protection import access_log_record, is_erased
from projects import fragments
from projects.paging import paginate

logger = logging.getLogger(__name__)

STAFF = (Role.PPL, Role.ADMIN)

# The session key under which a just-made invitation link waits to be shown once.
_LINK_KEY = "invitation_link_{}"


@access.role_required(*STAFF)
def person_list(request: HttpRequest) -> HttpResponse:
    # Read when the page's fragment is rendered, not when it is served from the cache.
    context = fragments.lazy_context(_person_list_context, request, names=("filter_form", "page"))
    return render(request, "involvement/people/list.html", context)


def _person_list_context(request: HttpRequest) -> dict:
    form = PeopleFilterForm(request.GET or None, user=request.user)
    people = access.people_for(request.user)
    status = "active"
    if form.is_valid():
        data = form.cleaned_data
        people = people.search(data["q"])
        if data["directorate"]:
            people = people.filter(directorates=data["directorate"])
        if data["interest"]:
            people = people.filter(interests=data["interest"])
        status = data["status"] or "active"
    if status == "active":
        people = people.filter(active=True)
    elif status == "left":
        people = people.filter(active=False)
    people = (
        people.annotate(
            invited=Exists(Invitation.objects.open().filter(person=OuterRef("pk"))),
        )
        .prefetch_related("directorates", "interests")
        .order_by("name", "pk")
    )
    return {"filter_form": form, "page": paginate(request, people)}


@access.role_required(*STAFF)
def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    person = access.get_person_for(request.user, pk)
    access_log_record(user=request.user, person=person, page=AccessPage.RECORD, path=request.path)
    today = timezone.localdate()
    project_fits, opportunity_fits = selectors_people.fits_for_person(person, today, limit=5)
    context = {
        "person": person,
        "can_manage": access.can_manage_person(request.user, person),
        "show_contact": access.can_see_contact_details(request.user, person),
        # Each of the person's lists pages on its own (a record kept for years grows long).
        "training": paginate(
            request, person.training.order_by("-completed_on", "course", "pk"), param="training"
        ),
        "role_descriptions": paginate(
            request, selectors_people.role_descriptions_of(person), param="descriptions"
        ),
        "memberships": paginate(request, selectors_people.memberships_of(person), param="teams"),
        "latest_invitation": person.invitations.order_by("-created_at", "-pk").first(),
        # Shown once, right after inviting, so the PPL can copy it (only its hash is stored).
        "invitation_link": request.session.pop(_LINK_KEY.format(person.pk), None),
        "project_fits": project_fits,
        "opportunity_fits": opportunity_fits,
        "opportunity_interests": paginate(
            request,
            person.opportunity_interests.select_related("opportunity").order_by(
                "-created_at", "-pk"
            ),
            param="interests",
        ),
        "erased": is_erased(person),
        "can_see_audit_trail": access.can_see_audit_trail(request.user),
        "can_export": access.can_export_person(request.user),
        "can_erase": access.can_erase_person(request.user),
    }
    return render(request, "involvement/people/detail.html", context)


@access.role_required(*STAFF)
def person_create(request: HttpRequest) -> HttpResponse:
    form = PersonForm(request.POST or None, user=request.user)
    if form.is_valid():
        person = person_save(
            person=form.save(commit=False),
            directorates=form.cleaned_data["directorates"],
            interests=form.cleaned_data["interests"],
        )
        messages.success(request, f"{person.name} is in the register.")
        return redirect("involvement:person_detail", pk=person.pk)
    return render(request, "involvement/people/form.html", {"form": form, "person": None})


@access.role_required(*STAFF)
def person_edit(request: HttpRequest, pk: int) -> HttpResponse:
    person = access.get_person_for(request.user, pk)
    access_log_record(user=request.user, person=person, page=AccessPage.EDIT, path=request.path)
    if is_erased(person):
        messages.info(request, "This record was erased: it cannot be changed.")
        return redirect("involvement:person_detail", pk=person.pk)
    form = PersonForm(request.POST or None, instance=person, user=request.user)
    if form.is_valid():
        person_save(
            person=form.save(commit=False),
            directorates=form.cleaned_data["directorates"],
            interests=form.cleaned_data["interests"],
        )
        messages.success(request, f"{person.name}'s details are saved.")
        if access.people_for(request.user).filter(pk=person.pk).exists():
            return redirect("involvement:person_detail", pk=person.pk)
        return redirect("involvement:people_list")
    return render(request, "involvement/people/form.html", {"form": form, "person": person})


@access.role_required(*STAFF)
def person_invite(request: HttpRequest, pk: int) -> HttpResponse:
    person = access.get_person_for(request.user, pk)
    if person.user_id:
        messages.info(request, f"{person.name} already has an account.")
        return redirect("involvement:person_detail", pk=person.pk)
    if not person.active:
        messages.info(request, f"{person.name} has left: mark them active before inviting them.")
        return redirect("involvement:person_detail", pk=person.pk)
    form = InviteForm(
        request.POST or None,
        initial={"email": person.email, "how": InviteForm.EMAIL if person.email else "by_hand"},
    )
    if form.is_valid():
        by_email = form.cleaned_data["how"] == InviteForm.EMAIL
        email = form.cleaned_data["email"] if by_email else ""
        try:
            invitation, token = invitation_create(person=person, by=request.user, email=email)
        except InvitationProblem:
            messages.info(request, f"{person.name} cannot be invited now.")
            return redirect("involvement:person_detail", pk=person.pk)
        if by_email and not person.email:
            person.email = email
            person.save(update_fields=["email", "updated_at"])
        link = request.build_absolute_uri(
            reverse("involvement:invitation_accept", kwargs={"token": token})
        )
        request.session[_LINK_KEY.format(person.pk)] = link
        if by_email:
            try:
                invitation_send(invitation=invitation, link=link)
            except (smtplib.SMTPException, OSError):
                logger.exception("Invitation email to person %s failed", person.pk)
                messages.warning(
                    request,
                    "The email could not be sent. Copy the link below and give it to "
                    f"{person.name} another way.",
                )
            else:
                messages.success(request, f"Invitation sent to {email}.")
        else:
            messages.success(request, f"Invitation made. Copy the link below for {person.name}.")
        return redirect("involvement:person_detail", pk=person.pk)
    return render(request, "involvement/people/invite.html", {"form": form, "person": person})


@access.role_required(*STAFF)
def person_training_add(request: HttpRequest, pk: int) -> HttpResponse:
    person = access.get_person_for(request.user, pk)
    form = TrainingForm(request.POST or None)
    if form.is_valid():
        training_add(person=person, **form.cleaned_data)
        messages.success(request, f"Training added for {person.name}.")
        return redirect("involvement:person_detail", pk=person.pk)
    return render(
        request, "involvement/people/training_form.html", {"form": form, "person": person}
    )


@access.role_required(*STAFF)
@require_POST
def person_training_delete(request: HttpRequest, pk: int, training_pk: int) -> HttpResponse:
    person = access.get_person_for(request.user, pk)
    training = get_object_or_404(person.training, pk=training_pk)
    training_delete(training=training)
    messages.success(request, f"{training.course} removed from {person.name}'s training.")
    return redirect("involvement:person_detail", pk=person.pk)
