"""Reads of the people register that pages share: matching, the PPL home's lists, a service
user's own area. Every function takes already-scoped querysets or a user and goes through
``involvement.access``."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from involvement import access, matching
from involvement.models import (
    Invitation,
    Opportunity,
    Person,
    ProjectNeeds,
    RoleDescription,
    TeamMembership,
)
from projects.models import ForumMeeting, MeetingStatus, Project, ProjectStatus

# Projects a new SU team member can still join.
OPEN_PROJECT_STATUSES = (ProjectStatus.DRAFT, ProjectStatus.ACTIVE)


# --- turning records into what matching compares -------------------------------------------------


def profile_of(person: Person) -> matching.Profile:
    """Needs ``person.interests`` prefetched on lists."""
    return matching.Profile(
        key=person.pk,
        name=person.name,
        interests=frozenset(i.name for i in person.interests.all()),
        days=frozenset(person.available_days or ()),
        times=frozenset(person.available_times or ()),
        attendance=person.attendance,
    )


def need_of_project(project: Project) -> matching.Need:
    """What the project asks for (nothing in particular when it has not said)."""
    needs: ProjectNeeds | None = getattr(project, "needs", None)
    if needs is None:
        return matching.Need(key=("project", project.pk), title=project.title)
    return matching.Need(
        key=("project", project.pk),
        title=project.title,
        interests=frozenset(i.name for i in needs.interests.all()),
        days=frozenset(needs.meeting_days or ()),
        times=frozenset(needs.meeting_times or ()),
        attendance=needs.attendance,
    )


def need_of_opportunity(opportunity: Opportunity) -> matching.Need:
    return matching.Need(
        key=("opportunity", opportunity.pk),
        title=opportunity.title,
        interests=frozenset(i.name for i in opportunity.interests.all()),
        attendance=opportunity.attendance,
    )


def _needs_prefetch(qs: QuerySet[Project]) -> QuerySet[Project]:
    return qs.select_related("directorate", "needs").prefetch_related("needs__interests")


# --- projects that need a service user or carer --------------------------------------------------


def with_current_su(qs: QuerySet[Project], today: datetime.date) -> QuerySet[Project]:
    current = TeamMembership.objects.filter(project=OuterRef("pk")).current(today)
    return qs.annotate(has_current_su=Exists(current))


def projects_needing_su(projects: QuerySet[Project], today: datetime.date) -> QuerySet[Project]:
    """Open projects with no service user or carer on the team today."""
    return (
        with_current_su(projects.filter(status__in=OPEN_PROJECT_STATUSES), today)
        .filter(has_current_su=False)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=today))
    )


def matches_for_project(
    project: Project, today: datetime.date | None = None
) -> list[matching.Match]:
    """Active people of the project's directorate who fit it, best first. People already on its
    team are left out. ``Match.profile.key`` is the person's id."""
    today = today or timezone.localdate()
    on_team = TeamMembership.objects.filter(project=project).current(today).values("person_id")
    people = (
        Person.objects.active()
        .filter(directorates=project.directorate_id)
        .exclude(pk__in=on_team)
        .prefetch_related("interests")
        .distinct()
    )
    return matching.rank_people(need_of_project(project), [profile_of(p) for p in people])


@dataclass(frozen=True)
class Fit:
    """A project or an opportunity that fits a person, with the reason in words."""

    kind: str  # "project" or "opportunity"
    obj: object
    reason: str


