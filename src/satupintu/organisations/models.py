from django.db import models
from django.utils.translation import gettext_lazy as _

from satupintu.core.language import Localised
from satupintu.core.models import BaseModel


class AgencyLevel(models.TextChoices):
    NATIONAL = "national", _("National agency office")
    PROVINCE = "province", _("Provincial government")
    CITY = "city", _("City or regency government")


class Agency(Localised, BaseModel):
    """An agency (instansi) that owns services and employs officers."""

    code = models.SlugField(_("code"), max_length=64, unique=True)
    name_id = models.CharField(_("name (Indonesian)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    short_name = models.CharField(_("short name"), max_length=80, blank=True)
    level = models.CharField(_("level"), max_length=16, choices=AgencyLevel.choices)
    website = models.URLField(_("website"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("agency")
        verbose_name_plural = _("agencies")
        ordering = ["name_id"]

    def __str__(self) -> str:
        return self.short_name or self.name_id

    @property
    def name(self) -> str:
        return self.localised("name")


class Unit(Localised, BaseModel):
    """A unit of an agency; services route their cases to one unit's queue."""

    agency = models.ForeignKey(
        Agency, verbose_name=_("agency"), on_delete=models.PROTECT, related_name="units"
    )
    code = models.SlugField(_("code"), max_length=64)
    name_id = models.CharField(_("name (Indonesian)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    parent = models.ForeignKey(
        "self", verbose_name=_("parent unit"), on_delete=models.PROTECT, null=True, blank=True
    )

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        ordering = ["agency__name_id", "name_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "code"], name="organisations_unit_code_per_agency"
            )
        ]

    def __str__(self) -> str:
        return f"{self.agency} — {self.name_id}"

    @property
    def name(self) -> str:
        return self.localised("name")


class Office(Localised, BaseModel):
    """A place where citizens are served, such as a public service mall (MPP) that hosts
    counters of several agencies."""

    code = models.SlugField(_("code"), max_length=64, unique=True)
    name_id = models.CharField(_("name (Indonesian)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    address = models.CharField(_("address"), max_length=300, blank=True)
    opening_hours_id = models.CharField(_("opening hours (Indonesian)"), max_length=200, blank=True)
    opening_hours_en = models.CharField(_("opening hours (English)"), max_length=200, blank=True)
    agencies = models.ManyToManyField(
        Agency, verbose_name=_("agencies with counters"), blank=True, related_name="offices"
    )

    class Meta:
        verbose_name = _("office")
        verbose_name_plural = _("offices")
        ordering = ["name_id"]

    def __str__(self) -> str:
        return self.name_id

    @property
    def name(self) -> str:
        return self.localised("name")


class PartnerKind(models.TextChoices):
    COMMUNITY = "community", _("Community group")
    BUSINESS = "business", _("Business")


class Partner(Localised, BaseModel):
    """A community group or business that takes part in delivering services."""

    code = models.SlugField(_("code"), max_length=64, unique=True)
    kind = models.CharField(_("kind"), max_length=16, choices=PartnerKind.choices)
    name_id = models.CharField(_("name (Indonesian)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    contact_phone = models.CharField(_("contact phone"), max_length=40, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("partner organisation")
        verbose_name_plural = _("partner organisations")
        ordering = ["name_id"]

    def __str__(self) -> str:
        return self.name_id

    @property
    def name(self) -> str:
        return self.localised("name")
