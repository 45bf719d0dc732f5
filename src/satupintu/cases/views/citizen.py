"""The citizen's pages: apply for a service, fill in and save the form, check and send it,
the confirmation with the tracking number, "My services" and the page of each case.

Every page works without JavaScript. Forms keep what was typed and show errors next to the
fields with a summary above (the GOV.UK pattern). Reads go through the selectors, which scope
everything to the signed-in applicant: another person's application or case is "not found".
Writes go through the services; a ``DomainError`` becomes a message next to the field it is
about, or the error page of its status.
"""

import datetime
import uuid
from collections.abc import Callable
from functools import wraps
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from satupintu.accounts import selectors as account_selectors
from satupintu.cases import answers as form_engine
from satupintu.cases import selectors, services
from satupintu.cases.answers import fields as answer_fields
from satupintu.cases.answers.forms import name_for_path
from satupintu.cases.constants import Actor, EventKind, SubmissionStatus
from satupintu.cases.models import Case, Document, Message, Submission
from satupintu.cases.outcomes import outcome_pdf_response, verification_code_display
from satupintu.catalog import selectors as catalog_selectors
from satupintu.catalog.rules import evaluate
from satupintu.catalog.templatetags.satupintu_tags import file_types, rupiah
from satupintu.core import tracking
from satupintu.core.errors import DomainError, NotFound
from satupintu.core.keyset import after_q
from satupintu.core.language import pick
from satupintu.core.pages import error_page
from satupintu.core.ratelimits import rate_limited
from satupintu.core.uploads import file_response

CODE_MAX_LENGTH = 130
MY_SERVICES_PAGE_SIZE = settings.SATUPINTU_PAGE_SIZE
DRAFTS_SHOWN = 50


# Errors ----------------------------------------------------------------------------------


def citizen_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Sign-in required (anonymous people go to the sign-in page and come back); a
    ``DomainError`` that the view does not handle itself becomes its error page."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except DomainError as error:
            return error_page(request, error)

    return login_required(wrapped)


# Presenting cases ------------------------------------------------------------------------


def state_label(case: Case, state: str | None = None) -> str:
    """The plain-words label of ``state`` (the case's own by default) in its workflow."""
    if state is None and case.is_waiting:
        return _("Waiting for “%(service)s”") % {"service": case.waits_for.service.name}
    if state is None and case.outcome.get("called_off"):
        return _("Not started: the service it waited for ended without its result")
    state = state or case.state
    return pick(case.workflow_states.get(state, {}).get("label")) or state


def agency_name(case: Case) -> str:
    return case.agency.short_name or case.agency.name


def case_card(case: Case, *, new_messages: int = 0) -> dict[str, Any]:
    """What a list and a page say about a case: status, whose move it is, when it is due."""
    description = pick(case.state_definition.get("description"))
    return {
        "case": case,
        "service_name": case.service.name,
        "agency": agency_name(case),
        "tracking": case.submission.tracking,
        "status": state_label(case),
        "status_description": description,
        "waits_for_you": case.is_open and case.is_paused,
        "new_messages": new_messages,
    }


def _timeline(case: Case) -> list[dict[str, Any]]:
    """The case's public events in words. Officers are never named: the agency acts."""
    agency = agency_name(case)
    lines = []
    for event in selectors.case_timeline(case=case, include_internal=False):
        by_you = event.actor_role == Actor.APPLICANT
        detail = ""
        if event.kind == EventKind.SUBMITTED:
            title = _("You sent your application")
        elif event.kind == EventKind.TRANSITION:
            title = _("Status: %(state)s") % {"state": state_label(case, event.to_state)}
            detail = event.data.get("reason", "")
        elif event.kind == EventKind.MESSAGE:
            title = (
                _("You sent a message")
                if by_you
                else _("%(agency)s sent you a message") % {"agency": agency}
            )
        elif event.kind == EventKind.DOCUMENT:
            title = _("You added a document") if by_you else _("The agency added a document")
        elif event.kind == EventKind.OUTCOME:
            title = _("The result was issued")
            number = event.data.get("number")
            if number:
                detail = _("Document number %(number)s") % {"number": number}
        else:
            title = str(EventKind(event.kind).label) if event.kind in EventKind else event.kind
        lines.append({"when": event.created_at, "title": title, "detail": detail})
    return lines


