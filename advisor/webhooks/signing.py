"""Standard Webhooks signatures, made with the maintained ``standardwebhooks`` library.

Each attempt carries ``webhook-id`` (the event's, the same on every attempt),
``webhook-timestamp`` (the attempt's, in seconds: receivers refuse one more than five minutes
off, which stops replays) and ``webhook-signature``: ``v1,<base64 HMAC-SHA256 of
"id.timestamp.body">``, one per secret, separated by a space, while a replaced secret still
signs (https://www.standardwebhooks.com/).
"""

import base64
import secrets
from collections.abc import Iterable
from datetime import UTC, datetime

from standardwebhooks import Webhook

SECRET_PREFIX = "whsec_"
# The specification asks for 24 to 64 random bytes.
SECRET_BYTES = 32


def new_secret() -> str:
    """A random signing secret in the Standard Webhooks format: ``whsec_`` + base64."""
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(SECRET_BYTES)).decode("ascii")


def new_webhook_id() -> str:
    """A unique id for one event, as Standard Webhooks receivers expect (``msg_…``)."""
    return f"msg_{secrets.token_urlsafe(18)}"


def signed_headers(*, webhook_id: str, body: str, signing_secrets: Iterable[str],
                   at: datetime) -> dict[str, str]:
    """The three headers for one attempt at ``at``, signed with each secret."""
    # Whole seconds, in UTC: the library reads the datetime as UTC whatever its zone.
    timestamp = datetime.fromtimestamp(int(at.timestamp()), tz=UTC)
    signatures = " ".join(Webhook(secret).sign(webhook_id, timestamp, body)
                          for secret in signing_secrets)
    return {
        "webhook-id": webhook_id,
        "webhook-timestamp": str(int(timestamp.timestamp())),
        "webhook-signature": signatures,
    }
