"""The catalogue in the admin: read-only, because definitions come from files under version
control (``satupintu catalog load``). Operators see every version that was loaded."""

import json

from django.contrib import admin
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from satupintu.catalog.models import Category, LifeEvent, LifeEventVersion, Service, ServiceVersion
from satupintu.core.admin import AgencyScopedAdmin, PlatformAdminOnly, ReadOnly


def pretty_definition(version) -> str:
    text = json.dumps(version.definition, indent=2, ensure_ascii=False)
    # Styled by admin.css: the Content-Security-Policy allows no inline style.
    return format_html('<pre class="definition-source">{}</pre>', text)


class DefinitionMedia:
    css = {"all": ["satupintu/admin.css"]}


class ServiceVersionInline(ReadOnly, admin.TabularInline):
    model = ServiceVersion
    fields = ["number", "created_at", "content_hash", "source_path"]
    readonly_fields = fields
    extra = 0
    ordering = ["-number"]
    show_change_link = True


@admin.register(Service)
class ServiceAdmin(ReadOnly, AgencyScopedAdmin):
    list_display = ["code", "name_id", "agency", "version_number", "is_active", "updated_at"]
    list_filter = ["is_active", "agency", "categories"]
    search_fields = ["code", "name_id", "name_en"]
    list_select_related = ["agency", "current_version"]
    readonly_fields = [
        "code",
        "agency",
        "unit",
        "name_id",
        "name_en",
        "summary_id",
        "summary_en",
        "is_active",
        "current_version",
        "created_at",
        "updated_at",
    ]
    exclude = ["categories"]
    inlines = [ServiceVersionInline]

    @admin.display(description=_("version"))
    def version_number(self, obj):
        return obj.current_version.number if obj.current_version else "—"

    def has_view_permission(self, request, obj=None):
        return self._allowed(request, obj)


@admin.register(ServiceVersion)
class ServiceVersionAdmin(ReadOnly, AgencyScopedAdmin):
    agency_path = "service__agency"
    list_display = ["service", "number", "created_at", "source_path"]
    list_filter = ["service__agency"]
    search_fields = ["service__code"]
    list_select_related = ["service"]
    readonly_fields = [
        "service",
        "number",
        "created_at",
        "content_hash",
        "source_path",
        "definition_pretty",
    ]
    exclude = ["definition"]
    Media = DefinitionMedia

    @admin.display(description=_("definition"))
    def definition_pretty(self, obj):
        return pretty_definition(obj)

    def has_view_permission(self, request, obj=None):
        return self._allowed(request, obj)


class LifeEventVersionInline(ReadOnly, admin.TabularInline):
    model = LifeEventVersion
    fields = ["number", "created_at", "content_hash", "source_path"]
    readonly_fields = fields
    extra = 0
    show_change_link = True


@admin.register(LifeEvent)
class LifeEventAdmin(ReadOnly, PlatformAdminOnly):
    list_display = ["code", "name_id", "is_active", "updated_at"]
    readonly_fields = [
        "code",
        "name_id",
        "name_en",
        "summary_id",
        "summary_en",
        "is_active",
        "current_version",
    ]
    exclude = ["services"]
    inlines = [LifeEventVersionInline]

    def has_view_permission(self, request, obj=None):
        return super(ReadOnly, self).has_view_permission(request, obj)


@admin.register(LifeEventVersion)
class LifeEventVersionAdmin(ReadOnly, PlatformAdminOnly):
    list_display = ["life_event", "number", "created_at"]
    readonly_fields = [
        "life_event",
        "number",
        "created_at",
        "content_hash",
        "source_path",
        "definition_pretty",
    ]
    exclude = ["definition"]
    Media = DefinitionMedia

    @admin.display(description=_("definition"))
    def definition_pretty(self, obj):
        return pretty_definition(obj)

    def has_view_permission(self, request, obj=None):
        return super(ReadOnly, self).has_view_permission(request, obj)


@admin.register(Category)
class CategoryAdmin(ReadOnly, PlatformAdminOnly):
    list_display = ["code", "name_id", "name_en", "position"]

    def has_view_permission(self, request, obj=None):
        return super(ReadOnly, self).has_view_permission(request, obj)
