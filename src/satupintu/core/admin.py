from django.contrib import admin
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from satupintu.core.models import AuditEvent, NonWorkingDay
from satupintu.core.permissions import administered_agency_ids, is_platform_admin

admin.site.site_header = _("Satupintu administration")
admin.site.site_title = _("Satupintu")
admin.site.index_title = _("Agencies, staff and the catalogue")


class AgencyScopedMixin:
    """An admin that a platform administrator sees whole and an agency administrator sees
    only for their own agencies. ``agency_path`` is the lookup from the model to its agency
    (``"agency"``, ``"unit__agency"``, or ``""`` for the Agency model itself)."""

    agency_path = "agency"
    # May an agency administrator add and delete rows, or only change them?
    agency_admin_can_add = True
    agency_admin_can_delete = False

    def scope(self, request) -> Q | None:
        agencies = administered_agency_ids(request.user)
        if agencies is None:
            return None
        field = f"{self.agency_path}__in" if self.agency_path else "pk__in"
        return Q(**{field: agencies})

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        scope = self.scope(request)
        return queryset if scope is None else queryset.filter(scope)

    def _allowed(self, request, obj=None) -> bool:
        agencies = administered_agency_ids(request.user)
        if agencies is None:
            return True
        if not agencies:
            return False
        return obj is None or self.get_queryset(request).filter(pk=obj.pk).exists()

    def has_module_permission(self, request):
        return self._allowed(request)

    def has_view_permission(self, request, obj=None):
        return self._allowed(request, obj)

    def has_change_permission(self, request, obj=None):
        return self._allowed(request, obj)

    def has_add_permission(self, request):
        return self._allowed(request) and (
            is_platform_admin(request.user) or self.agency_admin_can_add
        )

    def has_delete_permission(self, request, obj=None):
        return self._allowed(request, obj) and (
            is_platform_admin(request.user) or self.agency_admin_can_delete
        )

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        agencies = administered_agency_ids(request.user)
        model = db_field.related_model
        if agencies is not None and model._meta.label_lower == "organisations.agency":
            kwargs["queryset"] = model.objects.filter(pk__in=agencies)
        elif agencies is not None and model._meta.label_lower == "organisations.unit":
            kwargs["queryset"] = model.objects.filter(agency__in=agencies)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class AgencyScopedAdmin(AgencyScopedMixin, admin.ModelAdmin):
    pass


class ReadOnly:
    """For records that change only through the application (definitions from files, cases
    through their workflow): the admin shows them and nothing more."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class PlatformAdminOnly(admin.ModelAdmin):
    def has_module_permission(self, request):
        return is_platform_admin(request.user)

    def has_view_permission(self, request, obj=None):
        return is_platform_admin(request.user)

    def has_change_permission(self, request, obj=None):
        return is_platform_admin(request.user)

    def has_add_permission(self, request):
        return is_platform_admin(request.user)

    def has_delete_permission(self, request, obj=None):
        return is_platform_admin(request.user)


@admin.register(AuditEvent)
class AuditEventAdmin(PlatformAdminOnly):
    list_display = ["created_at", "action", "object_type", "object_id", "actor"]
    list_filter = ["action", "object_type"]
    search_fields = ["object_id", "action"]
    date_hierarchy = "created_at"
    list_select_related = ["actor"]
    show_full_result_count = False

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(NonWorkingDay)
class NonWorkingDayAdmin(PlatformAdminOnly):
    list_display = ["date", "name", "kind", "agency"]
    list_filter = ["kind", "agency"]
    date_hierarchy = "date"
    search_fields = ["name"]
