"""Answers the platform already knows: a field with ``prefill: profile.nik`` starts with the
applicant's NIK. The applicant always sees and may change a prefilled value, and a value
they typed is never replaced by one from the profile (``merge``).
"""

from typing import Any

from satupintu.cases.answers import places
from satupintu.cases.answers.fields import Invalid, is_blank, parse_phone

# How the sexes are written as options in definitions.
_SEX_OPTIONS = {
    "M": ("M", "L", "laki_laki", "laki-laki", "pria", "male"),
    "F": ("F", "P", "perempuan", "wanita", "female"),
}


def _registry_value(registry: dict | None, path: str) -> Any:
    """The value at ``path`` (``family_card.mother.nik``) in what the registries said."""
    value: Any = registry or {}
    for part in path.split("."):
        if not isinstance(value, dict):
            return None
        value = value.get(part)
    if isinstance(value, dict) and {"street", "village"} >= set(value):
        return (value.get("street") or "", value.get("village") or "")  # an address
    return None if isinstance(value, dict | list) else value


def source_value(name: str, user, business=None, registry: dict | None = None) -> Any:
    """The raw value of a source (``profile.nik``, ``business.nib``,
    ``registry.family_card.number``), or ``None`` when it is not known."""
    root, _dot, attribute = name.partition(".")
    if root == "registry":
        return _registry_value(registry, attribute)
    if root == "business":
        if business is None:
            return None
        return {
            "nib": business.nib,
            "name": business.name,
            "legal_form": business.legal_form,
            "address": (business.address, business.region_code),
        }.get(attribute)
    profile = getattr(user, "citizen", None) if user is not None else None
    if attribute == "name":
        return (profile.full_name if profile else "") or (
            user.get_full_name() if user is not None else ""
        )
    if attribute == "email":
        return (profile.email if profile else "") or getattr(user, "email", "")
    if attribute == "phone":
        return (profile.phone if profile else "") or getattr(user, "phone", "")
    if profile is None:
        return None
    return {
        "nik": profile.nik,
        "birth_date": profile.birth_date.isoformat() if profile.birth_date else None,
        "sex": profile.sex,
        "address": (profile.address, profile.region_code),
        "region": profile.region_code,
    }.get(attribute)


def fit_value(field: dict, value: Any) -> Any:
    """``value`` in the shape the field takes, or ``None`` when it does not fit."""
    kind = field["type"]
    if isinstance(value, tuple):  # (street, region code) of an address
        street, region = value
        if kind == "address":
            village = region if region and len(region) == places.CODE_LENGTHS[4] else ""
            return {"street": street, "village": village} if street or village else None
        if kind == "region":
            value = region
        else:
            return street or None
    if is_blank(value):
        return None
    if kind == "region":
        length = places.CODE_LENGTHS[places.LEVELS[field["level"]]]
        return value[:length] if len(value) >= length and value[:length].isdigit() else None
    if kind == "phone":
        try:
            return parse_phone(field, value)
        except Invalid:
            return value
    if kind == "choice":
        values = [option["value"] for option in field["options"]]
        candidates = _SEX_OPTIONS.get(value, (value,))
        chosen = next((option for option in values if option in candidates), None)
        return [chosen] if chosen and field.get("multiple") else chosen
    return value


def prefill(*, definition: dict, user, business=None, registry: dict | None = None) -> dict:
    """Initial answers of the form of ``definition`` from its ``prefill`` sources: the
    applicant's citizen profile (``profile.name``, ``.nik``, ``.birth_date``, ``.sex``,
    ``.phone``, ``.email``, ``.address``, ``.region``) and the business they apply for
    (``business.nib``, ``.name``, ``.legal_form``, ``.address``). Unknown values are left
    out. A life event's questions may also read ``registry.…``: what the registries said,
    given in ``registry`` only when the applicant agreed to that use of their data."""
    answers: dict[str, Any] = {}
    for field in definition.get("form") or []:
        source = field.get("prefill")
        if not source or field["type"] in ("group", "file"):
            continue
        value = fit_value(field, source_value(source, user, business, registry))
        if value is not None:
            answers[field["key"]] = value
    return answers


def merge(*, answers: dict, prefilled: dict) -> dict:
    """``answers`` with the prefilled values added where the applicant has not answered (a
    blank answer counts as not answered; ``false`` is an answer)."""
    merged = dict(answers or {})
    for key, value in prefilled.items():
        if is_blank(merged.get(key)):
            merged[key] = value
    return merged
