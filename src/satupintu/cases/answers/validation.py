"""Checking a whole application's answers: every visible field by its type, repeating
groups item by item, uploads against the submission's documents, and the document
requirements that the answers make necessary (``required_if``).

One set of rules for the API and the pages: the page's form (``forms.py``) calls
``validate_answers`` too.
"""

import uuid
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from satupintu.cases.answers.fields import FieldError, Invalid, is_blank, missing_message, parse
from satupintu.cases.answers.visibility import holds, rule_view, settle, shown
from satupintu.core.language import pick

# A group without ``repeat.max`` still takes a bounded number of items.
GROUP_MAX_DEFAULT = 50


def group_bounds(field: dict) -> tuple[int, int]:
    """(min, max) items of a group. A required group without ``repeat.min`` needs one item;
    an optional group (``required: false``) may be left empty whatever its ``min``."""
    repeat = field.get("repeat") or {}
    required = field.get("required", True)
    minimum = repeat.get("min", 1 if required else 0)
    return minimum, max(repeat.get("max", GROUP_MAX_DEFAULT), minimum, 1)


def submission_uploads(submission) -> dict[str, str]:
    """The current (not replaced) upload of each form field of ``submission``: field path →
    the document's public id."""
    from satupintu.cases.models import Document

    rows = (
        Document.objects.filter(submission=submission, replaced=False, message__isnull=True)
        .exclude(field_key="")
        .order_by("created_at", "id")
        .values_list("field_key", "public_id")
    )
    return {key: str(public_id) for key, public_id in rows}


def _takes_files(form: list[dict]) -> bool:
    return any(
        field["type"] == "file"
        or (field["type"] == "group" and any(sub["type"] == "file" for sub in field["fields"]))
        for field in form
    )


class _Check:
    """One run of ``validate_answers``: what it needs to know, and the errors it found."""

    def __init__(self, definition: dict, context: dict, uploads: dict[str, str] | None):
        self.context = context
        self.uploads = uploads
        self.requirements = {
            requirement["code"]: requirement for requirement in definition.get("requirements") or []
        }
        self.errors: list[FieldError] = []

    def error(self, path: str, message: str) -> None:
        self.errors.append(FieldError(path, message))

    def one(self, field: dict, raw: Any, path: str) -> Any:
        """The cleaned value of a simple or file field, or ``None``."""
        if field["type"] == "file":
            return self.file(field, raw, path)
        if is_blank(raw):
            if field.get("required", True):
                self.error(path, missing_message(field))
            return None
        try:
            return parse(field, raw)
        except Invalid as invalid:
            for subpath, message in invalid.problems:
                self.error(path + subpath, message)
            return None

    def file(self, field: dict, raw: Any, path: str) -> str | None:
        if self.uploads is None:
            # No submission to look in: keep what looks like a document's public id, to be
            # checked when the application is sent.
            try:
                return str(uuid.UUID(str(raw))) if not is_blank(raw) else None
            except ValueError:
                return None
        uploaded = self.uploads.get(path)
        if uploaded is None and field.get("required", True):
            self.error(
                path, missing_message(field, self.requirements.get(field.get("requirement")))
            )
        return uploaded

    def item_is_blank(self, field: dict, item: dict, path: str) -> bool:
        for sub in field["fields"]:
            if sub["type"] == "file":
                if self.uploads and f"{path}.{sub['key']}" in self.uploads:
                    return False
            elif not is_blank(item.get(sub["key"])):
                return False
        return True

    def group(self, field: dict, raw: Any, view: dict) -> list[dict] | None:
        key = field["key"]
        minimum, maximum = group_bounds(field)
        if is_blank(raw) and not isinstance(raw, list):
            raw = []
        if not isinstance(raw, list):
            self.error(key, _("Give the entries of this question as a list."))
            return None
        entries: list[tuple[int, dict]] = []
        blanks: list[tuple[int, dict]] = []
        for index, item in enumerate(raw[: maximum + GROUP_MAX_DEFAULT]):
            if item is None or item == "":
                item = {}
            if not isinstance(item, dict):
                self.error(f"{key}[{index}]", _("Give each entry with its fields."))
                continue
            target = blanks if self.item_is_blank(field, item, f"{key}[{index}]") else entries
            target.append((index, item))
        if not entries and not field.get("required", True):
            return None
        if len(entries) > maximum:
            extra = len(entries) - maximum
            self.error(
                key,
                ngettext(
                    "Enter at most %(max)d entry; remove %(extra)d.",
                    "Enter at most %(max)d entries; remove %(extra)d.",
                    maximum,
                )
                % {"max": maximum, "extra": extra},
            )
            entries = entries[:maximum]
        if len(entries) < minimum:
            # Empty rows the page showed are checked as rows, so that each missing answer is
            # reported next to its box; rows that were never sent are counted at the group.
            entries = sorted(entries + blanks[: minimum - len(entries)], key=lambda e: e[0])
            if len(entries) < minimum:
                wanted = ngettext(
                    "Add at least %(min)d entry.", "Add at least %(min)d entries.", minimum
                ) % {"min": minimum}
                given = ngettext("There is %(n)d now.", "There are %(n)d now.", len(entries)) % {
                    "n": len(entries)
                }
                self.error(key, f"{wanted} {given}")
        fields = shown(field["fields"], view, self.context)
        items = []
        for index, item in entries:
            cleaned = {}
            for sub in fields:
                value = self.one(sub, item.get(sub["key"]), f"{key}[{index}].{sub['key']}")
                if value is not None:
                    cleaned[sub["key"]] = value
            items.append(cleaned)
        return items or None

    def required_documents(self, form: list[dict], cleaned: dict) -> None:
        """A document requirement whose ``required_if`` holds needs an upload in one of the
        file fields that collect it."""
        if self.uploads is None:
            return
        view = rule_view(form, cleaned)
        failing = {error.path for error in self.errors}
        for code, requirement in self.requirements.items():
            rule = requirement.get("required_if")
            if requirement.get("kind") != "document" or not rule:
                continue
            if not holds(rule, view, self.context):
                continue
            paths = list(_collecting_paths(form, cleaned, code))
            if not paths or any(answered for _path, answered in paths):
                continue
            if any(path in failing for path, _answered in paths):
                continue  # already reported there
            self.error(
                paths[0][0],
                _("Upload %(name)s: your answers make it necessary.")
                % {"name": pick(requirement.get("name")) or code},
            )


