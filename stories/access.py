"""Who may see and do what with stories and charter reflections.

Built on ``involvement.access`` (roles, PPL directorates, project visibility). It lives here rather
than in that module because ``involvement`` must never import ``stories`` (DESIGN.md, layers).
Views load every story and project through these helpers: a story the user may not see is a 404;
one they may see but not act on is a 403.
"""

from __future__ import annotations

from django.db.models import Q
from django.shortcuts import get_object_or_404

from involvement import access
from stories.models import Story, StoryStatus

# Authors may change their story until it is sent, and again when changes are asked for.
AUTHOR_EDITABLE = (StoryStatus.DRAFT, StoryStatus.CHANGES_REQUESTED)
# Reviewers may tidy a story (and record consent) while it is with them or back with its author.
REVIEWER_EDITABLE = (StoryStatus.SUBMITTED, StoryStatus.CHANGES_REQUESTED)


# --- stories -------------------------------------------------------------------------------------


def is_author(user, story: Story) -> bool:
    if not user.is_authenticated:
        return False
    if any(author.pk == user.pk for author in story.author_users.all()):
        return True
    return any(person.user_id == user.pk for person in story.author_people.all())


def is_reviewer(user, story: Story) -> bool:
    """Admins review every story; a PPL reviews the stories of their directorates."""
    if access.is_admin(user):
        return True
    return story.directorate_id is not None and story.directorate_id in (
        access.ppl_directorate_ids(user)
    )


def reviewable_stories(user):
    """Stories this user may review (any state but draft: a draft is its authors' own)."""
    if access.is_admin(user):
        return Story.objects.exclude(status=StoryStatus.DRAFT)
    directorates = access.ppl_directorate_ids(user)
    if not directorates:
        return Story.objects.none()
    return Story.objects.exclude(status=StoryStatus.DRAFT).filter(directorate_id__in=directorates)


def stories_for(user):
    """Every story the user may open: published ones, their own in any state, and the ones they
    review."""
    if not user.is_authenticated:
        return Story.objects.none()
    visible = (
        Q(pk__in=Story.objects.published().values("pk"))
        | Q(pk__in=Story.objects.authored_by(user).values("pk"))
        | Q(pk__in=reviewable_stories(user).values("pk"))
    )
    return Story.objects.filter(visible)


def get_story_for(user, *, slug: str | None = None, pk: int | None = None) -> Story:
    lookup = {"slug": slug} if slug is not None else {"pk": pk}
    return get_object_or_404(stories_for(user).for_list(), **lookup)


def can_edit_story(user, story: Story) -> bool:
    return (is_author(user, story) and story.status in AUTHOR_EDITABLE) or (
        is_reviewer(user, story) and story.status in REVIEWER_EDITABLE
    )


def can_submit_story(user, story: Story) -> bool:
    return is_author(user, story) and story.status in AUTHOR_EDITABLE


def can_review_story(user, story: Story) -> bool:
    """Request changes or publish."""
    return is_reviewer(user, story) and story.status == StoryStatus.SUBMITTED


def can_withdraw_story(user, story: Story) -> bool:
    return is_reviewer(user, story) and story.status == StoryStatus.PUBLISHED


def can_name_people(user, story: Story) -> bool:
    """Add or remove the people a story names: whoever may edit it."""
    return can_edit_story(user, story)


def can_record_consent(user, story: Story) -> bool:
    return is_reviewer(user, story) and story.status in REVIEWER_EDITABLE


# --- charter reflections -------------------------------------------------------------------------


def is_team_member(user, project) -> bool:
    """A service user on the project's team (now or before): they reflect on its meetings."""
    if not user.is_authenticated:
        return False
    return project.memberships.filter(person__user=user).exists()


def can_reflect(user, project) -> bool:
    """Answer a reflection: the project's lead, its team members, PPLs of its directorate,
    admins."""
    return access.can_see_team(user, project) or is_team_member(user, project)


def can_see_reflections(user, project) -> bool:
    """The same people: those who may see the team, and the team members themselves."""
    return can_reflect(user, project)


def reflection_directorate_ids(user) -> frozenset[int] | None:
    """Directorates whose reflections the user sees across projects: None means all (admins)."""
    if access.is_admin(user):
        return None
    return access.ppl_directorate_ids(user)
