"""The in-memory inverted index that answers queries, and the per-process copy of it that
follows the catalogue.

A ``TermIndex`` holds the documents of one language (a service's or a life event's text in
Indonesian or in English). Each term's posting list carries the term's finished score in each
document — BM25 per field, weighted by field — so that a query only adds numbers up.

A ``RevisionCache`` keeps one derived value (the indexes) per process and rebuilds it when
the catalogue's revision in the database differs from the one it was built for: one small
query per search, and every process agrees with the database rather than with each other.
"""

import math
import threading
from array import array
from bisect import bisect_left
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Generic, TypeVar

from rapidfuzz import process
from rapidfuzz.distance import OSA

from satupintu.catalog.models import CatalogRevision
from satupintu.catalog.search.analysis import analyse

# Fields of a document, best first: name and synonyms; summary; requirements, product and
# procedure; the agency's names and code.
FIELDS = ("title", "summary", "body", "agency")
FIELD_WEIGHTS = {"title": 6.0, "summary": 3.0, "body": 1.5, "agency": 1.0}
# BM25's length normalisation per field: a long list of synonyms should not bury the
# service it names, but a long procedure may dilute a word that it mentions once.
FIELD_LENGTH_NORMALISATION = {"title": 0.3, "summary": 0.6, "body": 0.75, "agency": 0.3}
K1 = 1.2
MAX_SIMILAR = 10
MAX_COMPLETIONS = 30


@dataclass
class Document:
    """One searchable text in one language: the terms of each field; the name and each
    synonym apart, as lines of terms (for phrase matches); its words before stemming (for
    typos and completion)."""

    id: int
    terms: dict[str, list[str]]
    titles: list[tuple[str, ...]]
    words: Iterable[str]

    @classmethod
    def from_texts(cls, document_id: int, texts: dict[str, list[str]], language: str) -> "Document":
        """Analyse ``texts`` (field → its texts; the title's are the name and synonyms)."""
        terms: dict[str, list[str]] = {}
        titles: list[tuple[str, ...]] = []
        words: set[str] = set()
        for field in FIELDS:
            field_terms: list[str] = []
            for text in texts.get(field, ()):
                if text:
                    text_words, text_terms = analyse(text, language)
                    words.update(text_words)
                    field_terms.extend(text_terms)
                    if field == "title" and text_terms:
                        titles.append(tuple(text_terms))
            terms[field] = field_terms
        return cls(id=document_id, terms=terms, titles=titles, words=words)


class Postings:
    """The documents of one term and the term's score in each, as two packed arrays: a
    catalogue of thousands of services has a million postings, which as Python tuples of an
    int and a float would take a hundred megabytes in every web process."""

    __slots__ = ("ids", "scores")

    def __init__(self):
        self.ids = array("q")
        self.scores = array("d")

    def add(self, document_id: int, score: float) -> None:
        self.ids.append(document_id)
        self.scores.append(score)

    def __iter__(self):
        return zip(self.ids, self.scores, strict=True)

    def __len__(self) -> int:
        return len(self.ids)


