"""Creating and editing projects: who may, the form's errors, and the co-production gate."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse

from involvement.access import Role
from projects import services
from projects.models import ProgressScore, Project
from tests.factories import MembershipFactory, ProjectFactory, UserFactory

pytestmark = pytest.mark.django_db


def form_data(directorate, **changes) -> dict:
    data = {
        "title": "Reducing falls on Ruby Ward",
        "lifeqi_id": "",
        "directorate": directorate.pk,
        "lead": "",
        "lead_name": "",
        "aim": "Halve falls in a year",
        "start_date": "2024-02-01",
        "end_date": "",
        "status": "draft",
        "aim_reached": "",
        "coproduction_plan": "",
    }
    data.update(changes)
    return data


@pytest.fixture
def draft(directorate, lead):
    return ProjectFactory(title="Draft project", directorate=directorate, lead=lead, status="draft")


# --- who may create and edit ---------------------------------------------------------------------


def test_lead_starts_a_draft_project_they_lead(client, lead, directorate):
    client.force_login(lead)
    response = client.post(reverse("projects:create"), form_data(directorate))
    project = Project.objects.get(title="Reducing falls on Ruby Ward")
    assert response.status_code == 302
    assert response.url == reverse("projects:detail", args=[project.pk])
    assert project.lead == lead
    assert project.status == "draft"


def test_lead_cannot_start_a_project_in_another_directorate(client, lead, other_directorate):
    client.force_login(lead)
    response = client.post(reverse("projects:create"), form_data(other_directorate))
    assert response.status_code == 200
    assert "directorate" in response.context["form"].errors
    assert not Project.objects.exists()


def test_ppl_chooses_the_lead(client, ppl, lead, directorate):
    client.force_login(ppl)
    client.post(reverse("projects:create"), form_data(directorate, lead=lead.pk))
    assert Project.objects.get().lead == lead


@pytest.mark.parametrize("fixture", ["chair", "su_user"])
def test_chairs_and_service_users_cannot_start_projects(client, request, fixture, directorate):
    client.force_login(request.getfixturevalue(fixture))
    assert client.get(reverse("projects:create")).status_code == 403
    assert client.post(reverse("projects:create"), form_data(directorate)).status_code == 403
    assert not Project.objects.exists()


def test_lead_edits_their_own_project(client, lead, draft, directorate):
    client.force_login(lead)
    response = client.post(
        reverse("projects:edit", args=[draft.pk]), form_data(directorate, title="Renamed")
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.title == "Renamed"
    assert draft.lead == lead  # a lead's form has no lead field: they stay the lead


def test_lead_gets_403_on_another_leads_edit_url_and_nothing_changes(client, draft, directorate):
    other_lead = UserFactory(roles=[Role.LEAD], directorates=[directorate])
    client.force_login(other_lead)
    url = reverse("projects:edit", args=[draft.pk])
    assert client.get(url).status_code == 403
    response = client.post(url, form_data(directorate, title="Hijacked"))
    assert response.status_code == 403
    draft.refresh_from_db()
    assert draft.title == "Draft project"


def test_ppl_of_another_directorate_gets_403_on_edit(client, other_ppl, draft, directorate):
    client.force_login(other_ppl)
    response = client.post(
        reverse("projects:edit", args=[draft.pk]), form_data(directorate, title="Hijacked")
    )
    assert response.status_code == 403
    draft.refresh_from_db()
    assert draft.title == "Draft project"


def test_edit_url_of_a_missing_project_is_404(client, admin_user):
    client.force_login(admin_user)
    assert client.get(reverse("projects:edit", args=[999])).status_code == 404


# --- form errors ---------------------------------------------------------------------------------


def test_end_before_start_is_a_form_error(client, ppl, directorate):
    client.force_login(ppl)
    response = client.post(
        reverse("projects:create"), form_data(directorate, end_date="2024-01-01")
    )
    assert response.status_code == 200
    assert response.context["form"].errors["end_date"] == [
        "The end date must be on or after the start date."
    ]
    assert response.content.decode().count("There is a problem") == 1
    assert "<title>Error: " in response.content.decode()


def test_completed_without_end_date_and_outcome_before_the_end_are_form_errors(
    client, admin_user, directorate
):
    client.force_login(admin_user)
    response = client.post(reverse("projects:create"), form_data(directorate, status="completed"))
    assert (
        "A completed or stopped project needs an end date."
        in (response.context["form"].errors["end_date"])
    )
    response = client.post(reverse("projects:create"), form_data(directorate, aim_reached="yes"))
    assert response.context["form"].errors["aim_reached"]
    assert not Project.objects.exists()


def test_date_in_three_boxes_that_is_not_a_date_is_a_form_error(client, ppl, directorate):
    client.force_login(ppl)
    data = form_data(directorate)
    del data["start_date"]
    data.update(start_date_day="31", start_date_month="2", start_date_year="2024")
    response = client.post(reverse("projects:create"), data)
    assert response.context["form"].errors["start_date"] == [
        "Enter a real date, for example 27 3 2024."
    ]


def test_duplicate_life_qi_id_is_a_form_error(client, ppl, directorate):
    ProjectFactory(lifeqi_id="123", directorate=directorate)
    client.force_login(ppl)
    response = client.post(reverse("projects:create"), form_data(directorate, lifeqi_id="123"))
    assert "lifeqi_id" in response.context["form"].errors
    assert Project.objects.count() == 1


# --- the co-production gate ----------------------------------------------------------------------


def test_project_cannot_leave_draft_without_an_su_or_a_signed_off_plan(client, lead, draft):
    client.force_login(lead)
    response = client.post(
        reverse("projects:edit", args=[draft.pk]),
        form_data(draft.directorate, title=draft.title, status="active"),
    )
    assert response.status_code == 200
    assert response.context["form"].errors["status"] == [services.GATE_MESSAGE]
    draft.refresh_from_db()
    assert draft.status == "draft"


def test_new_project_cannot_start_active(client, admin_user, directorate):
    client.force_login(admin_user)
    response = client.post(reverse("projects:create"), form_data(directorate, status="active"))
    assert response.context["form"].errors["status"] == [services.GATE_MESSAGE]
    assert not Project.objects.exists()


def test_activate_button_explains_the_gate(client, lead, draft):
    client.force_login(lead)
    response = client.post(reverse("projects:activate", args=[draft.pk]), follow=True)
    assert services.GATE_MESSAGE in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == "draft"


def test_an_su_on_the_team_opens_the_gate(client, lead, draft):
    MembershipFactory(project=draft, start_date=draft.start_date)
    client.force_login(lead)
    client.post(reverse("projects:activate", args=[draft.pk]))
    draft.refresh_from_db()
    assert draft.status == "active"


def test_ppl_of_the_directorate_signs_off_the_plan_and_the_gate_opens(client, ppl, lead, draft):
    draft.coproduction_plan = "Two SU coaches join after the first PDSA cycle."
    draft.save()
    client.force_login(ppl)
    before = datetime.datetime.now(datetime.UTC)
    response = client.post(reverse("projects:plan_sign_off", args=[draft.pk]), follow=True)
    assert "Co-production plan signed off" in response.content.decode()
    draft.refresh_from_db()
    assert draft.plan_signed_off_by == ppl
    assert draft.plan_signed_off_at >= before
    client.force_login(lead)
    client.post(reverse("projects:activate", args=[draft.pk]))
    draft.refresh_from_db()
    assert draft.status == "active"


def test_nobody_but_a_ppl_of_the_directorate_signs_off(client, other_ppl, lead, admin_user, draft):
    draft.coproduction_plan = "A plan"
    draft.save()
    for user in (other_ppl, lead, admin_user):
        client.force_login(user)
        assert client.post(reverse("projects:plan_sign_off", args=[draft.pk])).status_code == 403
    draft.refresh_from_db()
    assert draft.plan_signed_off_at is None


def test_an_empty_plan_cannot_be_signed_off(client, ppl, draft):
    client.force_login(ppl)
    response = client.post(reverse("projects:plan_sign_off", args=[draft.pk]), follow=True)
    assert "There is no co-production plan to sign off yet." in response.content.decode()
    draft.refresh_from_db()
    assert draft.plan_signed_off_at is None


def test_changing_a_signed_off_plan_needs_a_new_sign_off(client, ppl, lead, draft):
    draft.coproduction_plan = "A plan"
    draft.save()
    services.coproduction_plan_sign_off(project=draft, by=ppl)
    client.force_login(lead)
    client.post(
        reverse("projects:edit", args=[draft.pk]),
        form_data(draft.directorate, title=draft.title, coproduction_plan="A different plan"),
    )
    draft.refresh_from_db()
    assert draft.coproduction_plan == "A different plan"
    assert draft.plan_signed_off_at is None and draft.plan_signed_off_by is None


def test_active_project_can_be_edited_without_passing_the_gate_again(client, lead, directorate):
    project = ProjectFactory(directorate=directorate, lead=lead, status="active")
    client.force_login(lead)
    response = client.post(
        reverse("projects:edit", args=[project.pk]),
        form_data(directorate, title="Still running", status="active", start_date="2024-01-15"),
    )
    assert response.status_code == 302
    project.refresh_from_db()
    assert project.title == "Still running"


# --- progress scores -----------------------------------------------------------------------------


@time_machine.travel(datetime.date(2024, 6, 10))
def test_lead_adds_a_dated_progress_score(client, lead, directorate):
    project = ProjectFactory(directorate=directorate, lead=lead)
    client.force_login(lead)
    response = client.post(
        reverse("projects:score_add", args=[project.pk]), {"score": "2.5", "date": "2024-06-01"}
    )
    assert response.status_code == 302
    score = ProgressScore.objects.get()
    assert (score.score, score.date, score.recorded_by) == (
        Decimal("2.5"),
        datetime.date(2024, 6, 1),
        lead,
    )


@time_machine.travel(datetime.date(2024, 6, 10))
def test_progress_score_in_the_future_or_before_the_start_is_a_form_error(
    client, lead, directorate
):
    project = ProjectFactory(directorate=directorate, lead=lead)
    client.force_login(lead)
    url = reverse("projects:score_add", args=[project.pk])
    future = client.post(url, {"score": "2.5", "date": "2024-07-01"})
    assert future.context["form"].errors["date"]
    before = client.post(url, {"score": "2.5", "date": "2023-07-01"})
    assert before.context["form"].errors["date"]
    bad_score = client.post(url, {"score": "7", "date": "2024-06-01"})
    assert bad_score.context["form"].errors["score"]
    assert not ProgressScore.objects.exists()


def test_chair_cannot_add_a_progress_score(client, chair, directorate):
    project = ProjectFactory(directorate=directorate)
    client.force_login(chair)
    url = reverse("projects:score_add", args=[project.pk])
    assert client.post(url, {"score": "2.5", "date": "2024-06-01"}).status_code == 403
    assert not ProgressScore.objects.exists()


def test_ppl_keeps_a_lead_who_left_the_project_lead_group(client, ppl, lead, draft):
    from involvement.access import role_group

    lead.groups.remove(role_group(Role.LEAD))
    client.force_login(ppl)
    response = client.post(
        reverse("projects:edit", args=[draft.pk]),
        form_data(draft.directorate, title="Kept lead", lead=lead.pk),
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert (draft.title, draft.lead) == ("Kept lead", lead)
