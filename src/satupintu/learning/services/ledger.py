"""The JP ledger: lesson hours credited to a learner's year.

Rules:
- A completed course credits its JP once per learner per year, whichever way it was completed
  (its lessons and quizzes, an attended session, or an xAPI completion): the key is
  ``course:<course public id>``. Completing it again in a later year credits again.
- A blended programme credits nothing of its own: its JP come from its steps.
- An approved claim for learning done elsewhere credits its JP in the year it was completed.
- Credits are dated by when the learning happened, in the platform's time zone.
"""

import datetime
from decimal import Decimal

from django.db import IntegrityError, transaction

from satupintu.core.services import audit_record
from satupintu.learning.constants import JpSource
from satupintu.learning.models import ClassSession, Course, JpEntry, LearningClaim


def course_key(course: Course) -> str:
    return f"course:{course.public_id}"


@transaction.atomic
def jp_credit(
    *,
    learner,
    jp: Decimal,
    source: JpSource | str,
    key: str,
    occurred_on: datetime.date,
    description: str = "",
    course: Course | None = None,
    session: ClassSession | None = None,
    claim: LearningClaim | None = None,
    actor=None,
) -> JpEntry | None:
    """Credit ``jp`` lesson hours to ``learner``'s ledger for the year of ``occurred_on``.

    Safe to call twice: a ``key`` already credited that year credits nothing and answers None.
    A zero credit (a course without JP) is not written.
    """
    jp = Decimal(jp)
    if jp == 0:
        return None
    year = occurred_on.year
    if JpEntry.objects.filter(learner=learner, year=year, key=key).exists():
        return None
    try:
        with transaction.atomic():
            entry = JpEntry.objects.create(
                learner=learner,
                year=year,
                jp=jp,
                source=source,
                key=key,
                occurred_on=occurred_on,
                description=description[:300],
                course=course,
                session=session,
                claim=claim,
                created_by=actor,
            )
    except IntegrityError:
        # Another process credited the same key at the same moment.
        return None
    audit_record(
        actor=actor,
        action="learning.jp_credited",
        target=entry,
        subject=learner,
        details={"year": year, "jp": str(jp), "source": str(source), "key": key},
    )
    return entry
