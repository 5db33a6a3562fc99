"""Posting one webhook delivery to the CRM, until the receiver takes it or it is given up.

A 2xx answer delivers it. No connection, a timeout, 408, 429 and 5xx are temporary: the queue
tries again with exponential back-off (retry_delay), never sooner than a Retry-After asks,
for about a day. Any other answer (a 4xx, a redirect) is permanent and ends it at once. Each
attempt is signed afresh (its own webhook-timestamp) under the event's fixed webhook-id.

The row is locked while it is posted, so two jobs for one delivery never post it at once. A
worker killed mid-post leaves the row as it was; the queue runs the job again (stalled-job
recovery), and the receiver may then get the same webhook-id twice: Standard Webhooks asks
receivers to ignore an id they have already processed.
"""

import logging
import ssl
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.utils import parsedate_to_datetime

import httpx
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from procrastinate import RetryDecision
from procrastinate.jobs import Job
from procrastinate.retry import BaseRetryStrategy

from advisor.models import WebhookDelivery, WebhookStatus
from advisor.webhooks.destination import (
    HTTPS_ONLY,
    UNKNOWN_HOST,
    RefusedAddress,
    connection_to,
)
from advisor.webhooks.profile import WebhookConfig, current_config
from advisor.webhooks.signing import signed_headers

logger = logging.getLogger(__name__)

DELIVERED, FAILED, GONE, NOT_PENDING = "delivered", "failed", "gone", "not pending"
USER_AGENT = "Keuzehulp-email-webhooks/1.0"
# Answers worth trying again: the receiver is busy, restarting or asks to wait.
TEMPORARY_STATUSES = frozenset({408, 429})
SWITCHED_OFF = "SwitchedOff"

# What the back office shows for an error class (README "CRM webhook").
ERROR_TEXTS = {
    "ConnectError": _("no connection"),
    "ConnectTimeout": _("no connection in time"),
    "ReadTimeout": _("no answer in time"),
    "WriteTimeout": _("no answer in time"),
    "PoolTimeout": _("no answer in time"),
    "RemoteProtocolError": _("the connection broke off"),
    "ReadError": _("the connection broke off"),
    "SSLCertVerificationError": _("its certificate was not accepted"),
    "SSLError": _("no secure connection"),
    "NameNotResolved": _("server not found"),
    "NotPublic": _("address not allowed"),
    "NotHttps": _("address not allowed"),
    SWITCHED_OFF: _("switched off in the profile"),
}
PERMANENT_TEXTS = {
    "redirect": _("redirects are not followed"),
    "refused": _("refused by the receiver"),
}


class TemporaryWebhookFailure(Exception):
    """The receiver did not take the delivery now; the queue tries again at ``retry_at``."""

    def __init__(self, description: str, *, retry_at: datetime) -> None:
        super().__init__(description)
        self.retry_at = retry_at


@dataclass(frozen=True)
class Outcome:
    delivered: bool = False
    permanent: bool = False
    status_code: int | None = None
    error: str = ""  # an error class: never the response, the address or the payload
    retry_after: float | None = None

    @property
    def description(self) -> str:
        return f"HTTP {self.status_code}" if self.status_code else self.error


def retry_after_seconds(value: str | None, *, now: datetime) -> float | None:
    """Retry-After as seconds (RFC 9110: a number of seconds or an HTTP date); None if absent
    or unreadable."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        return max((parsedate_to_datetime(value) - now).total_seconds(), 0.0)
    except (TypeError, ValueError, OverflowError):
        return None


def outcome_of(response: httpx.Response, *, now: datetime) -> Outcome:
    code = response.status_code
    if 200 <= code < 300:
        return Outcome(delivered=True, status_code=code)
    if code in TEMPORARY_STATUSES or code >= 500:
        return Outcome(status_code=code, retry_after=retry_after_seconds(
            response.headers.get("Retry-After"), now=now))
    return Outcome(permanent=True, status_code=code)


def error_class(error: BaseException) -> str:
    """The error's class, or the TLS error under it: "the certificate was refused" helps the
    consultant more than "ConnectError"."""
    cause = error.__cause__ or error.__context__
    while cause is not None:
        if isinstance(cause, ssl.SSLError):
            return type(cause).__name__
        cause = cause.__cause__ or cause.__context__
    return type(error).__name__


def tls_verification() -> ssl.SSLContext | bool:
    if settings.WEBHOOK_CA_BUNDLE:
        return ssl.create_default_context(cafile=settings.WEBHOOK_CA_BUNDLE)
    return True  # httpx's default: the certifi bundle


def post(delivery: WebhookDelivery, config: WebhookConfig, *, now: datetime) -> Outcome:
    """One signed POST of the delivery's body; the response body is never read."""
    try:
        connection = connection_to(config.url)
    except RefusedAddress as refused:
        if refused.reason == UNKNOWN_HOST:  # DNS may answer again later
            return Outcome(error="NameNotResolved")
        return Outcome(permanent=True,
                       error="NotHttps" if refused.reason == HTTPS_ONLY else "NotPublic")
    headers = {
        **connection.headers,
        **signed_headers(webhook_id=delivery.webhook_id, body=delivery.body,
                         signing_secrets=config.signing_secrets(now=now), at=now),
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
    }
    # No proxies or certificates from the environment, no redirects: the request goes to the
    # checked address only.
    with httpx.Client(timeout=httpx.Timeout(settings.WEBHOOK_TIMEOUT), verify=tls_verification(),
                      trust_env=False, follow_redirects=False) as client:
        try:
            request = client.build_request("POST", connection.url, headers=headers,
                                           content=delivery.body.encode("utf-8"),
                                           extensions=connection.extensions)
            response = client.send(request, stream=True)
            response.close()
        except httpx.HTTPError as error:
            return Outcome(error=error_class(error))
    return outcome_of(response, now=now)


