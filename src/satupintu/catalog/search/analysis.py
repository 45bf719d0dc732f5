"""Turning text into search terms.

The catalogue's text and a citizen's query go through the same steps, so that what is typed
meets what is written:

1. fold: lower case, accents removed, anything but ASCII letters and digits a word break
   ("KTP-el" → "ktp", "el"; emoji and other scripts go); numbers alone, single letters and
   "words" longer than 30 characters are dropped;
2. normalise: everyday variants and slang become the catalogue's word ("akte" → "akta"),
   stop-words go ("cara bikin ktp" → "ktp");
3. stem: Sastrawi for Indonesian ("pendaftaran", "mendaftar" → "daftar"; "perizinan" →
   "izin"), a light suffix stripper for English ("certificates", "certification" →
   "certificat"); stems that mean the same thing are merged ("kawin" → "nikah");
4. phrases: a known phrase adds (in the catalogue) or becomes (in a query) the words that
   stand for it ("surat kelakuan baik" → "skck").

Sastrawi takes ~0.2 ms a word, so the analysis of each word (its variant and stem) is cached
in the process: it depends on the word alone and never goes stale.
"""

import hashlib
import json
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache, partial
from importlib import metadata

from Sastrawi.Stemmer.StemmerFactory import StemmerFactory

from satupintu.catalog.search.lexicon import (
    CANONICAL_STEMS,
    PHRASES,
    STEM_OVERRIDES_ID,
    STOP_WORDS,
    VARIANTS,
)
from satupintu.core.language import LANGUAGE_CODES

LANGUAGES = LANGUAGE_CODES
MAX_WORD_LENGTH = 30
# A query is cut to its first characters and content words: enough for any real question,
# and it bounds the work that a pasted page of text can cause.
MAX_QUERY_CHARACTERS = 200
MAX_QUERY_WORDS = 12

# Bump when a change to this module changes the terms of some text, so that the next load
# rebuilds every search entry; changes to the lexicon or to Sastrawi are noticed by
# themselves (``analysis_fingerprint``).
ANALYSIS_VERSION = 1

_TOKEN = re.compile(r"[a-z0-9]+")
_NON_ASCII = re.compile(r"[^\x00-\x7f]")


@dataclass(frozen=True)
class Word:
    """A word of a query: ``surface`` as typed (after normalisation, before stemming; for a
    phrase, the word that stands for it) and ``term``, what it is looked up by."""

    surface: str
    term: str


def fold(text: str) -> str:
    """``text`` in lower case with accents removed; other non-ASCII characters (emoji,
    other scripts, invisible spaces) become spaces."""
    text = text.lower()
    if _NON_ASCII.search(text):
        text = "".join(
            character if character.isascii() else "" if unicodedata.combining(character) else " "
            for character in unicodedata.normalize("NFKD", text)
        )
    return text


def tokens(text: str) -> list[str]:
    """The words of ``text`` as typed: folded, split at anything but letters and digits."""
    return [token for token in _TOKEN.findall(fold(text)) if _is_word(token)]


def _is_word(token: str) -> bool:
    return 1 < len(token) <= MAX_WORD_LENGTH and not token.isdigit()


def normalised_words(text: str) -> list[str]:
    """The words of ``text`` with everyday variants replaced and stop-words removed."""
    words = []
    for token in tokens(text):
        variant = VARIANTS.get(token)
        if variant is None:
            if token not in STOP_WORDS:
                words.append(token)
        else:
            words.extend(word for word in variant.split() if word not in STOP_WORDS)
    return words


@lru_cache(maxsize=1)
def _sastrawi():
    # The plain stemmer, not the factory's CachedStemmer: that one keeps every word it ever
    # sees, without a bound.
    return StemmerFactory().create_stemmer().delegatedStemmer


def stem_id(word: str) -> str:
    """The Indonesian stem of one normalised word ("" when the stem is a stop-word)."""
    stem = STEM_OVERRIDES_ID.get(word)
    if stem is None:
        stem = (_sastrawi().stem_word(word) if word.isalpha() else word) or word
    stem = CANONICAL_STEMS.get(stem, stem)
    return "" if stem in STOP_WORDS else stem


def stem_en(word: str) -> str:
    """The English stem of one normalised word ("" when the stem is a stop-word).

    Strips plural -s/-es/-ies, then -ing, -ed or -ion after s/t, then a final -e, keeping
    at least three letters: "licences", "licensing" → "licens"; "registrations",
    "registrated" → "registrat"; "certificate", "certification" → "certificat".
    """
    stem = word
    if len(stem) > 3 and stem.isalpha():
        if stem.endswith("ies") and len(stem) > 4:
            stem = stem[:-3] + "y"
        elif stem.endswith(("sses", "xes", "ches", "shes", "zes")):
            stem = stem[:-2]
        elif stem.endswith("s") and not stem.endswith(("ss", "us", "is")):
            stem = stem[:-1]
        if stem.endswith("ing") and len(stem) >= 6:
            stem = _undouble(stem[:-3])
        elif stem.endswith("ed") and len(stem) >= 5:
            stem = _undouble(stem[:-2])
        elif stem.endswith("ion") and len(stem) >= 7 and stem[-4] in "st":
            stem = stem[:-3]
        if stem.endswith("e") and len(stem) >= 5:
            stem = stem[:-1]
    stem = CANONICAL_STEMS.get(stem, stem)
    return "" if stem in STOP_WORDS else stem