def describe_document(document: Document) -> Document:
    """``document`` with ``kind_label``, its type as people know it (PDF, JPG)."""
    document.kind_label = file_types([document.content_type])
    return document


# Forms -----------------------------------------------------------------------------------


class TrackingForm(forms.Form):
    """Find an application by its tracking number, as typed (any case, with or without
    dashes)."""

    nomor = forms.CharField(
        label=gettext_lazy("Find an application by its tracking number"),
        help_text=gettext_lazy(
            "For example K7QM-4XRT-9: nine letters and digits, given when you sent it."
        ),
        max_length=64,
        widget=forms.TextInput(
            attrs={"class": "input--short", "autocomplete": "off", "spellcheck": "false"}
        ),
        error_messages={"required": gettext_lazy("Enter a tracking number.")},
    )

    def clean_nomor(self) -> str:
        number = tracking.normalise(self.cleaned_data["nomor"])
        if number is None:
            raise forms.ValidationError(
                _(
                    "This is not a tracking number. Check each character: a tracking number has "
                    "nine letters and digits, such as K7QM-4XRT-9."
                )
            )
        return number


class ReplyForm(forms.Form):
    """A message to the agency, with an optional file."""

    body = forms.CharField(
        label=gettext_lazy("Your message"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": gettext_lazy("Write a message first.")},
    )
    attachment = forms.FileField(
        label=gettext_lazy("Attach a file (optional)"),
        help_text=gettext_lazy("A PDF or a photo, for example what the agency asked for."),
        required=False,
    )


# Apply -----------------------------------------------------------------------------------


def _refusals(definition: dict, context: dict) -> list[str]:
    """The reasons of the eligibility rules that ``context`` does not meet. Rules that read
    the answers are checked when the application is sent, not before it starts."""
    reasons = []
    for rule in definition.get("eligibility") or []:
        if "answers." in rule["rule"]:
            continue
        if not evaluate(rule["rule"], {"answers": {}, **context}):
            reasons.append(pick(rule.get("reason")))
    return reasons


def _applicant_options(request: HttpRequest, definition: dict) -> list[dict[str, Any]]:
    """Who the person may apply as for this service: themselves and/or each business they
    represent, each with the eligibility reasons it fails."""
    kinds = definition.get("applicants") or ["citizen"]
    options = []
    if "citizen" in kinds:
        context = form_engine.applicant_context(user=request.user)
        options.append(
            {
                "value": "self",
                "label": _("Myself"),
                "business": None,
                "refusals": _refusals(definition, context),
            }
        )
    if "business" in kinds:
        for business in account_selectors.business_list_for_representative(user=request.user):
            context = form_engine.applicant_context(user=request.user, business=business)
            options.append(
                {
                    "value": str(business.public_id),
                    "label": business.name,
                    "business": business,
                    "refusals": _refusals(definition, context),
                }
            )
    return options


@citizen_page
@require_http_methods(["GET", "POST"])
def apply(request: HttpRequest, code: str) -> HttpResponse:
    """Start an application: who applies (when the service allows a choice), whether they
    may, then a draft prefilled from their profile."""
    service = catalog_selectors.service_get(code=code[:CODE_MAX_LENGTH])
    definition = service.current_version.definition
    online = "online" in (definition.get("channels") or [])
    options = _applicant_options(request, definition) if online else []
    error = ""
    chosen = request.POST.get("applicant", "") if request.method == "POST" else ""
    if len(options) == 1 and not chosen:
        chosen = options[0]["value"]

    if request.method == "POST":
        option = next((o for o in options if o["value"] == chosen), None)
        if not online:
            error = _(
                "This service is not offered online. Apply in one of the ways on the "
                "service's page."
            )
        elif option is None:
            error = _("Choose who you are applying for.")
        elif option["refusals"]:
            error = option["refusals"][0]
        else:
            business = option["business"]
            try:
                initial = form_engine.prefill(
                    definition=definition, user=request.user, business=business
                )
                submission = services.submission_draft_save(
                    applicant=request.user, service=service, business=business, answers=initial
                )
            except DomainError as exc:
                error = exc.detail
            else:
                return redirect("cases:draft", public_id=submission.public_id)

    drafts = list(
        selectors.submission_list_for_applicant(user=request.user).filter(
            status=SubmissionStatus.DRAFT, applicant=request.user, service_version__service=service
        )[:5]
    )
    return render(
        request,
        "cases/citizen/apply.html",
        {
            "service": service,
            "definition": definition,
            "online": online,
            "options": options,
            "chosen": chosen,
            "can_start": any(not option["refusals"] for option in options),
            "error": error,
            "documents": [
                requirement
                for requirement in definition.get("requirements") or []
                if requirement.get("kind") == "document"
            ],
            "drafts": drafts,
            "nav": "my_services",
        },
        status=400 if error else 200,
    )


# The form --------------------------------------------------------------------------------


def _draft_or_redirect(request: HttpRequest, public_id) -> Submission | HttpResponse:
    """The signed-in person's own draft; a sent application goes to its confirmation."""
    submission = selectors.submission_get_for_applicant(user=request.user, public_id=public_id)
    if submission.status == SubmissionStatus.SUBMITTED:
        return redirect("cases:submitted", public_id=submission.public_id)
    if submission.status != SubmissionStatus.DRAFT or submission.applicant_id != request.user.pk:
        raise NotFound(_("There is no such application among yours."))
    return submission


def _context(submission: Submission) -> dict[str, Any]:
    return form_engine.applicant_context(user=submission.applicant, business=submission.business)


def _documents_by_path(submission: Submission) -> dict[str, list[Document]]:
    """The current uploads of the form's file fields, by field path."""
    found: dict[str, list[Document]] = {}
    for document in selectors.submission_documents(submission=submission):
        if document.message_id is None and document.field_key:
            found.setdefault(document.field_key, []).append(describe_document(document))
    return found


def _path(name: str) -> str:
    """The answer path of a form field's name (``heirs-0-ktp_file`` → ``heirs[0].ktp_file``)."""
    group, dash, rest = name.partition("-")
    if not dash:
        return name
    index, _dash, key = rest.partition("-")
    return f"{group}[{index}].{key}"


def _widget_kind(bound) -> str:
    field = bound.field
    if isinstance(field, forms.FileField):
        return "file"
    if isinstance(field.widget, forms.RadioSelect | forms.CheckboxSelectMultiple):
        return "choices"
    return "input"


def _file_hint(definition: dict, field_path: str) -> str:
    """What a file field takes (its help, types and size limit), without the engine's own
    "Uploaded: …" sentence: the page shows the upload itself, with its size and type."""
    group, _bracket, rest = field_path.partition("[")
    key = rest.partition(".")[2] if rest else group
    fields = definition.get("form") or []
    if rest:
        fields = next((f.get("fields") or [] for f in fields if f.get("key") == group), [])
    spec = next((f for f in fields if f.get("key") == key), {})
    requirements = {r["code"]: r for r in definition.get("requirements") or []}
    requirement = requirements.get(spec.get("requirement"))
    rules = _("%(types)s, at most %(mb)s MB.") % {
        "types": answer_fields.type_names(answer_fields.accepted_types(spec, requirement)),
        "mb": answer_fields.megabytes(answer_fields.size_limit_mb(spec, requirement)),
    }
    return " ".join(part for part in (pick(spec.get("help")), rules) if part)


def _items(fields, documents: dict[str, list[Document]], definition: dict) -> list[dict]:
    items = []
    for bound in fields:
        kind = _widget_kind(bound)
        field_path = _path(bound.name)
        items.append(
            {
                "field": bound,
                "kind": kind,
                "documents": documents.get(field_path, []),
                "hint": _file_hint(definition, field_path) if kind == "file" else "",
            }
        )
    return items


def _render_draft(
    request: HttpRequest, submission: Submission, form, *, status: int = 200
) -> HttpResponse:
    """The form page: the questions that apply, each with how to render it and, for a file,
    what was uploaded."""
    documents = _documents_by_path(submission)
    definition = submission.form_definition
    layout = [
        {
            "entry": entry,
            "items": _items([entry.field] if entry.field else entry.fields, documents, definition),
            "rows": [
                {"number": row.number, "items": _items(row.fields, documents, definition)}
                for row in entry.rows
            ],
        }
        for entry in form.layout()
    ]
    return render(
        request,
        "cases/citizen/draft.html",
        {
            "known": _known_rows(submission),
            "submission": submission,
            "service": submission.subject,
            "form": form,
            "layout": layout,
            "errors": form.error_summary(),
            "has_conditions": "answers." in str(definition.get("form")),
            "nav": "my_services",
        },
        status=status,
    )


def _known_rows(submission: Submission) -> list[dict[str, str]]:
    """The answers of a life-event draft that were filled in for the applicant, each with
    where it came from (a registry, their profile, an earlier application)."""
    if not submission.life_event_version_id or not submission.prefill_sources:
        return []
    names = {
        "profile": _("your profile"),
        "suggestion": _("your earlier application"),
        "registry.person": _("population registry, Dispendukcapil"),
        "registry.family_card": _("family card, Dispendukcapil"),
        "registry.business": _("business registration, OSS"),
        "registry.student": _("school records, Dapodik"),
    }
    rows = []
    for spec in submission.form_definition["form"]:
        origin = submission.prefill_sources.get(spec["key"])
        if origin is None or spec["key"] not in submission.answers:
            continue
        rows.append(
            {
                "label": pick(spec.get("label")),
                "value": _display(spec, submission.answers[spec["key"]]),
                "source": names.get(origin, origin) or _("a registry"),
            }
        )
    return rows


def _store_uploads(request: HttpRequest, submission: Submission, form) -> dict[str, str]:
    """Store every file chosen in the form at once, through the documents service. Returns
    the refused files' messages by field path (also handed to the form, to show next to
    their fields)."""
    refused = {}
    for field_path, upload in form.uploads().items():
        try:
            _documents().document_upload(
                submission=submission, field_key=field_path, upload=upload, actor=request.user
            )
        except DomainError as exc:
            form.add_upload_error(field_path, exc.detail)
            refused[field_path] = exc.detail
    return refused


@citizen_page
@require_http_methods(["GET", "POST"])
def draft(request: HttpRequest, public_id) -> HttpResponse:
    """The application form. Every button saves what was typed (valid or not) and stores the
    chosen files; "update the questions" and "add another" show the form again with the
    questions that now apply; "Check and send" checks everything and moves on to the last
    check. ``?periksa=1`` shows what is still wrong with the saved answers (where sending
    them sends the applicant back)."""
    submission = _draft_or_redirect(request, public_id)
    if isinstance(submission, HttpResponse):
        return submission
    definition = submission.form_definition
    context = _context(submission)

    if request.method == "GET":
        if request.GET.get("periksa"):
            # The saved answers, posted back as the form's values, are checked like a post.
            form = form_engine.build_form(
                definition=definition,
                data=form_engine.initial_from_answers(
                    definition=definition, answers=submission.answers
                ),
                context=context,
                submission=submission,
            )
            form.is_valid()
        else:
            form = form_engine.build_form(
                definition=definition,
                initial=submission.answers,
                context=context,
                submission=submission,
            )
        return _render_draft(request, submission, form)

    form = form_engine.build_form(
        definition=definition,
        data=request.POST,
        files=request.FILES,
        context=context,
        submission=submission,
    )
    refused = _store_uploads(request, submission, form)
    action = request.POST.get("action", "")
    checking = action == "check" and not form.refresh_requested
    valid = checking and form.is_valid()
    submission = services.submission_draft_save(
        applicant=request.user,
        submission=submission,
        answers=form.answers if valid else form.draft_answers(),
    )
    if valid:
        return redirect("cases:review", public_id=submission.public_id)
    if checking:
        return _render_draft(request, submission, form, status=400)
    if action == "save" and not refused:
        messages.success(
            request,
            _(
                "Your application is saved. Continue it from My services whenever you are "
                "ready; nothing is sent until you check and send it."
            ),
        )
        return redirect("cases:my_services")
    # Update the questions, add another, or a refused file: the same page again, with the
    # questions that now apply, what was typed, and only the refused files' messages.
    form.refresh_requested = True
    form.full_clean()
    form.group_errors = {}  # nothing to complain about yet, as for the fields
    if refused:
        for field_path, message in refused.items():
            form.add_error(name_for_path(field_path), message)
    return _render_draft(request, submission, form, status=400 if refused else 200)


# Review and submit -----------------------------------------------------------------------


def _display(spec: dict, value: Any) -> str:
    """An answer as the applicant reads it back."""
    kind = spec.get("type")
    if value in (None, "", []) or kind == "file":
        return ""
    if kind == "yes_no":
        return _("Yes") if str(value).lower() in ("true", "yes", "ya", "1") else _("No")
    if kind == "choice":
        options = {str(o.get("value")): pick(o.get("label")) for o in spec.get("options") or []}
        values = value if isinstance(value, list) else [value]
        return ", ".join(options.get(str(v), str(v)) for v in values)
    if kind == "date":
        try:
            return formats.date_format(datetime.date.fromisoformat(str(value)), "j F Y")
        except ValueError:
            return str(value)
    if kind == "region" or (kind == "address" and isinstance(value, dict)):
        from satupintu.core import regions

        if kind == "region":
            return regions.region_name(str(value)) or str(value)
        village = str(value.get("village") or "")
        return ", ".join(
            part for part in (value.get("street"), regions.region_name(village) or village) if part
        )
    if kind == "money":
        return rupiah(value)
    return str(value)


def _answer_rows(submission: Submission) -> list[dict[str, Any]]:
    """Every question the applicant is asked, with their answer, in the form's order."""
    definition = submission.form_definition
    answers = submission.answers or {}
    context = _context(submission)
    documents = _documents_by_path(submission)
    fields = form_engine.visible_fields(
        fields=definition.get("form") or [], answers=answers, context=context
    )

    def row(spec: dict, value: Any, path: str, label: str) -> dict[str, Any]:
        name = name_for_path(path)
        choices = spec.get("type") in ("choice", "yes_no") and not spec.get("multiple")
        return {
            "label": label,
            "value": _display(spec, value),
            "documents": documents.get(path, []),
            "is_file": spec.get("type") == "file",
            "anchor": f"id_{name}_0" if choices else f"id_{name}",
        }

    rows: list[dict[str, Any]] = []
    for spec in fields:
        label = pick(spec.get("label"))
        if spec.get("type") != "group":
            rows.append(row(spec, answers.get(spec["key"]), spec["key"], label))
            continue
        items = answers.get(spec["key"])
        for index, item in enumerate(items if isinstance(items, list) else []):
            if not isinstance(item, dict) or not any(item.values()):
                continue
            for sub in spec.get("fields") or []:
                rows.append(
                    row(
                        sub,
                        item.get(sub["key"]),
                        f"{spec['key']}[{index}].{sub['key']}",
                        f"{label} {index + 1}: {pick(sub.get('label'))}",
                    )
                )
    return rows


def _plan_context(submission: Submission) -> dict[str, Any]:
    """For a life event: which services the answers start, and which not, with why."""
    if not submission.life_event_version_id:
        return {}
    from satupintu.cases.services.life_events import life_event_plan_for, plan_summary

    plans = plan_summary(life_event_plan_for(submission))
    return {"plans": plans, "not_applying": [plan for plan in plans if not plan["applies"]]}


@rate_limited("submission")
@citizen_page
@require_http_methods(["GET", "POST"])
def review(request: HttpRequest, public_id) -> HttpResponse:
    """The last check of every answer and document, then sending. The page carries a one-time
    token that the service uses as the idempotency key: a double click or a repeated request
    makes one submission."""
    submission = _draft_or_redirect(request, public_id)
    if isinstance(submission, HttpResponse):
        return submission
    if request.method == "POST":
        token = request.POST.get("token", "")[:128]
        try:
            sent = services.submission_submit(
                submission=submission, actor=request.user, idempotency_key=token
            )
        except DomainError as exc:
            if exc.status == 422:
                messages.error(request, exc.detail)
                return redirect(reverse("cases:draft", args=[submission.public_id]) + "?periksa=1")
            raise
        return redirect("cases:submitted", public_id=sent.public_id)
    return render(
        request,
        "cases/citizen/review.html",
        {
            **_plan_context(submission),
            "submission": submission,
            "service": submission.subject,
            "rows": _answer_rows(submission),
            "token": uuid.uuid4().hex,
            "nav": "my_services",
        },
    )


@citizen_page
@require_http_methods(["GET", "POST"])
def draft_delete(request: HttpRequest, public_id) -> HttpResponse:
    """Delete a draft that will not be sent, after asking once."""
    submission = _draft_or_redirect(request, public_id)
    if isinstance(submission, HttpResponse):
        return submission
    if request.method == "POST":
        services.submission_draft_delete(submission=submission, actor=request.user)
        messages.success(
            request,
            _("Your unsent application for %(service)s was deleted.")
            % {"service": submission.subject.name},
        )
        return redirect("cases:my_services")
    return render(
        request,
        "cases/citizen/draft_delete.html",
        {"submission": submission, "nav": "my_services"},
    )


# Confirmation, My services, the case page ------------------------------------------------


@citizen_page
@require_http_methods(["GET"])
def submitted(request: HttpRequest, public_id) -> HttpResponse:
    """The confirmation: the tracking number to write down, who handles it, what happens
    next and by when."""
    submission = selectors.submission_get_for_applicant(user=request.user, public_id=public_id)
    if submission.status == SubmissionStatus.DRAFT:
        return redirect("cases:draft", public_id=submission.public_id)
    cases = list(
        selectors.case_list_for_applicant(user=request.user)
        .filter(submission=submission)
        .order_by("id")
    )
    definition = submission.form_definition if submission.service_version_id else {}
    return render(
        request,
        "cases/citizen/submitted.html",
        {
            "submission": submission,
            "cards": [case_card(case) for case in cases],
            "tracking_spelled": " ".join(
                char for char in (submission.tracking or "") if char != "-"
            ),
            "procedure": [pick(step) for step in definition.get("procedure") or []],
            "nav": "my_services",
        },
    )


def _new_agency_messages(cases: list[Case]) -> dict[int, int]:
    """For each case, how many messages the agency sent after the applicant last wrote.

    One query for the whole page. (Stand-in for read receipts, which the model does not
    keep yet.)
    """
    counts: dict[int, int] = {}
    rows = (
        Message.objects.filter(case__in=[case.pk for case in cases], internal=False)
        .order_by("created_at", "id")
        .values_list("case_id", "from_agency")
    )
    for case_id, from_agency in rows:
        counts[case_id] = counts.get(case_id, 0) + 1 if from_agency else 0
    return counts


@citizen_page
@require_http_methods(["GET"])
def my_services(request: HttpRequest) -> HttpResponse:
    """Drafts to continue, and every application with its status, whose move it is, the
    agency, the due date and new messages; a box to find one by its tracking number."""
    tracking_form = TrackingForm(request.GET if "nomor" in request.GET else None)
    if tracking_form.is_bound and tracking_form.is_valid():
        number = tracking_form.cleaned_data["nomor"]
        try:
            submission = selectors.submission_get_by_tracking(user=request.user, tracking=number)
        except NotFound as exc:
            tracking_form.add_error("nomor", exc.detail)
        else:
            case = (
                selectors.case_list_for_applicant(user=request.user)
                .filter(submission=submission)
                .order_by("id")
                .first()
            )
            if case is not None:
                return redirect("cases:case", public_id=case.public_id)
            return redirect("cases:submitted", public_id=submission.public_id)

    drafts = selectors.draft_list_for_applicant(user=request.user, limit=DRAFTS_SHOWN)

    cases = selectors.case_list_for_applicant(user=request.user)
    after = request.GET.get("setelah", "")
    if after:
        try:
            anchor = (
                cases.filter(public_id=uuid.UUID(after[:36]))
                .values_list("submitted_at", "id")
                .first()
            )
        except ValueError:
            anchor = None
        if anchor is not None:
            submitted_at, case_id = anchor
            cases = cases.filter(
                after_q(["submitted_at", "id"], (submitted_at, case_id), descending=True)
            )
        else:
            after = ""
    page = selectors.workflow_states_attach(list(cases[: MY_SERVICES_PAGE_SIZE + 1]))
    has_more = len(page) > MY_SERVICES_PAGE_SIZE
    page = page[:MY_SERVICES_PAGE_SIZE]
    new_messages = _new_agency_messages(page)
    cards = [case_card(case, new_messages=new_messages.get(case.pk, 0)) for case in page]
    return render(
        request,
        "cases/citizen/my_services.html",
        {
            "tracking_form": tracking_form,
            "suggestions": selectors.suggestion_list_open(user=request.user),
            "drafts": drafts,
            "cards": cards,
            "waiting": [card for card in cards if card["waits_for_you"]],
            "is_first_page": not after,
            "next_url": f"?setelah={page[-1].public_id}" if has_more else "",
            "nav": "my_services",
        },
        status=400 if tracking_form.errors else 200,
    )


def _outcome(case: Case):
    try:
        return case.outcome_document
    except Case.outcome_document.RelatedObjectDoesNotExist:
        return None


@citizen_page
@require_http_methods(["GET", "POST"])
def case_detail(request: HttpRequest, public_id) -> HttpResponse:
    """One case: status and due date, the result when there is one, the conversation with the
    agency and a reply, the timeline and the documents sent."""
    case = selectors.case_get_for_applicant(user=request.user, public_id=public_id)
    form = ReplyForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and case.is_open and form.is_valid():
        upload = form.cleaned_data["attachment"]
        try:
            with transaction.atomic():
                message = services.message_post(
                    case=case, actor=request.user, body=form.cleaned_data["body"]
                )
                if upload:
                    _documents().document_attach_to_message(
                        case=case, message=message, upload=upload, actor=request.user
                    )
        except DomainError as exc:
            field = "attachment" if exc.code in FILE_ERRORS else "body"
            form.add_error(field, exc.detail)
        else:
            messages.success(request, _("Your message was sent to the agency."))
            return redirect(reverse("cases:case", args=[case.public_id]) + "#pesan")

    thread = selectors.case_messages(case=case, include_internal=False)
    for message in thread:
        for document in message.documents.all():
            describe_document(document)
    documents = [
        describe_document(document)
        for document in selectors.case_documents(case=case)
        if document.message_id is None
    ]
    outcome = _outcome(case)
    last_request = next(
        (message for message in reversed(thread) if message.from_agency),
        None,
    )
    return render(
        request,
        "cases/citizen/case.html",
        {
            "case": case,
            "card": case_card(case),
            "outcome": outcome,
            "verification_code": (
                verification_code_display(outcome.verification_code) if outcome else ""
            ),
            "thread": thread,
            "last_request": last_request if case.is_paused else None,
            "timeline": _timeline(case),
            "documents": documents,
            "form": form,
            "nav": "my_services",
        },
        status=400 if form.errors else 200,
    )


def _documents():
    # Imported when used: the document module is a sibling that the form engine also uses.
    from satupintu.cases import documents

    return documents


FILE_ERRORS = {"invalid_file", "file_too_large", "empty_file", "file_type_not_allowed"}


@citizen_page
@require_http_methods(["GET"])
def outcome_download(request: HttpRequest, public_id) -> HttpResponse:
    """The case's result, as a PDF."""
    case = selectors.case_get_for_applicant(user=request.user, public_id=public_id)
    outcome = _outcome(case)
    if outcome is None:
        raise NotFound(_("This case has no result document yet."))
    return outcome_pdf_response(outcome)


@citizen_page
@require_http_methods(["GET"])
def document_download(request: HttpRequest, public_id, document_id) -> HttpResponse:
    """A document of the applicant's own application (an upload or an attachment to a
    message that they can see)."""
    submission = selectors.submission_get_for_applicant(user=request.user, public_id=public_id)
    document: Document | None = next(
        (
            document
            for document in selectors.submission_documents(submission=submission)
            if document.public_id == document_id
        ),
        None,
    )
    if document is None:
        raise NotFound(_("There is no such document among yours."))
    opened = _documents().document_open(document=document, actor=request.user)
    # The type read from the bytes at upload; downloaded, never shown as a page of the site.
    return file_response(
        opened, filename=document.original_name, content_type=document.content_type
    )


urlpatterns = [
    path("layanan/<str:code>/ajukan/", apply, name="apply"),
    path("permohonan/<uuid:public_id>/", draft, name="draft"),
    path("permohonan/<uuid:public_id>/periksa/", review, name="review"),
    path("permohonan/<uuid:public_id>/terkirim/", submitted, name="submitted"),
    path(
        "permohonan/<uuid:public_id>/dokumen/<uuid:document_id>/",
        document_download,
        name="my_document",
    ),
    path("permohonan/<uuid:public_id>/hapus/", draft_delete, name="draft_delete"),
    path("layanan-saya/", my_services, name="my_services"),
    path("layanan-saya/kasus/<uuid:public_id>/", case_detail, name="case"),
    path("layanan-saya/kasus/<uuid:public_id>/hasil/", outcome_download, name="my_outcome"),
]
