"""Fresh authentication for the back office's most sensitive actions (export and erasure).

A session left open on a laptop should not be enough to download or delete someone's data:
the consultant confirms with password and authenticator code, which then holds for
PRIVACY_REAUTH_MINUTES (OWASP ASVS 4.0 V3.7.1: re-authenticate before sensitive actions).
Wrong passwords go through authenticate(), so django-axes counts them like failed logins.
"""

import time
from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth import authenticate
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django_otp import devices_for_user

# Epoch seconds of the last confirmation, in the staff member's session.
CONFIRMED_AT = "advisor_reauth_at"
REAUTH_FAILED = _("That did not work. Check your password and the code from your "
                  "authenticator app, and try again.")


def recently_confirmed(request: HttpRequest) -> bool:
    confirmed_at = request.session.get(CONFIRMED_AT)
    if not isinstance(confirmed_at, int | float):
        return False
    return time.time() - confirmed_at < settings.PRIVACY_REAUTH_MINUTES * 60


def mark_confirmed(request: HttpRequest) -> None:
    request.session[CONFIRMED_AT] = time.time()


def _code_is_right(user: Any, code: str) -> bool:
    # for_verify locks the device rows (select_for_update), so two requests cannot both spend
    # one code; on PostgreSQL that lock needs a transaction (SQLite silently skips it).
    with transaction.atomic():
        for device in devices_for_user(user, confirmed=True, for_verify=True):
            allowed, _extra = device.verify_is_allowed()
            if allowed and device.verify_token(code):
                return True
    return False


class ConfirmIdentityForm(forms.Form):
    """Password and code of the person who is logged in; one message whatever was wrong."""

    password = forms.CharField(label=_("Your password"), strip=False, max_length=4096,
                               widget=forms.PasswordInput(attrs={"autocomplete":
                                                                 "current-password"}))
    otp_token = forms.CharField(
        label=_("Code from your authenticator app"), required=False, max_length=8,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )

    def __init__(self, *args: Any, request: HttpRequest, **kwargs: Any) -> None:
        self.request = request
        super().__init__(*args, **kwargs)
        if not settings.ADMIN_REQUIRE_2FA:
            del self.fields["otp_token"]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        user = self.request.user
        password_right = authenticate(self.request, username=user.get_username(),
                                      password=cleaned.get("password", "")) == user
        code_right = (not settings.ADMIN_REQUIRE_2FA
                      or (password_right and _code_is_right(user, cleaned.get("otp_token", ""))))
        if not (password_right and code_right):
            raise forms.ValidationError(REAUTH_FAILED, code="reauth_failed")
        return cleaned
