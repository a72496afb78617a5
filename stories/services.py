"""Writes: the story review flow, consent, and charter reflections.

Views check who may act (``stories.access``); these functions check that the step is possible
from the story's state and keep each change and its history in one transaction.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from involvement.models import Person
from projects.models import Directorate, Project
from stories.models import (
    Answer,
    NamedPerson,
    Reflection,
    ReflectionAnswer,
    ReflectionAuthor,
    Story,
    StoryEvent,
    StoryEventKind,
    StoryPrinciple,
    StoryStatus,
)
from stories.principles import Principle
from stories.rendering import plain_text

SUMMARY_WORDS = 40


def _excerpt(body: str) -> str:
    words = plain_text(body).split()
    text = " ".join(words[:SUMMARY_WORDS])
    return text + ("…" if len(words) > SUMMARY_WORDS else "")


def _set_principles(story: Story, principles: Iterable[str]) -> None:
    chosen = {Principle(value) for value in principles}
    story.principle_links.exclude(principle__in=chosen).delete()
    existing = set(story.principle_links.values_list("principle", flat=True))
    StoryPrinciple.objects.bulk_create(
        [StoryPrinciple(story=story, principle=p) for p in chosen if p not in existing]
    )


def _lock(story: Story) -> Story:
    """The story's row, locked for the rest of the transaction, so two reviewers acting at once
    cannot both move it."""
    return Story.objects.select_for_update().get(pk=story.pk)


def _require_status(story: Story, *allowed: StoryStatus, action: str) -> None:
    if story.status not in allowed:
        raise ValidationError(
            f"This story cannot be {action} while it is "
            f"“{StoryStatus(story.status).label.lower()}”."
        )


@transaction.atomic
def story_create(
    *,
    author,
    title: str,
    body: str,
    principles: Iterable[str] = (),
    summary: str = "",
    easy_read_summary: str = "",
    directorate: Directorate | None = None,
    project: Project | None = None,
    submit: bool = False,
) -> Story:
    """A new story written by ``author`` (a user). An SU with a record in the people register is
    credited through it; anyone else as a user. ``submit`` sends it for review at once."""
    if project is not None and directorate is None:
        directorate = project.directorate
    story = Story(
        title=title,
        body=body,
        summary=summary or _excerpt(body),
        easy_read_summary=easy_read_summary,
        directorate=directorate,
        project=project,
        created_by=author,
    )
    story.full_clean(exclude=["slug"])
    story.save()
    person = Person.objects.filter(user=author).first()
    if person is not None:
        story.author_people.add(person)
    else:
        story.author_users.add(author)
    _set_principles(story, principles)
    StoryEvent.objects.create(story=story, kind=StoryEventKind.CREATED, by=author)
    if submit:
        story_submit(story=story, by=author)
        story.refresh_from_db()
    return story


@transaction.atomic
def story_update(*, story: Story, by, principles: Iterable[str] | None = None, **fields) -> Story:
    """Change a story's words, directorate or project (the form decides which fields)."""
    story = _lock(story)
    _require_status(
        story,
        StoryStatus.DRAFT,
        StoryStatus.SUBMITTED,
        StoryStatus.CHANGES_REQUESTED,
        action="changed",
    )
    allowed = {"title", "body", "summary", "easy_read_summary", "directorate", "project"}
    unknown = set(fields) - allowed
    if unknown:
        raise TypeError(f"story_update cannot change {', '.join(sorted(unknown))}")
    for name, value in fields.items():
        setattr(story, name, value)
    if story.project_id and story.directorate_id is None:
        story.directorate_id = story.project.directorate_id
    if not story.summary:
        story.summary = _excerpt(story.body)
    story.full_clean(exclude=["slug"])
    story.save()
    if principles is not None:
        _set_principles(story, principles)
    return story


@transaction.atomic
def story_submit(*, story: Story, by) -> Story:
    story = _lock(story)
    _require_status(
        story, StoryStatus.DRAFT, StoryStatus.CHANGES_REQUESTED, action="sent for review"
    )
    story.status = StoryStatus.SUBMITTED
    story.submitted_at = timezone.now()
    story.save(update_fields=["status", "submitted_at", "updated_at"])
    StoryEvent.objects.create(story=story, kind=StoryEventKind.SUBMITTED, by=by)
    return story


@transaction.atomic
def story_request_changes(*, story: Story, by, comment: str) -> Story:
    comment = (comment or "").strip()
    if not comment:
        raise ValidationError("Say what needs to change, so the author knows what to do.")
    story = _lock(story)
    _require_status(story, StoryStatus.SUBMITTED, action="sent back for changes")
    story.status = StoryStatus.CHANGES_REQUESTED
    story.save(update_fields=["status", "updated_at"])
    StoryEvent.objects.create(
        story=story, kind=StoryEventKind.CHANGES_REQUESTED, comment=comment, by=by
    )
    return story


