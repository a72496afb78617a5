"""The admin site for payments: rates (with their history), and claims and batches to look at.

Claims and batches are read-only here. A claim is priced, approved and paid through the app's
pages and services, so every change is checked and lands in its history; a decided or paid claim
is never changed or deleted (``has_change_permission`` / ``has_delete_permission`` say no), and
only a claim still waiting for approval may be deleted.
"""

from __future__ import annotations

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from involvement.models_payments import Claim, ClaimStatus, PaymentBatch, Rate


@admin.register(Rate)
class RateAdmin(SimpleHistoryAdmin):
    list_display = ["kind", "amount", "effective_from", "note"]
    list_filter = ["kind"]
    readonly_fields = ["created_by", "created_at"]

    def has_change_permission(self, request, obj=None) -> bool:
        # A rate that priced a claim stays as it was (the claim keeps its own copy anyway).
        if obj is not None and obj.claims.exists():
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        if obj is not None and obj.claims.exists():
            return False
        return super().has_delete_permission(request, obj)

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(Claim)
class ClaimAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "status", "directorate", "date", "amount", "batch"]
    list_filter = ["status", "directorate", "payment_preference"]
    list_select_related = ["person", "directorate", "batch"]
    search_fields = ["person__name"]
    date_hierarchy = "date"

    def has_add_permission(self, request) -> bool:
        return False  # claims are recorded on the app's pages, where they are priced

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        if obj is not None and obj.status != ClaimStatus.SUBMITTED:
            return False
        return super().has_delete_permission(request, obj)

    def get_actions(self, request):
        # No bulk delete: it would skip the per-claim check above (the queryset refuses anyway).
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions


@admin.register(PaymentBatch)
class PaymentBatchAdmin(SimpleHistoryAdmin):
    list_display = ["reference", "status", "created_by", "created_at", "paid_on"]
    list_filter = ["status"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
