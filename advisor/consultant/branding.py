"""The consultant's branding: the profile edited in the back office (ConsultantProfile.load).

Every page shows it, so the profile's row is read from the shared cache, keyed by the
profile's generation (models.PROFILE_GENERATION, advanced by every save and deletion): a
change in the back office shows in the next page, mail and PDF of every process, without a
deploy or a cache to clear. Without the cache (Redis down) it is read from the database.
Pages read it lazily, at most once per request (see web/context_processors.py). Only while
the database is down do pages fall back to settings.BRANDING (branding_offline).
"""

import contextlib
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, fields
from functools import lru_cache
from pathlib import Path, PurePath
from typing import Any

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.templatetags.static import static
from django.urls import reverse
from redis.exceptions import RedisError

from advisor.lib.digests import file_digest
from advisor.models import (
    DEFAULT_ACCENT_COLOR,
    DEFAULT_PRIMARY_COLOR,
    HTTPS_URL,
    PROFILE_GENERATION,
    ConsultantProfile,
    color_or_default,
    readable_on_white,
)


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
    # Ready to use: the logo's URL for pages and mails; for the PDF, a static logo's file on
    # disk (logo_path) or an uploaded logo's name in the media storage (logo_file), whose
    # bytes the renderer gets in memory (the storage may be S3).
    logo_url: str = ""
    logo_path: str = ""
    logo_file: str = ""

    @property
    def fingerprint(self) -> str:
        """Changes whenever any field or the logo's bytes change: part of a cached PDF's key.

        An uploaded logo gets a new random name with every upload, so its name stands for
        its bytes; a static logo is hashed.
        """
        digest = hashlib.sha256()
        for field in fields(self):
            digest.update(f"{field.name}={getattr(self, field.name)}\n".encode())
        digest.update(file_digest(self.logo_path).encode())
        return digest.hexdigest()[:32]

    @property
    def phone_href(self) -> str:
        return "".join(ch for ch in self.phone if ch.isdigit() or ch == "+")


TEXT_FIELDS = ("consultant_name", "company_name", "email", "phone", "website", "booking_url",
               "kvk")


# The profile's stored columns: part of the cache key, so a migration that adds a column
# never meets values cached by the code before it.
PROFILE_COLUMNS = tuple(field.attname for field in ConsultantProfile._meta.concrete_fields)
PROFILE_SHAPE = hashlib.sha256(" ".join(PROFILE_COLUMNS).encode()).hexdigest()[:12]
# Bounded, though a new generation makes an entry unreachable at once.
PROFILE_CACHE_SECONDS = 24 * 3600
NO_PROFILE = "none"  # cached when the consultant has not saved a profile yet


def get_branding() -> Branding:
    return branding_of(current_profile())


def branding_and(keys: Sequence[str]) -> tuple[Branding, dict[str, Any]]:
    """The branding, and the entries of the shared cache under `keys` as found, in the one
    round trip the branding takes (a page that needs both saves one: docs/performance.md)."""
    profile, found = _current_profile(keys)
    return branding_of(profile), found


def current_profile() -> ConsultantProfile:
    """ConsultantProfile.load(), from the shared cache while the profile is unchanged (one
    round trip to the cache for the generation and the row together)."""
    return _current_profile(())[0]


def _current_profile(also: Sequence[str]) -> tuple[ConsultantProfile, dict[str, Any]]:
    key = f"consultant-profile:{PROFILE_SHAPE}"
    try:
        token, values, found = PROFILE_GENERATION.read(key, *also)
    except RedisError:
        return ConsultantProfile.load(), {}
    if values is None:
        profile = ConsultantProfile.load()
        with contextlib.suppress(RedisError):
            PROFILE_GENERATION.store(key, token, NO_PROFILE if profile.pk is None
                                     else _columns(profile), PROFILE_CACHE_SECONDS)
        return profile, found
    # No row yet: settings.BRANDING as it is now, not as it was when cached.
    return (ConsultantProfile.from_settings() if values == NO_PROFILE
            else ConsultantProfile(**values)), found


def _columns(profile: ConsultantProfile) -> dict[str, object]:
    values = {name: getattr(profile, name) for name in PROFILE_COLUMNS}
    if values["logo"]:
        values["logo"] = values["logo"].name  # the stored name, not the file object
    return values


def branding_offline() -> Branding:
    """The branding without the database (settings.BRANDING), for pages about its outage."""
    return branding_of(ConsultantProfile.from_settings())


def branding_of(profile: ConsultantProfile) -> Branding:
    return _branding(tuple(getattr(profile, name) for name in TEXT_FIELDS),
                     profile.primary_color, profile.accent_color,
                     profile.logo.name if profile.logo else "", settings.BRANDING["logo"],
                     settings.STATIC_URL)


# Made once per set of values: every page asks for it, and checking the colours and finding
# a static logo cost more than the profile's own read (docs/performance.md). The static
# logo's setting and STATIC_URL are part of the key because the result depends on them.
@lru_cache(maxsize=16)
def _branding(text_values: tuple[str, ...], primary_color: str, accent_color: str,
              uploaded_logo: str, static_logo: str, _static_url: str) -> Branding:
    texts = dict(zip(TEXT_FIELDS, text_values, strict=True))
    if not _is_https_url(texts["booking_url"]):
        # BRAND_BOOKING_URL is not checked by a form: a plain-http or broken link is left out.
        texts["booking_url"] = ""
    # Colours end up inside a <style> block: a row saved around the validator is refused.
    colours = {
        "primary_color": color_or_default(primary_color, DEFAULT_PRIMARY_COLOR),
        "accent_color": color_or_default(accent_color, DEFAULT_ACCENT_COLOR),
    }
    if not _readable_on_white(colours["primary_color"]):
        # A main colour saved before the form checked it, or from BRAND_PRIMARY_COLOR.
        colours["primary_color"] = DEFAULT_PRIMARY_COLOR
    if uploaded_logo:
        # An uploaded logo lives in the media storage (perhaps S3): the PDF gets its bytes.
        return Branding(**texts, **colours, logo=uploaded_logo, logo_file=uploaded_logo,
                        logo_url=reverse("brand_logo",
                                         kwargs={"name": PurePath(uploaded_logo).name}))
    logo_url, logo_path = _static_logo(static_logo)
    return Branding(**texts, **colours, logo=static_logo, logo_url=logo_url,
                    logo_path=logo_path)


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


def uploaded_logo_name(name: str) -> str | None:
    """The current uploaded logo's name in the media storage when `name` is its file name."""
    profile = current_profile()
    if not profile.logo or PurePath(profile.logo.name).name != name:
        return None
    return profile.logo.name


def delete_replaced_logo(*, previous: str, current: str) -> None:
    """Remove a logo the consultant replaced or cleared from the media storage."""
    if previous and previous != current:
        default_storage.delete(previous)


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
