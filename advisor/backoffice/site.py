"""The back office's admin site: a second factor for every staff login, and the dashboard."""

from typing import Any

from django.conf import settings
from django.contrib.admin import AdminSite
from django.contrib.admin.forms import AdminAuthenticationForm
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import URLPattern, URLResolver, path
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_otp import devices_for_user
from django_otp.admin import OTPAdminAuthenticationForm, OTPAdminSite
from django_otp.models import Device

# The one answer to any failed login: naming the factor that failed would tell an attacker
# the password was right (OWASP Authentication Cheat Sheet, "Authentication and error messages").
LOGIN_REFUSED = _("That did not work. Check your username, your password and the code from "
                  "your authenticator app, and try again.")


class BackOfficeAuthenticationForm(OTPAdminAuthenticationForm):
    """Password plus the code from the authenticator app, on one page, with one error message."""

    def clean(self) -> dict[str, Any]:
        try:
            return super().clean()
        except ValidationError:
            # Forget the user the password matched: the page must look the same as after a
            # wrong password (no device list, no "enter your code" hint).
            self.user_cache = None
            raise ValidationError(LOGIN_REFUSED, code="invalid_login") from None

    def _verify_token(self, user: Any, token: str, device: Device | None = None) -> Device:
        if device is not None:
            return super()._verify_token(user, token, device)
        # Several apps and none chosen: try each, as the form no longer shows a device list
        # (it would only appear after a right password).
        for candidate in devices_for_user(user, confirmed=True, for_verify=True):
            try:
                return super()._verify_token(user, token, candidate)
            except ValidationError:
                continue
        raise ValidationError(self.otp_error_messages["invalid_token"], code="invalid_token")

    def _chosen_device(self, user: Any) -> Device | None:
        device = super()._chosen_device(user)
        if device is None:
            # One app per person (setup_2fa): use it without asking which.
            devices = list(devices_for_user(user, confirmed=True, for_verify=True))
            if len(devices) == 1:
                device = devices[0]
        return device


# Apps the consultant never needs for their work: login attempts and lockouts (django-axes),
# authenticator devices (django-otp), the mail machinery and the task queue. Shown apart, on
# the start page of a superuser only.
TECHNICAL_APPS = {"auth", "axes", "otp_totp", "otp_static", "otp_email", "procrastinate"}
# The same for models of our own app: the outgoing mail is machinery, not the consultant's work.
TECHNICAL_MODELS = {("advisor", "OutgoingMail"), ("advisor", "CspReport")}


def split_work_from_machinery(apps: list[dict[str, Any]]) -> tuple[list, list]:
    """The admin's app list as (the consultant's work, the technical rest)."""
    work, technical = [], []
    for app in apps:
        if app["app_label"] in TECHNICAL_APPS:
            technical.append(app)
            continue
        machinery = [model for model in app["models"]
                     if (app["app_label"], model["object_name"]) in TECHNICAL_MODELS]
        work.append({**app, "models": [m for m in app["models"] if m not in machinery]})
        if machinery:
            technical.append({**app, "models": machinery})
    return work, technical


class BackOfficeSite(OTPAdminSite):
    site_header = _("Keuzehulp e-mail · back office")
    site_title = _("Back office")
    index_title = _("Leads, reports and follow-up")
    index_template = "admin/backoffice_index.html"
    # The lead list needs the full width; the home page lists everything anyway.
    enable_nav_sidebar = False

    def __init__(self, name: str = "admin") -> None:
        # "admin", not django-otp's "otpadmin": reverse("admin:...") keeps working everywhere.
        super().__init__(name)

    @property
    def login_form(self) -> type[AdminAuthenticationForm]:  # type: ignore[override]
        if settings.ADMIN_REQUIRE_2FA:
            return BackOfficeAuthenticationForm
        return AdminAuthenticationForm

    @property
    def login_template(self) -> str:  # type: ignore[override]
        return "admin/otp_login.html" if settings.ADMIN_REQUIRE_2FA else "admin/login.html"

    def has_permission(self, request: HttpRequest) -> bool:
        # OTPAdminSite adds "verified by a second factor" to Django's active-staff check.
        if settings.ADMIN_REQUIRE_2FA:
            return super().has_permission(request)
        return AdminSite.has_permission(self, request)

    def index(self, request: HttpRequest,
              extra_context: dict[str, Any] | None = None) -> TemplateResponse:
        work, technical = split_work_from_machinery(self.get_app_list(request))
        context = {
            **(extra_context or {}),
            "work_app_list": work,
            "technical_app_list": technical if request.user.is_superuser else [],
        }
        return super().index(request, context)

    def get_urls(self) -> list[URLResolver | URLPattern]:
        return [
            path("dashboard/", self.admin_view(self.dashboard_view), name="dashboard"),
            path("dashboard/funnel-<str:kind>", self.admin_view(self.funnel_export_view),
                 name="funnel_export"),
            *super().get_urls(),
        ]

    def dashboard_view(self, request: HttpRequest) -> HttpResponse:
        from advisor.backoffice.dashboard import dashboard_figures
        from advisor.backoffice.funnel_overview import funnel_overview, period_days

        today = timezone.localdate()
        context = {
            **self.each_context(request),
            "title": _("Dashboard"),
            "figures": dashboard_figures(today=today),
            "funnel": funnel_overview(days=period_days(request.GET.get("days")), today=today),
        }
        return TemplateResponse(request, "admin/dashboard.html", context)

    def funnel_export_view(self, request: HttpRequest, kind: str) -> HttpResponse:
        """The funnel of the chosen period as a file: per day or per source (CSV for Dutch
        Excel), or everything as JSON (the shape of `manage.py funnel --json`)."""
        from advisor.backoffice.funnel_overview import export_response, period_days

        return export_response(kind=kind, days=period_days(request.GET.get("days")),
                               today=timezone.localdate())

    def each_context(self, request: HttpRequest) -> dict[str, Any]:
        context = super().each_context(request)
        context["require_2fa"] = settings.ADMIN_REQUIRE_2FA
        return context
