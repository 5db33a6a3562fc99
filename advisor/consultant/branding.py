"""The consultant's branding: the profile edited in the back office (ConsultantProfile.load).

Read from the database on every call (one query by primary key), so a change in the back
office shows in the next page, mail and PDF of every process, without a deploy or a cache
to clear. Pages read it lazily, at most once per request (see web/context_processors.py).
Only while the database is down do pages fall back to settings.BRANDING (branding_offline).
"""

import hashlib
from dataclasses import dataclass, fields
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.templatetags.static import static

from advisor.lib.digests import file_digest
from advisor.models import (
    DEFAULT_ACCENT_COLOR,
    DEFAULT_PRIMARY_COLOR,
    ConsultantProfile,
    color_or_default,
)


@dataclass(frozen=True)
class Branding:
    consultant_name: str
    company_name: str
    email: str
    phone: str
    website: str
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


TEXT_FIELDS = ("consultant_name", "company_name", "email", "phone", "website", "kvk")


def get_branding() -> Branding:
    return branding_of(ConsultantProfile.load())


def branding_offline() -> Branding:
    """The branding without the database (settings.BRANDING), for pages about its outage."""
    return branding_of(ConsultantProfile.from_settings())


def branding_of(profile: ConsultantProfile) -> Branding:
    if profile.logo:
        # An absolute path, as settings.BRANDING allows: code that reads `logo` finds the file.
        logo, logo_path, logo_url = profile.logo.path, profile.logo.path, profile.logo.url
    else:
        logo = settings.BRANDING["logo"]
        logo_url, logo_path = _static_logo(logo)
    return Branding(
        **{name: getattr(profile, name) for name in TEXT_FIELDS},
        # Colours end up inside a <style> block: a row saved around the validator is refused.
        primary_color=color_or_default(profile.primary_color, DEFAULT_PRIMARY_COLOR),
        accent_color=color_or_default(profile.accent_color, DEFAULT_ACCENT_COLOR),
        logo=logo, logo_url=logo_url, logo_path=logo_path,
    )


def uploaded_logo_path(name: str) -> Path | None:
    """The current uploaded logo's file when `name` is its file name, else None."""
    profile = ConsultantProfile.load()
    if not profile.logo or Path(profile.logo.name).name != name:
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
