from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from satupintu.accounts.constants import AGENCY_ROLES, LegalForm, Role, Sex
from satupintu.core.language import pick
from satupintu.core.models import BaseModel
from satupintu.organisations.models import Agency, Partner, Unit


class User(AbstractUser):
    """A person who signs in: a citizen, an employee or both.

    Citizens sign in with their e-mail address; staff with their username or e-mail.
    """

    email = models.EmailField(_("email address"), unique=True, null=True, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    # The language notifications and e-mails are written in: the one the person last used.
    language = models.CharField(
        _("language"), max_length=8, choices=settings.LANGUAGES, default="id"
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    def save(self, *args, **kwargs):
        # Empty e-mail addresses are stored as NULL so that the unique constraint allows many.
        if not self.email:
            self.email = None
        super().save(*args, **kwargs)


class CitizenProfile(BaseModel):
    """What a citizen told us about themselves; used to prefill applications."""

    user = models.OneToOneField(
        User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="citizen"
    )
    nik = models.CharField(_("NIK"), max_length=16, unique=True)
    full_name = models.CharField(_("full name"), max_length=150)
    birth_date = models.DateField(_("date of birth"))
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices)
    address = models.CharField(_("street address"), max_length=300, blank=True)
    region_code = models.CharField(
        _("village or district code"),
        max_length=13,
        blank=True,
        help_text=_("Home Affairs code of the kelurahan/desa or kecamatan, digits only."),
    )
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    email = models.EmailField(_("email"), blank=True)

    class Meta:
        verbose_name = _("citizen profile")
        verbose_name_plural = _("citizen profiles")

    def __str__(self) -> str:
        return self.full_name


class BusinessProfile(BaseModel):
    """A business (including a cooperative) that applies for licences through the people who
    represent it."""

    nib = models.CharField(_("NIB"), max_length=13, unique=True, null=True, blank=True)
    name = models.CharField(_("name"), max_length=200)
    legal_form = models.CharField(_("legal form"), max_length=20, choices=LegalForm.choices)
    address = models.CharField(_("address"), max_length=300, blank=True)
    region_code = models.CharField(_("region code"), max_length=13, blank=True)
    representatives = models.ManyToManyField(
        User,
        verbose_name=_("representatives"),
        through="BusinessRepresentative",
        related_name="businesses",
    )

    class Meta:
        verbose_name = _("business profile")
        verbose_name_plural = _("business profiles")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class BusinessRepresentative(models.Model):
    business = models.ForeignKey(BusinessProfile, on_delete=models.CASCADE)
    user = models.ForeignKey(User, on_delete=models.CASCADE)
    position = models.CharField(_("position"), max_length=100, blank=True)
    since = models.DateField(_("since"), auto_now_add=True)

    class Meta:
        verbose_name = _("business representative")
        verbose_name_plural = _("business representatives")
        constraints = [
            models.UniqueConstraint(fields=["business", "user"], name="accounts_one_representation")
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.business}"


class EmployeeProfile(BaseModel):
    """A civil servant (ASN) working in an agency."""

    user = models.OneToOneField(
        User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="employee"
    )
    nip = models.CharField(_("NIP"), max_length=18, unique=True, null=True, blank=True)
    agency = models.ForeignKey(
        Agency, verbose_name=_("agency"), on_delete=models.PROTECT, related_name="employees"
    )
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("unit"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="employees",
    )
    position = models.CharField(_("position"), max_length=150, blank=True)

    class Meta:
        verbose_name = _("employee profile")
        verbose_name_plural = _("employee profiles")

    def __str__(self) -> str:
        return f"{self.user} ({self.agency})"


class RoleAssignment(BaseModel):
    """A role that a user holds, within an agency (and unit) where the role needs one."""

    user = models.ForeignKey(
        User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="roles"
    )
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    agency = models.ForeignKey(
        Agency,
        verbose_name=_("agency"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="role_assignments",
    )
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("unit"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="role_assignments",
    )
    partner = models.ForeignKey(
        Partner,
        verbose_name=_("partner"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="role_assignments",
    )

    class Meta:
        verbose_name = _("role assignment")
        verbose_name_plural = _("role assignments")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "role", "agency", "unit", "partner"], name="accounts_role_once"
            ),
            models.CheckConstraint(
                condition=~models.Q(role__in=sorted(r.value for r in AGENCY_ROLES))
                | models.Q(agency__isnull=False),
                name="accounts_agency_role_has_agency",
            ),
            models.CheckConstraint(
                condition=~models.Q(role=Role.UNIT_HEAD) | models.Q(unit__isnull=False),
                name="accounts_unit_head_has_unit",
            ),
            models.CheckConstraint(
                condition=~models.Q(role=Role.PARTNER) | models.Q(partner__isnull=False),
                name="accounts_partner_role_has_partner",
            ),
        ]

    def __str__(self) -> str:
        scope = self.unit or self.agency or self.partner or ""
        return f"{self.get_role_display()} {scope}".strip()