def _collecting_paths(form: list[dict], cleaned: dict, code: str):
    """(path, answered) of each file field that collects requirement ``code``."""
    for field in form:
        if field["type"] == "file" and field.get("requirement") == code:
            yield field["key"], bool(cleaned.get(field["key"]))
        elif field["type"] == "group":
            items = cleaned.get(field["key"]) or []
            for sub in field["fields"]:
                if sub["type"] == "file" and sub.get("requirement") == code:
                    answered = any(item.get(sub["key"]) for item in items)
                    yield field["key"], answered


def validate_answers(
    *,
    definition: dict,
    answers: dict,
    context: dict,
    submission=None,
    uploads: dict[str, str] | None = None,
) -> tuple[dict, list[FieldError]]:
    """Check ``answers`` to the form of ``definition`` for the applicant described by
    ``context`` (``applicant_context``).

    Returns the cleaned answers — each visible field's value as its type stores it, hidden
    and unknown fields and empty optional ones left out — and the problems found, each with
    the path of its field (``child_name``, ``witnesses[1].nik``, ``akad_address.village``).
    With ``submission``, file fields are answered by its current uploads (a required one
    needs an upload) and document requirements whose ``required_if`` holds are enforced;
    without it, uploads are not checked. ``uploads`` (field path → document public id) gives
    them directly instead: a life event's uploads mapped onto one service's form.
    """
    form = definition.get("form") or []
    if not isinstance(answers, dict):
        return {}, [FieldError("", _("Send the answers as an object of question keys."))]
    if uploads is None and submission is not None:
        # A form without file fields has no uploads to look up.
        uploads = submission_uploads(submission) if _takes_files(form) else {}
    check = _Check(definition, context, uploads)
    visible, view = settle(form, answers, context)
    cleaned: dict[str, Any] = {}
    for field in visible:
        key = field["key"]
        if field["type"] == "group":
            value = check.group(field, answers.get(key), view)
        else:
            value = check.one(field, answers.get(key), key)
        if value is not None:
            cleaned[key] = value
    check.required_documents(form, cleaned)
    return cleaned, check.errors
