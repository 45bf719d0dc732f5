"""The partner portal: the people of a partner organisation (a community group or a business
that helps deliver a service) see the tasks given to their organisation and record what they
did — accept, decline with a reason, complete with a proof of delivery.

Only people with a partner role may open these pages: anyone else gets 403, anonymous
visitors the sign-in page. Every read goes through the partner selectors, so a case that was
not given to the person's organisation is "not found", on its page and on every form that
posts to it. A partner sees only what the service's definition lets it see
(``partners.sees``) — never the applicant's NIK, contact or documents unless the definition
names them — and every view of a task is recorded in the audit trail. A step is one service
call with the case's version, as on the officers' pages.
"""

from collections.abc import Callable
from functools import wraps
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from satupintu.cases import documents, selectors, services
from satupintu.cases.constants import Actor, EventKind
from satupintu.cases.models import Case
from satupintu.cases.services.partners import partner_visible_answers
from satupintu.cases.views.casework import (
    FILE_ERRORS,
    MISSING,
    REQUIREMENT_INPUTS,
    Deadlines,
    answer_rows,
    cursor_decode,
    cursor_encode,
    form_version,
    problem_of,
    state_label,
    text_field,
    typed_values,
)
from satupintu.core import regions
from satupintu.core.errors import DomainError
from satupintu.core.keyset import after_q
from satupintu.core.language import pick
from satupintu.core.pages import pages_for
from satupintu.core.services import audit_record
from satupintu.organisations.models import Partner

PAGE_SIZE = 25
# The types a proof of delivery may be (what the documents service accepts for a message's
# file): a phone offers its camera and its photos for these.
PROOF_ACCEPT = "image/jpeg,image/png,application/pdf"


# Access ----------------------------------------------------------------------------------


# The people of a partner organisation only (a task of another organisation is not found).
partner_only = pages_for(
    lambda user: bool(selectors.partner_ids(user)),
    gettext_lazy("These pages are for the people of a partner organisation."),
)


