"""The xAPI statements that Learn writes about its own courses, and how it reads the
statements that other content writes about them.

Our statements name the learner as an account on this platform (``homePage`` is the
platform's public address, ``name`` the opaque public id of their employee profile), never
by name, username, e-mail address, NIP or NIK: a learning record store's data identifies
nobody without the platform.
Activity ids are addresses under the platform's public URL:
``<public url>/xapi/activities/course/<code>`` and ``.../lesson/<public id>``.

Statements are written when the change that they report commits (``send_on_commit``): a
completion is never lost because the record store failed, and a completion that rolled back
is never reported. A failed write is logged without personal data.
"""

from __future__ import annotations

import datetime
import logging
import uuid
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from satupintu.learning.constants import LessonKind
from satupintu.learning.models import Course, Lesson

if TYPE_CHECKING:
    from satupintu.accounts.models import User

logger = logging.getLogger(__name__)

DEFAULT_PUBLIC_URL = "http://127.0.0.1:8000"

# The ADL verbs we use, with their display names.
COMPLETED = "http://adlnet.gov/expapi/verbs/completed"
PASSED = "http://adlnet.gov/expapi/verbs/passed"
FAILED = "http://adlnet.gov/expapi/verbs/failed"
ATTEMPTED = "http://adlnet.gov/expapi/verbs/attempted"
VERB_DISPLAY = {
    COMPLETED: {"en-US": "completed", "id-ID": "menyelesaikan"},
    PASSED: {"en-US": "passed", "id-ID": "lulus"},
    FAILED: {"en-US": "failed", "id-ID": "tidak lulus"},
    ATTEMPTED: {"en-US": "attempted", "id-ID": "memulai"},
}
# Verbs of another system's statement that complete one of our courses.
COMPLETING_VERBS = {COMPLETED, PASSED}

COURSE_TYPE = "http://adlnet.gov/expapi/activities/course"
LESSON_TYPE = "http://adlnet.gov/expapi/activities/lesson"
ASSESSMENT_TYPE = "http://adlnet.gov/expapi/activities/assessment"
PLATFORM = "Satupintu"


def public_url() -> str:
    """Where the platform is reached from outside, without a trailing slash."""
    return str(getattr(settings, "SATUPINTU_PUBLIC_URL", DEFAULT_PUBLIC_URL)).rstrip("/")


def course_activity_id(course: Course) -> str:
    return f"{public_url()}/xapi/activities/course/{course.code}"


def lesson_activity_id(lesson: Lesson) -> str:
    return f"{public_url()}/xapi/activities/lesson/{lesson.public_id}"


def agent(user: User) -> dict[str, Any]:
    """The learner as an account of this platform."""
    return {
        "objectType": "Agent",
        "account": {"homePage": public_url(), "name": str(user.employee.public_id)},
    }


def _names(obj, field: str) -> dict[str, str]:
    names = {"id-ID": getattr(obj, f"{field}_id")}
    if getattr(obj, f"{field}_en", ""):
        names["en-US"] = getattr(obj, f"{field}_en")
    return names


def _course_object(course: Course) -> dict[str, Any]:
    return {
        "objectType": "Activity",
        "id": course_activity_id(course),
        "definition": {"type": COURSE_TYPE, "name": _names(course, "title")},
    }


def _lesson_object(lesson: Lesson) -> dict[str, Any]:
    kind = ASSESSMENT_TYPE if lesson.kind == LessonKind.QUIZ else LESSON_TYPE
    return {
        "objectType": "Activity",
        "id": lesson_activity_id(lesson),
        "definition": {"type": kind, "name": _names(lesson, "title")},
    }


def _timestamp(moment: datetime.datetime | None) -> str:
    return (moment or timezone.now()).astimezone(datetime.UTC).isoformat().replace("+00:00", "Z")


def _statement(
    *,
    user: User,
    verb: str,
    obj: dict,
    moment: datetime.datetime | None = None,
    result: dict | None = None,
    parent: Course | None = None,
) -> dict[str, Any]:
    context: dict[str, Any] = {"platform": PLATFORM, "language": "id-ID"}
    if parent is not None:
        context["contextActivities"] = {"parent": [_course_object(parent)]}
    statement: dict[str, Any] = {
        "id": str(uuid.uuid4()),
        "actor": agent(user),
        "verb": {"id": verb, "display": VERB_DISPLAY[verb]},
        "object": obj,
        "context": context,
        "timestamp": _timestamp(moment),
    }
    if result:
        statement["result"] = result
    return statement


