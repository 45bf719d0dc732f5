"""The forms of the competency pages. They keep and limit what was typed; the rules (who may
be assessed, which levels and dates are allowed) are the services' and selectors'."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from satupintu.talent.constants import LEVELS
from satupintu.talent.models import Competency
from satupintu.talent.services import IMPORT_MAX_BYTES


class AssessmentForm(forms.Form):
    """One assessed level of one employee, entered by human resources."""

    nip = forms.CharField(
        label=_("Employee's NIP"),
        help_text=_("18 digits, without spaces or dots."),
        max_length=25,
        error_messages={"required": _("Give the employee's NIP.")},
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "off", "class": "input--short"}
        ),
    )
    competency = forms.ModelChoiceField(
        label=_("Competency"),
        queryset=Competency.objects.none(),
        to_field_name="code",
        empty_label=_("Choose a competency"),
        error_messages={
            "required": _("Choose the competency that was assessed."),
            "invalid_choice": _("Choose a competency from the list."),
        },
    )
    level = forms.TypedChoiceField(
        label=_("Level found"),
        choices=[(str(level), str(level)) for level in LEVELS],
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose the level from 1 to 5.")},
    )
    assessed_on = forms.DateField(
        label=_("Date of the assessment"),
        help_text=_("The day it took place, for example 2026-03-31."),
        widget=forms.DateInput(attrs={"type": "date", "class": "input--short"}, format="%Y-%m-%d"),
        error_messages={
            "required": _("Give the date of the assessment."),
            "invalid": _("Give the date as YYYY-MM-DD, for example 2026-03-31."),
        },
    )
    evidence = forms.CharField(
        label=_("Evidence (optional)"),
        help_text=_("What the level rests on: a report number, a test, an observation."),
        max_length=300,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, competencies=None, **kwargs):
        super().__init__(*args, **kwargs)
        if competencies is not None:
            self.fields["competency"].queryset = competencies
        self.fields["competency"].label_from_instance = lambda competency: (
            f"{competency.name} ({competency.get_group_display()})"
        )

    def clean_nip(self) -> str:
        nip = "".join(self.cleaned_data["nip"].split()).replace(".", "")
        if not (nip.isascii() and nip.isdigit()) or len(nip) != 18:
            raise forms.ValidationError(
                _("A NIP has 18 digits. Check the number and type it again.")
            )
        return nip

    def clean_assessed_on(self):
        assessed_on = self.cleaned_data["assessed_on"]
        if assessed_on > timezone.localdate():
            raise forms.ValidationError(
                _("The assessment date is in the future. Give the day it took place.")
            )
        return assessed_on


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_("At most 2 MB, UTF-8, values separated by commas or semicolons."),
        error_messages={
            "required": _("Choose the CSV file to import."),
            "empty": _("The file is empty. Download the template and fill it in."),
        },
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )

    def clean_file(self):
        file = self.cleaned_data["file"]
        if file.size > IMPORT_MAX_BYTES:
            raise forms.ValidationError(
                _("The file is larger than 2 MB. Split it into smaller files.")
            )
        return file
