"""The stories app's part of data protection: the stories a person wrote or is named in, and their
named charter reflections, in a subject access export; and how an erasure scrubs them.

Registered with ``involvement.services_protection`` when the app is ready (``apps.py``): the
involvement app never imports stories (DESIGN.md, layers).
"""

from __future__ import annotations

from django.db.models import Q
from django.utils.text import slugify

from involvement.models import Person
from involvement.services_protection import ErasureContext, erasure_step, export_section
from stories.models import (
    NamedPerson,
    Reflection,
    ReflectionAnswer,
    ReflectionAuthor,
    Story,
    StoryEvent,
    unique_slug,
)
from stories.rendering import render_markdown

_STORY_TEXT = ("title", "summary", "body", "easy_read_summary", "withdrawal_reason")


def _stories_of(person: Person, user_id: int | None):
    """Stories the person wrote (through their record or their account) or is named in."""
    linked = Q(author_people=person) | Q(named_people__person=person)
    if user_id is not None:
        linked |= Q(author_users=user_id)
    return Story.objects.filter(linked).distinct()


@export_section("stories", "Stories they wrote or are named in", order=200)
def collect_stories(person: Person) -> list[dict]:
    named = {
        n.story_id: n for n in NamedPerson.objects.filter(person=person).order_by("story", "pk")
    }
    stories = (
        _stories_of(person, person.user_id)
        .select_related("directorate", "project")
        .prefetch_related("author_people", "author_users")
        .order_by("created_at", "pk")
    )
    result = []
    for story in stories:
        wrote = any(p.pk == person.pk for p in story.author_people.all()) or any(
            u.pk == person.user_id for u in story.author_users.all()
        )
        mention = named.get(story.pk)
        result.append(
            {
                "title": story.title,
                "status": story.get_status_display(),
                "they_wrote_it": wrote,
                "named_in_it_as": mention.name if mention else None,
                "consent_given_on": mention.consent_given_on if mention else None,
                "directorate": story.directorate.name if story.directorate_id else None,
                "project": story.project.title if story.project_id else None,
                "summary": story.summary,
                "easy_read_summary": story.easy_read_summary,
                "body": story.body,
                "written_on": story.created_at,
                "published_on": story.published_at,
                "withdrawn_on": story.withdrawn_at,
                "withdrawal_reason": story.withdrawal_reason,
            }
        )
    return result


@export_section("charter_reflections", "Charter reflections they gave with their name", order=210)
def collect_reflections(person: Person) -> list[dict]:
    # Anonymous reflections keep nothing about who gave them, so they cannot be (and are not)
    # part of anyone's export.
    if person.user_id is None:
        return []
    authored = (
        ReflectionAuthor.objects.filter(user_id=person.user_id)
        .select_related("reflection__project")
        .prefetch_related("reflection__answers")
        .order_by("reflection__meeting_date")
    )
    return [
        {
            "project": row.reflection.project.title,
            "meeting_date": row.reflection.meeting_date,
            "comment": row.reflection.comment,
            "answers": [
                {
                    "principle": answer.get_principle_display(),
                    "answer": answer.get_answer_display(),
                    "comment": answer.comment,
                }
                for answer in row.reflection.answers.all()
            ],
        }
        for row in authored
    ]


@erasure_step("stories", order=15)
def erase_stories(context: ErasureContext) -> None:
    """The stories stay (they are the trust's, published with consent); the person's name in
    them becomes the pseudonym: where they are named, in the text, in the review comments and in
    the stories' history. A slug made from their name is made again from the scrubbed title."""
    person = context.person
    stories = _stories_of(person, context.user_id)
    story_ids = list(stories.values_list("pk", flat=True))
    NamedPerson.objects.filter(person=person).update(name=context.pseudonym)
    old_slug = slugify(context.old_name)
    for story in Story.objects.filter(pk__in=story_ids):
        fields = {name: context.scrub(getattr(story, name)) for name in _STORY_TEXT}
        fields["body_html"] = render_markdown(fields["body"])
        if old_slug and old_slug in story.slug:
            fields["slug"] = unique_slug(fields["title"])
        Story.objects.filter(pk=story.pk).update(**fields)
    context.scrub_rows(StoryEvent.objects.filter(story_id__in=story_ids), ["comment"])
    history = Story.history.filter(id__in=story_ids)
    context.scrub_rows(history, _STORY_TEXT)
    if old_slug:
        for story_id, slug in Story.objects.filter(pk__in=story_ids).values_list("pk", "slug"):
            history.filter(id=story_id, slug__contains=old_slug).update(slug=slug)
    if context.user_id is not None:
        named = ReflectionAuthor.objects.filter(user_id=context.user_id).values("reflection")
        context.scrub_rows(Reflection.objects.filter(pk__in=named), ["comment"])
        context.scrub_rows(ReflectionAnswer.objects.filter(reflection__in=named), ["comment"])
