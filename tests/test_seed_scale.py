"""``manage.py seed_scale`` (issue 10): a small run gives every count in proportion, the benchmark's
users sign in, the claims keep the payment rules, and the derived levels table is the one the
app's own rebuild writes."""

from __future__ import annotations

import io
from collections import Counter

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db import transaction
from django.test import Client
from django.urls import reverse

from charts.models import ChartAnnotation
from involvement import access, levels, money
from involvement.access import Role
from involvement.models import (
    Activity,
    Person,
    ProjectMonth,
    RoleDescription,
    TeamMembership,
)
from involvement.models_payments import Claim, ClaimStatus, PaymentBatch, Rate, RateKind
from projects.models import Directorate, Forum, ProgressScore, Project, ProjectStatus
from projects.scale import ScaleSize, share_out
from stories.models import Reflection, ReflectionAnswer, Story, StoryStatus

PASSWORD = "scale-test-password"
SIZE = ScaleSize(projects=50, people=20, years=2)


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    """One small run for the whole module, rolled back at the end (each test runs in a savepoint
    inside it, so what a test changes is undone too)."""
    with django_db_blocker.unblock():
        with transaction.atomic():
            out = io.StringIO()
            call_command(
                "seed_scale",
                "--projects",
                str(SIZE.projects),
                "--people",
                str(SIZE.people),
                "--years",
                str(SIZE.years),
                "--password",
                PASSWORD,
                stdout=out,
            )
            yield out.getvalue()
            transaction.set_rollback(True)


@pytest.fixture
def data(seeded, db):
    return seeded


def test_a_small_run_gives_every_count_in_proportion(data):
    assert Directorate.objects.count() == SIZE.directorates == 3
    assert Project.objects.count() == 50
    assert Person.objects.count() == 20
    assert TeamMembership.objects.count() == SIZE.memberships == 200
    assert Activity.objects.count() == SIZE.activities == 1000
    assert Claim.objects.filter(reverses__isnull=True).count() == SIZE.claims == 500
    assert Story.objects.count() == SIZE.stories == 5
    assert Reflection.objects.count() == SIZE.reflections == 20
    assert ReflectionAnswer.objects.count() == 10 * SIZE.reflections
    assert Forum.objects.count() == SIZE.directorates
    assert ProgressScore.objects.exists()
    assert ProjectMonth.objects.exists()
    assert ChartAnnotation.objects.exists()
    # Every history the app shows has its rows.
    assert TeamMembership.history.count() == 200
    assert Person.history.count() == 20
    assert RoleDescription.objects.exists()
    assert RoleDescription.history.count() == RoleDescription.objects.count()
    # A realistic mix, not one of each kind.
    statuses = set(Project.objects.values_list("status", flat=True))
    assert statuses >= {ProjectStatus.DRAFT, ProjectStatus.ACTIVE, ProjectStatus.COMPLETED}
    assert set(Claim.objects.values_list("status", flat=True)) == set(ClaimStatus.values)
    statuses = Counter(Story.objects.values_list("status", flat=True))
    assert statuses[StoryStatus.PUBLISHED] >= 3
    assert Project.objects.filter(lifeqi_id__isnull=False).count() > 40
    # The summary names the tables and the steps.
    assert "involvement_claim" in data
    assert "claims and payment batches" in data


def test_running_twice_refuses_with_one_line(data):
    with pytest.raises(CommandError) as refused:
        call_command("seed_scale", "--projects", "5", "--people", "5", stdout=io.StringIO())
    assert "\n" not in str(refused.value)
    assert "empty database" in str(refused.value)
    assert Project.objects.count() == 50


@pytest.mark.parametrize(
    ("username", "role"),
    [
        ("scale-admin", Role.ADMIN),
        ("scale-ppl-01", Role.PPL),
        ("scale-ppl-20", Role.PPL),
        ("scale-lead", Role.LEAD),
        ("scale-su", Role.SU),
        ("scale-chair", Role.CHAIR),
    ],
)
def test_the_benchmark_users_sign_in_with_the_password(data, username, role):
    user = get_user_model().objects.get(username=username)
    assert role in access.roles_of(user)
    assert user.check_password(PASSWORD)
    client = Client()
    signed_in = client.post(reverse("login"), {"username": username, "password": PASSWORD})
    assert signed_in.status_code == 302
    assert client.get(access.home_url(user)).status_code == 200


def test_every_directorate_has_a_ppl_and_each_ppl_has_claims_to_approve(data):
    ppls = get_user_model().objects.filter(username__startswith="scale-ppl-")
    assert ppls.count() == 20
    covered = set()
    waiting = list(Claim.objects.filter(status=ClaimStatus.SUBMITTED).select_related("person"))
    for ppl in ppls:
        directorates = access.ppl_directorate_ids(ppl)
        assert len(directorates) == 1
        covered |= directorates
        approvable = [c for c in waiting if access.approval_problem(ppl, c) is None]
        assert len(approvable) >= 5, ppl.username
    assert covered == set(Directorate.objects.values_list("pk", flat=True))


