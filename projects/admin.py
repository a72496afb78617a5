from django.contrib import admin

from projects.models import Directorate, Forum, ForumMeeting, ProgressScore, Project
from projects.models_boards import Board, Note


@admin.register(Directorate)
class DirectorateAdmin(admin.ModelAdmin):
    list_display = ["name", "staff_count"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["staff"]

    @admin.display(description="Staff")
    def staff_count(self, obj: Directorate) -> int:
        return obj.staff.count()


class ProgressScoreInline(admin.TabularInline):
    model = ProgressScore
    extra = 0
    autocomplete_fields = ["recorded_by"]


@admin.register(Project)
class ProjectAdmin(admin.ModelAdmin):
    """Admins may correct anything here; the app's pages apply the co-production gate, the admin
    site (like imports) records history as it was."""

    list_display = ["title", "lifeqi_id", "directorate", "status", "current_level", "start_date"]
    list_filter = ["status", "current_level", "directorate"]
    search_fields = ["title", "lifeqi_id", "lead_name"]
    list_select_related = ["directorate"]
    autocomplete_fields = ["lead", "plan_signed_off_by"]
    readonly_fields = ["current_level", "overall_level", "created_at", "updated_at"]
    inlines = [ProgressScoreInline]


class ForumMeetingInline(admin.TabularInline):
    model = ForumMeeting
    extra = 0


@admin.register(Forum)
class ForumAdmin(admin.ModelAdmin):
    list_display = ["name", "chair"]
    search_fields = ["name"]
    filter_horizontal = ["directorates"]
    autocomplete_fields = ["chair"]
    inlines = [ForumMeetingInline]


@admin.register(ForumMeeting)
class ForumMeetingAdmin(admin.ModelAdmin):
    list_display = ["forum", "date", "status", "cancellation_announced_on"]
    list_filter = ["status", "forum"]
    date_hierarchy = "date"


# --- idea boards: read-only here (they are run from their own pages); an admin may delete one.
# No author column anywhere: who wrote a named note is not for browsing.


class BoardNoteInline(admin.TabularInline):
    model = Note
    fields = ["number", "column", "text", "anonymous", "added_on"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Board)
class BoardAdmin(admin.ModelAdmin):
    list_display = ["question", "status", "voting", "opened_on", "closed_on"]
    list_filter = ["status", "voting"]
    search_fields = ["question"]
    readonly_fields = [
        "question",
        "meeting",
        "project",
        "opened_by",
        "opened_on",
        "status",
        "closed_on",
        "voting",
        "votes_per_person",
        "version",
    ]
    inlines = [BoardNoteInline]

    def has_add_permission(self, request):
        return False
