"""The admin site for the people register. Admins extend the list of QI interests here."""

from __future__ import annotations

from django import forms
from django.contrib import admin

from involvement.choices import AccessNeed, Day, TimeOfDay
from involvement.models import (
    Activity,
    Interest,
    Invitation,
    Opportunity,
    OpportunityInterest,
    Person,
    ProjectMonth,
    ProjectNeeds,
    RoleDescription,
    TeamMembership,
    Training,
)


@admin.register(Interest)
class InterestAdmin(admin.ModelAdmin):
    list_display = ["name", "description"]
    search_fields = ["name"]


def _ticks(choices, label):
    return forms.MultipleChoiceField(
        label=label, choices=choices, widget=forms.CheckboxSelectMultiple, required=False
    )


class PersonAdminForm(forms.ModelForm):
    # The JSON lists as ticks rather than raw JSON.
    available_days = _ticks(Day.choices, "Days they are available")
    available_times = _ticks(TimeOfDay.choices, "Times they are available")
    access_needs = _ticks(AccessNeed.choices, "Access needs")

    class Meta:
        model = Person
        # The admin adds the other fields itself.
        fields = ["available_days", "available_times", "access_needs"]


class TrainingInline(admin.TabularInline):
    model = Training
    extra = 0


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    form = PersonAdminForm
    list_display = ["name", "kind", "active", "payment_preference", "user"]
    list_filter = ["active", "kind", "payment_preference", "directorates"]
    search_fields = ["name", "email"]
    filter_horizontal = ["directorates", "interests"]
    raw_id_fields = ["user"]
    inlines = [TrainingInline]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["person", "email", "created_at", "expires_at", "used_at", "revoked_at"]
    search_fields = ["person__name", "email"]
    # The link cannot be rebuilt from these (only a hash of its secret is kept): re-invite instead.
    readonly_fields = [
        "person",
        "email",
        "nonce_hash",
        "created_by",
        "created_at",
        "expires_at",
        "used_at",
        "revoked_at",
    ]

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(RoleDescription)
class RoleDescriptionAdmin(admin.ModelAdmin):
    list_display = ["person", "project", "version", "status", "review_date"]
    list_filter = ["status"]
    search_fields = ["person__name", "project__title"]
    raw_id_fields = ["person", "project", "previous"]
    readonly_fields = [
        "su_agreed_by",
        "su_agreed_at",
        "ppl_agreed_by",
        "ppl_agreed_at",
        "agreed_at",
        "ended_by",
        "ended_at",
        "created_by",
    ]


class OpportunityInterestInline(admin.TabularInline):
    model = OpportunityInterest
    extra = 0
    raw_id_fields = ["person"]


@admin.register(Opportunity)
class OpportunityAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "directorate", "start_date", "closes_on", "paid", "places"]
    list_filter = ["kind", "paid", "directorate"]
    search_fields = ["title"]
    filter_horizontal = ["interests"]
    inlines = [OpportunityInterestInline]


@admin.register(ProjectNeeds)
class ProjectNeedsAdmin(admin.ModelAdmin):
    list_display = ["project", "attendance"]
    raw_id_fields = ["project"]
    filter_horizontal = ["interests"]


@admin.register(TeamMembership)
class TeamMembershipAdmin(admin.ModelAdmin):
    list_display = ["person", "project", "role", "start_date", "end_date"]
    list_select_related = ["person", "project"]
    search_fields = ["person__name", "project__title", "project__lifeqi_id"]
    autocomplete_fields = ["project", "person"]
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


# Payments register their own admin classes (rates, claims, batches).
from involvement import admin_payments  # noqa: E402, F401
