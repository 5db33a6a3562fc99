"""How many mails one address may get from the site: MAILS_PER_ADDRESS_PER_DAY in any 24 hours,
whatever report, submission or client asks for them.

The outbox is the record: the mails to one mailbox (``OutgoingMail.recipient_key``) written in
the last 24 hours are counted, under a lock per mailbox, so two requests at once cannot both
take the last place. Mails to the consultant are neither counted nor limited.
"""

import hashlib
from collections.abc import Iterable
from datetime import timedelta

from django.conf import settings
from django.db import connection
from django.utils import timezone

from advisor.lib.mailbox import mailbox_key
from advisor.models import MailKind, OutgoingMail

WINDOW = timedelta(hours=24)


class AddressLimitReached(Exception):
    """This address has had as many mails from the site in 24 hours as allowed."""

    def __init__(self, address: str) -> None:
        super().__init__("an address reached its mail limit")  # never the address: logs
        self.address = address


def _lock_number(key: str) -> int:
    # pg_advisory_xact_lock takes a signed 64-bit number.
    return int.from_bytes(hashlib.sha256(key.encode()).digest()[:8], "big", signed=True)


def lock_mailboxes(addresses: Iterable[str]) -> None:
    """Hold a lock per mailbox until the transaction ends, taken in one order so that two
    requests locking the same two mailboxes cannot wait for each other.

    PostgreSQL (production) has transaction-scoped advisory locks for exactly this; SQLite,
    development only, lets one transaction write at a time and has none.
    """
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for number in sorted({_lock_number(mailbox_key(address)) for address in addresses}):
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [number])


def mails_to_mailbox_today(address: str) -> int:
    """Mails to this mailbox (not the consultant's notifications) in the last 24 hours."""
    return (OutgoingMail.objects
            .filter(recipient_key=mailbox_key(address),
                    created_at__gte=timezone.now() - WINDOW)
            .exclude(kind=MailKind.CONSULTANT)
            .count())


def claim_mailbox(address: str) -> None:
    """Take one of the address's places for the next 24 hours, or raise AddressLimitReached.
    Call inside the transaction that writes the mail; the lock is held until it ends."""
    lock_mailboxes([address])
    if mails_to_mailbox_today(address) >= settings.MAILS_PER_ADDRESS_PER_DAY:
        raise AddressLimitReached(address)