def retry_delay(retries_done: int, *, retry_after: float | None = None) -> timedelta:
    """WEBHOOK_RETRY_BASE_SECONDS doubled after each try (30 s, 1, 2, 4 … minutes), at least
    what Retry-After asks, never more than WEBHOOK_RETRY_MINUTES."""
    backoff = settings.WEBHOOK_RETRY_BASE_SECONDS * 2 ** min(retries_done, 20)
    wait = max(backoff, retry_after or 0)
    return timedelta(seconds=min(wait, settings.WEBHOOK_RETRY_MINUTES * 60))


def deliver(*, delivery_id: int, retries_done: int) -> str:
    """Post the delivery unless it is delivered, failed or gone; raises
    TemporaryWebhookFailure to be tried again. ``retries_done``: this job's earlier tries."""
    with transaction.atomic():
        # The row lock makes a second job for the same delivery wait, and then see it done.
        delivery = WebhookDelivery.objects.select_for_update().filter(pk=delivery_id).first()
        if delivery is None:
            return GONE  # erased with its lead, or purged
        if delivery.status != WebhookStatus.PENDING:
            return NOT_PENDING
        config, now = current_config(), timezone.now()
        if config.sends(delivery.event):
            outcome = post(delivery, config, now=now)
        else:
            outcome = Outcome(permanent=True, error=SWITCHED_OFF)
        delivery.attempts += 1
        delivery.last_attempt_at = now
        delivery.last_status_code, delivery.last_error = outcome.status_code, outcome.error
        delivery.next_attempt_at = None
        if outcome.delivered:
            delivery.status, delivery.delivered_at = WebhookStatus.DELIVERED, now
        elif outcome.permanent or retries_done >= settings.WEBHOOK_MAX_RETRIES:
            delivery.status = WebhookStatus.FAILED
        else:
            # Counted from the end of this attempt: a timeout has taken its time already.
            delivery.next_attempt_at = timezone.now() + retry_delay(
                retries_done, retry_after=outcome.retry_after)
        delivery.save()
    if delivery.status == WebhookStatus.DELIVERED:
        logger.info("Webhook delivery %s (%s) delivered", delivery.pk, delivery.event)
        return DELIVERED
    if delivery.status == WebhookStatus.FAILED:
        logger.error("Webhook delivery %s (%s) failed for good after %s attempt(s): %s",
                     delivery.pk, delivery.event, delivery.attempts, outcome.description)
        return FAILED
    logger.warning("Webhook delivery %s (%s) not delivered yet (%s); trying again at %s",
                   delivery.pk, delivery.event, outcome.description,
                   delivery.next_attempt_at.isoformat())
    raise TemporaryWebhookFailure(outcome.description, retry_at=delivery.next_attempt_at)


class WebhookRetry(BaseRetryStrategy):
    """Retry temporary failures at the moment deliver() planned; it gives up by itself after
    WEBHOOK_MAX_RETRIES retries, marking the delivery failed. Anything else that went wrong
    (the database was away, say) left the delivery waiting as it was: tried again on the same
    schedule, so it is not left waiting without a job."""

    def get_retry_decision(self, *, exception: BaseException, job: Job) -> RetryDecision | None:
        if isinstance(exception, TemporaryWebhookFailure):
            return RetryDecision(retry_at=exception.retry_at)
        if job.attempts >= settings.WEBHOOK_MAX_RETRIES:
            return None
        return RetryDecision(retry_at=timezone.now() + retry_delay(job.attempts))


def result_text(delivery: WebhookDelivery) -> str:
    """The last attempt's result for the back office: "HTTP 503", "ReadTimeout (no answer
    in time)", or nothing before the first attempt."""
    code = delivery.last_status_code
    if code:
        if 300 <= code < 400:
            return f"HTTP {code} ({PERMANENT_TEXTS['redirect']})"
        if 400 <= code < 500 and code not in TEMPORARY_STATUSES:
            return f"HTTP {code} ({PERMANENT_TEXTS['refused']})"
        return f"HTTP {code}"
    if delivery.last_error:
        text = ERROR_TEXTS.get(delivery.last_error)
        return f"{delivery.last_error} ({text})" if text else delivery.last_error
    return ""
