"""The forms of the complaint pages. They keep and limit what was typed; the rules (what is
required, what an anonymous complaint keeps) are the services'."""

import datetime
import secrets

from django import forms
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from satupintu.complaints import codes
from satupintu.complaints.constants import (
    BODY_MAX_LENGTH,
    NAME_MAX_LENGTH,
    PHONE_MAX_LENGTH,
    TITLE_MAX_LENGTH,
    ComplaintKind,
    RejectionReason,
)

TEXTAREA = {"rows": 6}


def _text(label, *, help_text="", rows: int = 4, required: bool = True, message=None):
    return forms.CharField(
        label=label,
        help_text=help_text,
        max_length=BODY_MAX_LENGTH,
        required=required,
        widget=forms.Textarea(attrs={"rows": rows}),
        error_messages={"required": message} if message else {},
    )


class ComplaintForm(forms.Form):
    """A report. ``subject`` offers the person's own cases (signed in), each agency and its
    services; the people who file without an account also see name, e-mail and phone."""

    kind = forms.ChoiceField(
        label=gettext_lazy("What do you want to report?"),
        choices=ComplaintKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": gettext_lazy("Choose what kind of report this is.")},
    )
    subject = forms.ChoiceField(
        label=gettext_lazy("What is it about?"),
        help_text=gettext_lazy(
            "A service, an agency, or one of your applications. If you do not know, leave it: "
            "the coordinator finds the agency responsible."
        ),
        required=False,
    )
    title = forms.CharField(
        label=gettext_lazy("Title"),
        help_text=gettext_lazy(
            "In a few words, for example “Birth certificate not issued after 3 weeks”."
        ),
        max_length=TITLE_MAX_LENGTH,
        error_messages={"required": gettext_lazy("Give your report a title.")},
    )
    body = _text(
        gettext_lazy("What happened?"),
        help_text=gettext_lazy(
            "Where and when, who was involved, and what you would like to happen. Do not write "
            "your NIK or other people's personal data."
        ),
        rows=8,
        message=gettext_lazy("Describe what happened."),
    )
    anonymous = forms.BooleanField(
        label=gettext_lazy("Anonymous: hide who I am"),
        help_text=gettext_lazy(
            "Nobody who handles the report — the coordinator or the agency — sees your name "
            "or contact details. No name or phone number is kept."
        ),
        required=False,
    )
    confidential = forms.BooleanField(
        label=gettext_lazy("Confidential: do not publish this report"),
        help_text=gettext_lazy(
            "Otherwise its title, text and the agency's answer may appear on the public list "
            "of reports, without your name."
        ),
        required=False,
    )
    name = forms.CharField(
        label=gettext_lazy("Your name (optional)"),
        max_length=NAME_MAX_LENGTH,
        required=False,
    )
    email = forms.EmailField(
        label=gettext_lazy("Your e-mail address (optional)"),
        help_text=gettext_lazy(
            "We write to it when there is news about your report. It is never shown to "
            "anyone, even if you are not anonymous."
        ),
        max_length=254,
        required=False,
        error_messages={"invalid": gettext_lazy("Enter an e-mail address such as nama@contoh.id.")},
    )
    phone = forms.CharField(
        label=gettext_lazy("Your phone number (optional)"),
        max_length=PHONE_MAX_LENGTH,
        required=False,
    )
    # Makes a second press of the button (or a reload) return the report already made.
    token = forms.CharField(widget=forms.HiddenInput, max_length=64, required=False)

    def __init__(self, *args, subjects: list, signed_in: bool, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["subject"].choices = [
            ("", _("I do not know — let the coordinator decide")),
            *subjects,
        ]
        if signed_in:
            for name in ("name", "email", "phone"):
                del self.fields[name]
        if not self.is_bound:
            self.initial.setdefault("token", secrets.token_urlsafe(24))


class FollowForm(forms.Form):
    """Open a report filed without an account: its report number and follow-up code."""

    tracking = forms.CharField(
        label=gettext_lazy("Report number"),
        help_text=gettext_lazy("For example ADU-K7QM-4XRT-9."),
        max_length=64,
        widget=forms.TextInput(
            attrs={"class": "input--short", "autocomplete": "off", "spellcheck": "false"}
        ),
        error_messages={"required": gettext_lazy("Enter the report number.")},
    )
    code = forms.CharField(
        label=gettext_lazy("Follow-up code"),
        help_text=gettext_lazy("The twelve letters and digits shown when you sent the report."),
        max_length=64,
        widget=forms.PasswordInput(attrs={"class": "input--short", "autocomplete": "off"}),
        error_messages={"required": gettext_lazy("Enter the follow-up code.")},
    )

    def clean_tracking(self) -> str:
        number = codes.tracking_normalise(self.cleaned_data["tracking"])
        if number is None:
            raise forms.ValidationError(
                _("This is not a report number. It looks like ADU-K7QM-4XRT-9.")
            )
        return number


class MessageForm(forms.Form):
    body = _text(
        gettext_lazy("Your message"), rows=5, message=gettext_lazy("Write a message first.")
    )


class StaffMessageForm(forms.Form):
    body = _text(
        gettext_lazy("Message or note"),
        help_text=gettext_lazy(
            "“Send to the complainant” reaches them through the platform; “Add internal note” "
            "stays between the coordinator and the agency."
        ),
        message=gettext_lazy("Write a message first."),
    )


class RouteForm(forms.Form):
    agency = forms.ChoiceField(
        label=gettext_lazy("Agency responsible"),
        error_messages={"required": gettext_lazy("Choose the agency to send it to.")},
    )
    unit = forms.ChoiceField(
        label=gettext_lazy("Unit (optional)"),
        help_text=gettext_lazy("Leave empty to let the whole agency see it."),
        required=False,
    )
    note = _text(
        gettext_lazy("Note for the agency (optional)"),
        help_text=gettext_lazy("Only the agency and the coordinators see it."),
        rows=3,
        required=False,
    )

    def __init__(self, *args, agencies: list, units: list, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.agencies = {agency.code: agency for agency in agencies}
        self.units = {str(unit.public_id): unit for unit in units}
        self.fields["agency"].choices = [("", _("Choose an agency"))] + [
            (agency.code, agency.name) for agency in agencies
        ]
        grouped: dict[str, list] = {}
        for unit in units:
            grouped.setdefault(unit.agency.name, []).append((str(unit.public_id), unit.name))
        self.fields["unit"].choices = [("", _("The whole agency")), *list(grouped.items())]

    def clean(self):
        cleaned = super().clean()
        agency = self.agencies.get(cleaned.get("agency") or "")
        unit = self.units.get(cleaned.get("unit") or "")
        if agency and unit and unit.agency_id != agency.pk:
            self.add_error("unit", _("Choose a unit of the chosen agency, or none."))
        cleaned["agency_obj"], cleaned["unit_obj"] = agency, unit
        return cleaned


class RejectForm(forms.Form):
    reason = forms.ChoiceField(
        label=gettext_lazy("Why is it not taken further?"),
        choices=RejectionReason.choices,
        widget=forms.RadioSelect,
        error_messages={"required": gettext_lazy("Choose why the report is not taken further.")},
    )
    note = _text(
        gettext_lazy("Explanation for the complainant"),
        help_text=gettext_lazy(
            "Say why, and where they can turn instead. The complainant reads it."
        ),
        rows=3,
        message=gettext_lazy("Explain to the complainant why, and where they can turn instead."),
    )


class RequestInformationForm(forms.Form):
    message = _text(
        gettext_lazy("What should the complainant add?"),
        help_text=gettext_lazy("The deadline stops until they answer."),
        rows=3,
        message=gettext_lazy("Write what the complainant should add."),
    )


class FollowUpForm(forms.Form):
    body = _text(
        gettext_lazy("The agency's follow-up"),
        help_text=gettext_lazy(
            "What the agency found and what it did or will do. The complainant reads it; unless "
            "it is confidential, it may be published with the report."
        ),
        rows=6,
        message=gettext_lazy("Write the agency's follow-up."),
    )


class ExportForm(forms.Form):
    date_from = forms.DateField(
        label=gettext_lazy("From"),
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"required": gettext_lazy("Enter the first day of the period.")},
    )
    date_to = forms.DateField(
        label=gettext_lazy("To"),
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"required": gettext_lazy("Enter the last day of the period.")},
    )
    format = forms.ChoiceField(
        label=gettext_lazy("Format"),
        choices=[("json", "JSON (SP4N-LAPOR!)"), ("csv", "CSV")],
        widget=forms.RadioSelect,
        initial="json",
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        self.initial.setdefault("date_from", today.replace(day=1))
        self.initial.setdefault("date_to", today)

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", _("The end of the period is before its start."))
        if start and end and end - start > datetime.timedelta(days=366):
            self.add_error("date_to", _("Export at most one year at a time."))
        return cleaned