def missing_consent(story: Story) -> list[NamedPerson]:
    return list(story.named_people.filter(consent_given_on__isnull=True).order_by("name", "pk"))


@transaction.atomic
def story_publish(*, story: Story, by) -> Story:
    """Publish, unless someone named in the story has not consented: then nothing changes and
    the error names them."""
    story = _lock(story)
    _require_status(story, StoryStatus.SUBMITTED, action="published")
    lacking = missing_consent(story)
    if lacking:
        names = ", ".join(person.name for person in lacking)
        raise ValidationError(
            f"This story cannot be published yet: {names} "
            f"{'has' if len(lacking) == 1 else 'have'} not consented to it. "
            "Record their consent first, or take them out of the story."
        )
    story.status = StoryStatus.PUBLISHED
    story.published_at = timezone.now()
    story.published_by = by
    story.save(update_fields=["status", "published_at", "published_by", "updated_at"])
    StoryEvent.objects.create(story=story, kind=StoryEventKind.PUBLISHED, by=by)
    return story


@transaction.atomic
def story_withdraw(*, story: Story, by, reason: str) -> Story:
    """Take a published story down (kept, not deleted), e.g. when someone withdraws consent."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError("Give the reason the story is withdrawn.")
    story = _lock(story)
    _require_status(story, StoryStatus.PUBLISHED, action="withdrawn")
    story.status = StoryStatus.WITHDRAWN
    story.withdrawn_at = timezone.now()
    story.withdrawn_by = by
    story.withdrawal_reason = reason
    story.save(
        update_fields=["status", "withdrawn_at", "withdrawn_by", "withdrawal_reason", "updated_at"]
    )
    StoryEvent.objects.create(story=story, kind=StoryEventKind.WITHDRAWN, comment=reason, by=by)
    return story


@transaction.atomic
def named_person_add(*, story: Story, by, name: str, person: Person | None = None) -> NamedPerson:
    story = _lock(story)
    _require_status(
        story,
        StoryStatus.DRAFT,
        StoryStatus.SUBMITTED,
        StoryStatus.CHANGES_REQUESTED,
        action="changed",
    )
    named = NamedPerson(story=story, name=(name or "").strip() or getattr(person, "name", ""))
    named.person = person
    named.full_clean()
    named.save()
    return named


@transaction.atomic
def named_person_remove(*, named: NamedPerson, by) -> None:
    story = _lock(named.story)
    _require_status(
        story,
        StoryStatus.DRAFT,
        StoryStatus.SUBMITTED,
        StoryStatus.CHANGES_REQUESTED,
        action="changed",
    )
    named.delete()


@transaction.atomic
def consent_record(*, named: NamedPerson, by, given_on: datetime.date) -> NamedPerson:
    story = _lock(named.story)
    _require_status(story, StoryStatus.SUBMITTED, StoryStatus.CHANGES_REQUESTED, action="changed")
    if given_on > timezone.localdate():
        raise ValidationError({"given_on": "The date consent was given cannot be in the future."})
    named.consent_given_on = given_on
    named.consent_recorded_by = by
    named.consent_recorded_at = timezone.now()
    named.full_clean()
    named.save()
    return named


# --- charter reflections -------------------------------------------------------------------------


@transaction.atomic
def reflection_record(
    *,
    project: Project,
    by,
    meeting_date: datetime.date,
    answers: Mapping[str, tuple[str, str]],
    comment: str = "",
    anonymous: bool,
) -> Reflection:
    """Record one person's reflection on a meeting.

    ``answers`` maps a principle to (answer, comment); principles left out were not answered.
    When ``anonymous`` nothing about ``by`` is stored anywhere.
    """
    given = {Principle(p): (Answer(a), (c or "").strip()) for p, (a, c) in answers.items() if a}
    if not given:
        raise ValidationError("Answer at least one principle: kept, partly kept or not kept.")
    reflection = Reflection(project=project, meeting_date=meeting_date, comment=comment.strip())
    reflection.full_clean()
    reflection.save()
    ReflectionAnswer.objects.bulk_create(
        [
            ReflectionAnswer(reflection=reflection, principle=p, answer=a, comment=c)
            for p, (a, c) in given.items()
        ]
    )
    if not anonymous:
        ReflectionAuthor.objects.create(reflection=reflection, user=by)
    return reflection


def has_named_reflection(*, project: Project, user, meeting_date: datetime.date) -> bool:
    return ReflectionAuthor.objects.filter(
        user=user, reflection__project=project, reflection__meeting_date=meeting_date
    ).exists()
