"""What the officers' and the partners' pages share about working a case: the deadline
badges of a list, the keyset cursor of a queue, the inputs a workflow step may require and
what to say when one is missing, the answers of an application as rows to read, and the
heading of a refusal."""

import base64
import binascii
import datetime
from collections.abc import Callable, Iterable

from django import forms
from django.http import HttpRequest
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from satupintu.cases.models import Case
from satupintu.core.calendar import WorkingCalendar
from satupintu.core.errors import DomainError
from satupintu.core.language import active_language, pick

TEXT_MAX_LENGTH = 5000
# What the documents service refuses about an upload: shown next to the file input.
FILE_ERRORS = {"invalid_file", "file_too_large", "empty_file", "file_type_not_allowed"}


def state_label(states: dict | None, code: str) -> str:
    return pick(((states or {}).get(code) or {}).get("label")) or code


def cursor_encode(due_date: datetime.date, pk: int) -> str:
    raw = f"{due_date.isoformat()}.{pk}".encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def cursor_decode(token: str) -> tuple[datetime.date, int] | None:
    """The (due date, id) key of a "next page" link, or None for anything else (the first
    page)."""
    token = (token or "")[:64]
    if not token:
        return None
    try:
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)).decode()
        due, pk = raw.split(".")
        return datetime.date.fromisoformat(due), int(pk)
    except (ValueError, binascii.Error, UnicodeDecodeError):
        return None


def form_version(request: HttpRequest) -> int:
    """The case version the form was made from. A form without one cannot prove it is
    current, so it gets a version no case has and the service refuses it as stale."""
    try:
        return int(request.POST.get("version", ""))
    except ValueError:
        return 0


class Deadlines:
    """The deadline badge of each case of a page: paused, due today, or overdue by so many
    working days. One working calendar per agency of the page (one query each; a unit's
    queue has one agency), built up front so that every page costs the same queries."""

    def __init__(self, today: datetime.date, cases: Iterable[Case] = ()) -> None:
        self.today = today
        self._calendars: dict[int, WorkingCalendar] = {}
        for case in cases:
            if case.is_open:
                self._calendar(case.agency_id)

    def _calendar(self, agency_id: int) -> WorkingCalendar:
        if agency_id not in self._calendars:
            self._calendars[agency_id] = WorkingCalendar.for_agency(agency_id)
        return self._calendars[agency_id]

    def badge(self, case: Case) -> dict | None:
        if not case.is_open:
            return None
        if case.is_paused:
            return {"kind": "paused", "text": _("Paused: waiting for the applicant")}
        if case.due_date == self.today:
            return {"kind": "today", "text": _("Due today")}
        if case.due_date < self.today:
            late = self._calendar(case.agency_id).working_days_between(case.due_date, self.today)
            if late < 1:  # past a due date that fell just before a weekend or holiday
                return {"kind": "overdue", "text": _("Overdue")}
            text = ngettext(
                "Overdue by %(days)d working day", "Overdue by %(days)d working days", late
            ) % {"days": late}
            return {"kind": "overdue", "text": text}
        return None


