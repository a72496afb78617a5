"""Accepting an invitation: the person chooses a username and password and lands in /me/."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache

from involvement import selectors
from involvement.forms.people import AcceptInvitationForm
from involvement.services_people import InvitationProblem, invitation_accept, invitation_check

# A link that never was valid is "not found"; one that was, but is no longer, is "gone".
_STATUS = {"invalid": 404}


def _problem_page(request: HttpRequest, problem: InvitationProblem) -> HttpResponse:
    invitation = problem.invitation
    ppls = []
    if invitation is not None:
        directorates = invitation.person.directorates.all()
        ppls = selectors.ppl_users().filter(directorates__in=directorates).distinct()
    context = {
        "reason": problem.reason,
        "inviter": invitation.created_by if invitation else None,
        "ppls": ppls,
    }
    return render(
        request,
        "involvement/invitations/problem.html",
        context,
        status=_STATUS.get(problem.reason, 410),
    )


@never_cache
def invitation_accept_view(request: HttpRequest, token: str) -> HttpResponse:
    try:
        invitation = invitation_check(token)
    except InvitationProblem as problem:
        return _problem_page(request, problem)
    person = invitation.person
    form = AcceptInvitationForm(
        request.POST or None,
        person=person,
        initial={"username": person.email or invitation.email},
    )
    if form.is_valid():
        try:
            user = invitation_accept(
                token=token,
                username=form.cleaned_data["username"],
                password=form.cleaned_data["password1"],
            )
        except InvitationProblem as problem:
            return _problem_page(request, problem)
        except ValidationError as error:
            # Checked again in the service (a race, or a rule the form did not know).
            if hasattr(error, "error_dict"):
                for field, field_errors in error.message_dict.items():
                    form.add_error(field if field in form.fields else None, field_errors)
            else:
                form.add_error("password1", error)
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, "Welcome to Big I. Your account is ready.")
            return redirect("involvement:my_area")
    return render(request, "involvement/invitations/accept.html", {"form": form, "person": person})
