"""Search over the catalogue: services and life events, in Indonesian and English, tolerant
of everyday words, slang and typos.

- ``analysis``: text → terms (normalisation, stop-words, stemming, phrases);
- ``lexicon``: the word tables that analysis uses;
- ``entries``: the stored ``SearchEntry`` rows of services, rebuilt on every catalogue load;
- ``index``: the in-memory inverted index, rebuilt in each process when the catalogue's
  revision changes;
- ``ranking``: scoring documents for a query;
- ``life_events``: the documents of life events.
"""

from satupintu.catalog.search.analysis import LANGUAGES
from satupintu.catalog.search.entries import index_services, service_documents
from satupintu.catalog.search.index import RevisionCache, TermIndex
from satupintu.catalog.search.life_events import life_event_documents
from satupintu.catalog.search.ranking import Query, rank

_service_indexes = RevisionCache(
    lambda: {language: TermIndex(documents) for language, documents in service_documents().items()}
)
_life_event_indexes = RevisionCache(
    lambda: {
        language: TermIndex(documents) for language, documents in life_event_documents().items()
    }
)


def search(query: str, *, language: str, limit: int = 200) -> list[tuple[int, float]]:
    """Ids of the services on offer that match ``query``, best first, with their scores.

    Both languages' texts are searched; those of ``language`` (the page's) weigh a little
    more. An empty or meaningless query returns ``[]``.
    """
    parsed = Query.parse(query)
    if not parsed:
        return []
    return rank(parsed, language=_language(language), indexes=_service_indexes.get(), limit=limit)


def search_life_events(query: str, *, language: str, limit: int = 20) -> list[tuple[int, float]]:
    """Ids of the life events on offer that match ``query``, best first, with their scores."""
    parsed = Query.parse(query)
    if not parsed:
        return []
    return rank(
        parsed, language=_language(language), indexes=_life_event_indexes.get(), limit=limit
    )


def _language(language: str) -> str:
    language = (language or "")[:2].lower()
    return language if language in LANGUAGES else LANGUAGES[0]


__all__ = ["index_services", "search", "search_life_events"]
