"""Complaints in the admin: for platform administrators to look things up, read-only —
complaints change only through their flow (the coordinators' and agencies' pages and the
API). Who filed them is left out: it is shown, and audited, on the handlers' pages only."""

from django.contrib import admin

from satupintu.complaints.models import Complaint, ComplaintEvent
from satupintu.core.admin import PlatformAdminOnly, ReadOnly


class EventInline(admin.TabularInline):
    model = ComplaintEvent
    fields = ["created_at", "kind", "by", "internal", "data"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Complaint)
class ComplaintAdmin(ReadOnly, PlatformAdminOnly):
    list_display = ["tracking", "kind", "status", "agency", "submitted_at", "due_date", "is_open"]
    list_filter = ["status", "kind", "is_open", "is_anonymous", "is_confidential", "agency"]
    search_fields = ["=tracking"]
    list_select_related = ["agency"]
    date_hierarchy = "submitted_at"
    show_full_result_count = False
    fields = [
        "tracking",
        "kind",
        "status",
        "agency",
        "unit",
        "service",
        "is_anonymous",
        "is_confidential",
        "submitted_at",
        "step_started_on",
        "due_date",
        "is_paused",
        "paused_working_days",
        "routed_at",
        "followed_up_at",
        "closed_at",
        "rejection_reason",
    ]
    readonly_fields = fields
    inlines = [EventInline]
