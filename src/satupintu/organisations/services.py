"""Writes of organisations."""

from django.db import transaction

from satupintu.organisations.models import Agency, Office, Partner, Unit


@transaction.atomic
def organisations_sync(*, data: dict) -> int:
    """Create or update the agencies, units, offices and partners described in a catalogue's
    ``organisations.yaml``. Nothing is deleted: staff and cases may refer to any of them.
    Returns the number of agencies described."""
    agencies = {}
    for item in data.get("agencies", []):
        agency, _ = Agency.objects.update_or_create(
            code=item["code"],
            defaults={
                "name_id": item["name"]["id"],
                "name_en": item["name"]["en"],
                "short_name": item.get("short_name", ""),
                "level": item["level"],
                "website": item.get("website", ""),
                "phone": item.get("phone", ""),
                "address": item.get("address", ""),
            },
        )
        agencies[agency.code] = agency
        for unit in item["units"]:
            Unit.objects.update_or_create(
                agency=agency,
                code=unit["code"],
                defaults={"name_id": unit["name"]["id"], "name_en": unit["name"]["en"]},
            )
    for item in data.get("offices", []):
        hours = item.get("opening_hours", {})
        office, _ = Office.objects.update_or_create(
            code=item["code"],
            defaults={
                "name_id": item["name"]["id"],
                "name_en": item["name"]["en"],
                "address": item.get("address", ""),
                "opening_hours_id": hours.get("id", ""),
                "opening_hours_en": hours.get("en", ""),
            },
        )
        office.agencies.set(Agency.objects.filter(code__in=item.get("agencies", [])))
    for item in data.get("partners", []):
        Partner.objects.update_or_create(
            code=item["code"],
            defaults={
                "kind": item["kind"],
                "name_id": item["name"]["id"],
                "name_en": item["name"]["en"],
                "contact_phone": item.get("contact_phone", ""),
            },
        )
    return len(agencies)
