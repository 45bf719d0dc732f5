from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    OFFICER = "officer", _("Officer")
    SUPERVISOR = "supervisor", _("Supervisor")
    AGENCY_ADMIN = "agency_admin", _("Agency administrator")
    PARTNER = "partner", _("Partner")
    PLATFORM_ADMIN = "platform_admin", _("Platform administrator")
    # Platform-level: verifies complaints and routes them to the agency responsible.
    COMPLAINT_COORDINATOR = "complaint_coordinator", _("Complaint coordinator")
    # Workforce. Every employee is a learner without a role; these add duties.
    # A trainer (widyaiswara) runs classes, of their agency or (agency empty) of any.
    TRAINER = "trainer", _("Trainer (widyaiswara)")
    # Human resources: of one agency, or of the whole government when the agency is empty
    # (the provincial civil service and training board).
    HR = "hr", _("Human resources")
    # Heads a unit: sees the learning and competencies of the unit's employees.
    UNIT_HEAD = "unit_head", _("Unit head")
    # Platform-level (Pejabat Pelindungan Data Pribadi, UU PDP): answers people's requests to
    # correct or delete their data and keeps the register of personal-data breaches.
    DATA_PROTECTION_OFFICER = "data_protection_officer", _("Data protection officer")


# Roles that work inside one agency, and so need an agency on their assignment.
AGENCY_ROLES = {Role.OFFICER, Role.SUPERVISOR, Role.AGENCY_ADMIN, Role.UNIT_HEAD}


class Sex(models.TextChoices):
    MALE = "M", _("Male")
    FEMALE = "F", _("Female")


class LegalForm(models.TextChoices):
    INDIVIDUAL = "perorangan", _("Sole proprietorship (perorangan)")
    CV = "cv", _("Limited partnership (CV)")
    PT = "pt", _("Limited company (PT)")
    PT_PERORANGAN = "pt_perorangan", _("Individual limited company (PT Perorangan)")
    KOPERASI = "koperasi", _("Cooperative (koperasi)")
    FIRMA = "firma", _("General partnership (firma)")
    YAYASAN = "yayasan", _("Foundation (yayasan)")
    PERKUMPULAN = "perkumpulan", _("Association (perkumpulan)")
