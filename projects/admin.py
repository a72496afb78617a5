from django.contrib import admin

from projects.models import Directorate


@admin.register(Directorate)
class DirectorateAdmin(admin.ModelAdmin):
    list_display = ["name", "staff_count"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["staff"]

    @admin.display(description="Staff")
    def staff_count(self, obj: Directorate) -> int:
        return obj.staff.count()
