"""The forms of the data protection pages. They keep and limit what was typed; the rules are
the services'."""

from django import forms
from django.utils.translation import gettext_lazy as _

from satupintu.privacy.constants import CorrectableField, DataKind, DeletionScope
from satupintu.privacy.services.breaches import TEXT_MAX_LENGTH
from satupintu.privacy.services.requests import REASON_MAX_LENGTH, VALUE_MAX_LENGTH

MOMENT = "%Y-%m-%dT%H:%M"


def _text(label, *, help_text="", required=True, max_length=REASON_MAX_LENGTH, rows=4):
    return forms.CharField(
        label=label,
        help_text=help_text,
        required=required,
        max_length=max_length,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


def _moment(label, *, help_text="", required=True):
    return forms.DateTimeField(
        label=label,
        help_text=help_text,
        required=required,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=MOMENT),
    )


# The person's requests --------------------------------------------------------------------


class CorrectionRequestForm(forms.Form):
    field = forms.ChoiceField(
        label=_("Which data is wrong?"),
        choices=CorrectableField.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose which data is wrong.")},
    )
    proposed_value = forms.CharField(
        label=_("What should it be?"),
        help_text=_("Write it as it should be, for example as it is on your identity card."),
        max_length=VALUE_MAX_LENGTH,
        error_messages={"required": _("Write what it should be.")},
    )
    reason = _text(
        _("Anything to add (optional)"),
        help_text=_("For example where the right data can be checked."),
        required=False,
    )


class DeletionRequestForm(forms.Form):
    scope = forms.ChoiceField(
        label=_("What should be deleted?"),
        choices=DeletionScope.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose what to delete.")},
    )
    reason = _text(_("Why (optional)"), required=False)
    understood = forms.BooleanField(
        label=_("I understand that deleting all my data closes my account for good."),
        required=False,
    )

    def clean(self):
        data = super().clean()
        if data.get("scope") == DeletionScope.ALL and not data.get("understood"):
            self.add_error(
                "understood", _("Confirm that you understand that your account will be closed.")
            )
        return data


# The officers' answers --------------------------------------------------------------------


class CorrectForm(forms.Form):
    field = forms.ChoiceField(
        label=_("Data to correct"),
        choices=[choice for choice in CorrectableField.choices if choice[0] != "other"],
    )
    value = forms.CharField(
        label=_("Corrected value"),
        help_text=_("A date as YYYY-MM-DD; sex as M or F."),
        max_length=VALUE_MAX_LENGTH,
        error_messages={"required": _("Write the corrected value.")},
    )
    answer = _text(_("Note to the person (optional)"), required=False, rows=3)


class EraseForm(forms.Form):
    answer = _text(_("Note to the person (optional)"), required=False, rows=3)
    confirm = forms.BooleanField(
        label=_("I checked who is asking and carry out the deletion."),
        error_messages={"required": _("Confirm that you checked who is asking.")},
    )


class RefuseForm(forms.Form):
    reason = _text(
        _("Why is it refused?"),
        help_text=_("For example: we could not verify that you are the person the data is about."),
    )


# The breach register ----------------------------------------------------------------------


class BreachForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    discovered_at = _moment(
        _("Discovered"), help_text=_("The notice is due 3×24 hours after this moment.")
    )
    occurred_at = _moment(
        _("Happened (if known)"), help_text=_("When the data were disclosed."), required=False
    )
    description = _text(
        _("What happened"),
        help_text=_("How the data were disclosed, and to whom, as far as is known."),
        max_length=TEXT_MAX_LENGTH,
        rows=6,
    )
    data_kinds = forms.MultipleChoiceField(
        label=_("Kinds of personal data disclosed"),
        choices=DataKind.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose the kinds of personal data that were disclosed.")},
    )
    data_other = forms.CharField(label=_("Other data"), max_length=300, required=False)
    people_affected = forms.IntegerField(
        label=_("Number of people affected"),
        help_text=_("Your best estimate; change it as more is known."),
        min_value=0,
    )
    cause = _text(_("Cause"), required=False, max_length=TEXT_MAX_LENGTH)
    measures = _text(
        _("What is being done to handle it and recover"),
        max_length=TEXT_MAX_LENGTH,
        rows=6,
    )
    contact = forms.CharField(
        label=_("Contact for questions"),
        help_text=_("Shown on the notice, for example the data protection officer's address."),
        max_length=300,
        required=False,
    )


class NotifiedForm(forms.Form):
    subjects_at = _moment(_("The people concerned were told"), required=False)
    authority_at = _moment(_("The authority was told"), required=False)

    def clean(self):
        data = super().clean()
        if not data.get("subjects_at") and not data.get("authority_at") and not self.errors:
            raise forms.ValidationError(_("Give when the people or the authority were told."))
        return data
