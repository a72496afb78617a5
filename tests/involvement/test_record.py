"""A person's record of involvement (issue 11): what it lists, the hours recorded for payment, the
amounts paid only when asked for, the page and the PDF, and who may see it (a service user only
their own)."""

from __future__ import annotations

import datetime
import logging
import math
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from involvement import services_payments as payments
from involvement.access import Role
from involvement.models import OpportunityInterest, Training
from involvement.models_payments import Rate, RateKind
from involvement.selectors_record import record_of
from involvement.services_payments import ClaimInput
from involvement.services_people import role_description_agree
from projects.models import Forum
from tests import pdfs
from tests.factories import (
    ActivityFactory,
    MembershipFactory,
    OpportunityFactory,
    PersonFactory,
    ProjectFactory,
    RoleDescriptionFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.fixture
def sam(su_user, directorate, ppl, other_ppl, admin_user):
    """Sam Taylor's involvement: two project teams, an activity, an agreed role description and a
    draft, training, an opportunity with a claim (and two without one that counts), a forum
    meeting, claims in every state, and stories."""
    from stories.models import Story

    sam = PersonFactory(name="Sam Taylor", user=su_user, directorates=[directorate])
    approver = UserFactory(username="approver", roles=[Role.PPL], directorates=[directorate])
    Rate.objects.create(kind=RateKind.HOURLY, amount=Decimal("16.50"), effective_from=D(2024, 1, 1))
    calm = ProjectFactory(title="Calm wards", directorate=directorate, start_date=D(2024, 1, 15))
    kind = ProjectFactory(title="Kind words", directorate=directorate, start_date=D(2024, 1, 15))
    team = MembershipFactory(project=calm, person=sam, start_date=D(2024, 1, 15))
    MembershipFactory(
        project=kind, person=sam, role="Co-chair", start_date=D(2024, 3, 1), end_date=D(2024, 9, 30)
    )
    named = ActivityFactory(project=kind, kind="focus_group", date=D(2024, 5, 10))
    named.people.add(sam)
    ActivityFactory(project=kind, kind="survey", date=D(2024, 6, 10))  # Sam not named
    agreed = RoleDescriptionFactory(person=sam, project=calm, role="Team member")
    role_description_agree(description=agreed, by=sam.user, side="su")
    role_description_agree(description=agreed, by=ppl, side="ppl")
    RoleDescriptionFactory(person=sam, project=kind, role="Draft role")
    Training.objects.create(person=sam, course="Pocket QI", completed_on=D(2024, 2, 1))
    research = OpportunityFactory(
        title="Research panel", directorate=directorate, start_date=D(2024, 4, 1), paid=True
    )
    interested_only = OpportunityFactory(
        title="Bid writing", directorate=directorate, start_date=D(2024, 4, 1)
    )
    OpportunityInterest.objects.create(opportunity=interested_only, person=sam)
    turned_down = OpportunityFactory(
        title="Interview panel", directorate=directorate, start_date=D(2024, 4, 1)
    )
    forum = Forum.objects.create(name="Newham QI forum")
    forum.directorates.add(directorate)
    meeting = forum.meetings.create(date=D(2024, 6, 10), status="held")

    def claim(hours, **involvement):
        day = involvement.pop("day", None)
        return payments.claim_create(
            person=sam,
            data=ClaimInput(
                rate_kind=RateKind.HOURLY, hours=Decimal(hours), date=day, **involvement
            ),
            by=ppl,
        )

    paid = payments.claim_approve(claim=claim("2", membership=team, day=D(2024, 4, 2)), by=approver)
    batch = payments.batch_create(claims=[paid], by=approver)
    payments.batch_mark_paid(batch=batch, by=approver, paid_on=timezone.localdate())
    reversal = payments.claim_reverse(claim=paid, by=ppl, reason="Wrong date")
    payments.claim_approve(claim=reversal, by=approver)
    claim("0.5", membership=team, day=D(2024, 5, 6))  # waiting for approval: still counts
    payments.claim_approve(
        claim=claim("1.5", opportunity=research, day=D(2024, 4, 20)), by=approver
    )
    payments.claim_reject(
        claim=claim("3", opportunity=turned_down, day=D(2024, 4, 21)), by=approver, reason="No"
    )
    payments.claim_approve(claim=claim("1", forum_meeting=meeting), by=approver)

    def story(title, status, authors):
        at = timezone.make_aware(datetime.datetime(2024, 7, 1, 12))
        made = Story.objects.create(
            title=title, body="What happened.", status=status, published_at=at
        )
        made.author_people.set(authors)

    story("Our calm ward", "published", [sam])
    story("Still writing", "draft", [sam])
    story("Someone else's", "published", [PersonFactory(directorates=[directorate])])
    return sam


def test_the_record_lists_what_the_person_did(sam):
    record = record_of(sam)
    assert [(m.project.title, m.role) for m in record.memberships] == [
        ("Calm wards", "Team member"),
        ("Kind words", "Co-chair"),
    ]
    assert [(a.get_kind_display(), a.date) for a in record.activities] == [
        ("Focus group", D(2024, 5, 10))
    ]
    assert [rd.role for rd in record.role_descriptions] == ["Team member"]  # not the draft
    assert [t.course for t in record.training] == ["Pocket QI"]
    # Taken part: an opportunity with a claim; not one only said to be interesting, nor one
    # whose only claim was turned down.
    assert [(o.title, o.first_date) for o in record.opportunities] == [
        ("Research panel", D(2024, 4, 20))
    ]
    assert record.forum_meetings == [
        {
            "forum_meeting__forum__name": "Newham QI forum",
            "meetings": 1,
            "first": D(2024, 6, 10),
            "last": D(2024, 6, 10),
        }
    ]
    assert [s.title for s in record.stories] == ["Our calm ward"]
    assert record.since == D(2024, 1, 15)
    assert not record.is_empty


def test_hours_leave_out_rejected_claims_and_net_out_reversals(sam):
    hours = record_of(sam).hours
    # Team: 2 − 2 (reversed) + 0.5 waiting; opportunity 1.5; forum 1; the rejected 3 left out.
    assert hours.total == Decimal("3.00")
    assert (hours.project_teams, hours.opportunities, hours.forum_meetings) == (
        Decimal("0.50"),
        Decimal("1.50"),
        Decimal("1.00"),
    )
    assert hours.activities == Decimal("0.00")


def test_amounts_paid_only_when_asked_for(sam):
    assert record_of(sam).amounts is None
    amounts = record_of(sam, include_amounts=True).amounts
    assert amounts.total == Decimal("33.00") and amounts.payments == 1
    assert amounts.bank == Decimal("33.00") and amounts.vouchers == Decimal("0.00")
    assert amounts.first == amounts.last == timezone.localdate()


def test_a_person_with_nothing_recorded_gets_an_empty_record_not_an_error(directorate):
    record = record_of(PersonFactory(directorates=[directorate]), include_amounts=True)
    assert record.is_empty and record.since is None
    assert record.hours.total == Decimal("0") and record.amounts.payments == 0


def test_the_service_users_page_leaves_amounts_out_until_ticked(client, su_user, sam):
    client.force_login(su_user)
    html = client.get(reverse("involvement:my_record")).content.decode()
    assert "<h1>Your record of involvement</h1>" in html
    assert "Hours recorded for payment" in html and "3 hours" in html
    assert "Include amounts paid" in html and "Amounts paid</h2>" not in html
    assert f'href="{reverse("involvement:my_record_pdf")}"' in html
    for words in ("Calm wards", "Co-chair", "Pocket QI", "Research panel", "Our calm ward"):
        assert words in html
    assert "Still writing" not in html and "Bid writing" not in html
    ticked = client.get(reverse("involvement:my_record"), {"amounts": "on"}).content.decode()
    assert "£33.00 paid in all" in ticked
    assert f'href="{reverse("involvement:my_record_pdf")}?amounts=1"' in ticked


def test_the_pdf_carries_the_choice_and_is_tagged(client, su_user, sam, caplog):
    client.force_login(su_user)
    with caplog.at_level(logging.WARNING, logger="weasyprint"):
        response = client.get(reverse("involvement:my_record_pdf"))
    assert [r.getMessage() for r in caplog.records if r.name.startswith("weasyprint")] == []
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        'attachment; filename="record-of-involvement-sam-taylor.pdf"'
    )
    reader = pdfs.read(response.content)
    pdfs.assert_pdf_ua(reader, title="Record of involvement: Sam Taylor")
    text = pdfs.all_text(reader)
    for words in (
        "Record of involvement in Quality Improvement (QI)",
        "Calm wards (Newham) Team member 15 Jan 2024 Still on the team",
        "Kind words (Newham) Co-chair 1 Mar 2024 30 Sep 2024",
        "Hours recorded for payment 3 hours",
        "Pocket QI, 1 February 2024",
        "Research panel (research): 20 April 2024",
        "Newham QI forum: 1 meeting, 10 June 2024",
        "“Our calm ward”, published",
        "Amounts paid are left out.",
    ):
        assert words in text, words
    assert "£" not in text
    with_amounts = pdfs.all_text(
        pdfs.read(client.get(reverse("involvement:my_record_pdf"), {"amounts": "1"}).content)
    )
    assert "Amounts paid £33.00 paid in all" in with_amounts

    sizes: set[float] = set()

    def visit(text, cm, tm, font, size):
        if text.strip():
            sizes.add(round(size * math.hypot(tm[2], tm[3]) * math.hypot(cm[2], cm[3]), 1))

    for page in reader.pages:
        page.extract_text(visitor_text=visit)
    assert min(sizes) >= 12


