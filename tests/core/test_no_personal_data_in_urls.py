"""Personal identifiers never travel in URLs (issue: no personal data in logs, URLs or error
reports): no route of the site, its pages, the JSON API or the LRS, captures a parameter
named for a NIK, a NIP, a family card number, an e-mail address or a phone number. Addresses
end up in access logs, browser history and the Referer header; a page or an operation about
a person is found by an opaque public id instead."""

import re

from django.urls import URLResolver, get_resolver, path, re_path
from django.urls.resolvers import RoutePattern

#: Words that name a personal identifier, in a parameter name split at underscores.
PERSONAL_WORDS = {
    "nik",
    "nip",
    "kk",
    "ktp",
    "email",
    "mail",
    "phone",
    "telephone",
    "telepon",
    "hp",
    "msisdn",
    "whatsapp",
    "wa",
}


def route_parameters(resolver: URLResolver) -> list[tuple[str, str]]:
    """Every captured parameter of the URLconf under ``resolver``, as (route, name)."""
    found: list[tuple[str, str]] = []

    def names(entry) -> list[str]:
        pattern = entry.pattern
        converters = getattr(pattern, "converters", None)
        if converters:
            return list(converters)
        return list(pattern.regex.groupindex)

    def walk(current: URLResolver, prefix: str) -> None:
        for entry in current.url_patterns:
            route = prefix + str(entry.pattern)
            found.extend((route, name) for name in names(entry))
            if isinstance(entry, URLResolver):
                walk(entry, route)

    walk(resolver, "")
    return found


def personal(name: str) -> bool:
    words = re.split(r"[_\W]+", name.lower())
    return any(word in PERSONAL_WORDS for word in words) or name.lower() in PERSONAL_WORDS


def test_no_route_captures_a_personal_identifier():
    parameters = route_parameters(get_resolver())
    # The walk reaches the pages and the API, which do take parameters.
    assert any(name == "public_id" for _, name in parameters)
    offending = [(route, name) for route, name in parameters if personal(name)]
    assert offending == []


def test_a_route_with_a_personal_identifier_would_be_found():
    def view(request, **kwargs):
        raise AssertionError("never called")

    resolver = URLResolver(
        RoutePattern(""),
        [
            path("warga/<str:nik>/", view),
            path("pegawai/<str:employee_nip>/", view),
            re_path(r"^kontak/(?P<phone_number>[0-9]+)/$", view),
            path("kasus/<uuid:public_id>/", view),
        ],
    )
    offending = {name for _, name in route_parameters(resolver) if personal(name)}
    assert offending == {"nik", "employee_nip", "phone_number"}


def test_words_that_only_contain_a_personal_word_are_not_flagged():
    assert not personal("public_id")
    assert not personal("unique_code")  # "nik" is in "unique", but it is not a word of it
    assert personal("nik")
    assert personal("email_address")
