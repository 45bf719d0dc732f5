"""Data protection in the admin, for platform administrators: the retention rules, which they
set to the agencies' records retention schedules (each change is audited); and the requests
and breaches, read-only — these change only through the data protection officer's pages."""

from django.contrib import admin

from satupintu.core.admin import PlatformAdminOnly, ReadOnly
from satupintu.core.services import audit_record
from satupintu.privacy.models import Breach, DataRequest, RetentionRule


@admin.register(RetentionRule)
class RetentionRuleAdmin(PlatformAdminOnly):
    list_display = ["kind", "period_days", "action", "kept_on_request", "swept_on"]
    fields = [
        "kind",
        "period_days",
        "action",
        "kept_on_request",
        "legal_basis_id",
        "legal_basis_en",
        "swept_on",
    ]
    readonly_fields = ["kind", "swept_on"]

    # One rule per kind, loaded with the platform: they are changed, never added or removed.
    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        audit_record(
            actor=request.user,
            action="retention_rule.changed",
            target=obj,
            details={
                "kind": obj.kind,
                "period_days": obj.period_days,
                "action": obj.action,
                "kept_on_request": obj.kept_on_request,
                "fields": sorted(form.changed_data),
            },
        )


@admin.register(DataRequest)
class DataRequestAdmin(ReadOnly, PlatformAdminOnly):
    list_display = ["tracking", "kind", "status", "received_at", "due_at", "answered_at"]
    list_filter = ["kind", "status"]
    search_fields = ["=tracking"]
    date_hierarchy = "received_at"
    show_full_result_count = False
    # Who asked and what they asked stay on the officer's pages, where viewing is recorded.
    fields = [
        "tracking",
        "kind",
        "status",
        "scope",
        "field",
        "received_at",
        "due_at",
        "reminded_at",
        "escalated_at",
        "answered_at",
    ]
    readonly_fields = fields


@admin.register(Breach)
class BreachAdmin(ReadOnly, PlatformAdminOnly):
    list_display = ["tracking", "title", "discovered_at", "notify_due_at", "people_affected"]
    search_fields = ["=tracking", "title"]
    date_hierarchy = "discovered_at"
    fields = [
        "tracking",
        "title",
        "discovered_at",
        "occurred_at",
        "notify_due_at",
        "people_affected",
        "data_kinds",
        "subjects_notified_at",
        "authority_notified_at",
        "escalated_at",
    ]
    readonly_fields = fields
