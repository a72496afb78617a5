"""Writes to projects, progress scores and forum meetings: each checks and saves in one
transaction, so a rule (the co-production gate above all) holds whatever page calls it."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from projects.models import ForumMeeting, ProgressScore, Project, ProjectStatus

GATE_MESSAGE = (
    "This project cannot leave draft until it has a service user or carer on its team, or a "
    "co-production plan signed off by a People Participation Lead (PPL) of its directorate."
)


def coproduction_assured(project: Project) -> bool:
    """The seed's "no new projects without assurance of co-production": an SU on the team (a
    team membership, of any dates), or a co-production plan signed off by a PPL."""
    if project.plan_signed_off_at is not None:
        return True
    return project.pk is not None and project.memberships.exists()


@transaction.atomic
def project_save(*, project: Project) -> Project:
    """Create or update a project from the app.

    The co-production gate applies to any project leaving draft here (imports of past projects
    do not come this way). A signed-off plan whose text or directorate changes needs signing off
    again: the sign-off was for the old plan.
    """
    previous = None
    if project.pk is not None:
        previous = (
            Project.objects.select_for_update()
            .filter(pk=project.pk)
            .values("status", "coproduction_plan", "directorate_id")
            .first()
        )
    if (
        previous is not None
        and project.plan_signed_off_at is not None
        and (
            previous["coproduction_plan"] != project.coproduction_plan
            or previous["directorate_id"] != project.directorate_id
        )
    ):
        project.plan_signed_off_at = None
        project.plan_signed_off_by = None
    leaving_draft = project.status != ProjectStatus.DRAFT and (
        previous is None or previous["status"] == ProjectStatus.DRAFT
    )
    if leaving_draft and not coproduction_assured(project):
        raise ValidationError({"status": GATE_MESSAGE})
    project.full_clean()
    project.save()
    return project


@transaction.atomic
def project_activate(*, project: Project) -> Project:
    """Move a draft project to active, through the co-production gate."""
    project = Project.objects.select_for_update().get(pk=project.pk)
    if project.status != ProjectStatus.DRAFT:
        raise ValidationError({"status": "Only a draft project can be activated."})
    project.status = ProjectStatus.ACTIVE
    return project_save(project=project)


@transaction.atomic
def coproduction_plan_sign_off(*, project: Project, by) -> Project:
    """A PPL of the project's directorate signs off its co-production plan: who and when are
    recorded. The caller checks the PPL's right (``access.can_sign_off_plan``)."""
    project = Project.objects.select_for_update().get(pk=project.pk)
    if not project.coproduction_plan.strip():
        raise ValidationError(
            {"coproduction_plan": "There is no co-production plan to sign off yet."}
        )
    project.plan_signed_off_by = by
    project.plan_signed_off_at = timezone.now()
    project.full_clean()
    project.save(update_fields=["plan_signed_off_by", "plan_signed_off_at", "updated_at"])
    return project


@transaction.atomic
def progress_score_add(
    *, project: Project, score: Decimal, date: datetime.date, by
) -> ProgressScore:
    if date > timezone.localdate():
        raise ValidationError({"date": "A progress score cannot be dated in the future."})
    if date < project.start_date:
        raise ValidationError(
            {
                "date": f"The project starts on {project.start_date:%-d %B %Y}: date the score on "
                "or after it."
            }
        )
    progress = ProgressScore(project=project, score=score, date=date, recorded_by=by)
    progress.full_clean()
    progress.save()
    return progress


@transaction.atomic
def forum_meeting_save(*, meeting: ForumMeeting) -> ForumMeeting:
    clash = ForumMeeting.objects.filter(forum_id=meeting.forum_id, date=meeting.date).exclude(
        pk=meeting.pk
    )
    if meeting.date and clash.exists():
        raise ValidationError({"date": "This forum already has a meeting on that date."})
    meeting.full_clean()
    meeting.save()
    return meeting
