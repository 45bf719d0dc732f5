"""The officers' pages: the queue of their units' cases, one case with everything needed to
work it, and the supervisor's view of the workload.

Only officers and supervisors (a non-empty ``staff_scope``) may open them: anyone else gets
403, anonymous visitors the sign-in page. Every read goes through the scoped selectors, so a
case outside the officer's units is "not found", on its page and on every form that posts to
it. Every change is one service call; a ``DomainError`` becomes a message on the page, next to
the field it concerns, and what the officer typed is kept.
"""

from collections.abc import Callable, Iterable
from functools import wraps
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.db import transaction
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from satupintu.accounts.models import RoleAssignment
from satupintu.cases import documents, outcomes, selectors, services
from satupintu.cases.constants import Actor, EventKind
from satupintu.cases.models import Case, Document, OutcomeDocument
from satupintu.cases.services.partners import partner_choices
from satupintu.cases.views.casework import (
    FILE_ERRORS,
    MISSING,
    REQUIREMENT_INPUTS,
    TEXT_MAX_LENGTH,
    Deadlines,
    answer_rows,
    cursor_decode,
    cursor_encode,
    form_version,
    problem_of,
    state_label,
    typed_values,
)
from satupintu.catalog.models import Service
from satupintu.core import tracking
from satupintu.core.errors import DomainError, Forbidden, NotFound
from satupintu.core.language import active_language, pick
from satupintu.core.pages import pages_for
from satupintu.core.services import audit_record
from satupintu.core.uploads import file_response
from satupintu.organisations.models import Partner, Unit

QUEUE_PAGE_SIZE = 25
WORKLOAD_PAGE_SIZE = 25
CODE_MAX_LENGTH = 130


# Access ----------------------------------------------------------------------------------


# Officers and supervisors only.
staff_only = pages_for(
    lambda user: not selectors.staff_scope(user).empty,
    gettext_lazy("These pages are for the officers and supervisors of a unit."),
)


