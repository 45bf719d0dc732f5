"""The public verification of outcome documents and learning certificates: anyone holding
one, or shown one, checks with the code under its QR code that it is authentic and still
valid.

The page names the document (number, product, agency, dates) and never the person it was
issued for; a certificate's page shows its holder's initials only. A code that cannot exist (a mistyped check character) and a code that no
document has get the same page with the same status, and the page gives dates, never times.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from satupintu.cases import selectors
from satupintu.cases.outcomes import (
    outcome_status,
    verification_code_display,
    verification_code_normalise,
)
from satupintu.core.language import pick
from satupintu.learning.selectors.certificates import certificate_verify

CODE_INPUT_MAX_LENGTH = 64


class VerificationForm(forms.Form):
    kode = forms.CharField(
        label=_("Verification code"),
        help_text=_(
            "The 9 letters and digits printed under the QR code, for example K7QM 4XRT 9. "
            "Capitals, spaces and dashes do not matter."
        ),
        max_length=CODE_INPUT_MAX_LENGTH,
        error_messages={
            "required": _("Enter the verification code printed on the document"),
            "max_length": _("A verification code has 9 letters and digits, like K7QM 4XRT 9"),
        },
        widget=forms.TextInput(
            attrs={
                "class": "input--short",
                "autocomplete": "off",
                "autocapitalize": "characters",
                "spellcheck": "false",
            }
        ),
    )

    def clean_kode(self) -> str:
        code = verification_code_normalise(self.cleaned_data["kode"])
        if code is None:
            raise ValidationError(
                _(
                    "Enter the code exactly as printed under the QR code: 9 letters and digits, "
                    "like K7QM 4XRT 9. Check each character; the code has no 0, 1, I, L, O or U."
                ),
                code="invalid",
            )
        return code


@require_safe
def verify(request: HttpRequest) -> HttpResponse:
    """The form (a GET form, so it works without JavaScript and can be bookmarked): a code
    that could exist goes to its page; anything else is explained next to the field."""
    form = VerificationForm(request.GET if "kode" in request.GET else None)
    if form.is_bound and form.is_valid():
        return redirect("cases:verify_code", code=form.cleaned_data["kode"])
    return render(request, "cases/verification/form.html", {"form": form, "nav": "verify"})


@require_safe
@never_cache
def verify_code(request: HttpRequest, code: str) -> HttpResponse:
    """Whether the document with ``code`` is authentic and valid, revoked or expired — or that
    no document has it."""
    normalised = verification_code_normalise(code[:CODE_INPUT_MAX_LENGTH])
    if normalised is not None and normalised != code:
        return redirect("cases:verify_code", code=normalised)
    outcome = selectors.outcome_verify(code=normalised) if normalised else None
    certificate = certificate_verify(normalised) if normalised and outcome is None else None
    if certificate is not None:
        return render(
            request,
            "cases/verification/certificate.html",
            {
                # Plain values only: the holder appears as initials.
                "certificate": certificate,
                "status": certificate.status,
                "code": verification_code_display(certificate.code),
                "nav": "verify",
            },
        )
    if outcome is None:
        form = VerificationForm(initial={"kode": code[:CODE_INPUT_MAX_LENGTH]})
        return render(
            request,
            "cases/verification/result.html",
            {"status": "not_found", "form": form, "nav": "verify"},
            status=404,
        )
    case = outcome.case
    product = case.service_version.definition.get("product", {})
    return render(
        request,
        "cases/verification/result.html",
        {
            # Plain values only: the template cannot reach the case's applicant.
            "status": outcome_status(outcome),
            "code": verification_code_display(outcome.verification_code),
            "number": outcome.number,
            "product": pick(product.get("name")) or case.service.name,
            "validity": pick(product.get("validity")),
            "agency": case.agency.name,
            "agency_code": case.agency.code,
            "issued_on": timezone.localdate(outcome.issued_at),
            "valid_until": outcome.valid_until,
            "revoked_on": timezone.localdate(outcome.revoked_at) if outcome.revoked_at else None,
            "nav": "verify",
        },
    )


urlpatterns = [
    path("verifikasi/", verify, name="verify"),
    path("verifikasi/<str:code>/", verify_code, name="verify_code"),
]
