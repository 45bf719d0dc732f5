"""The application form as a Django form, for pages that work without JavaScript.

``build_form`` makes one Django field per visible question of a service's form; the checks
are those of ``validate_answers`` (one set of rules for pages and the API), run from the
form's ``clean``. How a page uses it:

Field names (inside the form's ``prefix``, if any)
    ``<key>`` for a question; ``<key>_street`` and ``<key>_village`` for an address;
    ``<group>-<index>-<key>`` for a question of a repeating group's item (index from 0, as in
    the error paths ``witnesses[1].nik``). ``form.layout()`` gives the questions in order,
    with each group's numbered rows, for the template to render.

"Update the questions" (conditional questions without JavaScript)
    Which questions are asked is decided on the server from what was posted. Put a submit
    button named ``form.update_button_name`` (``update_questions``) after the questions that
    others depend on, or once at the end. When it (or "add another") was pressed,
    ``form.refresh_requested`` is true, ``form.is_valid()`` is false and the form shows no
    errors: save the draft with ``form.draft_answers()`` and render the form again — it
    already asks the questions that now apply and keeps every typed value.

"Add another" (repeating groups)
    Each group shows max(``repeat.min``, items present) rows. A submit button named
    ``form.add_button_name`` (``add_row``) with the group's key as its value adds one empty
    row (``entry.can_add`` says whether the group may grow). Rows left empty beyond the
    minimum are ignored.

Uploads
    A file input cannot keep its file when a page is shown again, so store each upload as
    soon as it is posted, before validating: for ``path, upload in form.uploads().items()``
    call ``documents.document_upload(submission=…, field_key=path, upload=upload, …)`` and
    pass a refused file's message to ``form.add_upload_error(path, message)``. Then
    ``form.is_valid()`` checks the submission's uploads (build the form with
    ``submission=``).

The main submit button should come first in the page's ``<form>`` so that pressing Enter in
a box sends the form rather than "update" or "add another". Render the form ``novalidate``:
the server's messages say what is wrong and how to fix it.
"""

import re
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from typing import Any

from django import forms
from django.forms.boundfield import BoundField
from django.forms.utils import ErrorDict

from satupintu.cases.answers.conversion import (
    GROUP_PATH,
    answers_from_cleaned_data,
    initial_from_answers,
    name_for_path,
    row_name,
)
from satupintu.cases.answers.validation import group_bounds, validate_answers
from satupintu.cases.answers.visibility import settle, shown
from satupintu.cases.answers.widgets import django_fields, question_label
from satupintu.core.language import pick

__all__ = [
    "ADD_ROW_BUTTON",
    "UPDATE_BUTTON",
    "AnswersForm",
    "Entry",
    "Row",
    "answers_from_cleaned_data",
    "build_form",
    "initial_from_answers",
    "name_for_path",
]

UPDATE_BUTTON = "update_questions"
ADD_ROW_BUTTON = "add_row"


# The form ------------------------------------------------------------------------------------


@dataclass
class Row:
    """One item of a repeating group: its number on the page (from 1) and its fields."""

    number: int
    index: int
    fields: list[BoundField]


@dataclass
class Entry:
    """One question in the order of the form. ``kind`` is ``field`` (one box: ``field``),
    ``address`` (``fields``: street and village, in a fieldset with ``label``) or ``group``
    (``rows``; ``errors`` about the group as a whole; ``can_add`` with the "add another"
    button's ``add_name`` and ``add_value``)."""

    kind: str
    key: str
    label: str
    help: str = ""
    field: BoundField | None = None
    fields: list[BoundField] = dataclass_field(default_factory=list)
    rows: list[Row] = dataclass_field(default_factory=list)
    errors: list[str] = dataclass_field(default_factory=list)
    id: str = ""
    can_add: bool = False
    add_name: str = ""
    add_value: str = ""


