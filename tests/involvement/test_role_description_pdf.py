"""A role description as a PDF the service user can keep: one or two pages, large type, the
agreement's names and dates, tagged for screen readers; the same access as the print pages."""

from __future__ import annotations

import logging
import math

import pytest
from django.urls import reverse
from django.utils import timezone

from involvement.access import Role
from involvement.services_people import role_description_agree
from tests import pdfs
from tests.factories import PersonFactory, ProjectFactory, RoleDescriptionFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def sam(su_user, directorate):
    return PersonFactory(name="Sam Taylor", user=su_user, directorates=[directorate])


@pytest.fixture
def agreed(sam, ppl, su_user, directorate):
    ppl.first_name, ppl.last_name = "Priya", "Patel"
    ppl.save()
    project = ProjectFactory(title="Calm wards", directorate=directorate)
    description = RoleDescriptionFactory(
        person=sam,
        project=project,
        role="Co-chair",
        time_commitment="A 1 hour meeting every 2 weeks",
        accountability="An equal member of the project team.",
        hopes="To learn about measurement",
    )
    role_description_agree(description=description, by=su_user, side="su")
    return role_description_agree(description=description, by=ppl, side="ppl")


def font_sizes(reader) -> set[float]:
    """The size in points of every piece of text drawn (the text matrix times the font size)."""
    sizes: set[float] = set()

    def visit(text, cm, tm, font, size):
        if text.strip():
            sizes.add(round(size * math.hypot(tm[2], tm[3]) * math.hypot(cm[2], cm[3]), 1))

    for page in reader.pages:
        page.extract_text(visitor_text=visit)
    return sizes


def test_the_person_downloads_their_agreed_role_description(client, su_user, agreed, caplog):
    client.force_login(su_user)
    with caplog.at_level(logging.WARNING, logger="weasyprint"):
        response = client.get(reverse("involvement:my_role_description_pdf", args=[agreed.pk]))
    assert [r.getMessage() for r in caplog.records if r.name.startswith("weasyprint")] == []
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        'attachment; filename="role-description-calm-wards-version-1.pdf"'
    )
    reader = pdfs.read(response.content)
    assert 1 <= len(reader.pages) <= 2
    pdfs.assert_pdf_ua(reader, title="Role description: Calm wards (Sam Taylor)")
    text = pdfs.all_text(reader)
    assert "Project role description, version 1: agreed" in text
    for words in (
        "Calm wards",
        "Role in the team Co-chair",
        "Time commitment A 1 hour meeting every 2 weeks",
        "What do you hope to get from this work? To learn about measurement",
        "East London NHS Foundation Trust",
    ):
        assert words in text
    su_day = timezone.localtime(agreed.su_agreed_at)
    ppl_day = timezone.localtime(agreed.ppl_agreed_at)
    assert f"Agreed by Sam Taylor on {su_day:%-d %B %Y, %H:%M}" in text
    assert f"Agreed by Priya Patel on {ppl_day:%-d %B %Y, %H:%M}" in text


def test_the_type_is_large_enough_to_read(client, su_user, agreed):
    client.force_login(su_user)
    reader = pdfs.read(
        client.get(reverse("involvement:my_role_description_pdf", args=[agreed.pk])).content
    )
    sizes = font_sizes(reader)
    assert min(sizes) >= 12
    assert 13 in sizes  # the body


def test_a_draft_says_it_is_not_agreed_yet(client, ppl, sam, directorate):
    draft = RoleDescriptionFactory(
        person=sam, project=ProjectFactory(title="New clinic", directorate=directorate)
    )
    client.force_login(ppl)
    response = client.get(reverse("involvement:role_description_pdf", args=[draft.pk]))
    text = pdfs.all_text(pdfs.read(response.content))
    assert "version 1: a draft, not agreed yet" in text
    assert "Service user or carer Not agreed yet" in text


def test_staff_of_the_directorate_and_admins_may_download_it_and_nobody_else(
    client, agreed, ppl, other_ppl, admin_user, lead, chair
):
    staff_url = reverse("involvement:role_description_pdf", args=[agreed.pk])
    for user, status in (
        (ppl, 200),
        (admin_user, 200),
        (other_ppl, 404),
        (lead, 403),
        (chair, 403),
    ):
        client.force_login(user)
        assert client.get(staff_url).status_code == status, user.username


def test_someone_elses_role_description_is_a_404_for_a_service_user(client, agreed, directorate):
    other = UserFactory(username="other-su", roles=[Role.SU])
    PersonFactory(user=other, directorates=[directorate])
    client.force_login(other)
    url = reverse("involvement:my_role_description_pdf", args=[agreed.pk])
    assert client.get(url).status_code == 404


def test_the_pages_offer_the_pdf(client, su_user, ppl, agreed):
    client.force_login(su_user)
    pdf_url = reverse("involvement:my_role_description_pdf", args=[agreed.pk])
    for name in ("involvement:my_role_description_detail", "involvement:my_role_description_print"):
        assert f'href="{pdf_url}"' in client.get(reverse(name, args=[agreed.pk])).content.decode()
    client.force_login(ppl)
    detail = client.get(reverse("involvement:role_description_detail", args=[agreed.pk]))
    assert reverse("involvement:role_description_pdf", args=[agreed.pk]) in detail.content.decode()