def post_only(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """An action: a GET (a bookmarked or reloaded action address) goes to the case page."""

    @wraps(view)
    def wrapped(request: HttpRequest, public_id, *args, **kwargs) -> HttpResponse:
        if request.method != "POST":
            return redirect("cases:officer_case", public_id=public_id)
        return view(request, public_id, *args, **kwargs)

    return wrapped


# Reads that the pages need beyond the case selectors. They are scoped by the caller's
# staff scope or by a case that was already found through it.


def _scope_units(scope: selectors.StaffScope) -> list[Unit]:
    return list(
        Unit.objects.filter(Q(pk__in=scope.unit_ids) | Q(agency__in=scope.agency_ids))
        .select_related("agency")
        .order_by("agency__name_id", "name_id")
    )


def _scope_services(scope: selectors.StaffScope) -> list[dict]:
    """The services whose cases come to the caller's units, with their current workflow (for
    the state filter)."""
    rows = (
        Service.objects.filter(Q(unit__in=scope.unit_ids) | Q(agency__in=scope.agency_ids))
        .order_by("name_id")
        .values_list("code", "name_id", "name_en", "current_version__definition__workflow")
    )
    language_en = active_language() == "en"
    return [
        {"code": code, "name": (name_en if language_en and name_en else name_id), "workflow": wf}
        for code, name_id, name_en, wf in rows
    ]


def _officers_by_case(cases: Iterable[Case]) -> dict[int, list]:
    """For each case, the active officers and supervisors who work its unit (those it may be
    assigned to), in one query."""
    cases = list(cases)
    if not cases:
        return {}
    unit_ids = {case.unit_id for case in cases}
    agency_ids = {case.agency_id for case in cases}
    assignments = (
        RoleAssignment.objects.filter(role__in=selectors.STAFF_ROLES, user__is_active=True)
        .filter(Q(unit__in=unit_ids) | Q(unit__isnull=True, agency__in=agency_ids))
        .select_related("user")
        .order_by("user__first_name", "user__last_name", "user_id")
    )
    found: dict[int, list] = {}
    for case in cases:
        people = {}
        for assignment in assignments:
            if assignment.unit_id == case.unit_id or (
                assignment.unit_id is None and assignment.agency_id == case.agency_id
            ):
                people.setdefault(assignment.user_id, assignment.user)
        found[case.pk] = list(people.values())
    return found


def _supervised_staff(scope: selectors.StaffScope) -> list:
    """The active officers and supervisors of the units (or agencies) that ``scope``
    supervises."""
    assignments = (
        RoleAssignment.objects.filter(role__in=selectors.STAFF_ROLES, user__is_active=True)
        .filter(Q(unit__in=scope.supervised_unit_ids) | Q(agency__in=scope.supervised_agency_ids))
        .select_related("user")
    )
    return list({assignment.user_id: assignment.user for assignment in assignments}.values())


def _agency_units(case: Case) -> list[Unit]:
    return list(Unit.objects.filter(agency_id=case.agency_id).order_by("name_id"))


# Small helpers ---------------------------------------------------------------------------


def _person(user) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.username


def _workflow_order(workflow: dict | None) -> list[str]:
    """The states of a workflow in the order a case meets them: breadth-first from the start
    along the transitions (a JSON object's key order is not kept by every database)."""
    workflow = workflow or {}
    states = workflow.get("states") or {}
    following: dict[str, list[str]] = {}
    for transition in workflow.get("transitions") or []:
        following.setdefault(transition["from"], []).append(transition["to"])
    order: list[str] = []
    pending = [workflow.get("start")]
    while pending:
        code = pending.pop(0)
        if code in order or code not in states:
            continue
        order.append(code)
        pending.extend(following.get(code, []))
    return order + sorted(code for code in states if code not in order)


def _safe_next(request: HttpRequest) -> str:
    target = request.POST.get("next", "")[:2000]
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return ""


# Queue -----------------------------------------------------------------------------------


def _queue_filters(
    params, *, services_: list[dict], units: list[Unit], states: set[str]
) -> tuple[selectors.QueueFilters, dict[str, str]]:
    """The queue's filters from the query string. Unknown values (an old link, a typo) are
    ignored rather than refused. Also returns the chosen values as they go back in links."""
    chosen = {
        "state": params.get("state", "")[:64],
        "service": params.get("service", "")[:CODE_MAX_LENGTH],
        "unit": params.get("unit", "")[:64],
        "due": params.get("due", ""),
        "assigned": params.get("assigned", ""),
        "closed": "1" if params.get("closed") == "1" else "",
    }
    if chosen["state"] not in states:
        chosen["state"] = ""
    if chosen["service"] not in {service["code"] for service in services_}:
        chosen["service"] = ""
    units_by_public_id = {str(unit.public_id): unit for unit in units}
    if chosen["unit"] not in units_by_public_id or len(units) < 2:
        chosen["unit"] = ""
    if chosen["due"] not in ("overdue", "soon") or chosen["closed"]:
        chosen["due"] = ""
    if chosen["assigned"] not in ("me", "unassigned"):
        chosen["assigned"] = ""
    unit = units_by_public_id.get(chosen["unit"])
    filters = selectors.QueueFilters(
        state=chosen["state"],
        service=chosen["service"],
        unit=unit.pk if unit else None,
        due=chosen["due"],
        assigned=chosen["assigned"],
        closed=bool(chosen["closed"]),
    )
    return filters, {key: value for key, value in chosen.items() if value}


class FindForm(forms.Form):
    """Find a case by the tracking number the applicant gives (on the phone, at the counter),
    as typed: any case, with or without dashes."""

    nomor = forms.CharField(
        label=gettext_lazy("Find a case by its tracking number"),
        help_text=gettext_lazy("As the applicant gives it, for example K7QM-4XRT-9."),
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


def _found_by_tracking(
    request: HttpRequest, find_form: FindForm
) -> list[Case] | HttpResponse | None:
    """The search by tracking number: the case itself when one case of the caller's units has
    it, the list when several have it (the services of a life event), or None (with the
    problem on the form) when none has it or the number is mistyped."""
    if not find_form.is_bound or not find_form.is_valid():
        return None
    number = find_form.cleaned_data["nomor"]
    found = selectors.case_list_by_tracking(user=request.user, tracking=number)
    if len(found) == 1:
        return redirect("cases:officer_case", public_id=found[0].public_id)
    if not found:
        find_form.add_error(
            "nomor",
            _(
                "No case of your units has the tracking number %(number)s. Check it with the "
                "applicant: the application may be at another agency."
            )
            % {"number": number},
        )
        return None
    return found


def _queue_state(case: Case) -> str:
    """A case's state in a list; a life event's case that has not started says why."""
    if case.is_waiting and case.waits_for_id:
        return _("Waiting for “%(service)s”") % {"service": case.waits_for.service.name}
    if not case.state and case.outcome.get("called_off"):
        return _("Not started: the service it waited for ended without its result")
    return state_label(case.workflow_states, case.state)


@staff_only
def queue(request: HttpRequest) -> HttpResponse:
    """The cases of the officer's units by due date, with filters, a page at a time (keyset
    on (due date, id): page 1,000 costs what page 1 costs); or the cases found by their
    tracking number."""
    user = request.user
    find_form = FindForm(request.GET if "nomor" in request.GET else None)
    found = _found_by_tracking(request, find_form)
    if isinstance(found, HttpResponse):
        return found
    scope = selectors.staff_scope(user)
    today = timezone.localdate()
    units = _scope_units(scope)
    services_ = _scope_services(scope)

    # State labels and their order come from the current versions of the unit's services.
    labels: dict[str, str] = {}
    order: list[str] = []
    finals: set[str] = set()
    for service in services_:
        workflow = service["workflow"] or {}
        for code in _workflow_order(workflow):
            state = workflow["states"][code]
            labels.setdefault(code, pick(state.get("label")) or code)
            if state.get("final"):
                finals.add(code)
            if code not in order:
                order.append(code)

    unit = next((u for u in units if str(u.public_id) == request.GET.get("unit")), None)
    counts = selectors.case_counts_by_state(user=user, unit=unit.pk if unit else None)
    for code in counts:
        if code not in order:  # a state that only an older version of a service has
            order.append(code)
            labels.setdefault(code, code)
    filters, chosen = _queue_filters(
        request.GET, services_=services_, units=units, states=set(order)
    )

    after = cursor_decode(request.GET.get("after", ""))
    if found is not None:
        cases, has_next, after = found, False, None
    else:
        cases = selectors.case_queue(
            user=user, filters=filters, after=after, limit=QUEUE_PAGE_SIZE + 1, today=today
        )
        has_next = len(cases) > QUEUE_PAGE_SIZE
        cases = cases[:QUEUE_PAGE_SIZE]
    deadlines = Deadlines(today, cases)
    rows = [
        {
            "case": case,
            "state": _queue_state(case),
            "badge": deadlines.badge(case),
            "assigned": _person(case.assigned_to),
            "mine": case.assigned_to_id == user.pk,
        }
        for case in cases
    ]

    def url(**change: str) -> str:
        params = {**chosen, **change}
        query = urlencode({key: value for key, value in params.items() if value})
        return "?" + query if query else "?"

    if filters.closed:
        state_codes = [code for code in order if code in finals]
    else:
        state_codes = [code for code in order if counts.get(code)]
    state_chips = [
        {
            "code": code,
            "label": labels.get(code, code),
            "count": None if filters.closed else counts.get(code, 0),
            "url": url(state=code),
            "current": code == filters.state,
        }
        for code in state_codes
    ]
    return render(
        request,
        "cases/officer/queue.html",
        {
            "rows": rows,
            "chosen": chosen,
            "filters": filters,
            "has_filters": bool(set(chosen) - {"state"}),
            "state_chips": state_chips,
            "all_url": url(state=""),
            "open_total": sum(counts.values()),
            "services": services_,
            "units": units,
            "is_supervisor": bool(scope.supervised_unit_ids or scope.supervised_agency_ids),
            "next_url": (
                url(after=cursor_encode(cases[-1].due_date, cases[-1].pk)) if has_next else ""
            ),
            "first_url": url() if after else "",
            "is_later_page": after is not None,
            "find_form": find_form,
            "found_tracking": found[0].submission.tracking if found else "",
            "nav": "queue",
        },
        status=400 if find_form.errors else 200,
    )


# One case: forms ---------------------------------------------------------------------------


class TransitionForm(forms.Form):
    """The inputs one workflow step requires. The service decides what is missing (the
    definition is the one source of that rule); this form only keeps and limits what was
    typed."""

    def __init__(
        self, *args, requires: Iterable[str], partners: Iterable[Partner] = (), **kwargs
    ) -> None:
        super().__init__(*args, **kwargs)
        for name in requires:
            if name in REQUIREMENT_INPUTS:
                self.fields[name] = REQUIREMENT_INPUTS[name]()
        if "partner" in self.fields:
            self.fields["partner"].choices = [("", _("Choose a partner"))] + [
                (partner.code, partner.name) for partner in partners
            ]

    @property
    def has_file(self) -> bool:
        return "file" in self.fields


def _transition_form(
    case: Case, transition: dict, index: int, data=None, files=None
) -> TransitionForm:
    """The form of one step of ``case``; a step that gives the task to a partner offers the
    partners of the case's service."""
    requires = transition.get("requires", [])
    return TransitionForm(
        data,
        files,
        requires=requires,
        partners=partner_choices(case=case) if "partner" in requires else (),
        prefix=f"t{index}",
    )


class MessageForm(forms.Form):
    body = forms.CharField(
        label=gettext_lazy("Message or note"),
        help_text=gettext_lazy(
            "“Send to the applicant” sends it to them; “Add internal note” keeps it among officers."
        ),
        max_length=TEXT_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class AssignForm(forms.Form):
    assignee = forms.ChoiceField(label=gettext_lazy("Assign to"), required=False)

    def __init__(self, *args, officers: list, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.officers = {str(person.pk): person for person in officers}
        self.fields["assignee"].choices = [("", _("Nobody (back to the unit's queue)"))] + [
            (key, _person(person)) for key, person in self.officers.items()
        ]


class ForwardForm(forms.Form):
    unit = forms.ChoiceField(label=gettext_lazy("Unit"))
    note = forms.CharField(
        label=gettext_lazy("Internal note for the other unit"),
        help_text=gettext_lazy("Optional. Only officers see it."),
        required=False,
        max_length=TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, units: list[Unit], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.units = {str(unit.public_id): unit for unit in units}
        self.fields["unit"].choices = [("", _("Choose a unit"))] + [
            (key, unit.name) for key, unit in self.units.items()
        ]


class RevokeForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Reason for revoking"),
        help_text=gettext_lazy(
            "Kept for the agency; the public verification page does not show it."
        ),
        required=False,
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


# One case: what the page shows --------------------------------------------------------------


def _event_rows(events, states: dict, units_by_code: dict[str, str]) -> list[dict]:
    rows = []
    for event in events:
        data = event.data or {}
        detail = []
        if event.kind == EventKind.TRANSITION:
            title = (
                _("Status changed: %(step)s") % {"step": pick(data["transition"])}
                if data.get("transition")
                else _("Status changed")
            )
        else:
            title = EventKind(event.kind).label if event.kind in EventKind.values else event.kind
        if data.get("reason"):
            detail.append(_("Reason: %(reason)s") % {"reason": data["reason"]})
        if data.get("document_number"):
            detail.append(_("Document number: %(number)s") % {"number": data["document_number"]})
        if data.get("number") and event.kind == EventKind.OUTCOME:
            detail.append(_("Document number: %(number)s") % {"number": data["number"]})
        if event.kind == EventKind.ASSIGNED:
            detail.append(
                _("To: %(name)s") % {"name": data["to"]}
                if data.get("to")
                else _("Back to the unit's queue")
            )
        if event.kind == EventKind.FORWARDED:
            detail.append(
                _("From %(from)s to %(to)s")
                % {
                    "from": units_by_code.get(data.get("from"), data.get("from", "")),
                    "to": units_by_code.get(data.get("to"), data.get("to", "")),
                }
            )
        rows.append(
            {
                "event": event,
                "title": title,
                "from_state": state_label(states, event.from_state) if event.from_state else "",
                "to_state": state_label(states, event.to_state) if event.to_state else "",
                "actor": _person(event.actor),
                "role": Actor(event.actor_role).label if event.actor_role in Actor.values else "",
                "detail": detail,
            }
        )
    return rows


def _partner_step(timeline: list[dict]) -> dict | None:
    """The partner's progress: its latest step on the case, if it took one."""
    for line in reversed(timeline):
        event = line["event"]
        if event.actor_role == Actor.PARTNER and event.kind == EventKind.TRANSITION:
            return {
                "name": pick((event.data or {}).get("transition")) or line["to_state"],
                "at": event.created_at,
            }
    return None


def _document_url(case: Case, document: Document) -> str:
    return reverse(
        "cases:officer_document",
        kwargs={"public_id": case.public_id, "document_id": document.public_id},
    )


def _case_page(
    request: HttpRequest,
    case: Case,
    *,
    error: DomainError | None = None,
    transition_form: tuple[int, TransitionForm] | None = None,
    message_form: MessageForm | None = None,
    assign_form: AssignForm | None = None,
    forward_form: ForwardForm | None = None,
    revoke_form: RevokeForm | None = None,
) -> HttpResponse:
    """The case page. After a refused action it shows why, keeps the form that was posted
    (with what was typed) and answers with the error's status."""
    user = request.user
    scope = selectors.staff_scope(user)
    supervises = scope.supervises(case)
    states = case.definition["workflow"]["states"]
    submission = case.submission
    applicant = submission.applicant
    citizen = getattr(applicant, "citizen", None)

    # Reading the applicant's personal data is recorded (UU PDP), once per page shown.
    audit_record(actor=user, action="citizen.viewed", target=case, subject=applicant)

    uploads = selectors.case_documents(case=case)
    by_field: dict[str, list] = {}
    for document in uploads:
        document.url = _document_url(case, document)
        if document.field_key:
            by_field.setdefault(document.field_key, []).append(document)
    form_fields = case.definition.get("form") or []
    field_labels = {
        field["key"]: pick(field.get("label")) for field in form_fields if "key" in field
    }
    for document in uploads:
        document.field_label = field_labels.get(document.field_key, "")

    thread = selectors.case_messages(case=case, include_internal=True)
    for message in thread:
        for document in message.documents.all():
            document.url = _document_url(case, document)

    outcome = OutcomeDocument.objects.filter(case=case).first()
    units = _agency_units(case)
    transitions = []
    posted_index, posted_form = transition_form or (None, None)
    posted_shown = False
    for transition in services.allowed_transitions(case=case, user=user):
        index = transition["index"]
        if index == posted_index:
            form, posted_shown = posted_form, True
        else:
            form = _transition_form(case, transition, index)
        target = states.get(transition["to"], {})
        transitions.append(
            {
                "index": index,
                "name": pick(transition.get("name")) or state_label(states, transition["to"]),
                "to": transition["to"],
                "to_label": state_label(states, transition["to"]),
                "by_supervisor": transition["by"] == Actor.SUPERVISOR,
                "ends": bool(target.get("final")),
                "outcome": bool(target.get("outcome")),
                "pauses": bool(target.get("pauses_clock")),
                "form": form,
            }
        )
    officers = _officers_by_case([case])[case.pk] if supervises else []
    posted = [
        posted_form if posted_shown else None,
        message_form,
        assign_form,
        forward_form,
        revoke_form,
    ]
    error_links = [
        {"id": form[name].auto_id, "message": message}
        for form in posted
        if form is not None and form.is_bound
        for name, errors in form.errors.items()
        if name in form.fields
        for message in errors
    ]
    other_units = [unit for unit in units if unit.pk != case.unit_id]
    timeline = _event_rows(
        selectors.case_timeline(case=case, include_internal=True),
        states,
        {unit.code: unit.name for unit in units},
    )
    context = {
        "case": case,
        "submission": submission,
        "state_label": state_label(states, case.state)
        if case.state
        else (
            _("Waiting for “%(service)s” (starts by itself)")
            % {"service": case.waits_for.service.name}
            if case.is_waiting
            else _("Not started: the service it waited for ended without its result")
        ),
        "badge": Deadlines(timezone.localdate()).badge(case),
        "applicant": applicant,
        "citizen": citizen,
        "business": submission.business,
        "answers": answer_rows(form_fields, case.answers, by_field),
        "documents": uploads,
        "timeline": timeline,
        "partner": case.partner if case.partner_id else None,
        "partner_step": _partner_step(timeline),
        # Whether the case waits for the partner's step (none of the officer's to take).
        "partner_turn": bool(case.partner_id)
        and any(
            t["from"] == case.state and t["by"] == Actor.PARTNER
            for t in case.definition["workflow"]["transitions"]
        ),
        "thread": thread,
        "transitions": transitions,
        "can_claim": case.is_open and case.assigned_to_id is None,
        "assigned_to_me": case.assigned_to_id == user.pk,
        "supervises": supervises,
        "message_form": message_form or MessageForm(),
        "assign_form": assign_form
        or AssignForm(
            officers=officers,
            initial={"assignee": str(case.assigned_to_id or "")},
        ),
        "forward_form": forward_form or ForwardForm(units=other_units),
        "can_forward": case.is_open and supervises and bool(other_units),
        "outcome": outcome,
        "outcome_status": outcomes.outcome_status(outcome) if outcome else "",
        "verification_code": (
            outcomes.verification_code_display(outcome.verification_code) if outcome else ""
        ),
        "revoke_form": revoke_form or RevokeForm(),
        "problem": problem_of(error) if error else None,
        "error_links": error_links,
        "typed": typed_values(posted_form) if posted_form is not None and not posted_shown else [],
        "posted_form": posted_form if posted_shown else None,
        "nav": "queue",
    }
    return render(
        request, "cases/officer/case.html", context, status=error.status if error else 200
    )


def _get_case(request: HttpRequest, public_id) -> Case:
    return selectors.case_get_for_staff(user=request.user, public_id=public_id)


def _to_case(case: Case, anchor: str = "") -> HttpResponse:
    url = reverse("cases:officer_case", kwargs={"public_id": case.public_id})
    return redirect(url + (f"#{anchor}" if anchor else ""))


# One case: views ---------------------------------------------------------------------------


@staff_only
def case_detail(request: HttpRequest, public_id) -> HttpResponse:
    """Everything an officer needs to work one case of their unit."""
    return _case_page(request, _get_case(request, public_id))


@staff_only
@post_only
def case_claim(request: HttpRequest, public_id) -> HttpResponse:
    case = _get_case(request, public_id)
    try:
        services.case_claim(case=case, actor=request.user, expected_version=form_version(request))
    except DomainError as error:
        return _case_page(request, case, error=error)
    messages.success(request, _("You have taken this case. It is in your list now."))
    return _to_case(case)


@staff_only
@post_only
def case_transition(request: HttpRequest, public_id) -> HttpResponse:
    """Take one step of the case's workflow, with what the step requires."""
    case = _get_case(request, public_id)
    workflow = case.definition["workflow"]["transitions"]
    try:
        index = int(request.POST.get("transition", ""))
        transition = workflow[index]
    except (ValueError, IndexError):
        return _to_case(case)
    form = _transition_form(case, transition, index, request.POST, request.FILES)
    if not form.is_valid():
        error = DomainError(
            _("Check what you typed in the form below."), code="invalid", status=422
        )
        return _case_page(request, case, error=error, transition_form=(index, form))
    data = {name: form.cleaned_data.get(name) for name in form.fields if name != "file"}
    upload = form.cleaned_data.get("file")
    if upload:
        data["file"] = upload.name
    try:
        # The step and its file stand or fall together.
        with transaction.atomic():
            changed = services.case_transition(
                case=case,
                actor=request.user,
                to=transition["to"],
                data=data,
                expected_version=form_version(request),
            )
            if upload:
                _attach_to_step(
                    case=changed,
                    actor=request.user,
                    upload=upload,
                    wrote_message=bool(data.get("message") or data.get("reason")),
                )
    except DomainError as error:
        for problem in error.errors:
            name = problem.get("path")
            if name in form.fields:
                form.add_error(name, MISSING.get(name) or problem.get("message"))
        if error.code in FILE_ERRORS and "file" in form.fields:
            form.add_error("file", error.detail)
        return _case_page(request, case, error=error, transition_form=(index, form))
    states = changed.definition["workflow"]["states"]
    messages.success(
        request,
        _("Done. The case is now “%(state)s”.") % {"state": state_label(states, changed.state)},
    )
    if not selectors.staff_scope(request.user).covers(changed):
        return redirect("cases:queue")
    return _to_case(changed)


def _attach_to_step(*, case: Case, actor, upload, wrote_message: bool) -> None:
    """Attach a step's file to the message that the step just wrote to the applicant, or to a
    new message saying that a document was sent when the step wrote none."""
    message = None
    if wrote_message:
        message = next(
            (
                message
                for message in reversed(selectors.case_messages(case=case, include_internal=False))
                if message.author_id == actor.pk
            ),
            None,
        )
    if message is None:
        message = services.message_post(
            case=case, actor=actor, body=_("The agency sent you a document.")
        )
    documents.document_attach_to_message(case=case, message=message, upload=upload, actor=actor)


@staff_only
@post_only
def case_message(request: HttpRequest, public_id) -> HttpResponse:
    """Write to the applicant, or add an internal note for the other officers."""
    case = _get_case(request, public_id)
    form = MessageForm(request.POST)
    internal = request.POST.get("audience") == "internal"
    if not form.is_valid():
        error = DomainError(_("Check the message below."), code="invalid", status=422)
        return _case_page(request, case, error=error, message_form=form)
    try:
        services.message_post(
            case=case, actor=request.user, body=form.cleaned_data["body"], internal=internal
        )
    except DomainError as error:
        for problem in error.errors:
            form.add_error("body", problem.get("message"))
        return _case_page(request, case, error=error, message_form=form)
    messages.success(
        request,
        _("Your internal note was added.") if internal else _("Your message was sent."),
    )
    return _to_case(case, "thread")


@staff_only
@post_only
def case_assign(request: HttpRequest, public_id) -> HttpResponse:
    """A supervisor gives the case to an officer of its unit (or back to the unit)."""
    case = _get_case(request, public_id)
    form = AssignForm(request.POST, officers=_officers_by_case([case])[case.pk])
    if not form.is_valid():
        error = DomainError(_("Choose an officer of this unit."), code="invalid", status=422)
        return _case_page(request, case, error=error, assign_form=form)
    assignee = form.officers.get(form.cleaned_data["assignee"])
    try:
        services.case_assign(
            case=case, actor=request.user, assignee=assignee, expected_version=form_version(request)
        )
    except DomainError as error:
        return _case_page(request, case, error=error, assign_form=form)
    if assignee is None:
        messages.success(request, _("The case is back in the unit's queue."))
    else:
        messages.success(
            request,
            _("%(case)s is now assigned to %(name)s.")
            % {"case": case.submission.tracking, "name": _person(assignee)},
        )
    return redirect(_safe_next(request) or _to_case(case).url)


@staff_only
@post_only
def case_forward(request: HttpRequest, public_id) -> HttpResponse:
    """Send the case to another unit of its agency."""
    case = _get_case(request, public_id)
    form = ForwardForm(
        request.POST, units=[unit for unit in _agency_units(case) if unit.pk != case.unit_id]
    )
    if not form.is_valid():
        error = DomainError(_("Choose the unit to send the case to."), code="invalid", status=422)
        return _case_page(request, case, error=error, forward_form=form)
    unit = form.units[form.cleaned_data["unit"]]
    try:
        changed = services.case_forward(
            case=case,
            actor=request.user,
            unit=unit,
            note=form.cleaned_data["note"],
            expected_version=form_version(request),
        )
    except DomainError as error:
        return _case_page(request, case, error=error, forward_form=form)
    messages.success(
        request,
        _("%(case)s was sent to %(unit)s.") % {"case": case.submission.tracking, "unit": unit.name},
    )
    if selectors.staff_scope(request.user).covers(changed):
        return _to_case(changed)
    return redirect("cases:queue")


@staff_only
def case_document(request: HttpRequest, public_id, document_id) -> HttpResponse:
    """Download a document of the case: the documents service checks access and records that
    the officer opened it."""
    case = _get_case(request, public_id)
    document = next(
        (
            document
            for document in selectors.case_documents(case=case, include_replaced=True)
            if document.public_id == document_id
        ),
        None,
    )
    if document is None:
        raise NotFound(_("There is no such document in this case."))
    handle = documents.document_open(document=document, actor=request.user)
    # An applicant's upload is never rendered by the browser as a page of this site.
    return file_response(
        handle, filename=document.original_name, content_type=document.content_type
    )


def _outcome(case: Case) -> OutcomeDocument:
    outcome = OutcomeDocument.objects.filter(case=case).first()
    if outcome is None:
        raise NotFound(_("This case has no outcome document."))
    return outcome


@staff_only
def case_outcome(request: HttpRequest, public_id) -> HttpResponse:
    """The outcome document's PDF. It names the applicant, so opening it is recorded."""
    case = _get_case(request, public_id)
    outcome = _outcome(case)
    audit_record(
        actor=request.user,
        action="citizen.viewed",
        target=case,
        subject=case.submission.applicant,
        details={"document": "outcome"},
    )
    return outcomes.outcome_pdf_response(outcome)


@staff_only
@post_only
def case_outcome_revoke(request: HttpRequest, public_id) -> HttpResponse:
    """A supervisor revokes the case's outcome document: its verification page then says it
    is no longer valid."""
    case = _get_case(request, public_id)
    outcome = _outcome(case)
    form = RevokeForm(request.POST)
    if not form.is_valid():
        error = DomainError(_("Check the reason below."), code="invalid", status=422)
        return _case_page(request, case, error=error, revoke_form=form)
    try:
        outcomes.outcome_revoke(
            outcome=outcome, actor=request.user, reason=form.cleaned_data["reason"]
        )
    except DomainError as error:
        for problem in error.errors:
            form.add_error("reason", problem.get("message"))
        return _case_page(request, case, error=error, revoke_form=form)
    messages.success(request, _("The document was revoked. Its verification page says so now."))
    return _to_case(case, "outcome")


# Workload ----------------------------------------------------------------------------------


@staff_only
def workload(request: HttpRequest) -> HttpResponse:
    """For supervisors: each officer's open and overdue cases, and the overdue cases with a
    form to give each to someone else."""
    user = request.user
    scope = selectors.staff_scope(user)
    if not (scope.supervised_unit_ids or scope.supervised_agency_ids):
        raise Forbidden(_("Only supervisors can see the workload of their units."))
    today = timezone.localdate()
    # Everyone who works the supervised units, those without open cases too: they are the
    # ones who can take more.
    people = {
        person.pk: {"name": _person(person), "open": 0, "overdue": 0}
        for person in _supervised_staff(scope)
    }
    for row in selectors.case_workload(user=user, today=today):
        name = " ".join(
            part for part in (row["assigned_to__first_name"], row["assigned_to__last_name"]) if part
        )
        people.setdefault(row["assigned_to"], {"name": name})
        people[row["assigned_to"]].update(open=row["open"], overdue=row["overdue"])
    people = [
        {**row, "unassigned": key is None, "is_me": key == user.pk} for key, row in people.items()
    ]
    people.sort(key=lambda row: (not row["unassigned"], -row["overdue"], row["name"]))

    after = cursor_decode(request.GET.get("after", ""))
    found = selectors.case_queue(
        user=user,
        filters=selectors.QueueFilters(due="overdue"),
        after=after,
        limit=WORKLOAD_PAGE_SIZE + 1,
        today=today,
    )
    has_next = len(found) > WORKLOAD_PAGE_SIZE
    found = found[:WORKLOAD_PAGE_SIZE]
    # The queue covers every unit the supervisor works in; this list is of those they lead.
    overdue = [case for case in found if scope.supervises(case)]
    officers = _officers_by_case(overdue)
    deadlines = Deadlines(today, overdue)
    rows = [
        {
            "case": case,
            "state": state_label(case.workflow_states, case.state),
            "badge": deadlines.badge(case),
            "assigned": _person(case.assigned_to),
            "form": AssignForm(
                officers=officers[case.pk],
                initial={"assignee": str(case.assigned_to_id or "")},
                auto_id=f"id_assign_{case.public_id.hex[:12]}_%s",
            ),
        }
        for case in overdue
    ]
    return render(
        request,
        "cases/officer/workload.html",
        {
            "people": people,
            "rows": rows,
            "next_url": (
                "?" + urlencode({"after": cursor_encode(found[-1].due_date, found[-1].pk)})
                if has_next
                else ""
            ),
            "is_later_page": after is not None,
            "nav": "queue",
        },
    )


urlpatterns = [
    path("petugas/", queue, name="queue"),
    path("petugas/beban-kerja/", workload, name="workload"),
    path("petugas/kasus/<uuid:public_id>/", case_detail, name="officer_case"),
    path("petugas/kasus/<uuid:public_id>/ambil/", case_claim, name="officer_claim"),
    path("petugas/kasus/<uuid:public_id>/langkah/", case_transition, name="officer_transition"),
    path("petugas/kasus/<uuid:public_id>/pesan/", case_message, name="officer_message"),
    path("petugas/kasus/<uuid:public_id>/tugaskan/", case_assign, name="officer_assign"),
    path("petugas/kasus/<uuid:public_id>/teruskan/", case_forward, name="officer_forward"),
    path("petugas/kasus/<uuid:public_id>/hasil/", case_outcome, name="officer_outcome"),
    path(
        "petugas/kasus/<uuid:public_id>/hasil/cabut/",
        case_outcome_revoke,
        name="officer_outcome_revoke",
    ),
    path(
        "petugas/kasus/<uuid:public_id>/dokumen/<uuid:document_id>/",
        case_document,
        name="officer_document",
    ),
]
