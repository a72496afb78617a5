from django.contrib import admin

from involvement.models import Activity, ProjectMonth, TeamMembership


@admin.register(TeamMembership)
class TeamMembershipAdmin(admin.ModelAdmin):
    list_display = ["person", "project", "role", "start_date", "end_date"]
    list_select_related = ["person", "project"]
    search_fields = ["person__name", "project__title", "project__lifeqi_id"]
    autocomplete_fields = ["project"]
    # The people register's admin belongs to the people pages' work; a raw id works without it.
    raw_id_fields = ["person"]
    readonly_fields = ["created_by", "created_at"]


@admin.register(Activity)
class ActivityAdmin(admin.ModelAdmin):
    list_display = ["project", "kind", "date", "participants"]
    list_filter = ["kind"]
    list_select_related = ["project"]
    search_fields = ["project__title", "project__lifeqi_id", "note"]
    autocomplete_fields = ["project"]
    raw_id_fields = ["people"]
    readonly_fields = ["created_by", "created_at"]
    date_hierarchy = "date"


@admin.register(ProjectMonth)
class ProjectMonthAdmin(admin.ModelAdmin):
    """Derived (rebuilt by involvement.levels): shown to check it, never edited by hand."""

    list_display = ["project", "month", "level", "directorate"]
    list_filter = ["level", "directorate"]
    list_select_related = ["project", "directorate"]
    date_hierarchy = "month"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
