"""The competency framework in the admin.

A platform administrator manages everything. An agency administrator manages their agency's
technical dictionary and positions and sees (without changing) its employees' placements and
assessments; the managerial and socio-cultural competencies are shared by every agency and
change only with the framework file (``satupintu manage talent_load --framework``).
Assessments are added on the HR pages or by import, so that each is audited.
"""

from django.contrib import admin
from django.db.models import Q

from satupintu.core.admin import AgencyScopedAdmin, ReadOnly
from satupintu.core.permissions import administered_agency_ids
from satupintu.talent.models import (
    Assessment,
    Competency,
    CompetencyLevel,
    Placement,
    Position,
    PositionRequirement,
)
from satupintu.talent.services import placement_set


class CompetencyLevelInline(admin.StackedInline):
    model = CompetencyLevel
    extra = 0
    max_num = 5
    fields = ["level", "description_id", "description_en", "indicators_id", "indicators_en"]


@admin.register(Competency)
class CompetencyAdmin(AgencyScopedAdmin):
    list_display = ["code", "name_id", "group", "agency", "is_active"]
    list_filter = ["group", "is_active", "agency"]
    search_fields = ["code", "name_id", "name_en"]
    list_select_related = ["agency"]
    inlines = [CompetencyLevelInline]


class PositionRequirementInline(admin.TabularInline):
    model = PositionRequirement
    extra = 0

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "competency":
            # The competencies every position shares, and the agency's own dictionary.
            agencies = administered_agency_ids(request.user)
            competencies = Competency.objects.filter(is_active=True)
            if agencies is not None:
                competencies = competencies.filter(Q(agency__isnull=True) | Q(agency__in=agencies))
            kwargs["queryset"] = competencies.order_by("group", "code")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Position)
class PositionAdmin(AgencyScopedAdmin):
    list_display = ["code", "name_id", "agency"]
    list_filter = ["agency"]
    search_fields = ["code", "name_id", "name_en"]
    list_select_related = ["agency"]
    inlines = [PositionRequirementInline]
    agency_admin_can_delete = True


@admin.register(Placement)
class PlacementAdmin(AgencyScopedAdmin):
    agency_path = "employee__agency"
    list_display = ["employee", "position", "since"]
    list_select_related = ["employee__user", "employee__agency", "position"]
    search_fields = ["employee__nip", "position__code", "position__name_id"]
    raw_id_fields = ["employee"]
    autocomplete_fields = ["position"]

    def save_model(self, request, obj, form, change):
        # Through the service, so that the change of an employee's position is audited.
        placement = placement_set(
            employee=obj.employee, position=obj.position, since=obj.since, actor=request.user
        )
        obj.pk, obj.public_id = placement.pk, placement.public_id

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        agencies = administered_agency_ids(request.user)
        if agencies is not None and db_field.name == "position":
            kwargs["queryset"] = Position.objects.filter(agency__in=agencies)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Assessment)
class AssessmentAdmin(ReadOnly, AgencyScopedAdmin):
    agency_path = "employee__agency"
    list_display = ["employee", "competency", "level", "source", "assessed_on"]
    list_filter = ["source", "competency__group"]
    search_fields = ["employee__nip", "competency__code", "reference"]
    list_select_related = ["employee__user", "employee__agency", "competency"]
    date_hierarchy = "assessed_on"
    show_full_result_count = False
