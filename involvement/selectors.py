"""Reads that need the roles (which live in this app)."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models import QuerySet

from involvement.access import Role
from projects.models import Directorate


def ppl_users() -> QuerySet:
    return (
        get_user_model()
        .objects.filter(groups__name=Role.PPL, is_active=True)
        .order_by("first_name", "last_name")
    )


def directorates_without_ppl() -> QuerySet[Directorate]:
    """The seed's "services without PPLs": directorates where no active PPL works."""
    return Directorate.objects.exclude(staff__in=ppl_users()).order_by("name")
