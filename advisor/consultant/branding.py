"""The consultant's branding: the profile edited in the back office, else settings.BRANDING.

Read from the database on every call (one query by primary key), so a change in the back
office shows in the next page, mail and PDF of every process, without a deploy or a cache
to clear. Pages read it lazily, at most once per request (see context_processors.py).
"""

import hashlib
import re
from dataclasses import dataclass, fields
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.exceptions import ValidationError
from django.templatetags.static import static

from advisor.lib.digests import file_digest
from advisor.models import HTTPS_URL, ConsultantProfile, readable_on_white


@dataclass(frozen=True)
class Branding:
    consultant_name: str
    company_name: str
    email: str
    phone: str
    website: str
    booking_url: str
    kvk: str
    logo: str
    primary_color: str
    accent_color: str
    # Ready to use: the logo's URL for pages and mails, and its file on disk for the PDF's
    # URL fetcher (which never fetches over HTTP).
    logo_url: str = ""
    logo_path: str = ""

    @property
    def fingerprint(self) -> str:
        """Changes whenever any field or the logo's bytes change: part of a cached PDF's key."""
        digest = hashlib.sha256()
        for field in fields(self):
            digest.update(f"{field.name}={getattr(self, field.name)}\n".encode())
        digest.update(file_digest(self.logo_path).encode())
        return digest.hexdigest()[:32]

    @property
    def phone_href(self) -> str:
        return "".join(ch for ch in self.phone if ch.isdigit() or ch == "+")


DEFAULT_COLORS = {"primary_color": "#1f4e79", "accent_color": "#e07a1f"}
# Colours end up inside a <style> block: only plain hex values may pass.
HEX_COLOR = re.compile(r"^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$")
TEXT_FIELDS = ("consultant_name", "company_name", "email", "phone", "website", "booking_url",
               "kvk")


def get_branding() -> Branding:
    profile = ConsultantProfile.objects.filter(pk=ConsultantProfile.SINGLETON_ID).first()
    configured = {f: str(settings.BRANDING.get(f, "")) for f in (*TEXT_FIELDS, "logo")}
    for key, default in DEFAULT_COLORS.items():
        configured[key] = str(settings.BRANDING.get(key, default))
    if profile is not None:
        configured.update({f: getattr(profile, f) for f in TEXT_FIELDS})
        configured["primary_color"] = profile.primary_color
        configured["accent_color"] = profile.accent_color
    for key, default in DEFAULT_COLORS.items():
        if not HEX_COLOR.match(configured[key]):
            configured[key] = default
    if not _readable_on_white(configured["primary_color"]):
        # A main colour saved before the form checked it, or from BRAND_PRIMARY_COLOR.
        configured["primary_color"] = DEFAULT_COLORS["primary_color"]
    if not _is_https_url(configured["booking_url"]):
        # BRAND_BOOKING_URL is not checked by a form: a plain-http or broken link is left out.
        configured["booking_url"] = ""

    if profile is not None and profile.logo:
        logo_path, logo_url = profile.logo.path, profile.logo.url
        # An absolute path, as settings.BRANDING allows: code that reads `logo` finds the file.
        configured["logo"] = logo_path
    else:
        logo_url, logo_path = _static_logo(configured["logo"])
    return Branding(**configured, logo_url=logo_url, logo_path=logo_path)


def _readable_on_white(color: str) -> bool:
    try:
        readable_on_white(color)
    except ValidationError:
        return False
    return True


def _is_https_url(url: str) -> bool:
    try:
        HTTPS_URL(url)
    except ValidationError:
        return False
    return True


def uploaded_logo_path(name: str) -> Path | None:
    """The current uploaded logo's file when `name` is its file name, else None."""
    profile = ConsultantProfile.objects.filter(pk=ConsultantProfile.SINGLETON_ID).first()
    if profile is None or not profile.logo or Path(profile.logo.name).name != name:
        return None
    return Path(profile.logo.path)


def _static_logo(logo: str) -> tuple[str, str]:
    """URL and disk path of a logo from settings: a path below static/ or an absolute path."""
    if Path(logo).is_absolute():
        # Only reachable by URL when it lies in a static folder (BRAND_ASSETS_DIR).
        for folder in settings.STATICFILES_DIRS:
            try:
                return static(Path(logo).relative_to(folder).as_posix()), logo
            except ValueError:
                continue
        return static("img/logo.svg"), logo
    return static(logo), finders.find(logo) or ""
