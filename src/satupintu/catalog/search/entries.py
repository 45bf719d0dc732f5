"""The stored search entries of services: built from each service's current definition when
the catalogue is loaded, read back by each process to build its in-memory index.

An entry holds one service's analysed terms in one language, per field (``title_terms``
has one line for the name and one for each synonym), and its words before stemming.
Reading entries back needs no stemming, so a process builds its index in a fraction of the
time that analysing the definitions takes.
"""

import uuid
from collections.abc import Iterator

from django.db import transaction
from django.db.models import QuerySet
from django.db.models.fields.json import KeyTransform

from satupintu.catalog.format import content_hash
from satupintu.catalog.models import CatalogRevision, SearchEntry, Service
from satupintu.catalog.search.analysis import LANGUAGES, analysis_fingerprint
from satupintu.catalog.search.index import Document
from satupintu.core.language import pick

# What search reads of a service, fetched without the rest of its definition (the form,
# the workflow…), which would cost more to decode than to analyse.
_DEFINITION_PARTS = ("synonyms", "requirements", "product", "procedure")
_COLUMNS = ("pk", "name_id", "name_en", "summary_id", "summary_en")
_AGENCY_COLUMNS = ("agency__name_id", "agency__name_en", "agency__short_name", "agency__code")


def service_texts(service: dict, language: str) -> dict[str, list[str]]:
    """The texts of a service in ``language`` that search reads, by field, from a row of
    ``_service_rows``."""

    def localised(field: str) -> str:
        return service[f"{field}_{language}"] or service[f"{field}_id"] or ""

    return {
        "title": [localised("name"), *(service["synonyms"] or {}).get(language, [])],
        "summary": [localised("summary")],
        "body": [
            *(pick(item.get("name"), language) for item in service["requirements"] or []),
            pick((service["product"] or {}).get("name"), language),
            *(pick(step, language) for step in service["procedure"] or []),
        ],
        "agency": [
            localised("agency__name"),
            service["agency__short_name"],
            service["agency__code"],
        ],
    }


def _service_rows(services: QuerySet[Service]) -> QuerySet:
    parts = {part: KeyTransform(part, "current_version__definition") for part in _DEFINITION_PARTS}
    return services.annotate(**parts).values(*_COLUMNS, *_AGENCY_COLUMNS, *_DEFINITION_PARTS)


@transaction.atomic
def index_services(services: QuerySet[Service]) -> None:
    """Rebuild the search entries of ``services`` from their current definitions.

    A service whose texts are the same as when its entries were built, analysed the same way,
    keeps its entries: a load that changes a few services of a large catalogue analyses only
    those. Every process notices the rebuild on its next search
    (``index.catalogue_revision``).
    """
    stored: dict[int, dict[str, str]] = {}
    rows = SearchEntry.objects.filter(service__in=services.values("pk"))
    for service_id, language, source_hash in rows.values_list(
        "service_id", "language", "source_hash"
    ):
        stored.setdefault(service_id, {})[language] = source_hash
    outdated, entries = [], []
    for service in _service_rows(services).iterator(chunk_size=500):
        texts = {language: service_texts(service, language) for language in LANGUAGES}
        source_hash = content_hash([analysis_fingerprint(), texts])
        if stored.get(service["pk"]) == dict.fromkeys(LANGUAGES, source_hash):
            continue
        outdated.append(service["pk"])
        for language in LANGUAGES:
            document = Document.from_texts(service["pk"], texts[language], language)
            entries.append(
                SearchEntry(
                    service_id=service["pk"],
                    language=language,
                    title_terms="\n".join(" ".join(line) for line in document.titles),
                    summary_terms=" ".join(document.terms["summary"]),
                    body_terms=" ".join(document.terms["body"]),
                    agency_terms=" ".join(document.terms["agency"]),
                    words=" ".join(sorted(document.words)),
                    source_hash=source_hash,
                )
            )
    for start in range(0, len(outdated), 500):
        SearchEntry.objects.filter(service_id__in=outdated[start : start + 500]).delete()
    SearchEntry.objects.bulk_create(entries, batch_size=500)
    # A new token even when nothing was rebuilt or the revision number repeats (a load that
    # was rolled back and redone, as tests do), so that no process keeps an outdated index.
    CatalogRevision.objects.update_or_create(pk=1, defaults={"search_token": uuid.uuid4()})


class StoredDocuments:
    """The stored entries of the services on offer in one language, as documents: read from
    the database each time it is iterated, a chunk at a time."""

    def __init__(self, language: str):
        self.language = language

    def __iter__(self) -> Iterator[Document]:
        rows = SearchEntry.objects.filter(
            service__is_active=True, language=self.language
        ).values_list(
            "service_id", "title_terms", "summary_terms", "body_terms", "agency_terms", "words"
        )
        for service_id, title, summary, body, agency, words in rows.iterator(chunk_size=1000):
            yield Document(
                id=service_id,
                terms={
                    "title": title.split(),
                    "summary": summary.split(),
                    "body": body.split(),
                    "agency": agency.split(),
                },
                titles=[tuple(line.split()) for line in title.splitlines() if line],
                words=words.split(),
            )


def service_documents() -> dict[str, StoredDocuments]:
    """The stored entries of the services on offer, as documents by language (each read
    when iterated: see ``StoredDocuments``)."""
    return {language: StoredDocuments(language) for language in LANGUAGES}