def test_the_other_roles_have_something_to_see(data):
    User = get_user_model()
    su = User.objects.get(username="scale-su").person
    assert su.memberships.count() >= 2
    assert su.role_descriptions.filter(status="draft").exists()
    assert su.role_descriptions.exclude(status="draft").exists()
    states = set(su.claims.values_list("status", flat=True))
    assert {ClaimStatus.SUBMITTED, ClaimStatus.REJECTED} <= states
    lead = User.objects.get(username="scale-lead")
    assert {p.status for p in lead.led_projects.all()} >= {"active", "draft"}
    assert Forum.objects.filter(chair__username="scale-chair").count() == 1


def test_claims_are_priced_and_decided_by_the_apps_rules(data):
    claims = Claim.objects.select_related(
        "person", "batch", "membership", "activity", "reverses"
    ).prefetch_related("person__directorates")
    rates: dict = {}
    deciders: dict = {}
    for claim in claims:
        if claim.reverses_id:
            original = claim.reverses
            assert claim.amount == -original.amount and claim.hours == -original.hours
        else:
            key = (claim.rate_kind, claim.date)
            if key not in rates:
                rates[key] = Rate.objects.in_force_on(*key)
            rate = rates[key]
            assert claim.rate_id == rate.pk
            declined = claim.payment_preference == "declined"
            assert claim.unit_price == (0 if declined else rate.amount)
            units = claim.hours if claim.rate_kind == RateKind.HOURLY else 1
            assert claim.units == units
            assert claim.fee == money.fee(claim.unit_price, units)
            assert claim.amount == money.to_pennies(claim.fee + claim.expenses)
            assert money.duration_problem(claim.hours) is None
        if claim.decided_by_id:
            # Segregation of duties: never the recorder, never the person paid, always a PPL of
            # the directorate that pays.
            assert claim.decided_by_id != claim.created_by_id
            assert claim.decided_by_id != claim.person.user_id
            if claim.decided_by_id not in deciders:
                user = get_user_model().objects.get(pk=claim.decided_by_id)
                deciders[claim.decided_by_id] = access.ppl_directorate_ids(user)
            assert claim.directorate_id in deciders[claim.decided_by_id]
            assert claim.decided_at > claim.created_at
        assert claim.directorate_id in {d.pk for d in claim.person.directorates.all()}
        if claim.status == ClaimStatus.PAID:
            assert claim.batch.is_paid and claim.paid_on == claim.batch.paid_on
        if claim.membership_id:
            membership = claim.membership
            assert membership.person_id == claim.person_id
            assert membership.start_date <= claim.date
            assert membership.end_date is None or claim.date <= membership.end_date
        if claim.activity_id:
            assert claim.date == claim.activity.date
    # No more than 12 hours a day for anyone.
    hours: Counter = Counter()
    for person_id, day, claimed in Claim.objects.exclude(status="rejected").values_list(
        "person_id", "date", "hours"
    ):
        hours[(person_id, day)] += claimed
    assert max(hours.values()) <= money.MAX_HOURS_A_DAY
    assert PaymentBatch.objects.exists()


def test_claim_history_shows_each_step(data):
    claim = Claim.objects.filter(status=ClaimStatus.PAID, reverses__isnull=True).first()
    steps = list(claim.history.order_by("history_date").values_list("status", "history_user"))
    assert [status for status, _ in steps] == ["submitted", "approved", "approved", "paid"]
    assert steps[0][1] == claim.created_by_id
    assert steps[1][1] == claim.decided_by_id


def test_the_levels_table_is_what_the_apps_rebuild_writes(data):
    def snapshot():
        rows = set(
            ProjectMonth.objects.values_list("project_id", "directorate_id", "month", "level")
        )
        projects = set(Project.objects.values_list("pk", "current_level", "overall_level"))
        return rows, projects

    seeded_rows, seeded_projects = snapshot()
    assert seeded_rows
    levels.rebuild_all()
    assert snapshot() == (seeded_rows, seeded_projects)
    # Big I and little i both appear.
    assert {level for *_, level in seeded_rows} == {0, 1, 2}


def test_share_out_gives_exact_counts_within_caps():
    assert share_out(10, [1, 1, 1]) == [4, 3, 3]
    assert sum(share_out(1000, [3, 1, 0.5, 7])) == 1000
    assert share_out(10, [1, 1], caps=[2, 100]) == [2, 8]
    assert share_out(10, [1, 1], caps=[2, 3]) == [2, 3]