class TermIndex:
    """An inverted index of the documents of one language."""

    def __init__(self, documents: Iterable[Document]):
        """Index ``documents``: a list, or anything that can be iterated twice (the stored
        entries are read twice, in two streams, so that no more than one document's terms
        are in memory at a time; a catalogue of thousands of services held whole takes tens
        of megabytes in every web process, which Python keeps after the build). A one-shot
        iterator is read into a list first."""
        if iter(documents) is documents:
            documents = list(documents)
        total_lengths = dict.fromkeys(FIELDS, 0)
        document_frequency: Counter = Counter()
        surfaces: set[str] = set()
        self._titles: dict[int, list[str]] = {}
        self._agency_terms: dict[int, frozenset[str]] = {}
        size = 0
        # First pass: what BM25 needs of the whole collection.
        for document in documents:
            size += 1
            seen: set[str] = set()
            for field in FIELDS:
                field_terms = document.terms.get(field) or ()
                total_lengths[field] += len(field_terms)
                seen.update(field_terms)
            document_frequency.update(seen)
            surfaces.update(document.words)
            # Names and synonyms as " term term " strings: a phrase is then a substring.
            self._titles[document.id] = [f" {' '.join(line)} " for line in document.titles]
            if document.terms.get("agency"):
                self._agency_terms[document.id] = frozenset(document.terms["agency"])

        size = size or 1
        averages = {field: (total_lengths[field] / size) or 1.0 for field in FIELDS}
        idf = {
            term: math.log(1 + (size - frequency + 0.5) / (frequency + 0.5))
            for term, frequency in document_frequency.items()
        }
        # Second pass: each term's finished score in each document, into packed arrays.
        self.postings: dict[str, Postings] = {}
        postings = self.postings
        for document in documents:
            scores: dict[str, float] = {}
            for field in FIELDS:
                field_terms = document.terms.get(field) or ()
                if not field_terms:
                    continue
                b = FIELD_LENGTH_NORMALISATION[field]
                norm = K1 * (1 - b + b * len(field_terms) / averages[field])
                weight = FIELD_WEIGHTS[field] * (K1 + 1)
                for term, frequency in Counter(field_terms).items():
                    scores[term] = scores.get(term, 0.0) + weight * frequency / (frequency + norm)
            for term, score in scores.items():
                if term not in idf:  # the catalogue changed between the passes: the next
                    continue  # search sees a new revision and rebuilds
                entry = postings.get(term)
                if entry is None:
                    entry = postings[term] = Postings()
                entry.add(document.id, idf[term] * score)

        self.vocabulary = sorted(surfaces | postings.keys())
        self._by_length: dict[int, list[str]] = {}
        for word in self.vocabulary:
            self._by_length.setdefault(len(word), []).append(word)

    def similar(self, word: str, max_distance: int) -> list[tuple[str, int]]:
        """Words of the vocabulary within ``max_distance`` edits of ``word`` (a swap of two
        neighbouring letters counts as one), nearest first."""
        matches: list[tuple[str, int]] = []
        for length in range(len(word) - max_distance, len(word) + max_distance + 1):
            choices = self._by_length.get(length)
            if choices:
                found = process.extract(
                    word, choices, scorer=OSA.distance, score_cutoff=max_distance, limit=MAX_SIMILAR
                )
                matches.extend(
                    (match, int(distance)) for match, distance, _ in found if match != word
                )
        matches.sort(key=lambda match: match[1])
        return matches[:MAX_SIMILAR]

    def completions(self, prefix: str) -> list[str]:
        """Words of the vocabulary that start with ``prefix`` (and are longer)."""
        found = []
        position = bisect_left(self.vocabulary, prefix)
        while position < len(self.vocabulary) and len(found) < MAX_COMPLETIONS:
            word = self.vocabulary[position]
            if not word.startswith(prefix):
                break
            if word != prefix:
                found.append(word)
            position += 1
        return found

    def title_match(self, document_id: int, phrase: tuple[str, ...]) -> int:
        """2 when ``phrase`` is the document's whole name or a whole synonym, 1 when a name or
        synonym contains it (two terms or more), 0 otherwise."""
        needle = f" {' '.join(phrase)} "
        lines = self._titles.get(document_id, ())
        if needle in lines:
            return 2
        if len(phrase) > 1 and any(needle in line for line in lines):
            return 1
        return 0

    def in_agency_names(self, document_id: int, terms: Iterable[str]) -> bool:
        """Whether all ``terms`` are in the names or code of the document's agency."""
        agency_terms = self._agency_terms.get(document_id)
        return agency_terms is not None and all(term in agency_terms for term in terms)


def catalogue_revision() -> tuple[int, object]:
    """What identifies the catalogue's current content: the revision number and the token of
    the last rebuild of the search entries."""
    row = CatalogRevision.objects.values_list("number", "search_token").first()
    return row if row is not None else (0, None)


T = TypeVar("T")


class RevisionCache(Generic[T]):
    """A value derived from the catalogue, kept in this process and rebuilt when the
    catalogue's revision differs from the one it was built for. Threads share it; one of them
    rebuilds while the others wait."""

    def __init__(self, build: Callable[[], T]):
        self._build = build
        self._lock = threading.Lock()
        # (revision, value) in one attribute, so that a reader never pairs one revision with
        # another's value.
        self._current: tuple[tuple[int, object], T] | None = None

    def get(self) -> T:
        revision = catalogue_revision()
        current = self._current
        if current is None or current[0] != revision:
            with self._lock:
                current = self._current
                if current is None or current[0] != revision:
                    current = (revision, self._build())
                    self._current = current
        return current[1]
