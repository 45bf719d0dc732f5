"""Search over the catalogue (first version: plain word matching; ranking comes next)."""

import re

from satupintu.catalog.models import SearchEntry, Service

_WORD = re.compile(r"\w+")


def terms(text: str) -> list[str]:
    return _WORD.findall(text.lower())


def index_services(services) -> None:
    """Rebuild the search entries of ``services``."""
    services = list(services.select_related("agency", "current_version"))
    SearchEntry.objects.filter(service__in=services).delete()
    entries = []
    for service in services:
        definition = service.current_version.definition
        for language in ("id", "en"):
            title = [definition["name"][language], *definition.get("synonyms", {}).get(language, [])]
            body = [definition["summary"][language], *(r["name"][language] for r in definition["requirements"])]
            agency = [getattr(service.agency, f"name_{language}"), service.agency.short_name, service.agency.code]
            entries.append(
                SearchEntry(
                    service=service,
                    language=language,
                    title_terms=" ".join(terms(" ".join(title))),
                    body_terms=" ".join(terms(" ".join(body))),
                    agency_terms=" ".join(terms(" ".join(agency))),
                )
            )
    SearchEntry.objects.bulk_create(entries)


def search(query: str, *, language: str, limit: int = 200) -> list[tuple[int, float]]:
    """Service ids matching ``query``, best first, with their scores."""
    words = set(terms(query[:500]))
    if not words:
        return []
    scores: dict[int, float] = {}
    for entry in SearchEntry.objects.filter(language=language, service__is_active=True):
        title, body = set(entry.title_terms.split()), set(entry.body_terms.split())
        score = 3 * len(words & title) + len(words & body)
        if score:
            scores[entry.service_id] = score
    return sorted(scores.items(), key=lambda item: (-item[1], item[0]))[:limit]


__all__ = ["Service", "index_services", "search"]
