"""The built-in registries' records: platform administrators only, since they are people's
personal data; every record opened is written to the audit trail."""

from django.contrib import admin

from satupintu.core.admin import PlatformAdminOnly
from satupintu.core.services import audit_record
from satupintu.registries.models import BusinessRecord, EducationRecord, PopulationRecord


class RecordAdmin(PlatformAdminOnly):
    readonly_fields = ["public_id", "created_at", "updated_at"]
    show_full_result_count = False

    def change_view(self, request, object_id, form_url="", extra_context=None):
        record = self.get_object(request, object_id)
        if record is not None and request.method == "GET":
            audit_record(
                actor=request.user,
                action="registry_record.viewed",
                target=record,
                details={"via": "admin"},
            )
        return super().change_view(request, object_id, form_url, extra_context)


@admin.register(PopulationRecord)
class PopulationRecordAdmin(RecordAdmin):
    list_display = ["name", "relationship", "public_id"]
    list_filter = ["relationship", "sex"]
    search_fields = ["=nik", "=kk_number", "name"]


@admin.register(BusinessRecord)
class BusinessRecordAdmin(RecordAdmin):
    list_display = ["name", "nib", "legal_form", "is_active"]
    list_filter = ["is_active", "legal_form"]
    search_fields = ["=nib", "=owner_nik", "name"]


@admin.register(EducationRecord)
class EducationRecordAdmin(RecordAdmin):
    list_display = ["name", "school_name", "level", "grade", "public_id"]
    list_filter = ["level"]
    search_fields = ["=nisn", "=nik", "name", "school_npsn"]
