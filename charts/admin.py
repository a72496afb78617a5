from django.contrib import admin

from charts.models import ChartAnnotation, ChartPhase


@admin.register(ChartAnnotation)
class ChartAnnotationAdmin(admin.ModelAdmin):
    list_display = ["date", "text", "directorate", "source", "created_by"]
    list_filter = ["directorate"]
    search_fields = ["text", "source"]
    date_hierarchy = "date"
    readonly_fields = ["created_by", "created_at"]
    list_select_related = ["directorate", "created_by"]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(ChartPhase)
class ChartPhaseAdmin(admin.ModelAdmin):
    list_display = ["month", "directorate", "note", "created_by"]
    list_filter = ["directorate"]
    readonly_fields = ["created_by", "created_at"]
    list_select_related = ["directorate", "created_by"]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)
