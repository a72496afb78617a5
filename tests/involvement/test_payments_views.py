"""The payments pages: the PPL queue, recording and correcting a claim, deciding it, batches with
their CSV and "mark paid", rates, the admins' totals, a service user's own payments, and the
additions to the PPL home and My area."""

from __future__ import annotations

import csv
import datetime
import io
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse

from involvement import services_payments as services
from involvement.access import Role
from involvement.models_payments import BatchStatus, Claim, ClaimStatus, PaymentBatch, Rate
from tests.factories import MembershipFactory, PersonFactory, UserFactory
from tests.involvement.payments_helpers import make_pay

pytestmark = pytest.mark.django_db


@pytest.fixture
def pay(directorate, other_directorate, ppl, other_ppl, admin_user):
    return make_pay(directorate, other_directorate, ppl, other_ppl, admin_user)


def _claim_post(pay, **changes) -> dict:
    data = {
        "involvement": f"membership:{pay.membership.pk}",
        "date_day": "3",
        "date_month": "3",
        "date_year": "2025",
        "rate_kind": "hourly",
        "hours": "2.5",
        "expenses": "",
        "expenses_note": "",
        "description": "Team meeting",
    }
    data.update(changes)
    return data


# --- the queue -----------------------------------------------------------------------------------


def test_the_queue_lists_waiting_claims_of_the_ppls_directorates_with_who_may_decide(client, pay):
    mine = pay.claim(day=datetime.date(2025, 3, 3))  # recorded by pay.recorder
    pay.approved(day=datetime.date(2025, 3, 4))
    client.force_login(pay.recorder)
    html = client.get(reverse("involvement:payments_queue")).content.decode()
    assert mine.reference in html and "Rosa Walker" in html
    assert "You recorded this claim, so another People Participation Lead (PPL) decides it." in html
    assert "Approve<span" not in html
    client.force_login(pay.approver)
    response = client.get(reverse("involvement:payments_queue"))
    assert [c.pk for c in response.context["page"]] == [mine.pk]
    assert reverse("involvement:claim_approve", args=[mine.pk]) in response.content.decode()
    client.force_login(pay.other_ppl)
    other = client.get(reverse("involvement:payments_queue"))
    assert list(other.context["page"]) == [] and "Rosa Walker" not in other.content.decode()


def test_the_queue_takes_the_same_queries_for_3_or_30_claims(client, pay):
    from tests.querycount import assert_constant_queries

    days = iter(range(1, 200))

    def add(count: int) -> None:
        for _ in range(count):
            day = datetime.date(2024, 11, 1) + datetime.timedelta(days=next(days))
            pay.claim(hours="0.25", day=day)

    client.force_login(pay.approver)
    assert_constant_queries(client, reverse("involvement:payments_queue"), add)


# --- recording and correcting --------------------------------------------------------------------


