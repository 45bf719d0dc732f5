"""The education registry (Dapodik, the basic education data): the school record of a child.

``education.student`` → ``student``: {nisn, nik, name, school_name, school_npsn, level,
grade} of the first child of school age on the person's family card who has a record. The
family card comes from the population registry; the education registry is then asked for
each such child, eldest first, by the child's NIK.
"""

from datetime import date

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from satupintu.registries.base import BuiltinAdapter, Dataset, ReadContext, Registry
from satupintu.registries.constants import Relationship
from satupintu.registries.models import EducationRecord
from satupintu.registries.population import FAMILY_CARD

# School age, in whole years on the day of the read: from kindergarten (which Dapodik also
# records) to the end of senior secondary school.
SCHOOL_AGE = range(5, 19)


def _age(birth_date: object, today: date) -> int | None:
    try:
        born = date.fromisoformat(str(birth_date))
    except ValueError:
        return None
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


def _student_in_family(context: ReadContext, dataset: Dataset) -> dict | None:
    card = context.fetch(FAMILY_CARD)
    if card is None:
        return None
    today = timezone.localdate()
    for member in card.get("members") or []:
        relationship = str(member.get("relationship") or "").lower()
        if relationship != Relationship.ANAK or not member.get("nik"):
            continue
        if _age(member.get("birth_date"), today) not in SCHOOL_AGE:
            continue
        student = context.adapter(dataset.registry).fetch(dataset, str(member["nik"]))
        if student is not None:
            return student
    return None


STUDENT = Dataset(
    name="education.student",
    key="student",
    registry="education",
    path="student",
    identity="nisn",
    shape={
        "nisn": None,
        "nik": None,
        "name": None,
        "school_name": None,
        "school_npsn": None,
        "level": None,
        "grade": None,
    },
    label=_("Your children's school records (Dapodik), found through your family card"),
    not_found=_(
        "Dapodik has no school record for a child of school age on your family card; fill "
        "in the details yourself."
    ),
    read=_student_in_family,
)


def student_data(record: EducationRecord) -> dict:
    """An education record in the shape of ``education.student``."""
    return {
        "nisn": record.nisn,
        "nik": record.nik,
        "name": record.name,
        "school_name": record.school_name,
        "school_npsn": record.school_npsn,
        "level": record.level,
        "grade": record.grade,
    }


class BuiltinEducationAdapter(BuiltinAdapter):
    """Serves the education records in this app's table (the demo's pupils), by the
    pupil's NIK."""

    registry = "education"

    def lookup(self, dataset: Dataset, nik: str) -> dict | None:
        record = EducationRecord.objects.filter(nik=nik).order_by("id").first()
        return student_data(record) if record is not None else None


REGISTRY = Registry(
    code="education",
    source=_("Dapodik — basic education data"),
    datasets=(STUDENT,),
    builtin=BuiltinEducationAdapter,
    timeout=_(
        "The education registry (Dapodik) did not answer in time; fill in the details "
        "yourself, or try again later."
    ),
    unreachable=_(
        "The education registry (Dapodik) could not be reached; fill in the details yourself."
    ),
    bad_answer=_(
        "The education registry (Dapodik) gave an answer we could not read; fill in the "
        "details yourself."
    ),
    not_configured=_(
        "The education registry (Dapodik) is not connected to this service; fill in the "
        "details yourself."
    ),
)
