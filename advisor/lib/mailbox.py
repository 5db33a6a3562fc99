"""E-mail addresses that a mail server delivers to exactly one mailbox, and nothing else.

RFC 5322 allows far more than people use: quoted local parts (``"a,b"@x``, which our outbox
once split on the comma into several recipients), comments (``a(b)@x``), IP-literal domains
(``a@[127.0.0.1]``, which bypass DNS and reach internal hosts) and lists. Forms accept only the
"dot-atom" local part of RFC 5322 §3.2.3 and a domain name with a dot (RFC 5321 §2.3.5), as
the WHATWG's definition of a valid e-mail address does for <input type=email>.
"""

import contextlib
import re

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext_lazy as _

EMAIL_ONE_ADDRESS = _("Enter one e-mail address only.")
EMAIL_NO_IP_ADDRESS = _("Use an address with a domain name after the @, for example "
                        "name@company.com, not an IP address.")
EMAIL_PLAIN_NAME = _("Use only letters, digits and . _ - + before the @, for example "
                     "jan.de-vries@company.com.")
EMAIL_INVALID = _("Enter a valid e-mail address, for example name@company.com.")

# RFC 5322 atext, dot-separated, no quotes, no comments, no spaces.
LOCAL_PART = re.compile(r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*")
# Ways people list several addresses in one field.
LIST_SEPARATORS = re.compile(r"[,;\s]")


def validate_mailbox(value: str) -> None:
    """Raise ValidationError unless ``value`` is one plain address at a domain name."""
    if LIST_SEPARATORS.search(value) or value.count("@") > 1:
        raise ValidationError(EMAIL_ONE_ADDRESS, code="several_addresses")
    local, at, domain = value.rpartition("@")
    if not at or not local or not domain:
        raise ValidationError(EMAIL_INVALID, code="invalid")
    if domain.startswith("[") or re.fullmatch(r"[\d.]+", domain):
        raise ValidationError(EMAIL_NO_IP_ADDRESS, code="ip_literal")
    if not LOCAL_PART.fullmatch(local):
        raise ValidationError(EMAIL_PLAIN_NAME, code="unusual_local_part")
    if "." not in domain.strip("."):
        raise ValidationError(EMAIL_INVALID, code="invalid")
    try:
        # Django checks the domain's labels (and converts international names with IDNA).
        validate_email(value)
    except ValidationError:
        raise ValidationError(EMAIL_INVALID, code="invalid") from None


# Domains where dots in the local part are ignored (j.a.n@gmail.com reaches jan@gmail.com),
# and which are one: googlemail.com is gmail.com.
DOTLESS_DOMAINS = frozenset({"gmail.com", "googlemail.com"})


def mailbox_key(address: str) -> str:
    """The mailbox an address reaches, for counting mails to one person: lower case, the
    domain in its ASCII (IDNA) form, and without a "+tag" (RFC 5233 subaddressing, which
    Gmail, Outlook, Fastmail, Proton and most hosts offer), so eva+1@ and eva+2@ are one."""
    local, _at, domain = address.strip().rpartition("@")
    domain = domain.rstrip(".").lower()
    with contextlib.suppress(UnicodeError):  # not a valid international name: as written
        domain = domain.encode("idna").decode("ascii")
    local = local.lower().split("+", 1)[0] or local.lower()
    if domain in DOTLESS_DOMAINS:
        local, domain = local.replace(".", "") or local, "gmail.com"
    return f"{local}@{domain}"
