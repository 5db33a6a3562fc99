"""Readers of the mail records in DNS: SPF, DMARC, DKIM, MTA-STS and TLS-RPT. Pure: text in.

Each reader follows its RFC as a receiving server would read the record, and says only what the
checks need. Text from DNS is untrusted: ``clean_text`` makes it printable and caps its length
before anything else sees it.
"""

from __future__ import annotations

import ipaddress
import re
import unicodedata
from dataclasses import dataclass

# Longer TXT data is cut before parsing; a working SPF record fits in a 512-byte answer.
PARSE_LIMIT = 4096
# What a finding keeps of a record to show the consultant.
STORED_LIMIT = 512


def clean_text(raw: bytes | str, *, limit: int = PARSE_LIMIT) -> str:
    """Printable text, at most ``limit`` characters: controls become "?", the rest is cut."""
    text = raw.decode("utf-8", "replace") if isinstance(raw, bytes) else raw
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return "".join("?" if unicodedata.category(char)[0] == "C" else char for char in text)


# A name that can be looked up: letters, digits, hyphens and the underscores of _spf-style names.
HOSTNAME = re.compile(
    r"(?=.{1,253}\.?$)(?:[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?\.)+[a-z0-9-]{1,63}\.?", re.I
)


def lookup_name(text: str) -> str | None:
    """The lower-case name without a final dot, or None when it cannot be asked about."""
    return text.lower().rstrip(".") if HOSTNAME.fullmatch(text) else None


# --- SPF, RFC 7208 ---

SPF_VERSION = re.compile(r"v=spf1(?: |$)", re.I)
# RFC 7208 §4.6.4: these mechanisms and the redirect modifier each cost a DNS look-up.
LOOKUP_MECHANISMS = frozenset({"include", "a", "mx", "ptr", "exists"})
SPF_MECHANISM = re.compile(
    r"(?P<qualifier>[-+~?]?)(?P<name>all|include|a|mx|ptr|ip4|ip6|exists)(?P<argument>[:/].*)?",
    re.I,
)
SPF_MODIFIER = re.compile(r"(?P<name>[a-z][a-z0-9_.-]*)=(?P<value>.*)", re.I)
SPF_DUAL_CIDR = re.compile(r"(?:/(?P<v4>\d{1,2}))?(?://(?P<v6>\d{1,3}))?")


@dataclass(frozen=True)
class SpfRecord:
    all_qualifier: str | None  # "+", "-", "~" or "?"; None when the record has no "all"
    includes: tuple[str, ...]  # the domain-spec of each include, in order
    redirect: str | None  # ignored by receivers when the record has an "all"
    lookups: int  # look-ups of this record's own mechanisms, before includes are followed


def is_spf(text: str) -> bool:
    return SPF_VERSION.match(text) is not None


def _valid_dual_cidr(text: str) -> bool:
    match = SPF_DUAL_CIDR.fullmatch(text)
    return bool(match) and int(match["v4"] or 0) <= 32 and int(match["v6"] or 0) <= 128


def _valid_argument(name: str, argument: str) -> bool:
    if name == "all":
        return argument == ""
    if name in {"include", "exists"}:
        return argument.startswith(":") and len(argument) > 1
    if name in {"ip4", "ip6"}:
        if not argument.startswith(":"):
            return False
        try:
            network = ipaddress.ip_network(argument[1:], strict=False)
        except ValueError:
            return False
        return network.version == int(name[-1])
    if name == "ptr":
        return argument == "" or (argument.startswith(":") and len(argument) > 1)
    # "a" and "mx": an optional ":domain-spec", then optional "/v4-cidr" and "//v6-cidr".
    domain, slash, cidr = argument.partition("/")
    if domain and (not domain.startswith(":") or len(domain) == 1):
        return False
    return _valid_dual_cidr(slash + cidr)


def parse_spf(text: str) -> SpfRecord | None:
    """The parts of an SPF record that matter here, or None when a receiver finds an error."""
    includes: list[str] = []
    modifiers: dict[str, str] = {}
    all_qualifier: str | None = None
    lookups = 0
    for term in text.split()[1:]:
        mechanism = SPF_MECHANISM.fullmatch(term)
        if mechanism:
            name = mechanism["name"].lower()
            argument = mechanism["argument"] or ""
            if not _valid_argument(name, argument):
                return None
            # RFC 7208 §5.1: mechanisms after "all" are never evaluated.
            if all_qualifier is not None:
                continue
            if name == "all":
                all_qualifier = mechanism["qualifier"] or "+"
            elif name in LOOKUP_MECHANISMS:
                lookups += 1
                if name == "include":
                    includes.append(argument[1:])
            continue
        modifier = SPF_MODIFIER.fullmatch(term)
        if not modifier:
            return None
        name = modifier["name"].lower()
        # RFC 7208 §6: redirect and exp may each appear once.
        if name in modifiers and name in {"redirect", "exp"}:
            return None
        modifiers[name] = modifier["value"]
    redirect = modifiers.get("redirect")
    if redirect == "":
        return None
    return SpfRecord(all_qualifier, tuple(includes), redirect, lookups)


