"""The small text files trusted sites serve at fixed addresses: security.txt and robots.txt."""

from datetime import datetime, timedelta

from advisor.consultant.branding import get_branding

# RFC 9116 §2.5.5: Expires SHOULD be less than a year ahead. The file is generated, so it
# stays this far ahead while the site runs (and the contact comes from the live profile).
SECURITY_TXT_VALID_FOR = timedelta(days=180)
SECURITY_TXT_LANGUAGES = "nl, en"
# Pages no search engine should show: report pages (their address is the key to the
# advice), the questionnaire's steps (they hold one visitor's session), in both languages.
ROBOTS_PRIVATE_PATHS = ["/advies/", "/vragen/"]
LANGUAGE_PREFIXES = ["", "/en"]
# The default admin path is known to everyone; a moved one (DJANGO_ADMIN_URL) would be given
# away by robots.txt, so the admin says noindex in its own X-Robots-Tag header instead.
PUBLIC_ADMIN_URL = "admin/"


def security_txt_text(*, site_url: str, now: datetime) -> str:
    expires = (now + SECURITY_TXT_VALID_FOR).strftime("%Y-%m-%dT%H:%M:%SZ")
    return "".join([
        f"Contact: mailto:{get_branding().email}\n",
        f"Expires: {expires}\n",
        f"Preferred-Languages: {SECURITY_TXT_LANGUAGES}\n",
        f"Canonical: {site_url}/.well-known/security.txt\n",
    ])


def robots_txt_text(*, admin_url: str) -> str:
    paths = [*ROBOTS_PRIVATE_PATHS, *([f"/{admin_url}"] if admin_url == PUBLIC_ADMIN_URL else [])]
    lines = ["User-agent: *"]
    lines += [f"Disallow: {prefix}{path}" for path in paths for prefix in LANGUAGE_PREFIXES]
    return "\n".join(lines) + "\n"