def _undouble(stem: str) -> str:
    # "planned" → "plan", "enrolling" → "enrol"; but "passed" → "pass", "staffed" → "staff".
    if len(stem) >= 4 and stem[-1] == stem[-2] and stem[-1] not in "aeiousfz":
        return stem[:-1]
    return stem


def stem(word: str, language: str) -> str:
    """The stem of one normalised word in ``language`` ("" for a stop-word)."""
    return stem_id(word) if language == "id" else stem_en(word)


def analyse_token(token: str, language: str) -> tuple[tuple[str, str], ...]:
    """The words that one folded token stands for (its variant, without stop-words), each
    with its stem in ``language`` ("" when the stem is a stop-word). Cached per process: it
    depends on the token alone, and stemming is the slow part of analysis."""
    return _TOKEN_ANALYSERS[language](token)


def _analyse_token(token: str, language: str) -> tuple[tuple[str, str], ...]:
    if not _is_word(token):
        return ()
    variant = VARIANTS.get(token)
    words = (token,) if variant is None else variant.split()
    return tuple((word, stem(word, language)) for word in words if word not in STOP_WORDS)


# One cache per language, keyed by the token alone (a cheaper key on the hot path of
# indexing); 65,536 tokens each is more than a 2,000-service catalogue's vocabulary.
_TOKEN_ANALYSERS = {
    language: lru_cache(maxsize=65_536)(partial(_analyse_token, language=language))
    for language in LANGUAGES
}


def analyse(text: str, language: str) -> tuple[list[str], list[str]]:
    """The normalised words of a text of the catalogue and its search terms in ``language``;
    the terms with the word that stands for each known phrase added after the phrase."""
    analyser = _TOKEN_ANALYSERS[language]
    pairs = [pair for token in _TOKEN.findall(fold(text)) for pair in analyser(token)]
    words = [word for word, _term in pairs]
    terms = [term for _word, term in pairs if term]
    table = phrase_table(language)
    if table.keys().isdisjoint(terms):
        return words, terms
    result: list[str] = []
    position = 0
    while position < len(terms):
        phrase, replacement = _phrase_at(terms, position, table)
        if phrase:
            result.extend(phrase)
            result.extend(term for _word, term in replacement if term not in phrase)
            position += len(phrase)
        else:
            result.append(terms[position])
            position += 1
    return words, result


def document_terms(text: str, language: str) -> list[str]:
    """The search terms of a text of the catalogue in ``language`` (see ``analyse``)."""
    return analyse(text, language)[1]


def query_words(text: str, language: str) -> list[Word]:
    """The words of a query in ``language``: at most ``MAX_QUERY_WORDS`` of its first
    ``MAX_QUERY_CHARACTERS`` characters, each known phrase replaced by the words that stand
    for it."""
    words: list[Word] = []
    for token in _TOKEN.findall(fold(text[:MAX_QUERY_CHARACTERS])):
        words.extend(Word(word, term) for word, term in analyse_token(token, language) if term)
        if len(words) >= MAX_QUERY_WORDS:
            break
    words = words[:MAX_QUERY_WORDS]
    terms = [word.term for word in words]
    table = phrase_table(language)
    result: list[Word] = []
    position = 0
    while position < len(words):
        phrase, replacement = _phrase_at(terms, position, table)
        if phrase:
            result.extend(Word(word, term) for word, term in replacement)
            position += len(phrase)
        else:
            result.append(words[position])
            position += 1
    # A word said twice is still one word of the question.
    unique: list[Word] = []
    for word in result:
        if all(word.term != other.term for other in unique):
            unique.append(word)
    return unique


Phrases = dict[str, list[tuple[tuple[str, ...], tuple[tuple[str, str], ...]]]]


def _phrase_at(
    terms: list[str], position: int, table: Phrases
) -> tuple[tuple[str, ...], tuple[tuple[str, str], ...]]:
    for phrase, replacement in table.get(terms[position], ()):
        if tuple(terms[position : position + len(phrase)]) == phrase:
            return phrase, replacement
    return (), ()


@lru_cache(maxsize=len(LANGUAGES))
def phrase_table(language: str) -> Phrases:
    """The phrases of ``lexicon.PHRASES`` as stems of ``language``, by their first stem,
    longest first, each with the (word, stem) pairs of its replacement."""
    table: Phrases = {}
    for text, replacement in PHRASES.items():
        phrase = tuple(term for term in (stem(w, language) for w in normalised_words(text)) if term)
        words = tuple((word, stem(word, language)) for word in normalised_words(replacement))
        if len(phrase) >= 2:
            table.setdefault(phrase[0], []).append(
                (phrase, tuple(pair for pair in words if pair[1]))
            )
    for phrases in table.values():
        phrases.sort(key=lambda entry: -len(entry[0]))
    return table


@lru_cache(maxsize=1)
def analysis_fingerprint() -> str:
    """A hash of everything besides the text that decides a text's terms."""
    settings = [
        ANALYSIS_VERSION,
        metadata.version("PySastrawi"),
        sorted(STOP_WORDS),
        VARIANTS,
        STEM_OVERRIDES_ID,
        CANONICAL_STEMS,
        PHRASES,
    ]
    return hashlib.sha256(json.dumps(settings, sort_keys=True).encode()).hexdigest()
