"""Answers to a service's form: which questions are asked, what the platform already knows,
checking what the applicant gave, and the form that pages show.

The public face of the form engine (others import these names from here):

- ``applicant_context(user=, business=)`` — what rules read about the applicant;
- ``visible_fields(fields=, answers=, context=)`` — the questions whose ``when`` holds;
- ``validate_answers(definition=, answers=, context=, submission=)`` — cleaned answers and
  ``FieldError``\\ s, for the API and the pages alike;
- ``prefill(definition=, user=, business=)`` and ``merge_prefill(answers=, prefilled=)``;
- ``build_form(definition=, data=, files=, initial=, context=, prefix=, submission=)`` — the
  Django form of a page, with ``initial_from_answers`` and ``answers_from_cleaned_data`` to
  convert between its values and answers, and ``name_for_path`` (error path → field name).

Modules by purpose: ``context`` (the applicant, today's date in Jakarta), ``fields`` (one
answer of each type), ``places`` (regions typed by name or code), ``visibility`` (``when``),
``validation`` (a whole form), ``prefill``, and for pages ``widgets`` (the Django field of
each type), ``conversion`` (field names, form values <-> answers) and ``forms``.
"""

from satupintu.cases.answers.context import applicant_context
from satupintu.cases.answers.fields import FieldError
from satupintu.cases.answers.forms import (
    ADD_ROW_BUTTON,
    UPDATE_BUTTON,
    AnswersForm,
    Entry,
    Row,
    answers_from_cleaned_data,
    build_form,
    initial_from_answers,
    name_for_path,
)
from satupintu.cases.answers.prefill import merge as merge_prefill
from satupintu.cases.answers.prefill import prefill
from satupintu.cases.answers.validation import validate_answers
from satupintu.cases.answers.visibility import visible_fields

__all__ = [
    "ADD_ROW_BUTTON",
    "UPDATE_BUTTON",
    "AnswersForm",
    "Entry",
    "FieldError",
    "Row",
    "answers_from_cleaned_data",
    "applicant_context",
    "build_form",
    "initial_from_answers",
    "merge_prefill",
    "name_for_path",
    "prefill",
    "validate_answers",
    "visible_fields",
]
