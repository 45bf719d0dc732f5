"""Template tags and filters of Satupintu's pages: bilingual text, money, file types, rules in
plain words, the language switcher and accessible form fields.

Load with ``{% load satupintu_tags %}``.
"""

import re
from urllib.parse import urlsplit, urlunsplit

from django import template
from django.conf import settings
from django.forms.boundfield import BoundField, BoundWidget
from django.urls import translate_url
from django.utils.translation import get_language_info
from django.utils.translation import gettext as _

from satupintu.accounts.constants import LegalForm
from satupintu.core.language import active_language, pick

register = template.Library()

# A next URL longer than this (a pasted 10 kB query) keeps its path and drops its query.
_MAX_NEXT_LENGTH = 2000


# Bilingual content ---------------------------------------------------------------------


@register.filter(name="pick")
def pick_filter(text: dict | str | None) -> str:
    """The text of a ``{"id": …, "en": …}`` mapping in the active language."""
    return pick(text)


@register.filter
def localised(obj, field: str) -> str:
    """``{{ office|localised:"opening_hours" }}``: a model's ``<field>_id``/``<field>_en`` in
    the active language."""
    return obj.localised(field) if hasattr(obj, "localised") else ""


@register.filter
def rupiah(amount: int | str | None) -> str:
    """An amount in rupiah as people write it: ``Rp 50.000`` in Indonesian, ``Rp 50,000`` in
    English; "Free" when it is 0."""
    try:
        value = int(amount or 0)
    except (TypeError, ValueError):
        return ""
    if value == 0:
        return _("Free")
    digits = f"{value:,}"
    if active_language() == "id":
        digits = digits.replace(",", ".")
    return f"Rp\u00a0{digits}"


_MIME_LABELS = {
    "application/pdf": "PDF",
    "image/jpeg": "JPG",
    "image/png": "PNG",
    "image/webp": "WebP",
    "image/heic": "HEIC",
    "application/zip": "ZIP",
    "application/msword": "Word (DOC)",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "Word (DOCX)",
    "application/vnd.ms-excel": "Excel (XLS)",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "Excel (XLSX)",
}


@register.filter
def file_types(mime_types: list[str] | None) -> str:
    """MIME types as the names people know: ``PDF, JPG, PNG``."""
    labels: list[str] = []
    for mime in mime_types or []:
        label = _MIME_LABELS.get(mime) or mime.rsplit("/", 1)[-1].upper()
        if label not in labels:
            labels.append(label)
    return ", ".join(labels)


@register.filter
def megabytes(value: float | int | None) -> str:
    """``5`` → ``5 MB``; ``2.5`` → ``2.5 MB``."""
    if value is None:
        return ""
    number = float(value)
    text = f"{number:g}"
    if active_language() == "id":
        text = text.replace(".", ",")
    return f"{text}\u00a0MB"


@register.filter
def tel(value: str) -> str:
    """A phone number as a ``tel:`` address: digits and a leading +."""
    value = str(value or "")
    digits = re.sub(r"[^0-9+]", "", value)
    return f"tel:{digits}"


@register.filter
def http_url(value: str | None) -> str:
    """``value`` if it is an http(s) address, else "": what a definition says is a website
    becomes a link only when it cannot run script."""
    value = str(value or "").strip()
    return value if value.lower().startswith(("https://", "http://")) else ""


# Rules in plain words ------------------------------------------------------------------

_TERM = re.compile(
    r"""^\s*(?P<root>answers|applicant|business)\.(?P<name>\w+)\s*
    (?P<op>==|!=|>=|<=|>|<)\s*
    (?P<value>true|false|"[^"]*"|'[^']*'|-?\d+(?:\.\d+)?)\s*$""",
    re.VERBOSE,
)


def _fields_by_key(fields: list[dict] | None) -> dict[str, dict]:
    found: dict[str, dict] = {}
    for item in fields or []:
        if not isinstance(item, dict) or "key" not in item:
            continue
        found.setdefault(item["key"], item)
        if item.get("fields"):
            for key, value in _fields_by_key(item["fields"]).items():
                found.setdefault(key, value)
    return found


def _literal(raw: str) -> str | bool | float:
    if raw in ("true", "false"):
        return raw == "true"
    if raw[:1] in ("'", '"'):
        return raw[1:-1]
    return float(raw)


def _number(value: float) -> str:
    return f"{value:g}"


def _comparison(op: str, subject: str, value: str) -> str | None:
    texts = {
        ">=": _("%(subject)s is at least %(value)s"),
        ">": _("%(subject)s is more than %(value)s"),
        "<=": _("%(subject)s is at most %(value)s"),
        "<": _("%(subject)s is less than %(value)s"),
    }
    text = texts.get(op)
    return text % {"subject": subject, "value": value} if text else None


def _describe_answer(field: dict | None, name: str, op: str, value) -> str | None:
    label = pick(field.get("label")) if field else ""
    if not label:
        return None
    label = label.rstrip("?:").strip()
    if isinstance(value, bool):
        answer = _("yes") if value == (op == "==") else _("no")
        if op not in ("==", "!="):
            return None
        return _("you answer “%(label)s” with %(answer)s") % {"label": label, "answer": answer}
    if isinstance(value, str):
        options = {
            option.get("value"): pick(option.get("label")) for option in field.get("options") or []
        }
        shown = options.get(value) or value
        if op == "==":
            return _("“%(label)s” is “%(answer)s”") % {"label": label, "answer": shown}
        if op == "!=":
            return _("“%(label)s” is not “%(answer)s”") % {"label": label, "answer": shown}
        return None
    return _comparison(op, f"“{label}”", _number(value))