# --- Tag lists: DMARC (RFC 7489 §6.4), DKIM (RFC 6376 §3.2), MTA-STS, TLS-RPT ---

TAG = re.compile(r"\s*(?P<name>[a-z][a-z0-9_]*)\s*=\s*(?P<value>.*?)\s*", re.I)


def parse_tags(text: str) -> dict[str, str]:
    """Tag names (lower case) and values; parts that are no tag are left out, the first wins."""
    tags: dict[str, str] = {}
    for part in text.split(";"):
        match = TAG.fullmatch(part)
        if match:
            tags.setdefault(match["name"].lower(), match["value"])
    return tags


DMARC_CANDIDATE = re.compile(r"\s*v\s*=\s*dmarc", re.I)
# RFC 7489 §6.4: "v=DMARC1" comes first; the version value is case-sensitive.
DMARC_VERSION = re.compile(r"\s*[vV]\s*=\s*DMARC1\s*(?:;|$)")
DMARC_POLICIES = ("none", "quarantine", "reject")


@dataclass(frozen=True)
class DmarcRecord:
    policy: str | None  # None when "p" is missing or not a policy: the record is in error
    subdomain_policy: str | None
    percentage: int
    reports: tuple[str, ...]  # the usable addresses in "rua"


def looks_like_dmarc(text: str) -> bool:
    return DMARC_CANDIDATE.match(text) is not None


def is_dmarc(text: str) -> bool:
    return DMARC_VERSION.match(text) is not None


def _policy(value: str | None) -> str | None:
    value = (value or "").lower()
    return value if value in DMARC_POLICIES else None


def _report_addresses(value: str) -> tuple[str, ...]:
    addresses = (uri.strip() for uri in value.split(","))
    return tuple(
        uri for uri in addresses
        if (uri.lower().startswith("mailto:") and "@" in uri) or uri.lower().startswith("https://")
    )


def parse_dmarc(text: str) -> DmarcRecord:
    tags = parse_tags(text)
    percentage = tags.get("pct", "100")
    return DmarcRecord(
        policy=_policy(tags.get("p")),
        subdomain_policy=_policy(tags.get("sp")),
        # RFC 7489 §6.3: an invalid value is ignored, so the default of 100 applies.
        percentage=int(percentage) if percentage.isdigit() and int(percentage) <= 100 else 100,
        reports=_report_addresses(tags.get("rua", "")),
    )


def is_dkim_key(text: str) -> bool:
    """A DKIM key record (RFC 6376 §3.6.1) with a key in it: an empty "p=" means revoked."""
    tags = parse_tags(text)
    if "v" in tags and tags["v"] != "DKIM1":
        return False
    return bool(tags.get("p", "").strip())


# --- MTA-STS (RFC 8461 §3.1) and TLS-RPT (RFC 8460 §3) ---

MTA_STS_CANDIDATE = re.compile(r"v=stsv1", re.I)
MTA_STS_RECORD = re.compile(r"v=STSv1(?:[ \t]*;[ \t]*[a-zA-Z0-9_.-]+=[^;\s]*)+[ \t]*;?[ \t]*")
MTA_STS_ID = re.compile(r"(?:^|;)[ \t]*id=[a-zA-Z0-9]{1,32}[ \t]*(?:;|$)")
TLS_RPT_CANDIDATE = re.compile(r"v=tlsrptv1", re.I)
TLS_RPT_VERSION = re.compile(r"v=TLSRPTv1[ \t]*;")


def looks_like_mta_sts(text: str) -> bool:
    return MTA_STS_CANDIDATE.match(text) is not None


def is_mta_sts(text: str) -> bool:
    return MTA_STS_RECORD.fullmatch(text) is not None and MTA_STS_ID.search(text) is not None


def looks_like_tls_rpt(text: str) -> bool:
    return TLS_RPT_CANDIDATE.match(text) is not None


def is_tls_rpt(text: str) -> bool:
    """Version first and at least one report address (mailto: or https:) in "rua"."""
    return TLS_RPT_VERSION.match(text) is not None and bool(
        _report_addresses(parse_tags(text).get("rua", ""))
    )
