"""The forms of the survey pages: the survey itself (by link and at the counter), the
report's filters and the follow-up plan. They only read what was typed; the rules are the
services' (``answers_clean``), whose errors the views put next to the fields."""

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from satupintu.feedback import periods
from satupintu.feedback.constants import ELEMENTS, PROFILE_CHOICES, SUGGESTION_MAX_LENGTH
from satupintu.feedback.services import PLAN_MAX_LENGTH

PROFILE_LABELS = {
    "age_band": _("Age"),
    "sex": _("Sex"),
    "education": _("Highest education"),
    "occupation": _("Main occupation"),
}


class SurveyForm(forms.Form):
    """The nine elements (each optional), a suggestion, and the optional profile."""

    suggestion = forms.CharField(
        label=_("Your suggestion (optional)"),
        help_text=_("What should the agency do better? Do not write your name or NIK."),
        required=False,
        max_length=SUGGESTION_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"max_length": _("Keep your suggestion to %(limit_value)d characters.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for element in ELEMENTS:
            self.fields[element.code] = forms.TypedChoiceField(
                label=element.question,
                choices=[(str(value), label) for value, label in element.choices()],
                coerce=int,
                required=False,
                empty_value=None,
                widget=forms.RadioSelect,
                error_messages={"invalid_choice": _("Choose one of the four answers.")},
            )
        for name, choices in PROFILE_CHOICES.items():
            self.fields[name] = forms.ChoiceField(
                label=PROFILE_LABELS[name],
                choices=[("", _("I prefer not to say")), *list(choices.choices)],
                required=False,
                error_messages={"invalid_choice": _("Choose one of the answers given.")},
            )
        # The elements first, in code order; then the suggestion and the profile.
        order = [element.code for element in ELEMENTS] + ["suggestion", *PROFILE_CHOICES]
        self.order_fields(order)

    def element_fields(self) -> list[tuple]:
        """(element, bound field) for the template, in code order."""
        return [(element, self[element.code]) for element in ELEMENTS]

    def profile_fields(self) -> list:
        return [self[name] for name in PROFILE_CHOICES]

    def answers(self) -> dict[str, int | None]:
        return {element.code: self.cleaned_data.get(element.code) for element in ELEMENTS}

    def profile(self) -> dict[str, str]:
        return {name: self.cleaned_data.get(name) or "" for name in PROFILE_CHOICES}


class ReportFilterForm(forms.Form):
    """What a report covers: a scope (agency, unit, service, service centre) and a period —
    one of the recent quarters, half years and years, or any span of dates."""

    # Codes, not choices: a code outside the person's scope is the selectors' to refuse
    # ("not found"), not a form error that would tell it exists.
    agency = forms.CharField(label=_("Agency"), required=False, max_length=64)
    unit = forms.CharField(label=_("Unit"), required=False, max_length=64)
    service = forms.CharField(label=_("Service"), required=False, max_length=130)
    office = forms.CharField(label=_("Public service centre"), required=False, max_length=64)
    period = forms.CharField(label=_("Period"), required=False, max_length=40)
    date_from = forms.DateField(
        label=_("Or from"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": _("Enter a date like 2026-01-31.")},
    )
    date_to = forms.DateField(
        label=_("Until"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": _("Enter a date like 2026-03-31.")},
    )

    def __init__(self, *args, choices, today: datetime.date | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        today = today or timezone.localdate()
        self.default_period = periods.last_complete_quarter(today)
        # The options of each select, for the template: (code, label).
        self.options = {
            "agency": [("", _("My agency (or all I may see)"))]
            + [(a.code, a.name) for a in choices.agencies],
            "unit": [("", _("All units"))]
            + [
                (u.code, f"{u.name} ({u.agency.short_name or u.agency.code})")
                for u in choices.units
            ],
            "service": [("", _("All services"))]
            + [
                (s.code, f"{s.name} ({s.agency.short_name or s.agency.code})")
                for s in choices.services
            ],
            "office": [("", _("Any place"))] + [(o.code, o.name) for o in choices.offices],
        }
        self.recent_periods = periods.recent_periods(today)
        self.fields["period"].initial = self.default_period.key

    def clean_period(self) -> str:
        key = (self.cleaned_data.get("period") or "").strip()
        if key:
            try:
                periods.period_parse(key)
            except ValueError:
                raise forms.ValidationError(
                    _("Choose a period from the list, or give its dates below.")
                ) from None
        return key

    def period_choices(self, current: periods.Period) -> list[tuple[str, str, bool]]:
        """(key, label, selected) of the periods to offer, the current one included."""
        offered = list(self.recent_periods)
        if current.kind != periods.CUSTOM and current not in offered:
            offered.insert(0, current)
        return [(p.key, p.label, p == current) for p in offered]

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if bool(start) != bool(end) and not self.has_error("date_from"):
            self.add_error(
                "date_to" if start else "date_from",
                _("Give both dates of the period, or choose a period from the list."),
            )
        elif start and end:
            try:
                data["period_value"] = periods.period_span(start, end)
            except ValueError:
                self.add_error(
                    "date_to",
                    _("The end must be on or after the start, and within ten years of it."),
                )
        else:
            key = data.get("period") or self.default_period.key
            data["period_value"] = periods.period_parse(key)
        return data

    def scope_selects(self, chosen: dict[str, str]) -> list[dict]:
        """Each scope select with its options and the chosen one, for the template."""
        return [
            {
                "field": self[name],
                "options": [
                    (code, label, code == chosen.get(name, ""))
                    for code, label in self.options[name]
                ],
            }
            for name in ("agency", "unit", "service", "office")
        ]

    def scope_codes(self) -> dict[str, str]:
        return {
            name: self.cleaned_data.get(name) or ""
            for name in ("agency", "unit", "service", "office")
        }


class FollowUpForm(forms.Form):
    plan = forms.CharField(
        label=_("Follow-up plan"),
        help_text=_(
            "What the agency will do about the weakest elements, by when, and who is responsible."
        ),
        max_length=PLAN_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": _("Write what the agency will do about these results.")},
    )
    publish = forms.BooleanField(label=_("Publish this plan with the report"), required=False)