def _describe_applicant(name: str, op: str, value) -> str | None:
    if name == "age" and isinstance(value, float):
        texts = {
            ">=": _("the applicant is %(age)s or older"),
            ">": _("the applicant is older than %(age)s"),
            "<": _("the applicant is younger than %(age)s"),
            "<=": _("the applicant is %(age)s or younger"),
        }
        return texts[op] % {"age": _number(value)} if op in texts else None
    if name == "sex" and value in ("M", "F") and op in ("==", "!="):
        is_woman = (value == "F") == (op == "==")
        return _("the applicant is a woman") if is_woman else _("the applicant is a man")
    if name == "kind" and value in ("citizen", "business") and op in ("==", "!="):
        is_business = (value == "business") == (op == "==")
        return _("the applicant is a business") if is_business else _("the applicant is a person")
    if name == "region" and isinstance(value, str) and op in ("==", "!="):
        from satupintu.core import regions

        place = regions.region_name(value) or value
        if op == "==":
            return _("the applicant lives in %(place)s") % {"place": place}
        return _("the applicant does not live in %(place)s") % {"place": place}
    return None


def describe_condition(expression: str | None, fields: list[dict] | None = None) -> str:
    """A CEL rule of a definition in plain words, using the question labels of ``fields``.

    Handles what definitions mostly say — comparisons of answers and of the applicant's
    age, sex, kind and region, joined by ``&&`` or ``||`` — and returns "" for anything
    else, so that the page can fall back to a general phrase.
    """
    if not expression or "(" in expression or len(expression) > 1000:
        return ""
    if "&&" in expression and "||" in expression:
        return ""
    if "&&" in expression:
        joiner, parts = " {} ".format(_("and")), expression.split("&&")
    else:
        joiner, parts = " {} ".format(_("or")), expression.split("||")
    by_key = _fields_by_key(fields)
    described: list[str] = []
    for part in parts:
        match = _TERM.match(part)
        if not match:
            return ""
        root, name, op = match["root"], match["name"], match["op"]
        value = _literal(match["value"])
        if root == "answers":
            text = _describe_answer(by_key.get(name), name, op, value)
        elif root == "applicant":
            text = _describe_applicant(name, op, value)
        elif root == "business" and name == "legal_form" and isinstance(value, str) and op == "==":
            labels = dict(LegalForm.choices)
            text = _("the business is a %(form)s") % {"form": labels.get(value, value)}
        else:
            text = None
        if not text:
            return ""
        described.append(text)
    return joiner.join(described)


@register.simple_tag
def condition(expression: str | None, fields: list[dict] | None = None) -> str:
    """``{% condition entry.when questions as text %}``: the rule in plain words, or ""."""
    return describe_condition(expression, fields)


# Language switcher ---------------------------------------------------------------------


def _other_language_url(path: str, language: str) -> str:
    """``path`` of a page in the active language, as the same page in ``language``.

    ``translate_url`` knows every page of the URL configuration; a path that it cannot
    resolve (a 404) gets its language prefix swapped by hand.
    """
    if len(path) > _MAX_NEXT_LENGTH:
        path = urlsplit(path).path[:_MAX_NEXT_LENGTH]
    translated = translate_url(path, language)
    if translated != path or language == active_language():
        return translated
    parts = urlsplit(path)
    bare = parts.path
    for code, _name in settings.LANGUAGES:
        if code != settings.LANGUAGE_CODE and (bare == f"/{code}" or bare.startswith(f"/{code}/")):
            bare = bare[len(code) + 1 :] or "/"
            break
    if language != settings.LANGUAGE_CODE:
        bare = f"/{language}{bare}"
    return urlunsplit(("", "", bare, parts.query, ""))


@register.simple_tag(takes_context=True)
def language_choices(context) -> list[dict]:
    """The languages the person may switch to, each with the ``next`` URL that shows the
    current page in that language."""
    request = context.get("request")
    path = request.get_full_path() if request is not None else "/"
    current = active_language()
    choices = []
    for code, _name in settings.LANGUAGES:
        info = get_language_info(code)
        choices.append(
            {
                "code": code,
                "name_local": info["name_local"],
                "current": code == current,
                "next": _other_language_url(path, code),
            }
        )
    return choices


# Form fields ---------------------------------------------------------------------------


@register.simple_tag
def widget(field: BoundField, **attrs) -> str:
    """A form field's widget with what assistive technology needs: the ids of its hint and
    error messages in ``aria-describedby``, and ``aria-invalid`` when it has errors."""
    described = []
    if field.help_text:
        described.append(f"{field.auto_id}-hint")
    if field.errors:
        described.append(f"{field.auto_id}-error")
        attrs["aria-invalid"] = "true"
        base = attrs.get("class") or field.field.widget.attrs.get("class", "")
        attrs["class"] = f"{base} input--error".strip()
    if described:
        attrs["aria-describedby"] = " ".join(described)
    return field.as_widget(attrs=attrs)


@register.simple_tag
def choice_input(option: BoundWidget, field: BoundField) -> str:
    """One radio button or checkbox of ``field`` (``{% for option in field %}``), marked
    ``aria-invalid`` when the field has errors; the fieldset around the options names the
    error message in its ``aria-describedby``."""
    if field.errors:
        option.data["attrs"] = {**option.data["attrs"], "aria-invalid": "true"}
    return option.tag()
