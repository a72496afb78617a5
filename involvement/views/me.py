"""A service user's or carer's own pages (/me/…): their profile and the opportunities open to
them. Everything is loaded from their own record; nothing here takes another person's id."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from involvement import access, selectors_people
from involvement.access import Role
from involvement.forms.people import MyProfileForm
from involvement.models import OpportunityInterest
from involvement.services_people import (
    opportunity_interest_add,
    opportunity_interest_withdraw,
    person_save,
)
from projects.paging import paginate


def _not_linked(request: HttpRequest) -> HttpResponse:
    return render(request, "involvement/me/not_linked.html")


@access.role_required(Role.SU)
def my_profile(request: HttpRequest) -> HttpResponse:
    person = access.own_person(request.user)
    if person is None:
        return _not_linked(request)
    form = MyProfileForm(request.POST or None, instance=person)
    if form.is_valid():
        person_save(person=form.save(commit=False), interests=form.cleaned_data["interests"])
        messages.success(request, "Your details are saved. Thank you.")
        return redirect("involvement:my_area")
    return render(request, "involvement/me/profile_form.html", {"form": form, "person": person})


@access.role_required(Role.SU)
def my_opportunities(request: HttpRequest) -> HttpResponse:
    person = access.own_person(request.user)
    if person is None:
        return _not_linked(request)
    items = selectors_people.opportunities_for_person(person, timezone.localdate())
    interested = set(
        OpportunityInterest.objects.filter(person=person).values_list("opportunity_id", flat=True)
    )
    page = paginate(request, items, per_page=10)
    return render(
        request,
        "involvement/me/opportunities.html",
        {"page": page, "interested": interested, "person": person},
    )


@access.role_required(Role.SU)
def my_opportunity_detail(request: HttpRequest, pk: int) -> HttpResponse:
    person = access.own_person(request.user)
    if person is None:
        return _not_linked(request)
    opportunity = access.get_opportunity_for(request.user, pk)
    return render(
        request,
        "involvement/me/opportunity_detail.html",
        {
            "opportunity": opportunity,
            "is_interested": opportunity.interested.filter(person=person).exists(),
        },
    )


@access.role_required(Role.SU)
@require_POST
def my_opportunity_interest(request: HttpRequest, pk: int) -> HttpResponse:
    person = access.own_person(request.user)
    if person is None:
        return _not_linked(request)
    opportunity = access.get_opportunity_for(request.user, pk)
    _, created = opportunity_interest_add(opportunity=opportunity, person=person)
    if created:
        messages.success(
            request,
            f"Thank you. Your People Participation Lead will see that you are interested in "
            f"“{opportunity.title}” and will be in touch.",
        )
    else:
        messages.info(
            request, f"You have already said you are interested in “{opportunity.title}”."
        )
    return redirect("involvement:my_opportunity_detail", pk=opportunity.pk)


@access.role_required(Role.SU)
@require_POST
def my_opportunity_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    person = access.own_person(request.user)
    if person is None:
        return _not_linked(request)
    # Withdrawing works even after the opportunity closed, so load it through the person's own
    # interests rather than the open list.
    interest = (
        OpportunityInterest.objects.filter(person=person, opportunity_id=pk)
        .select_related("opportunity")
        .first()
    )
    if interest is None:
        access.get_opportunity_for(request.user, pk)  # 404 when they may not see it at all
        messages.info(request, "You had not said you were interested in this.")
        return redirect("involvement:my_opportunity_detail", pk=pk)
    opportunity_interest_withdraw(opportunity=interest.opportunity, person=person)
    messages.success(request, f"You are no longer down as interested in “{interest.opportunity}”.")
    return redirect("involvement:my_opportunities")
