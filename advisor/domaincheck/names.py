"""From what a visitor typed to a domain name that is safe to ask the DNS about.

A domain comes from a form, an e-mail address or the command line: anything. It leaves here
lower-cased, in its ASCII (IDNA) form, without a trailing dot, within the DNS length limits,
made of letters, digits and hyphens only, and public: no IP address, single label, local or
reserved name. Everything else raises ``InvalidDomain`` with a message for the visitor.
"""

from __future__ import annotations

import ipaddress
import re
import unicodedata

import dns.exception
import dns.name
import idna
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

EMPTY = _("Enter a domain name, such as bakkerij.nl.")
TOO_LONG = _("This domain name is too long.")
NOT_A_DOMAIN = _(
    "This is not a domain name. Enter only the part after the @, such as bakkerij.nl."
)
IP_ADDRESS = _("Enter a domain name, not an IP address.")
NOT_PUBLIC = _("This is not a public internet domain, so there is nothing to check.")

# RFC 1035 §2.3.4: 255 octets on the wire, so 253 characters written without the final dot.
MAX_NAME_LENGTH = 253
MAX_LABEL_LENGTH = 63
# Longer input is refused before any parsing: no megabytes through the IDNA codec.
MAX_INPUT_LENGTH = 1024

# Top-level names that are never public internet domains: RFC 2606 and 6761 (test, example,
# invalid, localhost), RFC 6762 (local), RFC 7686 (onion), RFC 9476 (alt), ICANN's private-use
# "internal" (2024), the infrastructure zone arpa (reverse zones, home.arpa of RFC 8375), and
# names that home and office networks use privately.
RESERVED_TLDS = frozenset({
    "test", "example", "invalid", "localhost", "local", "onion", "alt", "internal", "arpa",
    "lan", "home", "corp", "localdomain", "intranet", "private",
})

LDH_LABEL = re.compile(r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?")
# Characters that never belong in a name and hide what is displayed: bidirectional overrides.
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f")


class InvalidDomain(ValueError):
    """The text is not a public domain name; ``message`` says why, in the active language."""

    def __init__(self, message: Promise) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return str(self.message)


def _has_hidden_characters(text: str) -> bool:
    # Controls (newlines: header and log injection), spaces, surrogates, private use, unassigned.
    return any(
        unicodedata.category(char)[0] == "Z"
        or unicodedata.category(char) in {"Cc", "Cs", "Co", "Cn"}
        or char in BIDI_CONTROLS
        for char in text
    )


def _is_ip_literal(text: str) -> bool:
    candidate = text[1:-1] if text.startswith("[") and text.endswith("]") else text
    try:
        ipaddress.ip_address(candidate)
    except ValueError:
        return False
    return True


def _ascii_labels(text: str) -> list[str]:
    """The labels in IDNA 2008 ASCII form (UTS #46 mapping: lower case, full-width dots)."""
    try:
        name = dns.name.from_unicode(text, idna_codec=dns.name.IDNA_2008_Practical)
    except (dns.name.LabelTooLong, dns.name.NameTooLong) as error:
        raise InvalidDomain(TOO_LONG) from error
    except (dns.exception.DNSException, UnicodeError, ValueError) as error:
        raise InvalidDomain(NOT_A_DOMAIN) from error
    # Each label as the bytes dnspython holds: a "\." escape stays one label and fails below.
    return [label.decode("ascii", "replace").lower() for label in name.labels if label]


def _valid_label(label: str) -> bool:
    if not LDH_LABEL.fullmatch(label):
        return False
    if label.startswith("xn--"):
        # An ASCII label that claims to be IDNA must decode; dnspython passes it through as is.
        try:
            idna.decode(label)
        except idna.IDNAError:
            return False
    return True


def normalise_domain(value: str) -> str:
    """The domain in lower-case ASCII (IDNA) form, or ``InvalidDomain`` saying why not.

    ``"Bäcker.NL."`` becomes ``"xn--bcker-gra.nl"``.
    """
    if not isinstance(value, str):
        raise InvalidDomain(NOT_A_DOMAIN)
    text = value.strip()
    if not text:
        raise InvalidDomain(EMPTY)
    if len(text) > MAX_INPUT_LENGTH:
        raise InvalidDomain(TOO_LONG)
    if _has_hidden_characters(text) or "@" in text or "/" in text or "\\" in text:
        raise InvalidDomain(NOT_A_DOMAIN)
    if _is_ip_literal(text.removesuffix(".")):
        raise InvalidDomain(IP_ADDRESS)
    labels = _ascii_labels(text)
    if not labels:
        raise InvalidDomain(EMPTY)
    if any(len(label) > MAX_LABEL_LENGTH for label in labels):
        raise InvalidDomain(TOO_LONG)
    if not all(_valid_label(label) for label in labels):
        raise InvalidDomain(NOT_A_DOMAIN)
    domain = ".".join(labels)
    if len(domain) > MAX_NAME_LENGTH:
        raise InvalidDomain(TOO_LONG)
    if len(labels) < 2 or labels[-1] in RESERVED_TLDS or labels[-1].isdigit():
        raise InvalidDomain(NOT_PUBLIC)
    return domain


def domain_of_email(email: str) -> str | None:
    """The normalised domain of an e-mail address, or None when there is no valid one."""
    if not isinstance(email, str) or _has_hidden_characters(email.strip()):
        return None  # a newline or space in an address is an injection attempt, not a typo
    local, at, domain = email.strip().rpartition("@")
    if not at or not local:
        return None
    try:
        return normalise_domain(domain)
    except InvalidDomain:
        return None
