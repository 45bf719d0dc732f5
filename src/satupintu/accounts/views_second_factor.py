"""Pages of the second factor of staff (see docs/security.md): set up an authenticator app,
give its code after signing in, see the recovery codes once, renew them, or reset the
authenticator from the profile."""

from base64 import b64encode

import qrcode
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django_otp import login as otp_login
from qrcode.image.svg import SvgPathFillImage

from satupintu.accounts import second_factor
from satupintu.accounts.forms import CurrentCodeForm, OneTimeCodeForm, RecoveryCodeForm

# The recovery codes wait here between the request that made them and the page that shows
# them, which takes them out: they are shown once.
SESSION_RECOVERY_CODES = "satupintu_recovery_codes"


def _next_url(request: HttpRequest) -> str:
    """Where to go once the code is given: the page the person asked for, if it is ours."""
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return resolve_url(settings.LOGIN_REDIRECT_URL)


def _with_next(url: str, next_url: str) -> str:
    return f"{url}?{urlencode({'next': next_url})}"


def _qr_code(text: str) -> str:
    """``text`` as a QR code in an SVG ``data:`` address: an image that the
    Content-Security-Policy allows (``img-src data:``), with no script and no style."""
    image = qrcode.make(text, image_factory=SvgPathFillImage, border=4)
    svg = image.to_string(encoding="unicode")
    return "data:image/svg+xml;base64," + b64encode(svg.encode()).decode()


def _refusal(check: second_factor.CodeCheck) -> str:
    if check.problem == "throttled":
        return ngettext(
            "Too many wrong codes in a row. Wait %(seconds)d second, then try again.",
            "Too many wrong codes in a row. Wait %(seconds)d seconds, then try again.",
            check.wait_seconds,
        ) % {"seconds": check.wait_seconds}
    if check.method == second_factor.METHOD_RECOVERY:
        return _("This recovery code is not right, or it was used already. Each code works once.")
    return _(
        "This code is not right. Enter the code that the app shows now; if it still fails, "
        "check that the time on your phone is set automatically."
    )


def _status(check: second_factor.CodeCheck | None) -> int:
    return 429 if check is not None and check.problem == "throttled" else 200


def _verified(request: HttpRequest, check: second_factor.CodeCheck) -> None:
    # A new session key for the session that now counts as fully signed in.
    request.session.cycle_key()
    otp_login(request, check.device)


@login_required
@never_cache
@sensitive_post_parameters("code", "recovery_code")
def second_factor_verify(request: HttpRequest) -> HttpResponse:
    """After the password: the code from the authenticator app, or a recovery code."""
    user = request.user
    next_url = _next_url(request)
    if not second_factor.second_factor_required(user=user) or user.is_verified():
        return redirect(next_url)
    if second_factor.totp_device_get(user=user) is None:
        return redirect(_with_next(reverse("accounts:second_factor_setup"), next_url))
    with_recovery = request.method == "POST" and "recovery_code" in request.POST
    code_form = OneTimeCodeForm(
        request.POST if request.method == "POST" and not with_recovery else None
    )
    recovery_form = RecoveryCodeForm(request.POST if with_recovery else None)
    form = recovery_form if with_recovery else code_form
    check = None
    if request.method == "POST" and form.is_valid():
        code = form.cleaned_data.get("recovery_code") or form.cleaned_data["code"]
        check = second_factor.second_factor_verify(user=user, code=code)
        if check.accepted:
            _verified(request, check)
            if check.recovery_codes_left is not None:
                messages.warning(
                    request,
                    ngettext(
                        "You signed in with a recovery code. %(count)d recovery code is left: "
                        "make new ones, or reset your authenticator app, on your profile.",
                        "You signed in with a recovery code. %(count)d recovery codes are "
                        "left: make new ones, or reset your authenticator app, on your profile.",
                        check.recovery_codes_left,
                    )
                    % {"count": check.recovery_codes_left},
                )
            return redirect(next_url)
        form.add_error("recovery_code" if with_recovery else "code", _refusal(check))
    return render(
        request,
        "accounts/second_factor_verify.html",
        {
            "form": code_form,
            "recovery_form": recovery_form,
            "with_recovery": with_recovery,
            "next": next_url,
            "nav": "profile",
        },
        status=_status(check),
    )


