"""Reads that need the roles (which live in this app)."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models import QuerySet

from involvement.access import Role
from projects.models import Directorate, Level, Project


def ppl_users() -> QuerySet:
    return (
        get_user_model()
        .objects.filter(groups__name=Role.PPL, is_active=True)
        .order_by("first_name", "last_name")
    )


def directorates_without_ppl() -> QuerySet[Directorate]:
    """The seed's "services without PPLs": directorates where no active PPL works."""
    return Directorate.objects.exclude(staff__in=ppl_users()).order_by("name")


def projects_without_involvement(*, directorate_ids, month) -> QuerySet[Project]:
    """Projects active in ``month`` whose level that month is none (no SU on the team, no
    little-i activity in the month or the two before), read from the derived table."""
    from involvement.models import ProjectMonth

    quiet = ProjectMonth.objects.filter(
        month=month, level=Level.NONE, directorate_id__in=list(directorate_ids)
    ).values("project_id")
    return Project.objects.filter(pk__in=quiet).select_related("directorate")