def course_completed(
    *, user: User, course: Course, moment: datetime.datetime | None = None
) -> dict[str, Any]:
    return _statement(
        user=user,
        verb=COMPLETED,
        obj=_course_object(course),
        moment=moment,
        result={"completion": True},
    )


def course_attempted(
    *, user: User, course: Course, moment: datetime.datetime | None = None
) -> dict[str, Any]:
    return _statement(user=user, verb=ATTEMPTED, obj=_course_object(course), moment=moment)


def lesson_completed(
    *, user: User, lesson: Lesson, moment: datetime.datetime | None = None
) -> dict[str, Any]:
    return _statement(
        user=user,
        verb=COMPLETED,
        obj=_lesson_object(lesson),
        moment=moment,
        result={"completion": True},
        parent=lesson.course,
    )


def quiz_scored(
    *,
    user: User,
    lesson: Lesson,
    score: int,
    passed: bool,
    moment: datetime.datetime | None = None,
) -> dict[str, Any]:
    """A quiz attempt: ``passed`` or ``failed``, with the score in percent."""
    return _statement(
        user=user,
        verb=PASSED if passed else FAILED,
        obj=_lesson_object(lesson),
        moment=moment,
        result={
            "score": {
                "scaled": float(Decimal(score) / 100),
                "raw": score,
                "min": 0,
                "max": 100,
            },
            "success": passed,
            "completion": passed,
        },
        parent=lesson.course,
    )


def statements_send(statements: list[dict]) -> list[str]:
    """Store ``statements`` in our learning record store as the platform itself. A failure
    is logged (with the statement ids and the error's kind, nothing about the learner) and
    answers an empty list: the learning it reports is already recorded in Learn."""
    try:
        from satupintu.lrs.services import statements_store

        return statements_store(statements=statements, client=None)
    except Exception as error:
        logger.warning(
            "xAPI statements %s were not stored: %s",
            ", ".join(statement.get("id", "?") for statement in statements),
            type(error).__name__,
        )
        return []


def send_on_commit(statements: list[dict]) -> None:
    """Store ``statements`` once the current transaction commits (at once outside one)."""
    if statements:
        transaction.on_commit(lambda: statements_send(statements))


# Reading other systems' statements ------------------------------------------------------


def course_for_activity(activity_id: str) -> Course | None:
    """The published-or-not course that ``activity_id`` names: one of our course ids, or a
    course's external activity id. None for anything else (our lessons included)."""
    if not isinstance(activity_id, str) or not activity_id:
        return None
    prefix = f"{public_url()}/xapi/activities/course/"
    if activity_id.startswith(prefix):
        code = activity_id[len(prefix) :].strip("/")
        if code and "/" not in code:
            course = Course.objects.filter(code=code[:80]).first()
            if course is not None:
                return course
    return Course.objects.filter(external_activity_id=activity_id[:500]).first()


def learner_for_actor(actor: Any) -> User | None:
    """The employee that a statement's actor names: an account of this platform, or an
    ``mbox`` equal to the user's e-mail address. None when it names nobody we know, or
    somebody who is not an employee."""
    if not isinstance(actor, dict):
        return None
    users = get_user_model().objects.filter(employee__isnull=False)
    account = actor.get("account")
    if isinstance(account, dict):
        home, name = account.get("homePage"), account.get("name")
        if (
            isinstance(home, str)
            and isinstance(name, str)
            and home.rstrip("/") == public_url()
            and name
        ):
            try:
                public_id = uuid.UUID(name)
            except ValueError:
                return None
            return users.filter(employee__public_id=public_id).first()
        return None
    mbox = actor.get("mbox")
    if isinstance(mbox, str) and mbox.lower().startswith("mailto:"):
        email = mbox[len("mailto:") :].strip()
        if email:
            return users.filter(email__iexact=email[:254]).first()
    return None


def statement_moment(statement: dict) -> datetime.datetime:
    """When the statement says the learning happened (its ``timestamp``, else when it was
    stored), never later than now."""
    now = timezone.now()
    for key in ("timestamp", "stored"):
        value = statement.get(key)
        if isinstance(value, str):
            try:
                moment = datetime.datetime.fromisoformat(value.replace("Z", "+00:00"))
            except ValueError:
                continue
            if timezone.is_naive(moment):
                moment = timezone.make_aware(moment, datetime.UTC)
            return min(moment, now)
    return now
