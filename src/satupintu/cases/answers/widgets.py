"""The Django field (or fields) that asks one question on a page: inputs that suit the type
and a cheap phone (a numeric keyboard for numbers, ``type=date`` with a typed fallback, radio
buttons for short choices), labels and hints in the active language. Every Django field is
optional: what is required is checked by ``validate_answers``, with one set of messages for
pages and the API.
"""

from django import forms
from django.utils.translation import gettext as _

from satupintu.cases.answers import places
from satupintu.cases.answers.fields import (
    accepted_types,
    date_limit,
    megabytes,
    size_limit_mb,
    type_names,
)
from satupintu.core import regions
from satupintu.core.language import pick

# Up to this many options show as radio buttons; more as a drop-down list.
RADIO_MAX_OPTIONS = 6
_EXTENSIONS = {
    "application/pdf": ".pdf",
    "image/jpeg": ".jpg,.jpeg",
    "image/png": ".png",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": ".xlsx",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ".docx",
}


class _AnyChoiceField(forms.ChoiceField):
    """A choice whose value ``validate_answers`` checks (one message for pages and API)."""

    def valid_value(self, value) -> bool:
        return True


class _AnyMultipleChoiceField(forms.MultipleChoiceField):
    def valid_value(self, value) -> bool:
        return True


def help_text(field: dict, *extra: str) -> str:
    return " ".join(part for part in (pick(field.get("help")), *extra) if part)


def question_label(field: dict) -> str:
    text = pick(field.get("label")) or field["key"]
    return text if field.get("required", True) else _("%(label)s (optional)") % {"label": text}


def _text_input(**attrs) -> forms.TextInput:
    return forms.TextInput(attrs={key.replace("_", "-"): value for key, value in attrs.items()})


def _file_help(field: dict, requirement: dict | None, uploaded: str | None) -> str:
    rules = _("%(types)s, at most %(mb)s MB.") % {
        "types": type_names(accepted_types(field, requirement)),
        "mb": megabytes(size_limit_mb(field, requirement)),
    }
    if uploaded:
        now = _("Uploaded: %(name)s. Choose a new file only to replace it.") % {
            "name": places.short(uploaded, 60)
        }
        return help_text(field, rules, now)
    return help_text(field, rules)


def django_fields(
    field: dict, name: str, *, requirement: dict | None, uploaded: str | None
) -> dict[str, forms.Field]:
    """The Django field(s) for one question: required is checked by ``validate_answers``."""
    kind = field["type"]
    text = question_label(field)
    common = {"label": text, "required": False, "help_text": help_text(field)}
    if kind == "text":
        return {name: forms.CharField(**common, widget=_text_input())}
    if kind == "textarea":
        return {name: forms.CharField(**common, widget=forms.Textarea(attrs={"rows": 5}))}
    if kind in ("number", "money"):
        whole = kind == "money" or field.get("integer")
        widget = _text_input(
            inputmode="numeric" if whole else "decimal", class_="input--short", spellcheck="false"
        )
        return {name: forms.CharField(**common, widget=widget)}
    if kind == "date":
        attrs = {"type": "date", "class": "input--short", "placeholder": "2024-08-17"}
        for limit in ("min", "max"):
            bound = date_limit(field.get(limit)) if field.get(limit) is not None else None
            if bound:
                attrs[limit] = bound.isoformat()
        widget = forms.DateInput(attrs=attrs, format="%Y-%m-%d")
        return {name: forms.CharField(**common, widget=widget)}
    if kind == "choice":
        options = [(option["value"], pick(option["label"])) for option in field["options"]]
        if field.get("multiple"):
            return {
                name: _AnyMultipleChoiceField(
                    **common, choices=options, widget=forms.CheckboxSelectMultiple
                )
            }
        if len(options) <= RADIO_MAX_OPTIONS:
            return {name: _AnyChoiceField(**common, choices=options, widget=forms.RadioSelect)}
        choices = [("", _("Choose…")), *options]
        return {name: _AnyChoiceField(**common, choices=choices, widget=forms.Select)}
    if kind == "yes_no":
        choices = [("true", _("Yes")), ("false", _("No"))]
        return {name: _AnyChoiceField(**common, choices=choices, widget=forms.RadioSelect)}
    if kind in ("nik", "kk", "nib"):
        widget = _text_input(
            inputmode="numeric", autocomplete="off", spellcheck="false", class_="input--medium"
        )
        return {name: forms.CharField(**common, widget=widget)}
    if kind == "email":
        widget = forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"})
        return {name: forms.CharField(**common, widget=widget)}
    if kind == "phone":
        widget = _text_input(
            type="tel", inputmode="numeric", autocomplete="tel", class_="input--medium"
        )
        return {name: forms.CharField(**common, widget=widget)}
    if kind == "region":
        if field["level"] == "province":
            provinces = [(region.code, region.name) for region in regions.children()]
            return {
                name: _AnyChoiceField(
                    **common, choices=[("", _("Choose…")), *provinces], widget=forms.Select
                )
            }
        hint = _("Type the name, for example %(example)s, or its Home Affairs code.") % {
            "example": {
                "city": "Kota Surabaya",
                "district": "Tegalsari, Kota Surabaya",
                "village": "Kedungdoro, Tegalsari",
            }[field["level"]]
        }
        common["help_text"] = help_text(field, hint)
        return {name: forms.CharField(**common, widget=_text_input(autocomplete="off"))}
    if kind == "address":
        village_hint = _(
            "Type the name of the kelurahan or desa, for example Kedungdoro, Tegalsari, or its "
            "Home Affairs code."
        )
        return {
            f"{name}_street": forms.CharField(
                label=_("Street, number, RT/RW"),
                required=False,
                help_text=pick(field.get("help")),
                widget=_text_input(autocomplete="street-address"),
            ),
            f"{name}_village": forms.CharField(
                label=_("Village (kelurahan or desa)"),
                required=False,
                help_text=village_hint,
                widget=_text_input(autocomplete="off"),
            ),
        }
    if kind == "file":
        types = accepted_types(field, requirement)
        accept = ",".join([*types, *(_EXTENSIONS[t] for t in types if t in _EXTENSIONS)])
        common["help_text"] = _file_help(field, requirement, uploaded)
        return {
            name: forms.FileField(
                **common, allow_empty_file=True, widget=forms.FileInput(attrs={"accept": accept})
            )
        }
    raise ValueError(f"unknown field type {kind!r}")
