"""Role descriptions: drafted by the SU or a PPL, agreed by both (who and when kept), read-only
once agreed, a change is a new version, ended; form errors; who may see and do what."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from involvement.access import Role
from involvement.choices import RoleDescriptionStatus
from involvement.models import RoleDescription
from involvement.services_people import role_description_agree
from tests.factories import (
    InterestFactory,
    MembershipFactory,
    PersonFactory,
    ProjectFactory,
    RoleDescriptionFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

FORM = {
    "role": "Team member",
    "time_commitment": "1 hour every 2 weeks",
    "where_based": "Online",
    "accountability": "Share my experience with the team.",
    "start_date": "2025-01-06",
    "length": "6 months, to be reviewed",
    "review_date": "2025-07-06",
    "contact_name": "Priya Patel",
    "meeting_frequency": "Every 2 weeks",
    "working_needs": "Papers a week before",
    "hopes": "To learn about measurement",
}


@pytest.fixture
def project(directorate, lead):
    return ProjectFactory(title="Reducing waiting times", directorate=directorate, lead=lead)


@pytest.fixture
def sam(su_user, directorate):
    person = PersonFactory(
        name="Sam Taylor",
        user=su_user,
        directorates=[directorate],
        payment_preference="vouchers",
        available_days=["tue"],
        attendance="remote",
    )
    person.interests.set([InterestFactory(name="Data")])
    return person


@pytest.fixture
def draft(sam, project):
    return RoleDescriptionFactory(person=sam, project=project)


def detail(description, me=False):
    name = "my_role_description_detail" if me else "role_description_detail"
    return reverse(f"involvement:{name}", args=[description.pk])


def action(description, what, me=False):
    prefix = "my_role_description" if me else "role_description"
    return reverse(f"involvement:{prefix}_{what}", args=[description.pk])


def test_a_service_user_drafts_their_own_role_description(client, su_user, sam, project):
    MembershipFactory(project=project, person=sam)
    client.force_login(su_user)
    response = client.post(
        reverse("involvement:my_role_description_create"), {**FORM, "project": project.pk}
    )
    assert response.status_code == 302
    description = RoleDescription.objects.get()
    assert response.url == detail(description, me=True)
    assert description.person == sam and description.project == project
    assert description.status == RoleDescriptionStatus.DRAFT and description.version == 1
    assert description.created_by == su_user
    # Copies of the person's profile, and the payment preference in words.
    assert description.interests_copy == "Data"
    assert description.availability_copy == "Tuesdays; remote"
    page = client.get(response.url).content.decode()
    assert "Reducing waiting times" in page and "Paid in vouchers" in page
    assert "I agree" in page


def test_a_service_user_may_link_only_projects_they_are_on(client, su_user, sam, project):
    client.force_login(su_user)
    response = client.post(
        reverse("involvement:my_role_description_create"), {**FORM, "project": project.pk}
    )
    assert response.status_code == 200
    assert b"Select a valid choice" in response.content
    assert not RoleDescription.objects.exists()


def test_a_ppl_drafts_one_for_a_person_of_their_directorate(client, ppl, sam, project):
    client.force_login(ppl)
    url = reverse("involvement:role_description_create", args=[sam.pk])
    response = client.post(url, {**FORM, "project": project.pk})
    assert response.status_code == 302
    description = RoleDescription.objects.get()
    assert description.person == sam and description.created_by == ppl


def test_both_sides_agree_and_who_and_when_is_recorded(client, ppl, su_user, draft):
    client.force_login(su_user)
    assert client.post(action(draft, "agree", me=True)).status_code == 302
    draft.refresh_from_db()
    assert draft.status == RoleDescriptionStatus.DRAFT
    assert draft.su_agreed_by == su_user and draft.su_agreed_at is not None
    # The SU cannot agree twice, nor for the PPL.
    assert client.post(action(draft, "agree", me=True)).status_code == 403
    assert client.post(action(draft, "agree")).status_code == 403

    client.force_login(ppl)
    assert client.post(action(draft, "agree")).status_code == 302
    draft.refresh_from_db()
    assert draft.status == RoleDescriptionStatus.AGREED
    assert draft.ppl_agreed_by == ppl and draft.ppl_agreed_at is not None
    assert draft.agreed_at is not None
    page = client.get(detail(draft)).content.decode()
    assert "Agreed by Sam Taylor on" in page
    assert f"Agreed by {ppl.get_full_name()} on" in page


def test_a_ppl_of_another_directorate_cannot_see_or_agree(client, other_ppl, draft):
    client.force_login(other_ppl)
    assert client.get(detail(draft)).status_code == 404
    assert client.post(action(draft, "agree")).status_code == 404
    draft.refresh_from_db()
    assert draft.ppl_agreed_at is None


def test_the_staff_side_is_agreed_by_a_ppl_of_the_projects_directorate(
    client, sam, other_directorate
):
    elsewhere = ProjectFactory(directorate=other_directorate)
    description = RoleDescriptionFactory(person=sam, project=elsewhere)
    project_ppl = UserFactory(roles=[Role.PPL], directorates=[other_directorate])
    client.force_login(project_ppl)
    assert client.post(action(description, "agree")).status_code == 302
    description.refresh_from_db()
    assert description.ppl_agreed_by == project_ppl


def test_changing_a_draft_withdraws_agreement_given(client, ppl, su_user, draft):
    role_description_agree(description=draft, by=su_user, side="su")
    client.force_login(ppl)
    response = client.post(action(draft, "edit"), {**FORM, "project": draft.project_id})
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.su_agreed_at is None and draft.su_agreed_by is None
    assert draft.time_commitment == "1 hour every 2 weeks"


def test_an_agreed_description_is_read_only(client, ppl, su_user, draft):
    role_description_agree(description=draft, by=su_user, side="su")
    role_description_agree(description=draft, by=ppl, side="ppl")
    for user, me in ((ppl, False), (su_user, True)):
        client.force_login(user)
        assert client.get(action(draft, "edit", me=me)).status_code == 403
        response = client.post(
            action(draft, "edit", me=me), {**FORM, "time_commitment": "Every day"}
        )
        assert response.status_code == 403
        assert b"Change this draft" not in client.get(detail(draft, me=me)).content
    draft.refresh_from_db()
    assert draft.time_commitment == "1 hour every 2 weeks"


def test_a_change_to_an_agreed_description_is_a_new_version(client, ppl, su_user, draft):
    role_description_agree(description=draft, by=su_user, side="su")
    role_description_agree(description=draft, by=ppl, side="ppl")
    client.force_login(su_user)
    response = client.post(action(draft, "new_version", me=True))
    new = RoleDescription.objects.get(previous=draft)
    assert response.status_code == 302
    assert response.url == action(new, "edit", me=True)
    assert new.version == 2 and new.status == RoleDescriptionStatus.DRAFT
    assert new.time_commitment == draft.time_commitment
    # Only one new version at a time.
    assert client.post(action(draft, "new_version", me=True)).status_code == 403

    client.post(action(new, "edit", me=True), {**FORM, "time_commitment": "2 hours a week"})
    new.refresh_from_db()
    assert new.time_commitment == "2 hours a week"
    draft.refresh_from_db()
    assert draft.status == RoleDescriptionStatus.AGREED  # still in force

    page = client.get(detail(new, me=True)).content.decode()
    assert "Role description, version 2" in page
    assert f'href="{detail(draft, me=True)}">version 1</a>' in page

    client.post(action(new, "agree", me=True))
    client.force_login(ppl)
    client.post(action(new, "agree"))
    new.refresh_from_db()
    draft.refresh_from_db()
    assert new.status == RoleDescriptionStatus.AGREED
    assert draft.status == RoleDescriptionStatus.ENDED
    assert draft.end_reason == "Replaced by version 2."


def test_a_ppl_ends_an_agreed_description(client, ppl, su_user, draft):
    client.force_login(ppl)
    assert client.get(action(draft, "end")).status_code == 403  # a draft is not ended
    role_description_agree(description=draft, by=su_user, side="su")
    role_description_agree(description=draft, by=ppl, side="ppl")
    response = client.post(action(draft, "end"), {"reason": "The project finished."})
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == RoleDescriptionStatus.ENDED
    assert draft.ended_by == ppl and draft.end_reason == "The project finished."
    assert client.post(action(draft, "new_version")).status_code == 403


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"review_date": "2025-01-01"}, b"The review date must be after the start date."),
        ({"review_date": "2025-01-06"}, b"The review date must be after the start date."),
        ({"time_commitment": ""}, b"This field is required."),
        ({"where_based": "   "}, b"This field is required."),
        ({"accountability": "x" * 2001}, b"Ensure this value has at most 2000 characters"),
        ({"contact_name": "x" * 151}, b"Ensure this value has at most 150 characters"),
        ({"start_date": "2025-02-30"}, b"Enter a real date"),
    ],
)
def test_bad_input_is_a_form_error_and_nothing_is_saved(client, ppl, draft, change, message):
    client.force_login(ppl)
    response = client.post(action(draft, "edit"), {**FORM, **change})
    assert response.status_code == 200
    assert message in response.content
    assert response.context["form"].errors
    draft.refresh_from_db()
    assert draft.review_date == datetime.date(2024, 8, 1)
    assert draft.time_commitment == "1 hour every 2 weeks"


def test_a_service_user_cannot_touch_another_persons_description(client, directorate, draft):
    other_user = UserFactory(roles=[Role.SU])
    PersonFactory(user=other_user, directorates=[directorate])
    client.force_login(other_user)
    assert client.get(detail(draft, me=True)).status_code == 404
    assert client.post(action(draft, "edit", me=True), FORM).status_code == 404
    assert client.post(action(draft, "agree", me=True)).status_code == 404
    assert client.get(action(draft, "print", me=True)).status_code == 404
    # The staff URLs are not for service users at all.
    assert client.post(action(draft, "agree")).status_code == 403
    draft.refresh_from_db()
    assert draft.su_agreed_at is None and draft.time_commitment == "1 hour every 2 weeks"


@pytest.mark.parametrize("fixture", ["chair", "lead"])
def test_forum_chairs_and_leads_see_no_role_descriptions(client, request, fixture, draft):
    client.force_login(request.getfixturevalue(fixture))
    assert client.get(detail(draft)).status_code == 403
    assert client.get(reverse("involvement:role_description_list")).status_code == 403


def test_the_printable_page_has_the_whole_form_and_print_styles(client, su_user, draft):
    client.force_login(su_user)
    page = client.get(action(draft, "print", me=True)).content.decode()
    assert "css/print.css" in page
    for words in (
        "Time commitment",
        "Where will you be based?",
        "Accountability and responsibility",
        "Payment",
        "Length of the role",
        "Contact, supervisor and support",
        "What do you hope to get from this work?",
        "Reducing waiting times",
    ):
        assert words in page


def test_descriptions_past_review_are_on_the_ppl_home_and_list(client, ppl, su_user, sam, project):
    today = timezone.localdate()
    due = RoleDescriptionFactory(
        person=sam,
        project=project,
        start_date=today - datetime.timedelta(days=200),
        review_date=today - datetime.timedelta(days=1),
    )
    not_yet = RoleDescriptionFactory(
        person=sam,
        project=ProjectFactory(title="Not yet due", directorate=project.directorate),
        start_date=today,
        review_date=today + datetime.timedelta(days=10),
    )
    for description in (due, not_yet):
        role_description_agree(description=description, by=su_user, side="su")
        role_description_agree(description=description, by=ppl, side="ppl")
    client.force_login(ppl)
    home = client.get(reverse("involvement:ppl_home")).content.decode()
    section = home.split("Role descriptions due for review")[1].split("<h2>")[0]
    assert detail(due) in section and detail(not_yet) not in section
    listed = client.get(reverse("involvement:role_description_list") + "?status=review")
    assert [d.pk for d in listed.context["page"].object_list] == [due.pk]
    assert b"Time to review this role" in client.get(detail(due)).content
