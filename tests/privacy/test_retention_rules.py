"""Requirement (ARCHITECTURE: retention periods per kind of record): a rule per kind of record
— its period, what happens at its end (delete, anonymise, keep) and its legal basis in words —
loaded with sensible defaults, changed in the admin by platform administrators only (each
change audited), and never into something the records cannot become."""

import pytest
from django.db import IntegrityError, transaction

from satupintu.core.models import AuditEvent
from satupintu.privacy.constants import EndAction, RecordKind
from satupintu.privacy.models import RetentionRule

pytestmark = pytest.mark.django_db

ADMIN_URL = "/admin/privacy/retentionrule/"


def test_every_kind_has_a_default_rule_with_its_legal_basis():
    rules = {rule.kind: rule for rule in RetentionRule.objects.all()}
    assert set(rules) == set(RecordKind.values)
    assert all(rule.legal_basis_id and rule.legal_basis_en for rule in rules.values())
    cases = rules[RecordKind.CASES]
    assert (cases.period_days, cases.action, cases.kept_on_request) == (
        5 * 365,
        EndAction.ANONYMISE,
        True,
    )
    assert rules[RecordKind.DRAFTS].action == EndAction.DELETE
    assert not rules[RecordKind.NOTIFICATIONS].kept_on_request
    assert rules[RecordKind.AUDIT].action == EndAction.KEEP


@pytest.mark.parametrize(
    ("kind", "changes"),
    [
        (RecordKind.LEARNING, {"action": EndAction.DELETE, "period_days": 10}),
        (RecordKind.ACCOUNT, {"action": EndAction.DELETE}),
        (RecordKind.CASES, {"action": EndAction.DELETE}),
        (RecordKind.NOTIFICATIONS, {"action": EndAction.KEEP, "kept_on_request": True}),
        (RecordKind.AUDIT, {"period_days": 30}),
    ],
)
def test_the_database_refuses_what_a_kind_cannot_become(kind, changes):
    with pytest.raises(IntegrityError), transaction.atomic():
        RetentionRule.objects.filter(kind=kind).update(**changes)


def test_a_platform_admin_changes_a_rule_and_it_is_audited(people, as_user):
    rule = RetentionRule.objects.get(kind=RecordKind.DRAFTS)
    client = as_user("admin")
    form = {
        "period_days": "90",
        "action": EndAction.DELETE,
        "kept_on_request": "",
        "legal_basis_id": "Dasar baru.",
        "legal_basis_en": "New basis.",
    }
    response = client.post(f"{ADMIN_URL}{rule.pk}/change/", form)
    assert response.status_code == 302, response.content.decode()[-2000:]
    rule.refresh_from_db()
    assert rule.period_days == 90 and rule.legal_basis_id == "Dasar baru."
    event = AuditEvent.objects.get(action="retention_rule.changed")
    assert event.actor == people["admin"] and event.details["period_days"] == 90


def test_the_admin_form_says_what_a_kind_cannot_become(people, as_user):
    rule = RetentionRule.objects.get(kind=RecordKind.LEARNING)
    response = as_user("admin").post(
        f"{ADMIN_URL}{rule.pk}/change/",
        {"period_days": "30", "action": EndAction.DELETE, "legal_basis_id": "x"},
    )
    assert response.status_code == 200  # the form again, with its errors
    assert RetentionRule.objects.get(pk=rule.pk).action == EndAction.KEEP


@pytest.mark.parametrize("username", ["admin.dukcapil", "ppdp", "warga"])
def test_nobody_else_edits_the_rules(people, as_user, username):
    rule = RetentionRule.objects.get(kind=RecordKind.DRAFTS)
    response = as_user(username).post(
        f"{ADMIN_URL}{rule.pk}/change/",
        {"period_days": "1", "action": EndAction.DELETE, "legal_basis_id": "x"},
    )
    assert response.status_code in (302, 403)
    assert RetentionRule.objects.get(pk=rule.pk).period_days == 180
    assert as_user("admin").get(f"{ADMIN_URL}add/").status_code == 403
