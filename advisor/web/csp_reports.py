"""Content-Security-Policy violation reports: parsed, trimmed and stored (CspReport).

Browsers send two formats: the older `report-uri` one (application/csp-report,
{"csp-report": {...}} with kebab-case keys) and the Reporting API's `report-to` one
(application/reports+json, a list of {"type": "csp-violation", "body": {...}} with camelCase
keys). A report names the page it happened on; a report page's address holds its token, so
every address is cut to origin and path and redacted like a log line.
"""

import json
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings

from advisor.lib.log_redaction import redact
from advisor.models import CspReport

# Our field, then the key in each format: (report-uri's, report-to's).
FIELDS = {
    "document": ("document-uri", "documentURL"),
    "blocked": ("blocked-uri", "blockedURL"),
    "directive": ("effective-directive", "effectiveDirective"),
    "source": ("source-file", "sourceFile"),
    "line": ("line-number", "lineNumber"),
    "disposition": ("disposition", "disposition"),
}
TEXT_LIMITS = {"document": 300, "blocked": 300, "directive": 100, "source": 300,
               "disposition": 20}


class InvalidReport(ValueError):
    """The body is not a CSP report in either format."""


def _address(value: str) -> str:
    # "inline", "eval", "data" and the like are keywords, not addresses: keep them.
    parts = urlsplit(value)
    if not parts.scheme or not parts.netloc:
        return redact(value)
    return redact(f"{parts.scheme}://{parts.netloc}{parts.path}")


def _report(body: dict[str, Any], key_index: int) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for field, keys in FIELDS.items():
        value = body.get(keys[key_index])
        if field == "line":
            values[field] = value if isinstance(value, int) and 0 <= value < 2**31 else None
            continue
        text = value if isinstance(value, str) else ""
        if field in {"document", "blocked", "source"}:
            text = _address(text)
        values[field] = text[:TEXT_LIMITS[field]]
    return values


def parse_reports(*, body: bytes) -> list[dict[str, Any]]:
    """The reports in a request body, in our fields; raises InvalidReport."""
    try:
        data = json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise InvalidReport from error
    if isinstance(data, dict) and isinstance(data.get("csp-report"), dict):
        return [_report(data["csp-report"], 0)]
    if isinstance(data, list):
        return [_report(item["body"], 1) for item in data[:10]
                if isinstance(item, dict) and item.get("type") == "csp-violation"
                and isinstance(item.get("body"), dict)]
    raise InvalidReport


def store_reports(*, reports: list[dict[str, Any]]) -> int:
    """Store the reports, unless the table already holds CSP_REPORT_MAX_STORED of them."""
    room = settings.CSP_REPORT_MAX_STORED - CspReport.objects.count()
    accepted = reports[:max(room, 0)]
    CspReport.objects.bulk_create(CspReport(**report) for report in accepted)
    return len(accepted)
