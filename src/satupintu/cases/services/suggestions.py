"""Proactive service: when a case ends with its outcome and its service sends a signal (a
birth registered, a business licensed), every life event listening for that signal
(``suggest_after``) suggests to the people concerned the event's services they have not used
yet — with what the finished case already told us filled in, one tap to start.
"""

from typing import Any

from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import override

from satupintu.cases.models import Case, Suggestion, SuggestionStatus
from satupintu.catalog.models import LifeEvent
from satupintu.core.errors import NotFound
from satupintu.core.services import audit_record


def _known_answers(event_definition: dict, case: Case) -> dict[str, Any]:
    """The event's shared answers that ``case`` already holds: its service's map read
    backwards (form field ← ``answers.<question>``)."""
    entry = next(
        (e for e in event_definition["services"] if e["service"] == case.service.code), None
    )
    known: dict[str, Any] = {}
    for target, source in ((entry or {}).get("map") or {}).items():
        if isinstance(source, str) and source.startswith("answers.") and target in case.answers:
            known[source.removeprefix("answers.")] = case.answers[target]
    questions = {q["key"]: q for q in event_definition.get("questions") or []}
    return {
        key: value
        for key, value in known.items()
        if key in questions and questions[key].get("type") != "file"
    }


def _people_concerned(case: Case) -> list:
    submission = case.submission
    people = {submission.applicant_id: submission.applicant}
    if submission.business_id:
        for person in submission.business.representatives.filter(is_active=True):
            people.setdefault(person.pk, person)
    return list(people.values())


def _used_since(user, case: Case) -> set[str]:
    """Codes of the services ``user`` applied for since ``case``'s application (its own
    included): used for this life event already."""
    rows = Case.objects.filter(
        Q(submission__applicant=user) | Q(submission__business__representatives=user),
        submission__submitted_at__gte=case.submission.submitted_at,
    ).values_list("service__code", "outcome")
    # A case that was called off did not deliver its service. (Filtered here: a JSON key
    # that is absent compares as NULL in SQL, which ``exclude`` would drop as well.)
    return {code for code, outcome in rows if not (outcome or {}).get("called_off")}


def suggestions_offer(*, case: Case) -> list[Suggestion]:
    """Called when ``case`` ends with its outcome (inside its transaction): make the
    suggestions its signals call for, and tell each person once the transaction commits."""
    signals = case.definition.get("signals") or []
    if not signals:
        return []
    made = []
    events = LifeEvent.objects.filter(is_active=True, current_version__isnull=False).select_related(
        "current_version"
    )
    people = _people_concerned(case)
    used: dict[int, set[str]] = {}  # each person's services, read once whatever the events
    for event in events:
        definition = event.current_version.definition
        matching = [s for s in signals if s in (definition.get("suggest_after") or [])]
        if not matching:
            continue
        codes = [entry["service"] for entry in definition["services"]]
        for person in people:
            if person.pk not in used:
                used[person.pk] = _used_since(person, case)
            remaining = [code for code in codes if code not in used[person.pk]]
            if not remaining:
                continue
            suggestion, created = Suggestion.objects.get_or_create(
                user=person,
                life_event=event,
                source_case=case,
                defaults={
                    "signal": matching[0],
                    "services": remaining,
                    "answers": _known_answers(definition, case),
                },
            )
            if created:
                made.append(suggestion)
                audit_record(
                    actor=None,
                    action="suggestion.made",
                    target=suggestion,
                    subject=person,
                    details={"signal": matching[0], "life_event": event.code},
                )
                suggestion_id = suggestion.pk
                transaction.on_commit(lambda pk=suggestion_id: _notify_later(pk))
    return made


def _notify_later(suggestion_id: int) -> None:
    from satupintu.cases import tasks

    tasks.notify_suggestion.enqueue(suggestion_id=suggestion_id)


def suggestion_notify(*, suggestion: Suggestion) -> None:
    """Tell the person in their inbox (and by e-mail): what happened, what is suggested."""
    from satupintu.notifications.selectors import recipient_language
    from satupintu.notifications.services import notification_send

    person = suggestion.user
    with override(recipient_language(person)):
        event = suggestion.life_event
        title = _("Next steps for: %(event)s") % {"event": event.name}
        body = _(
            "%(service)s is done. %(count)s related services may help you too; what we "
            "already know is filled in. Start them with one tap."
        ) % {"service": suggestion.source_case.service.name, "count": len(suggestion.services)}
        link = reverse("cases:suggestion", args=[suggestion.public_id])
    notification_send(
        recipient=person,
        kind="suggestion",
        title=title,
        body=body,
        link=link,
        dedup_key=f"suggestion:{suggestion.pk}",
    )


def suggestion_dismiss(*, suggestion: Suggestion, user) -> Suggestion:
    if suggestion.user_id != user.pk:
        raise NotFound(_("There is no such suggestion among yours."))
    if suggestion.status == SuggestionStatus.OPEN:
        suggestion.status = SuggestionStatus.DISMISSED
        suggestion.save(update_fields=["status", "updated_at"])
        audit_record(actor=user, action="suggestion.dismissed", target=suggestion, subject=user)
    return suggestion