def post_only(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """A step: a GET (a bookmarked or reloaded action address) goes to the task page."""

    @wraps(view)
    def wrapped(request: HttpRequest, public_id, *args, **kwargs) -> HttpResponse:
        if request.method != "POST":
            return redirect("cases:partner_task", public_id=public_id)
        return view(request, public_id, *args, **kwargs)

    return wrapped


def _get_task(request: HttpRequest, public_id) -> Case:
    return selectors.partner_task_get(user=request.user, public_id=public_id)


def _to_task(case: Case) -> HttpResponse:
    return redirect("cases:partner_task", public_id=case.public_id)


# What a partner sees -----------------------------------------------------------------------


def place_name(code: str) -> str:
    """A region code in words: "Jagir, Wonokromo district" for a village, its name for a
    larger region, "" for a code that is not in the data."""
    region = regions.get_region(code) if code else None
    if region is None:
        return ""
    if region.level == 4:
        district = regions.region_name(code[:6])
        if district:
            return _("%(village)s, %(district)s district") % {
                "village": region.name,
                "district": district,
            }
    return region.name


def task_area(case: Case, answers: dict) -> str:
    """Where the task is: the village and district of the first address or region among the
    answers the partner may see ("" when it may see none)."""
    for field in case.definition.get("form") or []:
        if not isinstance(field, dict):
            continue
        value = answers.get(field.get("key"))
        if field.get("type") == "address" and isinstance(value, dict):
            code = str(value.get("village") or "")
        elif field.get("type") == "region" and isinstance(value, str):
            code = value
        else:
            continue
        name = place_name(code)
        if name:
            return name
    return ""


def _address_row(field: dict, value) -> dict:
    label = pick(field.get("label")) or field["key"]
    if not isinstance(value, dict) or not any(value.values()):
        return {"label": label, "missing": True}
    village = str(value.get("village") or "")
    parts = [str(value.get("street") or "").strip(), place_name(village) or village]
    return {"label": label, "value": ", ".join(part for part in parts if part)}


def visible_rows(case: Case, answers: dict) -> list[dict]:
    """The answers the partner may see, in the form's order, in plain words: an address with
    its village and district by name. Files are never shown: a partner cannot open the
    applicant's documents."""
    sees = set((case.definition.get("partners") or {}).get("sees") or [])
    rows: list[dict] = []
    for field in case.definition.get("form") or []:
        if not isinstance(field, dict) or field.get("key") not in sees:
            continue
        if field.get("type") == "file":
            continue
        if field.get("type") == "address":
            rows.append(_address_row(field, answers.get(field["key"])))
        else:
            rows.extend(answer_rows([field], answers, {}))
    return rows


def _timeline(case: Case, states: dict) -> list[dict]:
    """The case's public events (no internal notes), saying which side acted — the agency,
    the applicant or the partner — but naming nobody."""
    agency = case.agency.short_name or case.agency.name
    sides = {
        Actor.APPLICANT: _("the applicant"),
        Actor.OFFICER: agency,
        Actor.SUPERVISOR: agency,
        Actor.SYSTEM: agency,
        Actor.PARTNER: _("your organisation"),
    }
    lines = []
    for event in selectors.case_timeline(case=case, include_internal=False):
        if event.kind == EventKind.TRANSITION:
            title = _("Status: %(state)s") % {"state": state_label(states, event.to_state)}
        elif event.kind in EventKind.values:
            title = EventKind(event.kind).label
        else:
            title = event.kind
        by_partner = event.actor_role == Actor.PARTNER
        lines.append(
            {
                "at": event.created_at,
                "title": title,
                "by": sides.get(event.actor_role, ""),
                # Only the partner's own words: what the agency wrote is between it and the
                # applicant.
                "detail": (event.data or {}).get("reason", "") if by_partner else "",
            }
        )
    return lines


# Steps -------------------------------------------------------------------------------------


STEP_INPUTS: dict[str, Callable[[], forms.Field]] = {
    "reason": lambda: text_field(
        gettext_lazy("Reason"),
        gettext_lazy("Tell the agency why. The applicant can read it too."),
    ),
    "message": REQUIREMENT_INPUTS["message"],
    "document_number": REQUIREMENT_INPUTS["document_number"],
    "file": lambda: forms.FileField(
        label=gettext_lazy("Proof of delivery"),
        help_text=gettext_lazy(
            "A photo or a PDF (JPG, PNG or PDF), for example of the delivered package. Only the "
            "agency's officers see it."
        ),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": PROOF_ACCEPT}),
    ),
    "note": lambda: text_field(
        gettext_lazy("Note for the agency"),
        gettext_lazy("Only the agency's officers see it; the applicant does not."),
        rows=3,
    ),
}
# The order of the inputs in a step's form.
STEP_ORDER = ("reason", "message", "document_number", "file", "note")

# What to do about a missing input, said next to it and in the summary at the top.
STEP_MISSING = {
    **MISSING,
    "reason": gettext_lazy("Give the reason for the agency"),
    "note": gettext_lazy("Write a note for the agency"),
    "file": gettext_lazy("Choose the photo or PDF that proves the delivery"),
}


class StepForm(forms.Form):
    """The inputs one of the partner's steps requires. As on the officers' pages, the service
    decides what is missing; this form only keeps and limits what was typed. A step with a
    proof of delivery also takes a note: the file is kept with it, for the officers."""

    def __init__(self, *args, requires, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        wanted = set(requires)
        if "file" in wanted:
            wanted.add("note")
        for name in STEP_ORDER:
            if name in wanted:
                self.fields[name] = STEP_INPUTS[name]()

    @property
    def has_file(self) -> bool:
        return "file" in self.fields


def attach_proof(*, case: Case, actor, upload) -> None:
    """Keep the proof of delivery with the note that the step just wrote for the officers
    (the applicant sees neither)."""
    note = next(
        (
            message
            for message in reversed(selectors.case_messages(case=case, include_internal=True))
            if message.internal and message.author_id == actor.pk
        ),
        None,
    )
    documents.document_attach_to_message(case=case, message=note, upload=upload, actor=actor)


# Pages -------------------------------------------------------------------------------------


@partner_only
def tasks(request: HttpRequest) -> HttpResponse:
    """The tasks given to the person's organisation, a page at a time: open ones by due date
    (the earliest first), finished ones the latest first. Keyset on (due date, id)."""
    user = request.user
    closed = request.GET.get("closed") == "1"
    after = cursor_decode(request.GET.get("after", ""))
    found = selectors.partner_task_list(user=user, closed=closed)
    if closed:
        found = found.order_by("-due_date", "-id")
    if after is not None:
        due, pk = after
        found = found.filter(after_q(["due_date", "id"], (due, pk), descending=closed))
    page = list(found[: PAGE_SIZE + 1])
    has_next = len(page) > PAGE_SIZE
    page = page[:PAGE_SIZE]
    deadlines = Deadlines(timezone.localdate(), page)
    rows = [
        {
            "case": case,
            "area": task_area(case, partner_visible_answers(case=case)),
            "state": state_label(case.definition["workflow"]["states"], case.state),
            "badge": deadlines.badge(case),
        }
        for case in page
    ]
    base = {"closed": "1"} if closed else {}
    return render(
        request,
        "cases/partner/tasks.html",
        {
            "rows": rows,
            "closed": closed,
            "organisations": Partner.objects.filter(pk__in=selectors.partner_ids(user)),
            "next_url": (
                "?" + urlencode({**base, "after": cursor_encode(page[-1].due_date, page[-1].pk)})
                if has_next
                else ""
            ),
            "first_url": "?" + urlencode(base) if base else "?",
            "is_later_page": after is not None,
            "nav": "partner",
        },
    )


def _task_page(
    request: HttpRequest,
    case: Case,
    *,
    error: DomainError | None = None,
    step_form: tuple[int, StepForm] | None = None,
) -> HttpResponse:
    """The task page. After a refused step it shows why, keeps the form that was posted (with
    what was typed) and answers with the error's status."""
    user = request.user
    states = case.definition["workflow"]["states"]
    # Reading the applicant's personal data is recorded (UU PDP), once per page shown.
    audit_record(
        actor=user,
        action="case.viewed_by_partner",
        target=case,
        subject=case.submission.applicant,
    )
    posted_index, posted_form = step_form or (None, None)
    posted_shown = False
    steps = []
    for transition in services.allowed_transitions(case=case, user=user):
        if transition["by"] != Actor.PARTNER:
            continue  # a partner who is also an officer works the case on the officers' pages
        index = transition["index"]
        if index == posted_index:
            form, posted_shown = posted_form, True
        else:
            form = StepForm(requires=transition.get("requires", []), prefix=f"t{index}")
        target = states.get(transition["to"], {})
        steps.append(
            {
                "index": index,
                "name": pick(transition.get("name")) or state_label(states, transition["to"]),
                "to_label": state_label(states, transition["to"]),
                "ends": bool(target.get("final")),
                "declines": "reason" in transition.get("requires", []),
                "form": form,
            }
        )
    error_links = []
    if posted_shown and posted_form.is_bound:
        error_links = [
            {"id": posted_form[name].auto_id, "message": message}
            for name, errors in posted_form.errors.items()
            if name in posted_form.fields
            for message in errors
        ]
    answers = partner_visible_answers(case=case)
    context = {
        "case": case,
        "state_label": state_label(states, case.state),
        "badge": Deadlines(timezone.localdate()).badge(case),
        "area": task_area(case, answers),
        "answers": visible_rows(case, answers),
        "timeline": _timeline(case, states),
        "steps": steps,
        "problem": problem_of(error) if error else None,
        "error_links": error_links,
        "typed": typed_values(posted_form) if posted_form is not None and not posted_shown else [],
        "nav": "partner",
    }
    return render(
        request, "cases/partner/task.html", context, status=error.status if error else 200
    )


@partner_only
def task_detail(request: HttpRequest, public_id) -> HttpResponse:
    """One task: what to deliver and where, its status and the steps the partner may take."""
    return _task_page(request, _get_task(request, public_id))


@partner_only
@post_only
def task_step(request: HttpRequest, public_id) -> HttpResponse:
    """Take one of the partner's steps, with what the step requires; a proof of delivery is
    stored with the step, and the two stand or fall together."""
    case = _get_task(request, public_id)
    workflow = case.definition["workflow"]["transitions"]
    try:
        index = int(request.POST.get("transition", ""))
    except ValueError:
        return _to_task(case)
    if not 0 <= index < len(workflow):
        return _to_task(case)
    transition = workflow[index]
    form = StepForm(
        request.POST,
        request.FILES,
        requires=transition.get("requires", []),
        prefix=f"t{index}",
    )
    if not form.is_valid():
        error = DomainError(
            _("Check what you typed in the form below."), code="invalid", status=422
        )
        return _task_page(request, case, error=error, step_form=(index, form))
    data = {name: form.cleaned_data.get(name) for name in form.fields if name != "file"}
    upload = form.cleaned_data.get("file")
    if upload:
        data["file"] = upload.name
        # The proof is kept with the step's note for the officers: write one if the partner
        # did not and the step does not ask for one.
        if "note" not in transition.get("requires", []):
            data["note"] = data.get("note") or _("Proof of delivery attached.")
    try:
        with transaction.atomic():
            changed = services.case_transition(
                case=case,
                actor=request.user,
                to=transition["to"],
                data=data,
                expected_version=form_version(request),
            )
            if upload:
                attach_proof(case=changed, actor=request.user, upload=upload)
    except DomainError as error:
        for problem in error.errors:
            name = problem.get("path")
            if name in form.fields:
                form.add_error(name, STEP_MISSING.get(name) or problem.get("message"))
        if error.code in FILE_ERRORS and "file" in form.fields:
            form.add_error("file", error.detail)
        # Shown as it is now: another step may have been taken meanwhile.
        return _task_page(
            request, _get_task(request, public_id), error=error, step_form=(index, form)
        )
    states = changed.definition["workflow"]["states"]
    messages.success(
        request,
        _("Done. The task is now “%(state)s”.") % {"state": state_label(states, changed.state)},
    )
    return redirect(reverse("cases:partner_task", kwargs={"public_id": changed.public_id}))


urlpatterns = [
    path("mitra/", tasks, name="partner_tasks"),
    path("mitra/tugas/<uuid:public_id>/", task_detail, name="partner_task"),
    path("mitra/tugas/<uuid:public_id>/langkah/", task_step, name="partner_step"),
]