def fits_for_person(
    person: Person, today: datetime.date | None = None, *, limit: int | None = None
) -> tuple[list[Fit], list[Fit]]:
    """The projects (no current SU member, in the person's directorates) and the open
    opportunities (their directorates or trust-wide) that fit the person, best first."""
    today = today or timezone.localdate()
    directorate_ids = list(person.directorates.values_list("pk", flat=True))
    profile = matching.Profile(
        key=person.pk,
        name=person.name,
        interests=frozenset(person.interests.values_list("name", flat=True)),
        days=frozenset(person.available_days or ()),
        times=frozenset(person.available_times or ()),
        attendance=person.attendance,
    )
    projects = {
        p.pk: p
        for p in _needs_prefetch(
            projects_needing_su(Project.objects.in_directorates(directorate_ids), today)
        )
    }
    opportunities = {
        o.pk: o
        for o in Opportunity.objects.for_directorates(directorate_ids)
        .open_on(today)
        .select_related("directorate")
        .prefetch_related("interests")
    }
    project_matches = matching.rank_needs(profile, [need_of_project(p) for p in projects.values()])
    opportunity_matches = matching.rank_needs(
        profile, [need_of_opportunity(o) for o in opportunities.values()]
    )
    project_fits = [Fit("project", projects[m.need.key[1]], m.reason) for m in project_matches]
    opportunity_fits = [
        Fit("opportunity", opportunities[m.need.key[1]], m.reason) for m in opportunity_matches
    ]
    if limit is not None:
        return project_fits[:limit], opportunity_fits[:limit]
    return project_fits, opportunity_fits


def opportunities_for_person(person: Person, today: datetime.date | None = None) -> list:
    """Open opportunities of the person's directorates and the trust's: those that fit first
    (with their reason), then the rest, each as (opportunity, reason or "")."""
    today = today or timezone.localdate()
    _, fits = fits_for_person(person, today)
    fitting_ids = {fit.obj.pk for fit in fits}
    rest = (
        Opportunity.objects.for_directorates(person.directorates.values_list("pk", flat=True))
        .open_on(today)
        .exclude(pk__in=fitting_ids)
        .select_related("directorate")
        .order_by("start_date", "title")
    )
    return [(fit.obj, fit.reason) for fit in fits] + [(o, "") for o in rest]


# --- the PPL home --------------------------------------------------------------------------------


def role_descriptions_due_for_review(user, today: datetime.date | None = None):
    today = today or timezone.localdate()
    return (
        access.role_descriptions_for(user)
        .due_for_review(today)
        .select_related("person", "project")
        .order_by("review_date", "pk")
    )


def invited_not_signed_up(user):
    """People the user may see who have an invitation waiting (or expired) and no sign-in yet,
    each with ``latest_invitation``."""
    open_invitations = Invitation.objects.open().order_by("-created_at", "-pk")
    return (
        access.people_for(user)
        .filter(user__isnull=True, active=True)
        .filter(Exists(Invitation.objects.open().filter(person=OuterRef("pk"))))
        .prefetch_related(
            Prefetch("invitations", queryset=open_invitations, to_attr="open_invitations")
        )
        .order_by("name")
    )


def ppl_home_context(user) -> dict:
    """What the people register adds to the PPL home."""
    return {
        "reviews_due": role_descriptions_due_for_review(user)[:20],
        "invited_people": invited_not_signed_up(user)[:20],
    }


# --- a service user's own area -------------------------------------------------------------------


def memberships_of(person: Person):
    return (
        TeamMembership.objects.filter(person=person)
        .select_related("project", "project__directorate")
        .order_by("-start_date", "pk")
    )


def upcoming_meetings_for(person: Person, today: datetime.date | None = None, *, limit=10):
    """Planned QI forum meetings of the directorates of the person's projects (and their own
    directorates), from today on."""
    today = today or timezone.localdate()
    directorate_ids = set(person.directorates.values_list("pk", flat=True))
    directorate_ids |= set(
        TeamMembership.objects.filter(person=person).values_list("project__directorate", flat=True)
    )
    return (
        ForumMeeting.objects.filter(
            forum__directorates__in=directorate_ids,
            status=MeetingStatus.PLANNED,
            date__gte=today,
        )
        .select_related("forum")
        .distinct()
        .order_by("date", "forum__name")[:limit]
    )


def role_descriptions_of(person: Person):
    return (
        RoleDescription.objects.filter(person=person)
        .select_related("project")
        .order_by("-created_at", "-pk")
    )
