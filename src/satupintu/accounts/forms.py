"""Forms of the account pages. Every message says what is wrong and how to fix it."""

import re
from datetime import date

from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from satupintu.accounts import second_factor
from satupintu.accounts.constants import Sex
from satupintu.accounts.models import User
from satupintu.core.identifiers import validate_nik

# Indonesian numbers: 0 or +62 / 62, then 8 to 13 digits (mobile numbers start with 8).
_PHONE = re.compile(r"^(?:\+?62|0)(\d{8,13})$")
_PHONE_SEPARATORS = re.compile(r"[\s().\-]")
_OLDEST_AGE = 130


class LoginForm(AuthenticationForm):
    """Sign in with an e-mail address (citizens) or a username (staff)."""

    username = forms.CharField(
        label=_("E-mail address or username"),
        max_length=254,
        widget=forms.TextInput(
            attrs={"autocomplete": "username", "autocapitalize": "none", "spellcheck": "false"}
        ),
        error_messages={"required": _("Enter your e-mail address or username")},
    )
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": _("Enter your password")},
    )
    error_messages = {
        "invalid_login": _(
            "The e-mail address or username and the password do not match an account. Check "
            "both and try again; passwords are case-sensitive."
        ),
        "inactive": _("This account is switched off. Contact the service desk to switch it on."),
    }


