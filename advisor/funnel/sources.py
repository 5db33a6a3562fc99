"""Where a visit came from: the landing address's campaign parameters and the referring site.

Only `utm_source`, `utm_medium`, `utm_campaign` and the host of the referring site (never its
path or query) are kept, each cleaned to a short, plain value: they end up in the database,
the admin and a CSV for Excel. A value that does not fit is dropped, not repaired.

A visit that has answered nothing has no session, so the landing page hands the source on in
its start link (`?utm_source=…&ref=<host>`), and the first step's form posts it back; from the
first answer on it is kept in the session (visits.py) and stored with the submission.
"""

import re
from dataclasses import astuple, dataclass
from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.http import HttpRequest

CAMPAIGN_PARAMETERS = ("utm_source", "utm_medium", "utm_campaign")
# The referring site's host, handed on from the landing page (whose Referer it came from).
REFERRER_PARAMETER = "ref"
MAX_LENGTH = 64
HOST_MAX_LENGTH = 253
# Letters, digits and a few separators, starting with a letter or digit: so never a formula
# (= + - @) in Excel, a line break, an invisible character or markup.
VALUE = re.compile(r"[^\W_][\w .+/-]*")
HOST_LABEL = r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?"
HOST = re.compile(rf"{HOST_LABEL}(?:\.{HOST_LABEL})*")


def clean_value(raw: str) -> str:
    """A campaign parameter as kept: one line, lower case, at most MAX_LENGTH characters; ""
    when it holds anything else than letters, digits, spaces and . + / - _"""
    text = " ".join(raw.split()).lower()[:MAX_LENGTH].strip()
    return text if VALUE.fullmatch(text) else ""


def clean_host(raw: str) -> str:
    """A host name as kept (lower case, ASCII as browsers send it); "" when it is not one."""
    host = raw.strip().lower().removesuffix(".")
    return host if len(host) <= HOST_MAX_LENGTH and HOST.fullmatch(host) else ""


@dataclass(frozen=True)
class Source:
    source: str = ""
    medium: str = ""
    campaign: str = ""
    referrer: str = ""

    @classmethod
    def from_values(cls, values: object) -> "Source":
        """From a stored list (the session), cleaned again: the session is only as trusted
        as what was put in it."""
        if not isinstance(values, list | tuple) or len(values) != 4:
            return cls()
        source, medium, campaign, referrer = (str(value) for value in values)
        return cls(clean_value(source), clean_value(medium), clean_value(campaign),
                   clean_host(referrer))

    def as_list(self) -> list[str]:
        return list(astuple(self))

    def __bool__(self) -> bool:
        return any(astuple(self))

    def as_query(self) -> str:
        """The query string that hands this source on to the next page ("" when unknown)."""
        pairs = [(name, value) for name, value in zip(CAMPAIGN_PARAMETERS, astuple(self)[:3],
                                                      strict=True) if value]
        if self.referrer:
            pairs.append((REFERRER_PARAMETER, self.referrer))
        return f"?{urlencode(pairs)}" if pairs else ""

    def submission_fields(self) -> dict[str, str]:
        """As the fields of a Submission."""
        return {"utm_source": self.source, "utm_medium": self.medium,
                "utm_campaign": self.campaign, "referrer_host": self.referrer}

    @classmethod
    def of_submission(cls, submission: object) -> "Source":
        return cls(submission.utm_source, submission.utm_medium, submission.utm_campaign,
                   submission.referrer_host)


def _netloc(url: str) -> str:
    return urlsplit(url).netloc.rpartition("@")[2].lower()


def referring_host(request: HttpRequest) -> str:
    """The host of the page that linked here, from the Referer header; "" for our own site,
    no header, or one that is not a web address."""
    try:
        parts = urlsplit(request.headers.get("Referer", ""))
        hostname = parts.hostname or ""
    except ValueError:  # a malformed address, such as an unclosed IPv6 bracket
        return ""
    if parts.scheme not in {"http", "https"}:
        return ""
    netloc = parts.netloc.rpartition("@")[2].lower()
    if netloc in {request.get_host().lower(), _netloc(settings.SITE_URL)}:
        return ""
    return clean_host(hostname)


def landing_source(request: HttpRequest) -> Source:
    """The source this request hands on: its campaign parameters, and the referring site as
    handed on from the landing page or, on the landing page itself, from its Referer."""
    values = [clean_value(request.GET.get(name, "")) for name in CAMPAIGN_PARAMETERS]
    referrer = clean_host(request.GET.get(REFERRER_PARAMETER, "")) or referring_host(request)
    return Source(*values, referrer)
