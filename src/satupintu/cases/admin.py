"""Cases in the admin: for operators to look things up, scoped by agency, read-only — cases
change only through the workflow (the officers' pages and the API)."""

from django.contrib import admin

from satupintu.cases.models import Case, CaseEvent, OutcomeDocument
from satupintu.core.admin import AgencyScopedAdmin, ReadOnly


class ReadOnlyAdmin(ReadOnly, AgencyScopedAdmin):
    def has_view_permission(self, request, obj=None):
        return self._allowed(request, obj)


class EventInline(admin.TabularInline):
    model = CaseEvent
    fields = ["created_at", "kind", "from_state", "to_state", "actor_role", "internal"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Case)
class CaseAdmin(ReadOnlyAdmin):
    list_display = [
        "public_id",
        "service",
        "agency",
        "unit",
        "state",
        "is_open",
        "due_date",
        "submitted_at",
    ]
    list_filter = ["is_open", "is_paused", "agency"]
    search_fields = ["=public_id", "=submission__tracking"]
    list_select_related = ["service", "agency", "unit"]
    date_hierarchy = "submitted_at"
    show_full_result_count = False
    # Personal data (answers, the applicant) is left out: officers see it on the case page,
    # where every view is audited.
    fields = [
        "public_id",
        "service",
        "service_version",
        "agency",
        "unit",
        "state",
        "is_open",
        "is_paused",
        "assigned_to",
        "submitted_at",
        "due_date",
        "paused_working_days",
        "closed_at",
        "version",
    ]
    readonly_fields = fields
    inlines = [EventInline]


@admin.register(OutcomeDocument)
class OutcomeDocumentAdmin(ReadOnlyAdmin):
    agency_path = "case__agency"
    list_display = ["number", "verification_code", "issued_at", "revoked_at"]
    search_fields = ["=number", "=verification_code"]
    fields = [
        "number",
        "verification_code",
        "issued_at",
        "valid_until",
        "revoked_at",
        "revoked_reason",
    ]
    readonly_fields = fields
