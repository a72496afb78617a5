from django.contrib import admin

from stories.models import (
    NamedPerson,
    Reflection,
    ReflectionAnswer,
    Story,
    StoryEvent,
    StoryPrinciple,
)


class StoryPrincipleInline(admin.TabularInline):
    model = StoryPrinciple
    extra = 0


class NamedPersonInline(admin.TabularInline):
    model = NamedPerson
    extra = 0
    raw_id_fields = ["person"]
    readonly_fields = ["consent_recorded_by", "consent_recorded_at"]


class StoryEventInline(admin.TabularInline):
    model = StoryEvent
    extra = 0
    readonly_fields = ["kind", "comment", "by", "at"]
    can_delete = False


@admin.register(Story)
class StoryAdmin(admin.ModelAdmin):
    """For corrections by the QI team. The review flow (publish, withdraw) lives in the app, where
    consent is checked: status is read-only here."""

    list_display = ["title", "status", "directorate", "published_at"]
    list_filter = ["status", "directorate"]
    search_fields = ["title", "summary"]
    readonly_fields = [
        "slug",
        "status",
        "submitted_at",
        "published_at",
        "published_by",
        "withdrawn_at",
        "withdrawn_by",
        "withdrawal_reason",
        "created_by",
    ]
    raw_id_fields = ["project", "author_people"]
    filter_horizontal = ["author_users"]
    inlines = [StoryPrincipleInline, NamedPersonInline, StoryEventInline]


class ReflectionAnswerInline(admin.TabularInline):
    model = ReflectionAnswer
    extra = 0


@admin.register(Reflection)
class ReflectionAdmin(admin.ModelAdmin):
    """No author column: who gave a reflection is not for browsing, and anonymous ones have
    nobody to show."""

    list_display = ["project", "meeting_date"]
    list_filter = ["meeting_date"]
    search_fields = ["project__title"]
    inlines = [ReflectionAnswerInline]