def test_staff_who_keep_the_record_see_it_with_the_same_default(
    client, sam, ppl, other_ppl, admin_user, lead, chair
):
    page = reverse("involvement:person_record", args=[sam.pk])
    pdf = reverse("involvement:person_record_pdf", args=[sam.pk])
    client.force_login(ppl)
    html = client.get(page).content.decode()
    assert "<h1>Record of involvement: Sam Taylor</h1>" in html
    assert "Amounts paid</h2>" not in html
    assert client.get(pdf)["Content-Type"] == "application/pdf"
    for user, status in ((admin_user, 200), (other_ppl, 404), (lead, 403), (chair, 403)):
        client.force_login(user)
        assert client.get(page).status_code == status, user.username
        assert client.get(pdf).status_code == status, user.username


def test_a_service_user_sees_only_their_own_record(client, su_user, sam, directorate):
    someone = PersonFactory(name="Someone Else", directorates=[directorate])
    client.force_login(su_user)
    for name in ("involvement:person_record", "involvement:person_record_pdf"):
        assert client.get(reverse(name, args=[someone.pk])).status_code == 404
        assert client.get(reverse(name, args=[sam.pk])).status_code == 200


def test_a_service_user_not_linked_to_the_register_is_told_so(client, su_user):
    client.force_login(su_user)
    for name in ("involvement:my_record", "involvement:my_record_pdf"):
        response = client.get(reverse(name))
        assert response.status_code == 200
        assert "Your details are not set up yet" in response.content.decode()


def test_my_area_and_the_person_page_link_to_the_record(client, su_user, sam, ppl):
    client.force_login(su_user)
    html = client.get(reverse("involvement:my_area")).content.decode()
    assert f'href="{reverse("involvement:my_record")}"' in html
    assert "Your record of involvement" in html
    client.force_login(ppl)
    html = client.get(reverse("involvement:person_detail", args=[sam.pk])).content.decode()
    assert f'href="{reverse("involvement:person_record", args=[sam.pk])}"' in html
