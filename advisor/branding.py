"""The consultant's branding, read from configuration (settings.BRANDING)."""

import re
from dataclasses import dataclass, fields

from django.conf import settings


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

    @property
    def phone_href(self) -> str:
        return "".join(ch for ch in self.phone if ch.isdigit() or ch == "+")


DEFAULT_COLORS = {"primary_color": "#1f4e79", "accent_color": "#e07a1f"}
# Colours end up inside a <style> block: only plain hex values may pass.
HEX_COLOR = re.compile(r"^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$")


def get_branding() -> Branding:
    configured = {f.name: str(settings.BRANDING.get(f.name, "")) for f in fields(Branding)}
    for key, default in DEFAULT_COLORS.items():
        if not HEX_COLOR.match(configured[key]):
            configured[key] = default
    return Branding(**configured)
