"""The survey in the admin.

Invitations are not shown at all: they name a case (and so a person) and say whether it was
answered. Responses are shown to platform administrators only, read-only, and hold no link
to anyone. Follow-up plans and performance signals are scoped to an agency administrator's
agencies; service centre staff are the platform administrator's to manage.
"""

from django.contrib import admin

from satupintu.core.admin import AgencyScopedAdmin, PlatformAdminOnly, ReadOnly
from satupintu.feedback.models import (
    FollowUpPlan,
    ServiceCentreStaff,
    ServicePerformanceSignal,
    SurveyResponse,
)


@admin.register(SurveyResponse)
class SurveyResponseAdmin(ReadOnly, PlatformAdminOnly):
    list_display = ["submitted_on", "service", "agency", "channel", "office"]
    list_filter = ["channel", "agency"]
    date_hierarchy = "submitted_on"
    list_select_related = ["service", "agency", "office"]
    show_full_result_count = False


@admin.register(FollowUpPlan)
class FollowUpPlanAdmin(ReadOnly, AgencyScopedAdmin):
    list_display = ["scope_key", "period_start", "period_end", "agency", "is_published"]
    list_filter = ["is_published", "scope_kind"]
    list_select_related = ["agency"]


@admin.register(ServicePerformanceSignal)
class ServicePerformanceSignalAdmin(ReadOnly, AgencyScopedAdmin):
    list_display = [
        "service",
        "period_start",
        "respondents",
        "ikm_index",
        "grade",
        "cases_due",
        "cases_overdue",
        "overdue_share",
    ]
    list_filter = ["period_start", "grade"]
    list_select_related = ["service"]


@admin.register(ServiceCentreStaff)
class ServiceCentreStaffAdmin(PlatformAdminOnly):
    list_display = ["user", "office"]
    list_filter = ["office"]
    autocomplete_fields = ["user"]
    list_select_related = ["user", "office"]