def text_field(label, help_text, *, rows: int = 4) -> forms.CharField:
    return forms.CharField(
        label=label,
        help_text=help_text,
        required=False,
        max_length=TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


REQUIREMENT_INPUTS: dict[str, Callable[[], forms.Field]] = {
    "message": lambda: text_field(
        gettext_lazy("Message to the applicant"), gettext_lazy("The applicant sees this message.")
    ),
    "reason": lambda: text_field(
        gettext_lazy("Reason"), gettext_lazy("The applicant sees this reason.")
    ),
    "document_number": lambda: forms.CharField(
        label=gettext_lazy("Document number"),
        help_text=gettext_lazy("The number of the document that this step issues."),
        required=False,
        max_length=100,
    ),
    "note": lambda: text_field(
        gettext_lazy("Internal note"),
        gettext_lazy("Only officers see this; the applicant does not."),
        rows=3,
    ),
    "file": lambda: forms.FileField(
        label=gettext_lazy("File"),
        help_text=gettext_lazy("Sent to the applicant with this step."),
        required=False,
    ),
    # The choices are the partners of the case's service, set by ``TransitionForm``.
    "partner": lambda: forms.ChoiceField(
        label=gettext_lazy("Partner organisation"),
        help_text=gettext_lazy(
            "The partner that does this task. Its people see only the answers they need for it."
        ),
        required=False,
        error_messages={"invalid_choice": MISSING["partner"]},
    ),
}


# What to do about a missing input, said next to it and in the summary at the top.
MISSING = {
    "message": gettext_lazy("Write the message to the applicant"),
    "reason": gettext_lazy("Give the reason; the applicant will read it"),
    "document_number": gettext_lazy("Enter the number of the document"),
    "note": gettext_lazy("Write the internal note"),
    "file": gettext_lazy("Choose the file to send"),
    "partner": gettext_lazy("Choose the partner organisation that will do the task"),
}


def answer_text(field: dict, value) -> str:
    kind = field.get("type")
    if isinstance(value, bool) or kind == "yes_no":
        return _("Yes") if value else _("No")
    if isinstance(value, list):
        return ", ".join(answer_text({**field, "type": kind}, item) for item in value)
    if isinstance(value, dict):
        return ", ".join(str(item) for item in value.values() if item not in (None, ""))
    if kind == "choice":
        options = {option.get("value"): pick(option.get("label")) for option in field["options"]}
        return options.get(value) or str(value)
    if kind == "date":
        try:
            return formats.date_format(datetime.date.fromisoformat(str(value)), "j F Y")
        except ValueError:
            return str(value)
    if kind == "region":
        from satupintu.core import regions

        name = regions.region_name(str(value))
        return f"{name} ({value})" if name else str(value)
    if kind == "money":
        try:
            digits = f"{int(value):,}"
        except (TypeError, ValueError):
            return str(value)
        return "Rp\u00a0" + (digits.replace(",", ".") if active_language() == "id" else digits)
    return str(value)


def answer_rows(fields: list | None, answers, files: dict[str, list]) -> list[dict]:
    """The answers in the form's order, each with its question in the active language.
    A question that was not asked (its condition did not hold) is left out."""
    answers = answers if isinstance(answers, dict) else {}
    rows = []
    for field in fields or []:
        if not isinstance(field, dict) or "key" not in field:
            continue
        key, kind = field["key"], field.get("type")
        label = pick(field.get("label")) or key
        value = answers.get(key)
        if kind == "group":
            items = value if isinstance(value, list) else [value] if isinstance(value, dict) else []
            if not items and field.get("when"):
                continue
            groups = [answer_rows(field.get("fields"), item, files) for item in items]
            rows.append({"label": label, "groups": groups, "missing": not groups})
            continue
        uploads = files.get(key, []) if kind == "file" else []
        empty = value in (None, "", [], {})
        if empty and not uploads:
            if not field.get("when"):
                rows.append({"label": label, "missing": True})
            continue
        rows.append(
            {
                "label": label,
                "value": "" if kind == "file" or empty else answer_text(field, value),
                "documents": uploads,
            }
        )
    return rows


def typed_values(form: forms.Form) -> list[dict]:
    """What the officer typed into ``form``, to show back when the form itself can no longer
    be offered (the case moved on)."""
    typed = []
    for name, field in form.fields.items():
        value = form.data.get(form.add_prefix(name), "")
        if isinstance(value, str) and value.strip():
            typed.append({"label": field.label, "value": value})
    return typed


def problem_of(error: DomainError) -> dict:
    headings = {
        "case_changed": _("This case changed while you were looking at it"),
        "role_not_allowed": _("This step is not yours to take"),
        "supervisor_only": _("Only a supervisor can do this"),
        "missing_fields": _("Some information is missing"),
    }
    heading = headings.get(error.code)
    if heading is None:
        heading = {
            403: _("You cannot do this"),
            409: _("This could not be done"),
        }.get(error.status, _("There is a problem"))
    return {"heading": heading, "detail": error.detail, "code": error.code}