def test_a_ppl_chooses_a_person_then_records_a_claim(client, pay):
    client.force_login(pay.recorder)
    start = client.get(reverse("involvement:claim_start"), {"person": pay.person.pk})
    assert start["Location"] == reverse("involvement:claim_create", args=[pay.person.pk])
    page = client.get(start["Location"])
    assert "Calmer wards (on the team from 15 Jan 2024)" in page.content.decode()
    response = client.post(
        start["Location"],
        _claim_post(pay, expenses="4.80", expenses_note="Bus fare, receipt kept"),
    )
    claim = Claim.objects.get()
    assert response["Location"] == reverse("involvement:claim_detail", args=[claim.pk])
    assert (claim.amount, claim.created_by, claim.status) == (
        Decimal("46.05"),
        pay.recorder,
        ClaimStatus.SUBMITTED,
    )


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"hours": "0"}, "The time must be more than 0 hours."),
        ({"hours": "-1"}, "The time must be more than 0 hours."),
        ({"hours": "1.1"}, "Enter the time in quarter hours"),
        ({"expenses": "4.80"}, "Say what the receipt is for"),
        ({"date_year": "2099"}, "The date cannot be in the future"),
        ({"date_year": "2023"}, "the date must be within that time"),
        ({"involvement": ""}, "Choose what the claim is for."),
        ({"hours": "lots"}, "Enter the hours as a number, like 1.5."),
    ],
)
def test_bad_input_on_the_claim_form_is_named_and_nothing_is_recorded(
    client, pay, changes, message
):
    client.force_login(pay.recorder)
    response = client.post(
        reverse("involvement:claim_create", args=[pay.person.pk]), _claim_post(pay, **changes)
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html
    assert "There is a problem" in html and "<title>Error: " in html
    assert not Claim.objects.exists()


def test_more_than_twelve_hours_on_a_day_is_refused_on_the_form(client, pay):
    pay.claim(hours="10", day=datetime.date(2025, 3, 3))
    client.force_login(pay.recorder)
    response = client.post(
        reverse("involvement:claim_create", args=[pay.person.pk]), _claim_post(pay, hours="2.5")
    )
    assert "already has 10 hours claimed on 3 March 2025" in response.content.decode()
    assert Claim.objects.count() == 1


def test_a_date_with_no_rate_in_force_is_refused_on_the_form(client, pay):
    Rate.objects.filter(kind="meeting").delete()
    client.force_login(pay.recorder)
    response = client.post(
        reverse("involvement:claim_create", args=[pay.person.pk]),
        _claim_post(pay, rate_kind="meeting"),
    )
    assert "There is no meeting fee rate in force on 3 March 2025" in response.content.decode()
    assert not Claim.objects.exists()


def test_a_waiting_claim_is_corrected_and_priced_again(client, pay):
    claim = pay.claim(hours="2")
    client.force_login(pay.recorder)
    response = client.post(
        reverse("involvement:claim_edit", args=[claim.pk]), _claim_post(pay, hours="3")
    )
    assert response.status_code == 302
    claim.refresh_from_db()
    assert (claim.hours, claim.amount) == (Decimal("3"), Decimal("49.50"))


def test_another_directorates_ppl_gets_404_for_the_claim_and_the_person(client, pay):
    claim = pay.claim()
    client.force_login(pay.other_ppl)
    assert client.get(reverse("involvement:claim_detail", args=[claim.pk])).status_code == 404
    assert client.get(reverse("involvement:claim_create", args=[pay.person.pk])).status_code == 404
    assert client.post(reverse("involvement:claim_approve", args=[claim.pk])).status_code == 404


# --- deciding ------------------------------------------------------------------------------------


def test_the_claim_page_shows_the_decision_and_the_history(client, pay):
    claim = pay.claim()
    client.force_login(pay.approver)
    html = client.get(reverse("involvement:claim_detail", args=[claim.pk])).content.decode()
    assert "Approve this claim?" in html
    response = client.post(reverse("involvement:claim_approve", args=[claim.pk]), follow=True)
    html = response.content.decode()
    assert f"Claim {claim.reference} approved." in html
    assert "Claim recorded" in html and "Status: Waiting for approval → Approved" in html
    assert "Correct with a reversing claim" in html
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.APPROVED


def test_the_recorder_is_told_why_they_cannot_approve(client, pay):
    claim = pay.claim()
    client.force_login(pay.recorder)
    response = client.post(reverse("involvement:claim_approve", args=[claim.pk]), follow=True)
    assert "You recorded this claim" in response.content.decode()
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.SUBMITTED
    assert client.get(reverse("involvement:claim_reject", args=[claim.pk])).status_code == 403


def test_a_claim_is_rejected_with_a_reason(client, pay):
    claim = pay.claim()
    client.force_login(pay.approver)
    url = reverse("involvement:claim_reject", args=[claim.pk])
    assert "Give the reason." in client.post(url, {"reason": " "}).content.decode()
    client.post(url, {"reason": "They were not at this meeting"})
    claim.refresh_from_db()
    assert (claim.status, claim.decision_reason) == (
        ClaimStatus.REJECTED,
        "They were not at this meeting",
    )


def test_a_paid_claim_is_corrected_with_a_reversing_claim_from_its_page(client, pay):
    claim = pay.paid()
    client.force_login(pay.recorder)
    response = client.post(
        reverse("involvement:claim_reverse", args=[claim.pk]), {"reason": "Wrong hours"}
    )
    reversal = Claim.objects.get(reverses=claim)
    assert response["Location"] == reverse("involvement:claim_detail", args=[reversal.pk])
    html = client.get(response["Location"]).content.decode()
    assert "This claim reverses" in html and "-£33.00" in html
    # The reverse page is not offered twice.
    assert client.get(reverse("involvement:claim_reverse", args=[reversal.pk])).status_code == 403


# --- batches -------------------------------------------------------------------------------------


def test_a_ppl_makes_a_batch_downloads_the_csv_and_marks_it_paid(client, pay):
    claims = [pay.approved(day=datetime.date(2025, 3, d)) for d in (3, 4)]
    client.force_login(pay.approver)
    page = client.get(reverse("involvement:batch_create"))
    assert page.context["summary"]["count"] == 2
    response = client.post(
        reverse("involvement:batch_create"),
        {"directorate": "", "up_to": "", "expected_count": "2", "expected_total": "66.00"},
    )
    batch = PaymentBatch.objects.get()
    assert response["Location"] == reverse("involvement:batch_detail", args=[batch.pk])
    assert set(batch.claims.all()) == set(claims)

    detail = client.get(reverse("involvement:batch_detail", args=[batch.pk])).content.decode()
    assert f'action="{reverse("involvement:batch_mark_paid", args=[batch.pk])}"' in detail

    download = client.get(reverse("involvement:batch_csv", args=[batch.pk]))
    assert download["Content-Type"] == "text/csv; charset=utf-8"
    assert f"payment-batch-{batch.reference}.csv" in download["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(download.content.decode("utf-8-sig"))))
    assert [r["Amount"] for r in rows if r["Line"] == "Grand total"] == ["66.00"]

    today = datetime.date.today()
    response = client.post(
        reverse("involvement:batch_mark_paid", args=[batch.pk]),
        {"paid_on": (today + datetime.timedelta(days=2)).isoformat()},
    )
    assert "The date paid cannot be in the future." in response.content.decode()
    client.post(reverse("involvement:batch_mark_paid", args=[batch.pk]), {"paid_on": today})
    batch.refresh_from_db()
    assert batch.status == BatchStatus.PAID
    assert set(Claim.objects.values_list("status", flat=True)) == {ClaimStatus.PAID}


def test_a_batch_is_not_made_when_the_claims_changed_since_the_page_was_drawn(client, pay):
    pay.approved(day=datetime.date(2025, 3, 3))
    client.force_login(pay.approver)
    response = client.post(
        reverse("involvement:batch_create"),
        {"directorate": "", "up_to": "", "expected_count": "1", "expected_total": "12.00"},
        follow=True,
    )
    assert "The approved claims changed since you looked" in response.content.decode()
    assert not PaymentBatch.objects.exists()


def test_a_ppl_sees_only_batches_wholly_of_their_directorates(client, pay):
    batch = services.batch_create(claims=[pay.approved()], by=pay.approver)
    client.force_login(pay.other_ppl)
    assert client.get(reverse("involvement:batch_detail", args=[batch.pk])).status_code == 404
    assert client.get(reverse("involvement:batch_csv", args=[batch.pk])).status_code == 404
    assert list(client.get(reverse("involvement:batch_list")).context["page"]) == []
    client.force_login(pay.recorder)
    assert [b.pk for b in client.get(reverse("involvement:batch_list")).context["page"]] == [
        batch.pk
    ]


# --- rates and totals ----------------------------------------------------------------------------


def test_an_admin_adds_a_rate_and_a_ppl_may_only_look(client, pay):
    client.force_login(pay.recorder)
    assert client.get(reverse("involvement:rate_list")).status_code == 200
    assert client.get(reverse("involvement:rate_create")).status_code == 403
    client.force_login(pay.admin)
    response = client.post(
        reverse("involvement:rate_create"),
        {"kind": "hourly", "amount": "17.25", "effective_from": "2025-04-06", "note": ""},
    )
    assert response.status_code == 302
    assert Rate.objects.in_force_on("hourly", datetime.date(2025, 4, 6)).amount == Decimal("17.25")
    again = client.post(
        reverse("involvement:rate_create"),
        {"kind": "hourly", "amount": "18", "effective_from": "2025-04-06"},
    )
    assert "There is already a by the hour rate from 6 April 2025" in again.content.decode()


@time_machine.travel(datetime.date(2025, 6, 30))
def test_admins_see_totals_by_directorate_and_month(client, pay):
    pay.approved(hours="2", day=datetime.date(2025, 5, 3))
    client.force_login(pay.admin)
    response = client.get(reverse("involvement:payment_totals"), {"year": "2025"})
    rows = list(response.context["page"])
    assert [(r["directorate__name"], r["month"], r["total"]) for r in rows] == [
        ("Newham", datetime.date(2025, 5, 1), Decimal("33.00"))
    ]
    assert "May 2025" in response.content.decode()


# --- a service user's own payments ---------------------------------------------------------------


@pytest.fixture
def su(pay, su_user):
    pay.person.user = su_user
    pay.person.save()
    return su_user


@time_machine.travel(datetime.date(2025, 6, 30))
def test_a_service_user_sees_what_is_due_and_paid_this_tax_year(client, pay, su):
    pay.paid(hours="2", day=datetime.date(2025, 3, 3), paid_on=datetime.date(2025, 4, 10))
    pay.approved(hours="1", day=datetime.date(2025, 5, 1))
    pay.claim(hours="0.5", day=datetime.date(2025, 5, 2))
    client.force_login(su)
    html = client.get(reverse("involvement:my_payments")).content.decode()
    assert "This tax year: 6 April 2025 to 5 April 2026" in html
    assert "£33.00" in html and "£16.50" in html and "£8.25" in html
    assert html.count("Paid</strong>") == 1
    area = client.get(reverse("involvement:my_area")).content.decode()
    assert "Your payments" in area
    assert "you have been paid £33.00" in area and "£24.75 is still due to you" in area


def test_a_service_user_claims_for_their_own_time(client, pay, su):
    client.force_login(su)
    response = client.post(reverse("involvement:my_claim_create"), _claim_post(pay))
    claim = Claim.objects.get()
    assert response["Location"] == reverse("involvement:my_claim_detail", args=[claim.pk])
    assert claim.created_by == su and claim.person == pay.person
    assert "Claim recorded" in client.get(response["Location"]).content.decode()


def test_a_service_user_gets_404_for_someone_elses_claim(client, pay, su):
    other = PersonFactory(directorates=[pay.directorate])
    membership = MembershipFactory(
        project=pay.project, person=other, start_date=pay.project.start_date
    )
    claim = pay.claim(person=other, membership=membership)
    client.force_login(su)
    assert client.get(reverse("involvement:my_claim_detail", args=[claim.pk])).status_code == 404


# --- the PPL home and the rest of the app --------------------------------------------------------


def test_the_ppl_home_lists_claims_waiting_for_approval(client, pay):
    claim = pay.claim()
    client.force_login(pay.approver)
    html = client.get(reverse("involvement:ppl_home")).content.decode()
    assert "Claims waiting for approval" in html
    assert f"{claim.reference}: Rosa Walker, 3 March 2025" in html
    client.force_login(pay.other_ppl)
    assert "Rosa Walker" not in client.get(reverse("involvement:ppl_home")).content.decode()


def test_payments_are_in_the_menu_of_ppls_and_admins_only(client, pay, su):
    for user, shown in ((pay.recorder, True), (pay.admin, True), (su, False)):
        client.force_login(user)
        html = client.get(reverse("glossary")).content.decode()
        assert (f'href="{reverse("involvement:payments_queue")}"' in html) is shown


def test_a_team_membership_with_claims_is_not_removed(client, pay):
    pay.claim()
    client.force_login(pay.recorder)
    response = client.post(
        reverse("involvement:membership_remove", args=[pay.project.pk, pay.membership.pk]),
        follow=True,
    )
    assert "has payment claims, so it cannot be removed" in response.content.decode()
    assert pay.project.memberships.filter(pk=pay.membership.pk).exists()


def test_an_activity_with_claims_is_not_removed(client, pay):
    from tests.factories import ActivityFactory

    activity = ActivityFactory(project=pay.project, date=datetime.date(2025, 2, 12))
    services.claim_create(
        person=pay.person,
        data=services.ClaimInput(rate_kind="half_day", hours=Decimal("3"), activity=activity),
        by=pay.recorder,
        today=datetime.date(2025, 6, 30),
    )
    client.force_login(pay.recorder)
    response = client.post(
        reverse("involvement:activity_remove", args=[pay.project.pk, activity.pk]), follow=True
    )
    assert "has payment claims, so it cannot be removed" in response.content.decode()
    assert pay.project.activities.filter(pk=activity.pk).exists()


def test_a_ppl_who_is_not_of_the_directorate_sees_no_claim_on_the_list(client, pay):
    pay.claim()
    newcomer = UserFactory(username="ppl-new", roles=[Role.PPL])
    client.force_login(newcomer)
    assert list(client.get(reverse("involvement:claim_list")).context["page"]) == []


def test_the_claim_list_and_a_batch_page_take_the_same_queries_for_3_or_30_claims(client, pay):
    from tests.querycount import assert_constant_queries, count_queries

    days = iter(range(1, 200))
    batch_holder = {}

    def add(count: int) -> None:
        claims = []
        for _ in range(count):
            day = datetime.date(2024, 11, 1) + datetime.timedelta(days=next(days))
            claims.append(pay.approved(hours="0.25", day=day))
        if "batch" not in batch_holder:
            batch_holder["batch"] = services.batch_create(claims=claims, by=pay.admin)
        else:
            for claim in claims:
                claim.batch = batch_holder["batch"]
                claim.save(update_fields=["batch"])

    client.force_login(pay.approver)
    assert_constant_queries(client, reverse("involvement:claim_list"), add)
    # The batch now holds 30 claims; 10 more take no more queries.
    url = reverse("involvement:batch_detail", args=[batch_holder["batch"].pk])
    before = count_queries(client, url)
    add(10)
    assert batch_holder["batch"].claims.count() == 40
    assert count_queries(client, url) == before


def test_the_person_page_offers_to_record_a_claim(client, pay):
    client.force_login(pay.recorder)
    html = client.get(reverse("involvement:person_detail", args=[pay.person.pk])).content.decode()
    assert reverse("involvement:claim_create", args=[pay.person.pk]) in html
