"""The built-in registries' records: what the built-in adapters serve when a deployment has
not connected the real registries (the demo, tests, a pilot). A real deployment plugs in
the HTTP adapters instead (see ``registries.base``) and leaves these tables empty."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from satupintu.accounts.constants import LegalForm, Sex
from satupintu.core.models import BaseModel
from satupintu.registries.constants import MaritalStatus, Relationship, Religion, SchoolLevel


class PopulationRecord(BaseModel):
    """One person in the population registry (SIAK), with their place in a family card."""

    nik = models.CharField(_("NIK"), max_length=16, unique=True)
    kk_number = models.CharField(_("family card number"), max_length=16, db_index=True)
    name = models.CharField(_("name"), max_length=150)
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices)
    birth_date = models.DateField(_("date of birth"))
    birth_place = models.CharField(_("place of birth"), max_length=100)
    religion = models.CharField(_("religion"), max_length=16, choices=Religion.choices)
    marital_status = models.CharField(
        _("marital status"), max_length=16, choices=MaritalStatus.choices
    )
    occupation = models.CharField(_("occupation"), max_length=100, blank=True)
    relationship = models.CharField(
        _("relationship in the family"), max_length=20, choices=Relationship.choices
    )
    street = models.CharField(_("street address"), max_length=300)
    village_code = models.CharField(_("village code"), max_length=10)

    class Meta:
        verbose_name = _("population record")
        verbose_name_plural = _("population records")
        ordering = ["kk_number", "birth_date", "id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.public_id})"


class BusinessRecord(BaseModel):
    """One business in the business registry (OSS), by its NIB."""

    nib = models.CharField(_("NIB"), max_length=13, unique=True)
    name = models.CharField(_("name"), max_length=200)
    legal_form = models.CharField(_("legal form"), max_length=20, choices=LegalForm.choices)
    owner_nik = models.CharField(_("owner's NIK"), max_length=16, db_index=True)
    street = models.CharField(_("street address"), max_length=300)
    village_code = models.CharField(_("village code"), max_length=10)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("business record")
        verbose_name_plural = _("business records")
        ordering = ["nib"]

    def __str__(self) -> str:
        return f"{self.name} ({self.nib})"


class EducationRecord(BaseModel):
    """One pupil in the education registry (Dapodik), by their NISN."""

    nisn = models.CharField(_("NISN"), max_length=10, unique=True)
    nik = models.CharField(_("NIK"), max_length=16, db_index=True)
    name = models.CharField(_("name"), max_length=150)
    school_name = models.CharField(_("school"), max_length=200)
    school_npsn = models.CharField(_("school's NPSN"), max_length=8)
    level = models.CharField(_("level"), max_length=3, choices=SchoolLevel.choices)
    grade = models.PositiveSmallIntegerField(_("grade"))

    class Meta:
        verbose_name = _("education record")
        verbose_name_plural = _("education records")
        ordering = ["nisn"]

    def __str__(self) -> str:
        return f"{self.name} ({self.public_id})"