class AnswersForm(forms.Form):
    """The form of one service for one applicant; build it with ``build_form``."""

    use_required_attribute = False  # the server says what is missing, in the page's words

    def __init__(
        self,
        *,
        definition: dict,
        context: dict,
        data=None,
        files=None,
        initial_answers: dict | None = None,
        prefix: str = "",
        submission=None,
    ):
        super().__init__(data=data, files=files, prefix=prefix or None)
        self.definition = definition
        self.context = context
        self.submission = submission
        self.answers: dict[str, Any] = {}
        self.group_errors: dict[str, list[str]] = {}
        self._upload_errors: dict[str, str] = {}
        self._paths: dict[str, str] = {}
        self.update_button_name = self.add_prefix(UPDATE_BUTTON)
        self.add_button_name = self.add_prefix(ADD_ROW_BUTTON)
        added = self.data.get(self.add_button_name) if self.is_bound else None
        self.refresh_requested = self.is_bound and (
            self.update_button_name in self.data or added is not None
        )
        form = definition.get("form") or []
        uploaded = self._uploaded_names()
        requirements = {r["code"]: r for r in definition.get("requirements") or []}

        self.rows: dict[str, int] = {}
        for question in form:
            key = question["key"]
            if question["type"] == "group":
                minimum, maximum = group_bounds(question)
                present = self._rows_present(key, initial_answers, maximum)
                rows = max(minimum, present) + (1 if added == key else 0)
                self.rows[key] = min(rows, maximum)
                for index in range(self.rows[key]):
                    for sub in question["fields"]:
                        self._add(
                            sub,
                            row_name(key, index, sub["key"]),
                            f"{key}[{index}].{sub['key']}",
                            requirements,
                            uploaded,
                        )
            else:
                self._add(question, key, key, requirements, uploaded)

        # Which questions are asked follows from what was posted (or, before any post, from
        # the draft's answers); the others are not part of the form at all.
        source = self.draft_answers() if self.is_bound else (initial_answers or {})
        self._visible, view = settle(form, source, context)
        self._group_fields = {
            question["key"]: shown(question["fields"], view, context)
            for question in self._visible
            if question["type"] == "group"
        }
        keep: set[str] = set()
        for question in self._visible:
            key = question["key"]
            if question["type"] == "group":
                for index in range(self.rows[key]):
                    for sub in self._group_fields[key]:
                        keep.update(self._names(sub, row_name(key, index, sub["key"])))
            else:
                keep.update(self._names(question, key))
        for name in list(self.fields):
            if name not in keep:
                del self.fields[name]
        self.initial = initial_from_answers(definition=definition, answers=initial_answers or {})

    # Building -----------------------------------------------------------------------------------

    @staticmethod
    def _names(field: dict, name: str) -> tuple[str, ...]:
        if field["type"] == "address":
            return (f"{name}_street", f"{name}_village")
        return (name,)

    def _add(self, field, name, path, requirements, uploaded) -> None:
        made = django_fields(
            field,
            name,
            requirement=requirements.get(field.get("requirement")),
            uploaded=uploaded.get(path),
        )
        for made_name, made_field in made.items():
            self.fields[made_name] = made_field
            self._paths[made_name] = path

    def _uploaded_names(self) -> dict[str, str]:
        if self.submission is None or self.submission.pk is None:
            return {}
        from satupintu.cases.models import Document

        rows = (
            Document.objects.filter(
                submission=self.submission, replaced=False, message__isnull=True
            )
            .exclude(field_key="")
            .order_by("created_at", "id")
            .values_list("field_key", "original_name")
        )
        return dict(rows)

    def _rows_present(self, key: str, initial_answers: dict | None, maximum: int) -> int:
        if not self.is_bound:
            items = (initial_answers or {}).get(key)
            return min(len(items), maximum) if isinstance(items, list) else 0
        pattern = re.compile(rf"^{re.escape(self.add_prefix(key))}-(\d+)-")
        indexes = [
            int(match[1])
            for name in [*self.data.keys(), *self.files.keys()]
            if (match := pattern.match(name))
        ]
        indexes = [index for index in indexes if index < maximum]
        return max(indexes) + 1 if indexes else 0

    # Reading --------------------------------------------------------------------------------------

    def _values(self) -> dict[str, Any]:
        return {
            name: field.widget.value_from_datadict(self.data, self.files, self.add_prefix(name))
            for name, field in self.fields.items()
        }

    def draft_answers(self) -> dict:
        """What was posted, as answers, without checking it: to save a draft, which keeps
        whatever was typed."""
        if not self.is_bound:
            return {}
        return answers_from_cleaned_data(definition=self.definition, cleaned_data=self._values())

    def uploads(self) -> dict:
        """The files posted with the form, by field path (``birth_statement_file``,
        ``heirs[0].ktp_file``): the ``field_key`` to store each with."""
        if not self.is_bound:
            return {}
        found = {}
        for name, field in self.fields.items():
            if isinstance(field, forms.FileField):
                upload = self.files.get(self.add_prefix(name))
                if upload is not None:
                    found[self._paths[name]] = upload
        return found

    def add_upload_error(self, path: str, message: str) -> None:
        """Show why an upload was refused next to its field (call before ``is_valid``)."""
        self._upload_errors[path] = message
        self._errors = None  # check again, with this message

    # Checking -------------------------------------------------------------------------------------

    def full_clean(self) -> None:
        self.group_errors = {}
        super().full_clean()
        if self.refresh_requested:
            # Only the questions were updated: nothing to complain about yet.
            self._errors = ErrorDict()

    def is_valid(self) -> bool:
        return not self.refresh_requested and super().is_valid()

    def clean(self) -> dict[str, Any]:
        cleaned_data = super().clean()
        answers = answers_from_cleaned_data(definition=self.definition, cleaned_data=cleaned_data)
        self.answers, errors = validate_answers(
            definition=self.definition,
            answers=answers,
            context=self.context,
            submission=self.submission,
        )
        for path, message in self._upload_errors.items():
            self._attach(path, message)
        for error in errors:
            if error.path not in self._upload_errors:
                self._attach(error.path, error.message)
        return cleaned_data

    def _attach(self, path: str, message: str) -> None:
        name = name_for_path(path)
        if name not in self.fields and f"{name}_street" in self.fields:
            name = f"{name}_street"  # the address as a whole
        if name in self.fields:
            self.add_error(name, message)
            return
        group = GROUP_PATH.match(path)
        key = group[1] if group else path
        if key in self.rows:
            self.group_errors.setdefault(key, []).append(message)
        self.add_error(None, message)

    # Showing --------------------------------------------------------------------------------------

    def layout(self) -> list[Entry]:
        """The visible questions in order, for the template."""
        entries = []
        for question in self._visible:
            key = question["key"]
            kind = question["type"]
            title, help_text = question_label(question), pick(question.get("help"))
            if kind == "group":
                rows = [
                    Row(
                        number=index + 1,
                        index=index,
                        fields=[
                            self[name]
                            for sub in self._group_fields[key]
                            for name in self._names(sub, row_name(key, index, sub["key"]))
                            if name in self.fields
                        ],
                    )
                    for index in range(self.rows[key])
                ]
                _minimum, maximum = group_bounds(question)
                entries.append(
                    Entry(
                        kind="group",
                        key=key,
                        label=title,
                        help=help_text,
                        rows=rows,
                        errors=self.group_errors.get(key, []) if self.is_bound else [],
                        id=self.add_prefix(f"group-{key}"),
                        can_add=self.rows[key] < maximum,
                        add_name=self.add_button_name,
                        add_value=key,
                    )
                )
            elif kind == "address":
                fields = [self[name] for name in self._names(question, key)]
                entries.append(
                    Entry(
                        kind="address",
                        key=key,
                        label=title,
                        help=help_text,
                        fields=fields,
                        id=fields[0].auto_id,
                    )
                )
            else:
                bound = self[key]
                entries.append(
                    Entry(kind="field", key=key, label=title, field=bound, id=bound.auto_id)
                )
        return entries

    def error_summary(self) -> list[dict[str, str]]:
        """The errors in the order of the page, each with the id of the element to jump to:
        ``[{"id": …, "message": …}]`` (the GOV.UK error summary)."""
        if not self.is_bound or not self.errors:
            return []
        summary = []
        shown_group_errors = set()
        for entry in self.layout():
            bound_fields = [entry.field] if entry.field else list(entry.fields)
            for row in entry.rows:
                bound_fields.extend(row.fields)
            if entry.kind == "group":
                for message in entry.errors:
                    summary.append({"id": entry.id, "message": message})
                    shown_group_errors.add(message)
            for bound in bound_fields:
                multiple = isinstance(
                    bound.field.widget, forms.RadioSelect | forms.CheckboxSelectMultiple
                )
                for message in bound.errors:
                    summary.append(
                        {
                            "id": f"{bound.auto_id}_0" if multiple else bound.auto_id,
                            "message": message,
                        }
                    )
        first = summary[0]["id"] if summary else ""
        for message in self.non_field_errors():
            if message not in shown_group_errors:
                summary.append({"id": first, "message": message})
        return summary


def build_form(
    *,
    definition: dict,
    data=None,
    files=None,
    initial: dict | None = None,
    context: dict,
    prefix: str = "",
    submission=None,
) -> AnswersForm:
    """The form of ``definition`` for the applicant described by ``context``: unbound with
    ``initial`` answers (a draft's answers merged with ``prefill``), or bound to ``data`` and
    ``files`` as posted. ``submission`` (the draft) lets the form show and check its uploads.
    See the module's description for the page's buttons and uploads."""
    return AnswersForm(
        definition=definition,
        context=context,
        data=data,
        files=files,
        initial_answers=initial,
        prefix=prefix,
        submission=submission,
    )
