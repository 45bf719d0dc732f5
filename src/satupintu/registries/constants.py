"""Codes of the registries' built-in records, as the registries write them (SIAK's
categories, Dapodik's school levels)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Religion(models.TextChoices):
    ISLAM = "islam", _("Islam")
    KRISTEN = "kristen", _("Protestant Christianity")
    KATOLIK = "katolik", _("Catholicism")
    HINDU = "hindu", _("Hinduism")
    BUDDHA = "buddha", _("Buddhism")
    KHONGHUCU = "khonghucu", _("Confucianism")
    KEPERCAYAAN = "kepercayaan", _("Belief in God Almighty (kepercayaan)")


class MaritalStatus(models.TextChoices):
    BELUM_KAWIN = "belum_kawin", _("Not married")
    KAWIN = "kawin", _("Married")
    CERAI_HIDUP = "cerai_hidup", _("Divorced")
    CERAI_MATI = "cerai_mati", _("Widowed")


class Relationship(models.TextChoices):
    """A member's place in a family card (status hubungan dalam keluarga)."""

    KEPALA_KELUARGA = "kepala_keluarga", _("Head of the family")
    SUAMI = "suami", _("Husband")
    ISTRI = "istri", _("Wife")
    ANAK = "anak", _("Child")
    MENANTU = "menantu", _("Child-in-law")
    CUCU = "cucu", _("Grandchild")
    ORANG_TUA = "orang_tua", _("Parent")
    MERTUA = "mertua", _("Parent-in-law")
    FAMILI_LAIN = "famili_lain", _("Other relative")
    LAINNYA = "lainnya", _("Other")


# The order in which a family card lists its members: the head, the spouse, the children…
RELATIONSHIP_ORDER = {value: position for position, value in enumerate(Relationship.values)}


class SchoolLevel(models.TextChoices):
    SD = "SD", _("Primary school (SD)")
    SMP = "SMP", _("Junior secondary school (SMP)")
    SMA = "SMA", _("Senior secondary school (SMA)")
    SMK = "SMK", _("Vocational secondary school (SMK)")
    SLB = "SLB", _("Special-needs school (SLB)")