class CitizenSignupForm(forms.Form):
    """A citizen's account: e-mail, password, name, NIK, date of birth, sex, phone, consent.

    The NIK is checked as the population registry does (``core.identifiers.validate_nik``):
    hard findings are errors on the field; soft findings are kept in ``nik_warnings`` and do
    not block the sign-up.
    """

    email = forms.EmailField(
        label=_("E-mail address"),
        help_text=_("You sign in with it, and we send news of your applications to it."),
        max_length=254,
        widget=forms.EmailInput(
            attrs={"autocomplete": "email", "autocapitalize": "none", "spellcheck": "false"}
        ),
        error_messages={
            "required": _("Enter your e-mail address"),
            "invalid": _("Enter an e-mail address in the right format, like nama@contoh.id"),
        },
    )
    full_name = forms.CharField(
        label=_("Full name"),
        help_text=_("As written on your KTP."),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "name", "spellcheck": "false"}),
        error_messages={
            "required": _("Enter your full name"),
            "max_length": _("Full name must be 150 characters or fewer"),
        },
    )
    nik = forms.CharField(
        label=_("NIK (population number)"),
        help_text=_("The 16 digits on your KTP or family card (KK)."),
        max_length=32,
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "off", "class": "input--short"}
        ),
        error_messages={"required": _("Enter your NIK"), "max_length": _("A NIK has 16 digits")},
    )
    birth_date = forms.DateField(
        label=_("Date of birth"),
        help_text=_("Day, month and year, for example 17-08-1985."),
        # A text box, not a date picker: it reads the same on every phone, and the hint
        # can show the format that people write.
        input_formats=["%d-%m-%Y", "%d/%m/%Y", "%d.%m.%Y", "%d %m %Y", "%Y-%m-%d"],
        widget=forms.DateInput(
            attrs={"autocomplete": "bday", "class": "input--short"}, format="%d-%m-%Y"
        ),
        error_messages={
            "required": _("Enter your date of birth"),
            "invalid": _("Enter your date of birth as day-month-year, for example 17-08-1985"),
        },
    )
    sex = forms.ChoiceField(
        label=_("Sex"),
        help_text=_("As written on your KTP."),
        choices=Sex.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Select your sex"), "invalid_choice": _("Select your sex")},
    )
    phone = forms.CharField(
        label=_("Mobile phone number (optional)"),
        help_text=_(
            "For example 0812 3456 7890. We use it only for messages about your applications."
        ),
        required=False,
        max_length=24,
        widget=forms.TextInput(
            attrs={
                "type": "tel",
                "autocomplete": "tel",
                "inputmode": "tel",
                "class": "input--short",
            }
        ),
        error_messages={"max_length": _("Enter a phone number like 0812 3456 7890")},
    )
    password1 = forms.CharField(
        label=_("Create a password"),
        help_text=_(
            "At least 10 characters. A few words that you will remember are strong; "
            "do not use your name or NIK."
        ),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        error_messages={"required": _("Create a password")},
    )
    password2 = forms.CharField(
        label=_("Type the password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        error_messages={"required": _("Type the password again, exactly as above")},
    )
    consent = forms.BooleanField(
        label=_(
            "I have read the privacy notice and agree that Satupintu uses my data as it describes."
        ),
        error_messages={
            "required": _("To create an account, tick the box to agree to the privacy notice")
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.nik_warnings: list[str] = []

    def clean_email(self) -> str:
        return self.cleaned_data["email"].strip()

    def clean_full_name(self) -> str:
        name = " ".join(self.cleaned_data["full_name"].split())
        if len(name) < 2:
            raise ValidationError(_("Enter your full name as written on your KTP"))
        return name

    def clean_birth_date(self) -> date:
        value = self.cleaned_data["birth_date"]
        today = timezone.localdate()
        if value > today:
            raise ValidationError(_("Date of birth must be in the past"))
        if value.year < today.year - _OLDEST_AGE:
            raise ValidationError(_("Check the year of your date of birth"))
        return value

    def clean_phone(self) -> str:
        raw = self.cleaned_data.get("phone", "")
        if not raw:
            return ""
        match = _PHONE.match(_PHONE_SEPARATORS.sub("", raw))
        if not match:
            raise ValidationError(
                _("Enter a phone number like 0812 3456 7890 or +62 812 3456 7890")
            )
        return "0" + match[1]

    def clean(self) -> dict:
        data = super().clean()
        nik = data.get("nik")
        if nik:
            result = validate_nik(nik, birth_date=data.get("birth_date"), sex=data.get("sex"))
            for message in result.errors:
                self.add_error("nik", message)
            if result.is_valid:
                data["nik"] = result.value
                self.nik_warnings = list(result.warnings)

        password1, password2 = data.get("password1"), data.get("password2")
        if password1 and password2 and password1 != password2:
            self.add_error(
                "password2",
                _("The passwords are not the same. Type the same password in both boxes"),
            )
        if password1:
            probe = User(
                email=data.get("email") or "",
                first_name=data.get("full_name") or "",
                username=nik or "",
            )
            try:
                password_validation.validate_password(password1, user=probe)
            except ValidationError as error:
                self.add_error("password1", error)
        return data


class OneTimeCodeForm(forms.Form):
    """The six digits that an authenticator app shows (the second factor of staff)."""

    code = forms.CharField(
        label=_("Code from your authenticator app"),
        help_text=_("6 digits. A new code appears every 30 seconds."),
        max_length=16,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "pattern": r"[0-9 ]*",
                "autocapitalize": "none",
                "spellcheck": "false",
                "class": "input--short",
            }
        ),
        error_messages={"required": _("Enter the 6-digit code from your authenticator app")},
    )

    def clean_code(self) -> str:
        code = second_factor.code_normalise(self.cleaned_data["code"])
        if second_factor.code_method(code) != second_factor.METHOD_TOTP:
            raise ValidationError(
                _("Enter the 6 digits that your authenticator app shows, like 123456")
            )
        return code


class RecoveryCodeForm(forms.Form):
    """One of the recovery codes given when the authenticator was set up (each works once)."""

    recovery_code = forms.CharField(
        label=_("Recovery code"),
        help_text=_("8 letters and digits, from the list you wrote down. Each code works once."),
        max_length=32,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "off",
                "autocapitalize": "none",
                "spellcheck": "false",
                "class": "input--short",
            }
        ),
        error_messages={"required": _("Enter one of your recovery codes")},
    )

    def clean_recovery_code(self) -> str:
        code = second_factor.code_normalise(self.cleaned_data["recovery_code"])
        if second_factor.code_method(code) != second_factor.METHOD_RECOVERY:
            raise ValidationError(
                _("Enter a recovery code as written on your list: 8 letters and digits")
            )
        return code


class CurrentCodeForm(forms.Form):
    """A current code to confirm a change to the second factor: from the app or a recovery
    code."""

    code = forms.CharField(
        label=_("Current code"),
        help_text=_(
            "The 6 digits that your authenticator app shows, or one of your recovery codes."
        ),
        max_length=32,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "autocapitalize": "none",
                "spellcheck": "false",
                "class": "input--short",
            }
        ),
        error_messages={"required": _("Enter a current code to confirm")},
    )

    def clean_code(self) -> str:
        code = second_factor.code_normalise(self.cleaned_data["code"])
        if second_factor.code_method(code) is None:
            raise ValidationError(
                _("Enter the 6 digits from your authenticator app, or a recovery code")
            )
        return code
