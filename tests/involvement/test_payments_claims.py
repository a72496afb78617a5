"""Recording claims: pricing at the rate in force (across a rise), day units, expenses, the
declined preference, what a claim may be for, and bad input refused with nothing changed."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from involvement import services_payments as services
from involvement.models_payments import Claim, ClaimStatus, Rate, RateKind
from involvement.services_payments import ClaimInput
from tests.factories import (
    ActivityFactory,
    MembershipFactory,
    OpportunityFactory,
    PersonFactory,
    ProjectFactory,
)
from tests.involvement.payments_helpers import BEFORE_RISE, RISE, TODAY, make_pay

pytestmark = pytest.mark.django_db


@pytest.fixture
def pay(directorate, other_directorate, ppl, other_ppl, admin_user):
    return make_pay(directorate, other_directorate, ppl, other_ppl, admin_user)


# --- pricing -------------------------------------------------------------------------------------


def test_a_claim_is_priced_at_the_rate_in_force_on_its_date_across_a_rise(pay):
    before = pay.claim(hours="1.25", day=BEFORE_RISE)
    after = pay.claim(hours="1.25", day=RISE)
    assert (before.unit_price, before.units, before.fee, before.amount) == (
        Decimal("15.00"),
        Decimal("1.25"),
        Decimal("18.75"),
        Decimal("18.75"),
    )
    # 1.25 × £16.50 = £20.625, rounded half up.
    assert (after.unit_price, after.fee, after.amount) == (
        Decimal("16.50"),
        Decimal("20.63"),
        Decimal("20.63"),
    )
    assert before.rate.effective_from < after.rate.effective_from


def test_a_new_rate_never_changes_a_claim_already_priced(pay):
    claim = pay.claim(hours="2", day=datetime.date(2025, 3, 3))
    services.rate_create(
        kind=RateKind.HOURLY,
        amount=Decimal("20.00"),
        effective_from=datetime.date(2025, 1, 1),
        by=pay.admin,
    )
    claim.refresh_from_db()
    assert claim.unit_price == Decimal("16.50") and claim.amount == Decimal("33.00")
    # A claim made now for the same day takes the new rate.
    later = pay.claim(hours="2", day=datetime.date(2025, 3, 3))
    assert later.amount == Decimal("40.00")


def test_day_units_and_a_meeting_fee_are_one_unit_at_their_rate(pay):
    half = pay.claim(hours="3.5", rate_kind=RateKind.HALF_DAY, day=datetime.date(2025, 3, 4))
    full = pay.claim(hours="6", rate_kind=RateKind.FULL_DAY, day=datetime.date(2025, 3, 5))
    meeting = pay.claim(hours="1.5", rate_kind=RateKind.MEETING, day=datetime.date(2025, 3, 6))
    assert (half.units, half.amount, half.hours) == (Decimal("1"), Decimal("50.00"), Decimal("3.5"))
    assert (full.units, full.amount) == (Decimal("1"), Decimal("100.00"))
    assert (meeting.units, meeting.amount) == (Decimal("1"), Decimal("25.00"))


def test_expenses_with_a_receipt_note_are_added_to_the_amount(pay):
    claim = pay.claim(hours="2", expenses=Decimal("4.80"), expenses_note="Bus fare, receipt kept")
    assert claim.fee == Decimal("33.00")
    assert claim.expenses == Decimal("4.80")
    assert claim.amount == Decimal("37.80")
    assert claim.status == ClaimStatus.SUBMITTED
    assert claim.directorate == pay.directorate
    assert claim.payment_preference == "paid"


def test_the_claim_keeps_the_payment_preference_it_was_made_with(pay):
    claim = pay.claim()
    pay.person.payment_preference = "vouchers"
    pay.person.save()
    claim.refresh_from_db()
    assert claim.payment_preference == "paid"


# --- declined ------------------------------------------------------------------------------------


def test_someone_who_declines_payment_has_their_time_recorded_with_amount_zero(pay):
    pay.person.payment_preference = "declined"
    pay.person.save()
    claim = pay.claim(hours="2.5")
    assert claim.hours == Decimal("2.5")
    assert (claim.unit_price, claim.fee, claim.amount) == (Decimal("0"),) * 3
    assert (
        claim.no_payment_reason
        == "Has chosen not to be paid (for example, because of benefits rules)."
    )
    assert claim.declined


def test_someone_who_declines_payment_cannot_claim_expenses(pay):
    pay.person.payment_preference = "declined"
    pay.person.save()
    with pytest.raises(ValidationError) as error:
        pay.claim(expenses=Decimal("4.80"), expenses_note="Bus fare")
    assert "chosen not to be paid" in error.value.message_dict["expenses"][0]
    assert not Claim.objects.exists()


def test_a_declined_claim_is_never_put_in_a_batch(pay):
    pay.person.payment_preference = "declined"
    pay.person.save()
    claim = pay.approved()
    assert claim not in Claim.objects.to_pay()
    with pytest.raises(ValidationError, match="declines payment"):
        services.batch_create(claims=[claim], by=pay.approver)
    claim.refresh_from_db()
    assert claim.batch_id is None


# --- what a claim is for -------------------------------------------------------------------------


def test_an_activity_claim_takes_the_activity_date_and_need_not_name_the_person(pay):
    activity = ActivityFactory(project=pay.project, date=datetime.date(2025, 2, 12))
    claim = services.claim_create(
        person=pay.person,
        data=ClaimInput(rate_kind=RateKind.HALF_DAY, hours=Decimal("3"), activity=activity),
        by=pay.recorder,
        today=TODAY,
    )
    assert claim.date == datetime.date(2025, 2, 12)
    assert claim.activity == activity and claim.amount == Decimal("50.00")


def test_a_forum_meeting_claim_is_for_the_meeting_day(pay):
    from projects.models import Forum

    forum = Forum.objects.create(name="Newham QI forum")
    forum.directorates.add(pay.directorate)
    meeting = forum.meetings.create(date=datetime.date(2025, 5, 13), status="held")
    claim = services.claim_create(
        person=pay.person,
        data=ClaimInput(rate_kind=RateKind.MEETING, hours=Decimal("1.5"), forum_meeting=meeting),
        by=pay.recorder,
        today=TODAY,
    )
    assert claim.date == meeting.date and claim.amount == Decimal("25.00")


def test_a_trust_wide_opportunity_is_paid_by_the_persons_directorate(pay):
    opportunity = OpportunityFactory(
        directorate=None, start_date=datetime.date(2025, 1, 1), kind="interview_panel"
    )
    claim = services.claim_create(
        person=pay.person,
        data=ClaimInput(
            rate_kind=RateKind.FULL_DAY,
            hours=Decimal("6"),
            date=datetime.date(2025, 2, 3),
            opportunity=opportunity,
        ),
        by=pay.recorder,
        today=TODAY,
    )
    assert claim.directorate == pay.directorate and claim.opportunity == opportunity


def test_the_database_insists_on_exactly_one_piece_of_involvement(pay):
    from django.db import IntegrityError, transaction

    claim = pay.claim()
    activity = ActivityFactory(project=pay.project, date=claim.date)
    with pytest.raises(IntegrityError), transaction.atomic():
        Claim.objects.filter(pk=claim.pk).update(activity=activity)
    with pytest.raises(IntegrityError), transaction.atomic():
        Claim.objects.filter(pk=claim.pk).update(membership=None)


# --- bad input: a clear error and nothing changed ------------------------------------------------


def _refused(pay, field: str, words: str, **kwargs) -> None:
    before = Claim.objects.count()
    with pytest.raises(ValidationError) as error:
        pay.claim(**kwargs)
    messages = error.value.message_dict
    assert field in messages, messages
    assert words in " ".join(messages[field]), messages
    assert Claim.objects.count() == before


@pytest.mark.parametrize(
    ("hours", "words"),
    [
        ("0", "more than 0 hours"),
        ("-2", "more than 0 hours"),
        ("1.1", "quarter hours"),
        ("12.5", "No more than 12 hours"),
        (None, "Enter how many hours"),
    ],
)
def test_a_bad_duration_is_refused(pay, hours, words):
    _refused(pay, "hours", words, hours=hours)


def test_more_than_twelve_hours_on_one_day_across_claims_is_refused(pay):
    day = datetime.date(2025, 3, 10)
    pay.claim(hours="8", day=day)
    _refused(pay, "hours", "already has 8 hours claimed on 10 March 2025", hours="4.25", day=day)
    # Exactly 12 is fine.
    assert pay.claim(hours="4", day=day).hours == Decimal("4")


def test_a_rejected_claim_does_not_count_towards_the_twelve_hours(pay):
    day = datetime.date(2025, 3, 10)
    first = pay.claim(hours="10", day=day)
    services.claim_reject(claim=first, by=pay.approver, reason="Wrong day")
    assert pay.claim(hours="10", day=day).hours == Decimal("10")


def test_a_date_in_the_future_is_refused(pay):
    _refused(pay, "date", "cannot be in the future", day=TODAY + datetime.timedelta(days=1))


def test_a_date_with_no_rate_in_force_is_refused(pay):
    MembershipFactory(
        project=pay.project, person=PersonFactory(), start_date=pay.project.start_date
    )
    Rate.objects.filter(kind=RateKind.MEETING).delete()
    _refused(
        pay, "rate_kind", "no meeting fee rate in force on 3 March 2025", rate_kind=RateKind.MEETING
    )
    # Before the first hourly rate, too.
    early_project = ProjectFactory(
        directorate=pay.directorate, start_date=datetime.date(2024, 1, 1)
    )
    early = MembershipFactory(
        project=early_project, person=pay.person, start_date=datetime.date(2024, 1, 1)
    )
    _refused(
        pay,
        "rate_kind",
        "no by the hour rate in force on 1 February 2024",
        membership=early,
        day=datetime.date(2024, 2, 1),
    )


def test_expenses_without_a_receipt_note_are_refused(pay):
    _refused(pay, "expenses_note", "Say what the receipt is for", expenses=Decimal("4.80"))
    _refused(
        pay,
        "expenses_note",
        "Say what the receipt is for",
        expenses=Decimal("4.80"),
        expenses_note="   ",
    )


def test_negative_expenses_are_refused(pay):
    _refused(pay, "expenses", "cannot be less than £0", expenses=Decimal("-1"), expenses_note="x")


def test_a_half_day_of_more_than_four_hours_and_a_full_day_of_four_or_less_are_refused(pay):
    _refused(pay, "hours", "A half day is up to 4 hours", rate_kind=RateKind.HALF_DAY, hours="5")
    _refused(
        pay, "hours", "A full day is more than 4 hours", rate_kind=RateKind.FULL_DAY, hours="4"
    )


def test_a_date_outside_the_team_membership_is_refused(pay):
    _refused(pay, "date", "the date must be within that time", day=datetime.date(2024, 1, 1))


def test_someone_elses_membership_is_refused(pay):
    other = MembershipFactory(
        project=pay.project, person=PersonFactory(directorates=[pay.directorate])
    )
    _refused(pay, "involvement", "someone else's", membership=other)


def test_an_activity_on_another_day_a_cancelled_meeting_and_an_unpaid_opportunity_are_refused(pay):
    from projects.models import Forum

    activity = ActivityFactory(project=pay.project, date=datetime.date(2025, 2, 12))
    forum = Forum.objects.create(name="Newham QI forum")
    forum.directorates.add(pay.directorate)
    cancelled = forum.meetings.create(
        date=datetime.date(2025, 5, 13),
        status="cancelled",
        cancellation_announced_on=datetime.date(2025, 5, 12),
    )
    unpaid = OpportunityFactory(
        directorate=pay.directorate, paid=False, start_date=datetime.date(2025, 1, 1)
    )
    cases = [
        (
            "date",
            "the claim is for that day",
            {"activity": activity, "date": datetime.date(2025, 2, 13)},
        ),
        ("involvement", "cancelled", {"forum_meeting": cancelled}),
        ("involvement", "not a paid opportunity", {"opportunity": unpaid, "date": TODAY}),
    ]
    for field, words, involvement in cases:
        with pytest.raises(ValidationError) as error:
            services.claim_create(
                person=pay.person,
                data=ClaimInput(rate_kind=RateKind.HOURLY, hours=Decimal("1"), **involvement),
                by=pay.recorder,
                today=TODAY,
            )
        assert words in " ".join(error.value.message_dict[field])
    assert not Claim.objects.exists()


def test_a_ppl_of_another_directorate_cannot_record_a_claim_for_its_involvement(pay):
    before = Claim.objects.count()
    with pytest.raises(ValidationError) as error:
        pay.claim(by=pay.other_ppl)
    assert "another directorate" in error.value.message_dict["involvement"][0]
    assert Claim.objects.count() == before


def test_the_person_themselves_may_record_their_own_claim(pay):
    from involvement.access import Role
    from tests.factories import UserFactory

    user = UserFactory(username="rosa", roles=[Role.SU])
    pay.person.user = user
    pay.person.save()
    claim = pay.claim(by=user)
    assert claim.created_by == user and claim.status == ClaimStatus.SUBMITTED


# --- rates ---------------------------------------------------------------------------------------


def test_a_second_rate_of_a_kind_on_the_same_day_is_refused(pay):
    with pytest.raises(ValidationError) as error:
        services.rate_create(
            kind=RateKind.HOURLY, amount=Decimal("17"), effective_from=RISE, by=pay.admin
        )
    assert (
        "already a by the hour rate from 1 October 2024"
        in error.value.message_dict["effective_from"][0]
    )
    assert Rate.objects.filter(kind=RateKind.HOURLY).count() == 2


@pytest.mark.parametrize(("amount", "words"), [("0", "more than £0"), ("12.345", "pence")])
def test_a_rate_must_be_pounds_and_pence_above_zero(pay, amount, words):
    with pytest.raises(ValidationError) as error:
        services.rate_create(
            kind=RateKind.MEETING,
            amount=Decimal(amount),
            effective_from=datetime.date(2025, 4, 6),
            by=pay.admin,
        )
    assert words in " ".join(error.value.messages)
    assert not Rate.objects.filter(effective_from=datetime.date(2025, 4, 6)).exists()


def test_the_rate_in_force_is_the_latest_that_took_effect_on_or_before_the_day(pay):
    assert Rate.objects.in_force_on(RateKind.HOURLY, BEFORE_RISE).amount == Decimal("15.00")
    assert Rate.objects.in_force_on(RateKind.HOURLY, RISE).amount == Decimal("16.50")
    assert Rate.objects.in_force_on(RateKind.HOURLY, datetime.date(2024, 4, 5)) is None
