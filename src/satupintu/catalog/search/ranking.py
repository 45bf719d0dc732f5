"""Ranking documents for a query.

Each word of the query is looked up in the index as its term; a word that no document of
either language knows (a typo) also matches words of the vocabulary within a small edit
distance, and the last word (perhaps still being typed) words that it begins — both with a
lower weight. A document's score is the sum over the query's words of its best match,
scaled by the share of the query's words it matches. A document that matches them all gets a
bonus, another when they appear as a phrase in its name or a synonym (more when they are the
whole name or synonym), and another when they name its agency.

The query is read in both languages — a citizen on the Indonesian page may type "passport" —
and each document keeps its better score, the other language's weighted a little lower.
"""

import heapq
from collections.abc import Mapping
from dataclasses import dataclass

from satupintu.catalog.search.analysis import LANGUAGES, Word, document_terms, query_words
from satupintu.catalog.search.index import TermIndex

OTHER_LANGUAGE_WEIGHT = 0.85
TYPO_WEIGHTS = {1: 0.6, 2: 0.45}
PREFIX_WEIGHT = 0.5
ALL_WORDS_BONUS = 1.3
PHRASE_BONUS = 1.3
# The query is exactly the service's name or one of its synonyms ("izin usaha").
NAME_BONUS = 1.6
# The query is (part of) an agency's name or code ("dukcapil", "samsat"): that agency's
# services come before others that merely mention the agency.
AGENCY_BONUS = 4.0
MIN_TYPO_LENGTH = 4
MIN_PREFIX_LENGTH = 3


def typo_distance(word: str) -> int:
    """How many edits a word may be away from a word of the catalogue: 1 for 4–6 letters,
    2 for longer words, none for shorter ones."""
    if len(word) < MIN_TYPO_LENGTH:
        return 0
    return 1 if len(word) <= 6 else 2


@dataclass(frozen=True)
class Query:
    """A query read in each language."""

    words: dict[str, list[Word]]

    @classmethod
    def parse(cls, text: str) -> "Query":
        return cls(words={language: query_words(text or "", language) for language in LANGUAGES})

    def __bool__(self) -> bool:
        return any(self.words.values())


def rank(
    query: Query, *, language: str, indexes: Mapping[str, TermIndex], limit: int
) -> list[tuple[int, float]]:
    """Document ids matching ``query``, best first, with their scores."""
    if not query or limit <= 0:
        return []
    known = {
        word.surface
        for word_language, words in query.words.items()
        for word in words
        if word.term in indexes[word_language].postings
    }
    best: dict[int, float] = {}
    for index_language, index in indexes.items():
        weight = 1.0 if index_language == language else OTHER_LANGUAGE_WEIGHT
        scores = _scores(query.words[index_language], index, index_language, known)
        for document_id, score in scores.items():
            score *= weight
            if score > best.get(document_id, 0.0):
                best[document_id] = score
    ranked = heapq.nsmallest(limit, best.items(), key=lambda item: (-item[1], item[0]))
    return [(document_id, round(score, 4)) for document_id, score in ranked]


def _scores(
    words: list[Word], index: TermIndex, language: str, known: set[str]
) -> dict[int, float]:
    groups = []
    for position, word in enumerate(words):
        alternatives = _alternatives(word, index, language, known, last=position == len(words) - 1)
        if alternatives:
            groups.append((word, alternatives))
    if not groups:
        return {}

    totals: dict[int, float] = {}
    matched: dict[int, int] = {}
    for _word, alternatives in groups:
        best: dict[int, float] = {}
        for term, weight in alternatives.items():
            for document_id, score in index.postings[term]:
                score *= weight
                if score > best.get(document_id, 0.0):
                    best[document_id] = score
        for document_id, score in best.items():
            totals[document_id] = totals.get(document_id, 0.0) + score
            matched[document_id] = matched.get(document_id, 0) + 1

    count = len(groups)
    exact = all(alternatives.get(word.term) == 1.0 for word, alternatives in groups)
    phrase = tuple(word.term for word, _alternatives in groups) if exact else ()
    scores = {}
    for document_id, total in totals.items():
        hits = matched[document_id]
        score = total * hits / count
        if hits == count:
            if count > 1:
                score *= ALL_WORDS_BONUS
            if phrase:
                score *= (1.0, PHRASE_BONUS, NAME_BONUS)[index.title_match(document_id, phrase)]
                if index.in_agency_names(document_id, phrase):
                    score *= AGENCY_BONUS
        scores[document_id] = score
    return scores


def _alternatives(
    word: Word, index: TermIndex, language: str, known: set[str], *, last: bool
) -> dict[str, float]:
    """The terms that stand for ``word`` in ``index``, each with its weight."""
    alternatives: dict[str, float] = {}
    if word.term in index.postings:
        alternatives[word.term] = 1.0
    if word.surface in known:
        return alternatives

    def add(vocabulary_word: str, weight: float) -> None:
        for term in _terms(vocabulary_word, index, language):
            if weight > alternatives.get(term, 0.0):
                alternatives[term] = weight

    distance = typo_distance(word.surface)
    if distance:
        similar = [
            match
            for candidate in {word.surface, word.term}
            for match in index.similar(candidate, distance)
        ]
        # Only the nearest words: "kelahran" means "kelahiran", not "kelautan".
        nearest = min((edits for _match, edits in similar), default=0)
        for match, edits in similar:
            if edits == nearest:
                add(match, TYPO_WEIGHTS[edits])
    if last and len(word.surface) >= MIN_PREFIX_LENGTH:
        for match in index.completions(word.surface):
            add(match, PREFIX_WEIGHT)
    return alternatives


def _terms(vocabulary_word: str, index: TermIndex, language: str) -> list[str]:
    # The vocabulary holds terms and the words they came from; a word is looked up by its terms.
    if vocabulary_word in index.postings:
        return [vocabulary_word]
    return [term for term in document_terms(vocabulary_word, language) if term in index.postings]
