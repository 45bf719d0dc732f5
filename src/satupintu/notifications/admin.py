from django.contrib import admin

from satupintu.core.admin import PlatformAdminOnly
from satupintu.notifications.models import Notification


@admin.register(Notification)
class NotificationAdmin(PlatformAdminOnly):
    """What was sent to whom and when, for operators who trace a delivery; read-only."""

    list_display = ["created_at", "kind", "recipient", "language", "read_at", "emailed_at"]
    list_filter = ["kind", "language"]
    search_fields = ["dedup_key", "=public_id"]
    date_hierarchy = "created_at"
    list_select_related = ["recipient"]
    show_full_result_count = False
    readonly_fields = [
        "public_id",
        "created_at",
        "recipient",
        "kind",
        "language",
        "title",
        "body",
        "link",
        "read_at",
        "emailed_at",
        "dedup_key",
    ]
    fields = readonly_fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