class ApiKey(BaseModel):
    """A key with which an agency's back-end system uses the JSON API as that agency.

    Only the SHA-256 of the key is stored: the key itself is shown once, when it is created,
    and cannot be recovered. ``prefix`` (its first eight characters) finds the row and lets
    operators tell keys apart. Calls made with the key act through ``service_account``, a user
    made for the key on its first use (see ``accounts.services.api_key_service_account``).
    """

    agency = models.ForeignKey(
        Agency, verbose_name=_("agency"), on_delete=models.PROTECT, related_name="api_keys"
    )
    name = models.CharField(
        _("name"), max_length=100, help_text=_("Which system uses this key, and who runs it.")
    )
    prefix = models.CharField(_("prefix"), max_length=8, unique=True, editable=False)
    key_hash = models.CharField(_("SHA-256 of the key"), max_length=64, editable=False)
    service_account = models.OneToOneField(
        User,
        verbose_name=_("service account"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="api_key",
    )
    created_by = models.ForeignKey(
        User,
        verbose_name=_("created by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("API key")
        verbose_name_plural = _("API keys")
        ordering = ["agency", "name", "id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class Consent(BaseModel):
    """A person's decision whether the platform may read government registries about them
    for one purpose (UU PDP 27/2022: explicit, recorded consent). A decline is recorded too.

    ``purpose`` holds the words the person agreed to, ``{"id": …, "en": …}``; ``datasets``
    the registry datasets it covers (``population.person``, …). A consent is active while
    granted and not withdrawn; a person has at most one active consent per purpose, and a
    new decision for the purpose ends the one before (see ``accounts.services``).
    """

    user = models.ForeignKey(
        User, verbose_name=_("person"), on_delete=models.CASCADE, related_name="consents"
    )
    purpose_code = models.CharField(_("purpose code"), max_length=100)
    purpose = models.JSONField(_("purpose"), default=dict)
    datasets = models.JSONField(_("data"), default=list)
    granted = models.BooleanField(_("granted"))
    decided_at = models.DateTimeField(_("decided"), default=timezone.now)
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)

    class Meta:
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        ordering = ["-decided_at", "-id"]
        indexes = [
            models.Index(
                fields=["user", "purpose_code", "-decided_at"], name="accounts_consent_current"
            ),
            models.Index(fields=["user", "-decided_at"], name="accounts_consent_by_user"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "purpose_code"],
                condition=models.Q(granted=True, withdrawn_at__isnull=True),
                name="accounts_consent_one_active",
            ),
            # A decline has nothing to withdraw.
            models.CheckConstraint(
                condition=models.Q(granted=True) | models.Q(withdrawn_at__isnull=True),
                name="accounts_consent_withdrawn_if_granted",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.purpose_code} ({self.public_id})"

    @property
    def is_active(self) -> bool:
        """Granted and not withdrawn: the registries may be read for its purpose."""
        return self.granted and self.withdrawn_at is None

    def purpose_text(self) -> str:
        """The purpose in the active language."""
        return pick(self.purpose)
