"""The people register's demo data: varied, linked to the demo users, and idempotent."""

from __future__ import annotations

import io
from collections import Counter

import pytest
from django.core.management import call_command
from django.utils import timezone

from involvement import access
from involvement.choices import OpportunityKind
from involvement.models import (
    Invitation,
    Opportunity,
    OpportunityInterest,
    Person,
    RoleDescription,
    Training,
)
from involvement.selectors import directorates_without_ppl

pytestmark = pytest.mark.django_db


def seed():
    call_command("seed_demo", "--password", "pw-for-tests-1", stdout=io.StringIO())


def counts():
    return tuple(
        model.objects.count()
        for model in (
            Person,
            Invitation,
            Training,
            RoleDescription,
            Opportunity,
            OpportunityInterest,
        )
    )


def test_demo_people_are_varied_and_linked_to_the_demo_users():
    seed()
    from django.contrib.auth import get_user_model

    assert 55 <= Person.objects.count() <= 65
    su = get_user_model().objects.get(username="su")
    sam = access.own_person(su)
    assert sam is not None and [d.slug for d in sam.directorates.all()] == ["newham"]
    assert set(Person.objects.values_list("payment_preference", flat=True)) == {
        "paid", "vouchers", "declined",
    }  # fmt: skip
    assert Person.objects.filter(user__isnull=True, invitations__isnull=False).exists()
    assert {o.kind for o in Opportunity.objects.all()} == set(OpportunityKind.values)
    assert OpportunityInterest.objects.exists()
    statuses = Counter(RoleDescription.objects.values_list("status", flat=True))
    assert set(statuses) == {"draft", "agreed", "ended"}
    assert RoleDescription.objects.due_for_review(timezone.localdate()).exists()
    assert RoleDescription.objects.filter(version=2, previous__isnull=False).exists()
    # Most directorates have a PPL; Primary care is the one without.
    assert [d.name for d in directorates_without_ppl()] == ["Primary care"]


def test_demo_people_are_idempotent():
    seed()
    first = counts()
    seed()
    assert counts() == first
