from django.contrib import admin

from satupintu.core.admin import AgencyScopedAdmin, PlatformAdminOnly
from satupintu.organisations.models import Agency, Office, Partner, Unit


class UnitInline(admin.TabularInline):
    model = Unit
    fk_name = "agency"
    extra = 0
    fields = ["code", "name_id", "name_en", "parent"]


@admin.register(Agency)
class AgencyAdmin(AgencyScopedAdmin):
    agency_path = ""
    agency_admin_can_add = False
    list_display = ["code", "short_name", "name_id", "level", "is_active"]
    list_filter = ["level", "is_active"]
    search_fields = ["code", "name_id", "name_en", "short_name"]
    inlines = [UnitInline]

    def get_readonly_fields(self, request, obj=None):
        # An agency administrator edits contact details, not the code services refer to.
        if self.scope(request) is not None:
            return ["code", "level", "is_active"]
        return []


@admin.register(Unit)
class UnitAdmin(AgencyScopedAdmin):
    list_display = ["code", "name_id", "agency"]
    list_filter = ["agency"]
    search_fields = ["code", "name_id", "name_en"]
    list_select_related = ["agency"]


@admin.register(Office)
class OfficeAdmin(PlatformAdminOnly):
    list_display = ["code", "name_id", "address"]
    search_fields = ["code", "name_id"]
    filter_horizontal = ["agencies"]


@admin.register(Partner)
class PartnerAdmin(PlatformAdminOnly):
    list_display = ["code", "name_id", "kind", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["code", "name_id"]
