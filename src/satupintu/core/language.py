"""Bilingual content: Indonesian first, English second."""

from django.utils.translation import get_language

LANGUAGE_CODES = ("id", "en")


def active_language() -> str:
    """The active language, reduced to one of the platform's two ('id' by default)."""
    language = (get_language() or "id")[:2]
    return language if language in LANGUAGE_CODES else "id"


def pick(text: dict | str | None, language: str | None = None) -> str:
    """The text of a ``{"id": …, "en": …}`` mapping in the active language, falling back to
    Indonesian."""
    if text is None:
        return ""
    if isinstance(text, str):
        return text
    language = language or active_language()
    return text.get(language) or text.get("id") or ""


class Localised:
    """Pick the text of the active language from a pair of ``<field>_id`` / ``<field>_en``
    model fields."""

    def localised(self, field: str) -> str:
        return getattr(self, f"{field}_{active_language()}", "") or getattr(self, f"{field}_id", "")