@login_required
@never_cache
@sensitive_post_parameters("code")
def second_factor_setup(request: HttpRequest) -> HttpResponse:
    """Set up an authenticator app: scan the QR code (or type the key), confirm with the
    first code; the recovery codes follow on the next page."""
    user = request.user
    next_url = _next_url(request)
    if not second_factor.second_factor_required(user=user):
        raise Http404
    if second_factor.totp_device_get(user=user) is not None:
        if user.is_verified():
            return redirect("accounts:second_factor_manage")
        return redirect(_with_next(reverse("accounts:second_factor_verify"), next_url))
    device = second_factor.totp_enrolment_begin(user=user)
    form = OneTimeCodeForm(request.POST if request.method == "POST" else None)
    check = None
    if request.method == "POST" and form.is_valid():
        check, codes = second_factor.totp_enrolment_confirm(
            user=user, code=form.cleaned_data["code"]
        )
        if check.accepted:
            _verified(request, check)
            request.session[SESSION_RECOVERY_CODES] = codes
            return redirect(_with_next(reverse("accounts:recovery_codes"), next_url))
        form.add_error("code", _refusal(check))
    return render(
        request,
        "accounts/second_factor_setup.html",
        {
            "form": form,
            "qr_code": _qr_code(device.config_url),
            "secret_groups": second_factor.totp_secret_groups(device=device),
            "issuer": settings.OTP_TOTP_ISSUER,
            "next": next_url,
            "nav": "profile",
        },
        status=_status(check),
    )


@login_required
@never_cache
def recovery_codes(request: HttpRequest) -> HttpResponse:
    """The new recovery codes, once: the page takes them out of the session."""
    codes = request.session.pop(SESSION_RECOVERY_CODES, None) or []
    return render(
        request,
        "accounts/recovery_codes.html",
        {
            "codes": [f"{code[:4]}-{code[4:]}" for code in codes],
            "next": _next_url(request),
            "nav": "profile",
        },
    )


@login_required
@never_cache
@sensitive_post_parameters("renew-code", "reset-code")
def second_factor_manage(request: HttpRequest) -> HttpResponse:
    """The staff member's own second factor: when it was set up, how many recovery codes are
    left; new recovery codes, or a reset of the authenticator (a new phone), each after a
    current code."""
    user = request.user
    if not second_factor.second_factor_required(user=user):
        raise Http404
    status = second_factor.second_factor_status(user=user)
    if status.enrolled_at is None:
        return redirect("accounts:second_factor_setup")
    action = request.POST.get("action") if request.method == "POST" else None
    renew_form = CurrentCodeForm(request.POST if action == "renew" else None, prefix="renew")
    reset_form = CurrentCodeForm(request.POST if action == "reset" else None, prefix="reset")
    check = None
    if action == "renew" and renew_form.is_valid():
        check, codes = second_factor.recovery_codes_renew(
            user=user, code=renew_form.cleaned_data["code"]
        )
        if check.accepted:
            request.session[SESSION_RECOVERY_CODES] = codes
            return redirect(
                _with_next(reverse("accounts:recovery_codes"), reverse("accounts:profile"))
            )
        renew_form.add_error("code", _refusal(check))
    elif action == "reset" and reset_form.is_valid():
        check = second_factor.second_factor_reset_own(
            user=user, code=reset_form.cleaned_data["code"]
        )
        if check.accepted:
            messages.success(
                request,
                _(
                    "Your authenticator app is removed, and so are your recovery codes. Set up "
                    "the app on your new phone now."
                ),
            )
            return redirect("accounts:second_factor_setup")
        reset_form.add_error("code", _refusal(check))
    return render(
        request,
        "accounts/second_factor_manage.html",
        {"status": status, "renew_form": renew_form, "reset_form": reset_form, "nav": "profile"},
        status=_status(check),
    )
