from contextlib import suppress

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.exceptions import NotRegistered
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.forms import UserCreationForm
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from satupintu.accounts.constants import Role
from satupintu.accounts.models import (
    ApiKey,
    BusinessProfile,
    BusinessRepresentative,
    CitizenProfile,
    Consent,
    EmployeeProfile,
    RoleAssignment,
    User,
)
from satupintu.accounts.second_factor import second_factor_reset
from satupintu.accounts.services import api_key_create, api_key_revoke
from satupintu.core.admin import (
    AgencyScopedAdmin,
    AgencyScopedMixin,
    PlatformAdminOnly,
    ReadOnly,
)
from satupintu.core.permissions import administered_agency_ids, is_platform_admin
from satupintu.core.services import audit_record
from satupintu.organisations.models import Agency, Unit

ADMIN_ROLES = {Role.AGENCY_ADMIN, Role.PLATFORM_ADMIN}

# django-otp's own pages would show people's authenticator keys to administrators. A lost
# phone is handled by the reset action on the users' list instead (docs/operators.md).
for _device_model in (TOTPDevice, StaticDevice):
    with suppress(NotRegistered):
        admin.site.unregister(_device_model)


class EmployeeInline(admin.StackedInline):
    model = EmployeeProfile
    fk_name = "user"
    can_delete = False
    extra = 0
    fields = ["nip", "agency", "unit", "position"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        agencies = administered_agency_ids(request.user)
        if agencies is not None and db_field.name == "agency":
            kwargs["queryset"] = Agency.objects.filter(pk__in=agencies)
        if agencies is not None and db_field.name == "unit":
            kwargs["queryset"] = Unit.objects.filter(agency__in=agencies)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class RoleInline(admin.TabularInline):
    model = RoleAssignment
    fk_name = "user"
    extra = 0
    fields = ["role", "agency", "unit", "partner"]

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        agencies = administered_agency_ids(request.user)
        return queryset if agencies is None else queryset.filter(agency__in=agencies)

    def formfield_for_choice_field(self, db_field, request, **kwargs):
        if db_field.name == "role" and not is_platform_admin(request.user):
            # An agency administrator hands out the roles of their own agency only.
            kwargs["choices"] = [
                (r.value, r.label) for r in (Role.OFFICER, Role.SUPERVISOR, Role.AGENCY_ADMIN)
            ]
        return super().formfield_for_choice_field(db_field, request, **kwargs)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        agencies = administered_agency_ids(request.user)
        if agencies is not None and db_field.name == "agency":
            kwargs["queryset"] = Agency.objects.filter(pk__in=agencies)
        elif agencies is not None and db_field.name == "unit":
            kwargs["queryset"] = Unit.objects.filter(agency__in=agencies)
        elif agencies is not None and db_field.name == "partner":
            kwargs["queryset"] = db_field.related_model.objects.none()
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class StaffCreationForm(UserCreationForm):
    """New staff accounts are created with their agency, so that an agency administrator
    keeps seeing (and only sees) the accounts of their own agency."""

    first_name = forms.CharField(label=_("first name"), max_length=150)
    last_name = forms.CharField(label=_("last name"), max_length=150, required=False)
    email = forms.EmailField(label=_("email address"), required=False)
    nip = forms.RegexField(
        label=_("NIP"),
        regex=r"^\d{18}$",
        required=False,
        error_messages={"invalid": _("A NIP has 18 digits.")},
    )
    agency = forms.ModelChoiceField(label=_("agency"), queryset=Agency.objects.all())
    unit = forms.ModelChoiceField(label=_("unit"), queryset=Unit.objects.all(), required=False)
    position = forms.CharField(label=_("position"), max_length=150, required=False)

    class Meta(UserCreationForm.Meta):
        model = User
        fields = ("username", "first_name", "last_name", "email")

    def clean(self):
        cleaned = super().clean()
        unit, agency = cleaned.get("unit"), cleaned.get("agency")
        if unit and agency and unit.agency_id != agency.pk:
            self.add_error("unit", _("This unit belongs to another agency."))
        return cleaned


@admin.register(User)
class SatupintuUserAdmin(AgencyScopedMixin, UserAdmin):
    """Staff accounts. An agency administrator sees and creates the accounts of their own
    agency's employees; only a platform administrator deletes accounts."""

    agency_path = "employee__agency"
    agency_admin_can_add = True
    agency_admin_can_delete = False
    add_form = StaffCreationForm
    add_fieldsets = (
        (None, {"fields": ("username", "password1", "password2")}),
        (_("Person"), {"fields": ("first_name", "last_name", "email")}),
        (_("Employment"), {"fields": ("nip", "agency", "unit", "position")}),
    )
    list_display = ["username", "first_name", "last_name", "is_staff", "is_active"]
    list_filter = ["is_staff", "is_active", "roles__role", "employee__agency"]
    search_fields = ["username", "first_name", "last_name", "employee__nip"]
    inlines = [EmployeeInline, RoleInline]
    actions = ["reset_second_factor"]

    def get_fieldsets(self, request, obj=None):
        if obj is None:
            return self.add_fieldsets
        if is_platform_admin(request.user):
            return super().get_fieldsets(request, obj)
        return (
            (None, {"fields": ("username", "password")}),
            (_("Person"), {"fields": ("first_name", "last_name", "email", "phone")}),
            (_("Access"), {"fields": ("is_active", "last_login", "date_joined")}),
        )

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and not is_platform_admin(request.user):
            return ["last_login", "date_joined"]
        return super().get_readonly_fields(request, obj)

    def get_inlines(self, request, obj):
        return [] if obj is None else self.inlines

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        agencies = administered_agency_ids(request.user)
        if obj is None and agencies is not None:
            form.base_fields["agency"].queryset = Agency.objects.filter(pk__in=agencies)
            form.base_fields["unit"].queryset = Unit.objects.filter(agency__in=agencies)
        return form

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if not change:
            EmployeeProfile.objects.create(
                user=obj,
                nip=form.cleaned_data.get("nip") or None,
                agency=form.cleaned_data["agency"],
                unit=form.cleaned_data.get("unit"),
                position=form.cleaned_data.get("position", ""),
            )
        audit_record(
            actor=request.user,
            action="staff.changed" if change else "staff.created",
            target=obj,
            subject=obj,
        )

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        user = form.instance
        # Administrators need the admin site; nobody else gets into it.
        has_admin_role = user.roles.filter(role__in=[r.value for r in ADMIN_ROLES]).exists()
        is_staff = user.is_superuser or has_admin_role
        if user.is_staff != is_staff:
            User.objects.filter(pk=user.pk).update(is_staff=is_staff)

    def has_reset_second_factor_permission(self, request) -> bool:
        return is_platform_admin(request.user)

    @admin.action(
        description=_("Reset the two-step sign-in of the selected users (a lost phone)"),
        permissions=["reset_second_factor"],
    )
    def reset_second_factor(self, request, queryset):
        count = 0
        for user in queryset:
            second_factor_reset(user=user, actor=request.user)
            count += 1
        self.message_user(
            request,
            ngettext(
                "The two-step sign-in of %(count)d user is reset: they set up their "
                "authenticator app again when they next sign in.",
                "The two-step sign-in of %(count)d users is reset: they set up their "
                "authenticator app again when they next sign in.",
                count,
            )
            % {"count": count},
            messages.SUCCESS,
        )


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(AgencyScopedAdmin):
    list_display = ["user", "role", "agency", "unit", "partner"]
    list_filter = ["role", "agency"]
    search_fields = ["user__username", "user__first_name", "user__last_name"]
    list_select_related = ["user", "agency", "unit", "partner"]
    agency_admin_can_delete = True


@admin.register(EmployeeProfile)
class EmployeeProfileAdmin(AgencyScopedAdmin):
    list_display = ["user", "nip", "agency", "unit", "position"]
    list_filter = ["agency"]
    search_fields = ["nip", "user__first_name", "user__last_name"]
    list_select_related = ["user", "agency", "unit"]
    agency_admin_can_add = False


class RepresentativeInline(admin.TabularInline):
    model = BusinessRepresentative
    extra = 0
    raw_id_fields = ["user"]


@admin.register(BusinessProfile)
class BusinessProfileAdmin(PlatformAdminOnly):
    list_display = ["name", "nib", "legal_form"]
    list_filter = ["legal_form"]
    search_fields = ["name", "nib"]
    inlines = [RepresentativeInline]


@admin.register(CitizenProfile)
class CitizenProfileAdmin(PlatformAdminOnly):
    """Citizens' personal data: platform administrators only, and every view is audited."""

    list_display = ["full_name", "public_id", "created_at"]
    search_fields = ["=nik", "full_name"]
    readonly_fields = ["public_id", "created_at", "updated_at"]
    raw_id_fields = ["user"]
    show_full_result_count = False

    def change_view(self, request, object_id, form_url="", extra_context=None):
        profile = self.get_object(request, object_id)
        if profile is not None and request.method == "GET":
            audit_record(
                actor=request.user,
                action="citizen.viewed",
                target=profile,
                subject=profile.user,
                details={"via": "admin"},
            )
        return super().change_view(request, object_id, form_url, extra_context)


@admin.register(ApiKey)
class ApiKeyAdmin(AgencyScopedAdmin):
    """Agencies' API keys. An agency administrator sees and makes the keys of their own
    agency. A new key is shown once, in a message right after it is made; afterwards only its
    prefix is known. Keys are revoked, never deleted, so that what they did stays
    attributable."""

    list_display = [
        "name",
        "agency",
        "prefix",
        "created_by",
        "created_at",
        "last_used_at",
        "revoked_at",
    ]
    list_filter = ["agency", ("revoked_at", admin.EmptyFieldListFilter)]
    search_fields = ["name", "=prefix"]
    list_select_related = ["agency", "created_by"]
    actions = ["revoke_keys"]
    readonly_fields = [
        "prefix",
        "service_account",
        "created_by",
        "created_at",
        "last_used_at",
        "revoked_at",
    ]

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["agency", "name"]
        return ["agency", "name", *self.readonly_fields]

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        # A key stays with the agency it was made for.
        return ["agency", *self.readonly_fields]

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            return
        api_key, secret = api_key_create(agency=obj.agency, name=obj.name, actor=request.user)
        # The admin goes on with ``obj`` (its log entry, its redirect): make it the saved key.
        for field in ApiKey._meta.concrete_fields:
            setattr(obj, field.attname, getattr(api_key, field.attname))
        obj._state.adding, obj._state.db = False, api_key._state.db
        messages.warning(
            request,
            _(
                "The new API key is %(key)s — copy it now and keep it safe: it is shown only "
                "this once and cannot be recovered. Systems send it as "
                "“Authorization: Bearer <key>” or “X-API-Key: <key>”."
            )
            % {"key": secret},
        )

    @admin.action(description=_("Revoke the selected API keys"), permissions=["change"])
    def revoke_keys(self, request, queryset):
        revoked = 0
        for api_key in queryset.filter(revoked_at__isnull=True):
            api_key_revoke(api_key=api_key, actor=request.user)
            revoked += 1
        self.message_user(
            request,
            ngettext("%(count)d API key revoked.", "%(count)d API keys revoked.", revoked)
            % {"count": revoked},
            messages.SUCCESS,
        )


@admin.register(Consent)
class ConsentAdmin(ReadOnly, PlatformAdminOnly):
    """People's consents to read registries: platform administrators may look, nobody may
    change them here — only the person gives or withdraws a consent."""

    list_display = ["public_id", "user", "purpose_code", "granted", "decided_at", "withdrawn_at"]
    list_filter = ["granted", ("withdrawn_at", admin.EmptyFieldListFilter), "purpose_code"]
    search_fields = ["=public_id", "=purpose_code"]
    list_select_related = ["user"]
    date_hierarchy = "decided_at"
    show_full_result_count = False
