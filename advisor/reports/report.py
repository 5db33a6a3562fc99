"""The visitor's advice report: its context, file name, reference, fingerprint and storage."""

import hashlib
import json
import logging
import secrets
import unicodedata
from pathlib import Path
from typing import Any

import weasyprint
from django.conf import settings
from django.core.files.base import ContentFile
from django.utils import timezone
from django.utils.text import slugify

from advisor.advice import table as questionnaire
from advisor.consultant.branding import Branding, get_branding
from advisor.lib.digests import file_digest
from advisor.models import Submission
from advisor.reports.pdf import ReportUnavailable, render_pdf
from advisor.reports.presenters import result_context

logger = logging.getLogger(__name__)

REPORT_TEMPLATE = "report/advice.html"
# Bump when templates/report/*, the report body or static/css/report.css change what a
# report looks like: stored reports then get re-rendered on their next download.
REPORT_TEMPLATE_VERSION = "2026.11.1"
FILENAME_COMPANY_MAX_LENGTH = 60
FILENAME_SUFFIX = "email-advies"
# Crockford's base32: no I, L, O or U, so a reference read out over the phone is unambiguous.
REFERENCE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
REFERENCE_LENGTH = 6

# Letters that Unicode decomposition leaves alone but that have a common ASCII spelling.
ASCII_SPELLINGS = str.maketrans(
    {
        "ß": "ss",
        "æ": "ae",
        "Æ": "AE",
        "ø": "o",
        "Ø": "O",
        "œ": "oe",
        "Œ": "OE",
        "đ": "d",
        "Đ": "D",
        "ł": "l",
        "Ł": "L",
        "þ": "th",
        "Þ": "Th",
        "\u0131": "i",
    }
)


# --- The advice report of one submission -------------------------------------------------


def logo_path(branding: Branding) -> Path | None:
    """The logo file on disk (the branding resolves uploads and static names alike)."""
    return Path(branding.logo_path) if branding.logo_path else None


def logo_url(branding: Branding) -> str:
    """The logo as a file URL for the PDF (the fetcher reads it from disk)."""
    path = logo_path(branding)
    return path.as_uri() if path else ""


def report_reference(submission: Submission) -> str:
    """A short reference the consultant can quote, e.g. ``KE-2026-7K3QF9``.

    Derived one-way from the submission's random token: it reveals neither the result link
    nor, unlike the primary key, how many leads there are. 30 bits: among the few thousand
    leads of a year, two sharing a reference is unlikely, and the year narrows it further.
    """
    digest = int.from_bytes(hashlib.sha256(submission.token.encode()).digest()[:8], "big")
    code = "".join(
        REFERENCE_ALPHABET[(digest >> (5 * i)) & 31] for i in range(REFERENCE_LENGTH)
    )
    return f"KE-{timezone.localtime(submission.created_at):%Y}-{code}"


def report_filename(submission: Submission) -> str:
    """``<company>-email-advies-<date>.pdf``, plain ASCII, safe on every file system."""
    company = unicodedata.normalize("NFKC", submission.company).translate(ASCII_SPELLINGS)
    slug = slugify(company)[:FILENAME_COMPANY_MAX_LENGTH].strip("-_")
    date = timezone.localtime(submission.created_at).date().isoformat()
    return "-".join(filter(None, [slug, FILENAME_SUFFIX, date])) + ".pdf"


def report_fingerprint(submission: Submission) -> str:
    """Changes whenever the stored report would look different if rendered now."""
    branding = get_branding()
    catalogs = [
        Path(folder) / submission.language / "LC_MESSAGES" / "django.mo"
        for folder in settings.LOCALE_PATHS
    ]
    parts = {
        "template": REPORT_TEMPLATE_VERSION,
        "engine": questionnaire.ENGINE_VERSION,
        "advice_engine": submission.engine_version,
        "renderer": weasyprint.__version__,
        "language": submission.language,
        # Covers every branding field and the logo file's bytes.
        "branding": branding.fingerprint,
        "translations": [file_digest(path) for path in catalogs],
        "content": [submission.company, submission.name, submission.advice],
    }
    encoded = json.dumps(parts, sort_keys=True, default=str).encode()
    return hashlib.sha256(encoded).hexdigest()


def report_context(submission: Submission) -> dict[str, Any]:
    branding = get_branding()
    return {
        **result_context(submission),
        "branding": branding,
        "logo_url": logo_url(branding),
        "reference": report_reference(submission),
        "report_date": submission.created_at,
    }


def render_report(submission: Submission) -> bytes:
    """Render the advice report now, in the visitor's language. Stores nothing."""
    return render_pdf(
        template_name=REPORT_TEMPLATE,
        context=report_context(submission),
        language=submission.language,
    )


def _stored_report(submission: Submission, fingerprint: str) -> bytes | None:
    if not submission.report_pdf or submission.report_fingerprint != fingerprint:
        return None
    try:
        with submission.report_pdf.storage.open(submission.report_pdf.name, "rb") as handle:
            return handle.read()
    except FileNotFoundError:
        logger.warning("Stored report of submission %s is missing; rendering again", submission.pk)
        return None


def report_for(submission: Submission) -> bytes:
    """The submission's advice report: from storage, rendered only when missing or outdated.

    Raises ReportUnavailable when a needed render fails; the submission is then unchanged.
    """
    fingerprint = report_fingerprint(submission)
    stored = _stored_report(submission, fingerprint)
    if stored is not None:
        return stored
    try:
        pdf = render_report(submission)
    except ReportUnavailable:
        logger.error("Advice report of submission %s is unavailable", submission.pk)
        raise
    previous = submission.report_pdf.name
    # A random file name: the company name stays out of paths and the name is unguessable.
    submission.report_pdf.save(f"{secrets.token_urlsafe(24)}.pdf", ContentFile(pdf), save=False)
    submission.report_fingerprint = fingerprint
    submission.save(update_fields=["report_pdf", "report_fingerprint"])
    if previous and previous != submission.report_pdf.name:
        submission.report_pdf.storage.delete(previous)
    return pdf
