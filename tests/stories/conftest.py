"""Helpers for the stories tests: stories in each state, made through the services."""

from __future__ import annotations

import datetime

import pytest

from stories import services
from stories.models import Story


@pytest.fixture
def make_story(admin_user):
    """make_story(author, status="published", **fields): a story taken through the real flow to
    the state asked for (reviewed by the admin)."""

    def _make(author, *, status: str = "published", principles=("collaborate",), **fields):
        fields.setdefault("title", "A story of working together")
        fields.setdefault("body", "We met, we listened, we changed the clinic.")
        story = services.story_create(author=author, principles=principles, **fields)
        if status == "draft":
            return story
        services.story_submit(story=story, by=author)
        if status == "changes_requested":
            services.story_request_changes(story=story, by=admin_user, comment="Add more detail.")
        if status in {"published", "withdrawn"}:
            services.story_publish(story=story, by=admin_user)
        if status == "withdrawn":
            services.story_withdraw(story=story, by=admin_user, reason="Consent withdrawn.")
        return Story.objects.get(pk=story.pk)

    return _make


@pytest.fixture
def today():
    from django.utils import timezone

    return timezone.localdate()


@pytest.fixture
def a_week_ago(today):
    return today - datetime.timedelta(days=7)
