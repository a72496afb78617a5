"""Opportunities beyond QI projects: PPLs and admins list and edit them; service users see the
open ones of their directorates (those fitting their interests first), say they are interested
once, and can withdraw; the PPL sees who is interested."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from involvement.models import Opportunity, OpportunityInterest
from tests.factories import InterestFactory, OpportunityFactory, PersonFactory

pytestmark = pytest.mark.django_db


def form_data(directorate, **change):
    today = timezone.localdate()
    return {
        "title": "Interview panel for a ward manager",
        "kind": "interview_panel",
        "directorate": directorate.pk if directorate else "",
        "description": "Sit on the panel and ask one question.",
        "start_date": (today + datetime.timedelta(days=10)).isoformat(),
        "end_date": (today + datetime.timedelta(days=11)).isoformat(),
        "closes_on": (today + datetime.timedelta(days=5)).isoformat(),
        "paid": "on",
        "places": "2",
        "attendance": "in_person",
        "interests": [InterestFactory(name="Interview panels").pk],
        **change,
    }


@pytest.fixture
def sam(su_user, directorate):
    person = PersonFactory(name="Sam Taylor", user=su_user, directorates=[directorate])
    person.interests.set([InterestFactory(name="Data")])
    return person


def test_a_ppl_adds_an_opportunity_in_their_directorate(client, ppl, directorate):
    client.force_login(ppl)
    response = client.post(reverse("involvement:opportunity_create"), form_data(directorate))
    assert response.status_code == 302
    opportunity = Opportunity.objects.get()
    assert opportunity.directorate == directorate and opportunity.created_by == ppl
    assert opportunity.paid and opportunity.places == 2
    assert [i.name for i in opportunity.interests.all()] == ["Interview panels"]


def test_a_ppl_cannot_add_one_for_another_directorate_or_the_whole_trust(
    client, ppl, other_directorate
):
    client.force_login(ppl)
    for directorate in (other_directorate, None):
        response = client.post(reverse("involvement:opportunity_create"), form_data(directorate))
        assert response.status_code == 200
        assert response.context["form"].errors["directorate"]
    assert not Opportunity.objects.exists()


def test_an_admin_adds_one_for_the_whole_trust(client, admin_user):
    client.force_login(admin_user)
    response = client.post(reverse("involvement:opportunity_create"), form_data(None))
    assert response.status_code == 302
    assert Opportunity.objects.get().directorate is None


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"title": ""}, "title", "This field is required."),
        ({"places": "0"}, "places", "Ensure this value is greater than or equal to 1."),
        ({"description": "x" * 2001}, "description", "at most 2000 characters"),
        ({"end_date": "2000-01-01"}, "end_date", "The end date must be on or after the start"),
        ({"kind": "juggling"}, "kind", "Select a valid choice."),
    ],
)
def test_bad_input_is_a_form_error(client, ppl, directorate, change, field, message):
    client.force_login(ppl)
    response = client.post(
        reverse("involvement:opportunity_create"), form_data(directorate, **change)
    )
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert not Opportunity.objects.exists()


def test_ppls_see_and_edit_only_their_directorates_opportunities(
    client, ppl, other_ppl, directorate
):
    mine = OpportunityFactory(directorate=directorate)
    trust_wide = OpportunityFactory(directorate=None)
    client.force_login(other_ppl)
    assert client.get(reverse("involvement:opportunity_detail", args=[mine.pk])).status_code == 404
    assert client.post(reverse("involvement:opportunity_edit", args=[mine.pk])).status_code == 404
    # Trust-wide ones are seen by every PPL and edited by admins only.
    assert (
        client.get(reverse("involvement:opportunity_detail", args=[trust_wide.pk])).status_code
        == 200
    )
    assert (
        client.get(reverse("involvement:opportunity_edit", args=[trust_wide.pk])).status_code == 403
    )
    client.force_login(ppl)
    listed = client.get(reverse("involvement:opportunity_list"))
    assert {o.pk for o in listed.context["page"].object_list} == {mine.pk, trust_wide.pk}
    response = client.post(
        reverse("involvement:opportunity_edit", args=[mine.pk]),
        form_data(directorate, title="Renamed"),
    )
    assert response.status_code == 302
    mine.refresh_from_db()
    assert mine.title == "Renamed"


def test_service_users_see_open_ones_of_their_directorates_fitting_first(
    client, su_user, sam, directorate, other_directorate
):
    data = InterestFactory(name="Data")
    plain = OpportunityFactory(title="A befriending service", kind="befriending",
                               directorate=directorate)  # fmt: skip
    fitting = OpportunityFactory(title="Z research on data", directorate=None)
    fitting.interests.set([data])
    closed = OpportunityFactory(
        directorate=directorate, closes_on=timezone.localdate() - datetime.timedelta(days=1)
    )
    elsewhere = OpportunityFactory(directorate=other_directorate)
    client.force_login(su_user)
    page = client.get(reverse("involvement:my_opportunities"))
    listed = [(o.pk, reason) for o, reason in page.context["page"].object_list]
    # One asking for Sam's interest first, then one open to any interests.
    assert listed == [
        (fitting.pk, "interests: data; days not given, remote or in person"),
        (plain.pk, "any interests welcome; days not given, remote or in person"),
    ]
    not_fitting = OpportunityFactory(title="Interviews", directorate=directorate)
    not_fitting.interests.set([InterestFactory(name="Interview panels")])
    page = client.get(reverse("involvement:my_opportunities"))
    listed = [(o.pk, reason) for o, reason in page.context["page"].object_list]
    # Ones that do not fit are still listed, last, without a reason.
    assert listed[-1] == (not_fitting.pk, "")
    for hidden in (closed, elsewhere):
        url = reverse("involvement:my_opportunity_detail", args=[hidden.pk])
        assert client.get(url).status_code == 404


def test_a_service_user_says_they_are_interested_once_and_can_withdraw(
    client, su_user, sam, ppl, directorate
):
    opportunity = OpportunityFactory(directorate=directorate)
    client.force_login(su_user)
    url = reverse("involvement:my_opportunity_interest", args=[opportunity.pk])
    assert client.post(url).status_code == 302
    assert client.post(url).status_code == 302
    assert OpportunityInterest.objects.filter(person=sam).count() == 1
    detail = client.get(reverse("involvement:my_opportunity_detail", args=[opportunity.pk]))
    assert b"You are interested" in detail.content

    client.force_login(ppl)
    staff_page = client.get(reverse("involvement:opportunity_detail", args=[opportunity.pk]))
    assert b"Sam Taylor" in staff_page.content

    client.force_login(su_user)
    client.post(reverse("involvement:my_opportunity_withdraw", args=[opportunity.pk]))
    assert not OpportunityInterest.objects.exists()


def test_a_trust_wide_opportunity_shows_a_ppl_only_their_own_peoples_names(client, other_ppl, sam):
    opportunity = OpportunityFactory(directorate=None)
    OpportunityInterest.objects.create(opportunity=opportunity, person=sam)
    client.force_login(other_ppl)
    page = client.get(reverse("involvement:opportunity_detail", args=[opportunity.pk]))
    assert b"Sam Taylor" not in page.content
    assert b"1 more person from other directorates is interested" in page.content


def test_interest_in_an_opportunity_one_may_not_see_is_refused(
    client, su_user, sam, other_directorate
):
    elsewhere = OpportunityFactory(directorate=other_directorate)
    client.force_login(su_user)
    url = reverse("involvement:my_opportunity_interest", args=[elsewhere.pk])
    assert client.post(url).status_code == 404
    assert not OpportunityInterest.objects.exists()


@pytest.mark.parametrize("fixture", ["chair", "lead", "su_user"])
def test_the_staff_pages_are_for_ppls_and_admins(client, request, fixture, directorate):
    opportunity = OpportunityFactory(directorate=directorate)
    client.force_login(request.getfixturevalue(fixture))
    for url in (
        reverse("involvement:opportunity_list"),
        reverse("involvement:opportunity_create"),
        reverse("involvement:opportunity_detail", args=[opportunity.pk]),
    ):
        assert client.get(url).status_code == 403
