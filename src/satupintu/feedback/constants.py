"""The survey's fixed content: the nine IKM elements of PermenPANRB 14/2017 with their
questions and answer words, the respondent profile of the official form, and the choices
the models share.

Elements are kept by code ("U1" … "U9"), never by position: some agencies' forms print U8
and U9 the other way round. The texts are interface strings (English source, Indonesian in
the catalogue): the Indonesian answer words are the regulation's own.
"""

from dataclasses import dataclass

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from satupintu.feedback.ikm import ELEMENT_CODES


@dataclass(frozen=True)
class Element:
    code: str
    name: Promise
    question: Promise
    # The words for 1, 2, 3 and 4.
    answers: tuple[Promise, Promise, Promise, Promise]

    @property
    def field(self) -> str:
        """The model field that holds the answers to this element."""
        return self.code.lower()

    def choices(self) -> list[tuple[int, Promise]]:
        return list(zip(range(1, 5), self.answers, strict=True))


ELEMENTS: tuple[Element, ...] = (
    Element(
        "U1",
        _("Requirements"),
        _("How well do the service's requirements suit the kind of service?"),
        (_("Not suitable"), _("Less suitable"), _("Suitable"), _("Very suitable")),
    ),
    Element(
        "U2",
        _("System, mechanism and procedure"),
        _("How easy was the service's procedure?"),
        (_("Not easy"), _("Less easy"), _("Easy"), _("Very easy")),
    ),
    Element(
        "U3",
        _("Time to complete"),
        _("How fast was the service delivered?"),
        (_("Not fast"), _("Less fast"), _("Fast"), _("Very fast")),
    ),
    Element(
        "U4",
        _("Cost or fee"),
        _("How fair was the cost or fee of the service?"),
        (_("Very expensive"), _("Fairly expensive"), _("Cheap"), _("Free")),
    ),
    Element(
        "U5",
        _("Product matches the standard"),
        _("How well did what you received match the product in the service standard?"),
        (_("Not suitable"), _("Less suitable"), _("Suitable"), _("Very suitable")),
    ),
    Element(
        "U6",
        _("Officer competence"),
        _("How competent were the officers who served you?"),
        (_("Not competent"), _("Less competent"), _("Competent"), _("Very competent")),
    ),
    Element(
        "U7",
        _("Officer behaviour"),
        _("How polite and friendly were the officers who served you?"),
        (
            _("Not polite and friendly"),
            _("Less polite and friendly"),
            _("Polite and friendly"),
            _("Very polite and friendly"),
        ),
    ),
    Element(
        "U8",
        _("Handling of complaints, suggestions and feedback"),
        _("How are complaints from the people who use the service handled?"),
        (
            _("None"),
            _("Exists but does not work"),
            _("Works, not optimally"),
            _("Well managed"),
        ),
    ),
    Element(
        "U9",
        _("Facilities and infrastructure"),
        _("How good are the service's facilities and infrastructure?"),
        (_("Poor"), _("Adequate"), _("Good"), _("Very good")),
    ),
)

ELEMENTS_BY_CODE: dict[str, Element] = {element.code: element for element in ELEMENTS}
assert tuple(ELEMENTS_BY_CODE) == ELEMENT_CODES

#: The model fields of the nine elements, by code.
ELEMENT_FIELDS: dict[str, str] = {element.code: element.field for element in ELEMENTS}

GRADE_LABELS: dict[str, Promise] = {
    "A": _("Very good"),
    "B": _("Good"),
    "C": _("Less good"),
    "D": _("Not good"),
}

SUGGESTION_MAX_LENGTH = 2000


class Channel(models.TextChoices):
    ONLINE = "online", _("Online, after the case closed")
    COUNTER = "counter", _("At the counter")


class AgeBand(models.TextChoices):
    UNDER_20 = "under_20", _("Under 20")
    FROM_20 = "20_29", _("20–29")
    FROM_30 = "30_39", _("30–39")
    FROM_40 = "40_49", _("40–49")
    FROM_50 = "50_59", _("50–59")
    FROM_60 = "60_plus", _("60 or older")


class RespondentSex(models.TextChoices):
    MALE = "M", _("Male")
    FEMALE = "F", _("Female")


class Education(models.TextChoices):
    PRIMARY = "primary", _("Primary school or less (SD)")
    JUNIOR = "junior", _("Junior high school (SMP)")
    SENIOR = "senior", _("Senior high school (SMA/SMK)")
    DIPLOMA = "diploma", _("Diploma (D1–D4)")
    BACHELOR = "bachelor", _("Bachelor's degree (S1)")
    MASTER = "master", _("Master's degree (S2)")
    DOCTORATE = "doctorate", _("Doctorate (S3)")


class Occupation(models.TextChoices):
    CIVIL_SERVANT = "civil_servant", _("Civil servant (PNS/ASN)")
    MILITARY = "military", _("Armed forces (TNI)")
    POLICE = "police", _("Police (Polri)")
    PRIVATE = "private", _("Private employee")
    SELF_EMPLOYED = "self_employed", _("Self-employed (wirausaha)")
    STUDENT = "student", _("Student")
    OTHER = "other", _("Other")


#: The optional respondent profile of the official form: field → choices.
PROFILE_CHOICES: dict[str, type[models.TextChoices]] = {
    "age_band": AgeBand,
    "sex": RespondentSex,
    "education": Education,
    "occupation": Occupation,
}


class ScopeKind(models.TextChoices):
    AGENCY = "agency", _("Agency")
    UNIT = "unit", _("Unit")
    SERVICE = "service", _("Service")
    OFFICE = "office", _("Public service centre")
    ALL = "all", _("All agencies")
