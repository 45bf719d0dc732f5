"""Search documents of life events. There are few of them, so they are analysed straight from
their current definitions whenever the catalogue changes; nothing is stored."""

from satupintu.catalog.models import LifeEvent
from satupintu.catalog.search.analysis import LANGUAGES
from satupintu.catalog.search.index import Document
from satupintu.core.language import pick


def life_event_texts(event: LifeEvent, language: str) -> dict[str, list[str]]:
    """The texts of ``event`` in ``language`` that search reads, by field."""
    version = event.current_version
    definition = version.definition if version is not None else {}
    return {
        "title": [
            getattr(event, f"name_{language}") or event.name_id,
            *(definition.get("synonyms") or {}).get(language, []),
        ],
        "summary": [getattr(event, f"summary_{language}") or event.summary_id],
        "body": [pick(item, language) for item in definition.get("prepare") or []],
    }


def life_event_documents() -> dict[str, list[Document]]:
    """The life events on offer, as documents by language."""
    events = list(LifeEvent.objects.filter(is_active=True).select_related("current_version"))
    return {
        language: [
            Document.from_texts(event.pk, life_event_texts(event, language), language)
            for event in events
        ]
        for language in LANGUAGES
    }
